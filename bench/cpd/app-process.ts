import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * The app as production runs it: its own process (`node dist/index.js`, or `npm start` for the
 * cold-start rows, which includes the staleness check), loaded over HTTP from the bench
 * process. Memory and CPU are read from /proc for the app's own node process only.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface AppProcess {
  pid: number;
  port: number;
  baseUrl: string;
  /** Resident set of the app's node process, MB. */
  rssMb(): number;
  /** Peak resident set since start (VmHWM), MB. */
  peakRssMb(): number;
  /** User + system CPU of the app's node process since start, ms. */
  cpuMs(): number;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  env: Record<string, string>;
  /** `npm start` (staleness check, then dist/index.js in the same process) instead of `node dist/index.js`. */
  viaNpm?: boolean;
  /** Modules for `node --import` (the echo floors). */
  preload?: string[];
}

const TICK_MS = 10; // Linux USER_HZ is 100 on every kernel Node supports here.

function procStatus(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : Number.NaN;
}

function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** What the app's node process runs: dist/index.js, or under `npm start` scripts/start.mjs (the staleness check, then dist/index.js in the same process). */
const APP_ENTRIES = ['dist/index.js', 'scripts/start.mjs'];

/** The node process running the app: the child itself, or under `npm start`, a descendant of it. */
function appPid(root: number): number | undefined {
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => APP_ENTRIES.some((entry) => a.endsWith(entry))) && path.basename(cmd[0] ?? '').startsWith('node')) return pid;
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (children) queue.push(...children.split(' ').map(Number));
      }
    } catch {
      // Gone already (sh exec'd into node): its children are listed under the new pid.
    }
  }
  return undefined;
}

/** BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") reaches the app's node, as it does the announcements bench's children. */
function nodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Environment for the app: the bench's own variables that would change what the app is are left out. */
function appEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DATABASE_URL|TEST_DATABASE_URL|BENCH_|BOT_|CLIENT_|TENANT_ID|PORT|HOST|DATA_DIR|SAMPLE_DATA|LOG_LEVEL|NODE_OPTIONS|npm_)/.test(key)),
  );
  return { ...inherited, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...extra };
}

/**
 * Starts the app and resolves once it answered its first message: `firstAnswer` is posted every
 * 20 ms until POST /api/messages answers 200 (a message turn answers after its reply reached the
 * connector stand-in). Resolves with the process and the milliseconds from spawn to that answer.
 */
export async function startApp(options: StartOptions, firstAnswer: (baseUrl: string) => Promise<boolean>): Promise<{ app: AppProcess; coldStartMs: number }> {
  const port = await freePort();
  const env = appEnv({ ...options.env, PORT: String(port) });
  const started = performance.now();
  const child: ChildProcess = options.viaNpm
    ? spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [...nodeArgs(), ...(options.preload ?? []).flatMap((m) => ['--import', m]), 'dist/index.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = started + 120_000;
  /** Stops the app (and npm above it): a start that failed must not leave it running to load the next bench. */
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const pid = appPid(child.pid!) ?? child.pid!;
    process.kill(pid, 'SIGTERM');
    if (pid !== child.pid) child.kill('SIGTERM');
    await exited;
  };
  let answered = false;
  while (!answered) {
    if (child.exitCode !== null) throw new Error(`the app exited before answering (code ${child.exitCode}):\n${output}`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`the app did not answer within 120 s:\n${output}`);
    }
    answered = await firstAnswer(baseUrl).catch(() => false);
    if (!answered) await new Promise((r) => setTimeout(r, 20));
  }
  const coldStartMs = performance.now() - started;
  const pid = appPid(child.pid!) ?? child.pid!;
  const app: AppProcess = {
    pid,
    port,
    baseUrl,
    rssMb: () => procStatus(pid, 'VmRSS'),
    peakRssMb: () => procStatus(pid, 'VmHWM'),
    cpuMs: () => procCpuMs(pid),
    output: () => output,
    stop,
  };
  return { app, coldStartMs };
}
