/**
 * Bench process harness: app instances as separate processes, as production runs them
 * (`node dist/index.js` after `npm run build`), on one PostgreSQL database, talking to a connector
 * stand-in in its own process. The pacing, announcements and reminders benches start from it through
 * bench/support/send-rig.ts (two workers, SIGKILL one half-way, restart it, wait for the queue to drain).
 *
 *   await buildApp();
 *   const db = await freshPostgresDatabase(adminUrl);            // created now, dropped by db.drop()
 *   const connector = await startConnectorProcess({ app: '50/1s', conversation: '7/1s,8/2s,60/30s,1800/1h' });
 *   const apps = await startApps(2, { DATABASE_URL: db.url, JOB_CONCURRENCY: '16' });
 *   await apps[0].kill('SIGKILL'); await apps[0].restart();
 *   await waitUntil(async () => (await connector.counters()).accepted >= 3000, { timeoutMs: 120_000 });
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { ConnectorCounters } from '../../tests/support/connector-limits.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Compiles dist/ when it is missing or older than the sources (the same script `npm start` runs). */
export function buildApp(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-if-stale.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface ChildHandle {
  readonly name: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnChild(name: string, args: string[], env: Record<string, string>): ChildHandle {
  // The parent's database, bot identity and port settings never leak into a child: it gets only what it is given.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DATABASE_URL|TEST_DATABASE_URL|BENCH_DATABASE_URL|BOT_|CLIENT_|TENANT_ID|PORT|HOST|DATA_DIR|LOG_LEVEL|SAMPLE_DATA)/.test(key)),
  );
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles every child under the bench's load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  // Keep the tail only: a long bench must not hold every log line in memory.
  child.stdout.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-200_000)));
  child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-200_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { name, child, stdout: () => out, stderr: () => err, exited };
}

async function waitForLine<T>(handle: ChildHandle, pick: (entry: Record<string, unknown>) => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of handle.stdout().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const found = pick(JSON.parse(line) as Record<string, unknown>);
        if (found !== undefined) return found;
      } catch {
        // a line cut by the tail buffer
      }
    }
    if (handle.child.exitCode !== null) throw new Error(`${handle.name} exited early:\n${handle.stdout().slice(-2000)}\n${handle.stderr().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${handle.name} did not start within ${timeoutMs} ms:\n${handle.stdout().slice(-2000)}\n${handle.stderr().slice(-2000)}`);
}

export interface AppProcess extends ChildHandle {
  port: number;
  /** Sends the signal and waits for the exit (SIGKILL: no shutdown hook runs, leases stay taken). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a new process with the same environment (and entry) in place of this one. */
  restart(): Promise<void>;
}

export interface AppStartOptions {
  /** Node arguments (default ['dist/index.js']); e.g. a bench entry script that adds a feature module. */
  entry?: string[];
  startTimeoutMs?: number;
}

/** Starts one app instance and waits until it listens. Local bot mode; LOG_LEVEL info unless given. */
export async function startApp(name: string, env: Record<string, string>, options: AppStartOptions = {}): Promise<AppProcess> {
  const fullEnv = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SAMPLE_DATA: 'off', ...env };
  const args = options.entry ?? ['dist/index.js'];
  const timeout = options.startTimeoutMs ?? 60_000;
  const launch = async (): Promise<{ handle: ChildHandle; port: number }> => {
    const handle = spawnChild(name, args, fullEnv);
    const port = await waitForLine(handle, (e) => (e.msg === 'Development Hub listening' && typeof e.port === 'number' ? e.port : undefined), timeout);
    return { handle, port };
  };
  const first = await launch();
  const app: AppProcess = {
    ...first.handle,
    port: first.port,
    kill: async (signal = 'SIGTERM') => {
      if (app.child.exitCode !== null || app.child.signalCode !== null) return;
      app.child.kill(signal);
      await app.exited;
    },
    restart: async () => {
      await app.kill('SIGKILL');
      const next = await launch();
      Object.assign(app, next.handle, { port: next.port });
    },
  };
  return app;
}

/** N instances on the same environment (one database), started one after another. */
export async function startApps(count: number, env: Record<string, string>, options: AppStartOptions = {}): Promise<AppProcess[]> {
  const apps: AppProcess[] = [];
  for (let i = 0; i < count; i += 1) apps.push(await startApp(`app-${i + 1}`, env, options));
  return apps;
}

export interface ConnectorProcess extends ChildHandle {
  serviceUrl: string;
  counters(): Promise<ConnectorCounters>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The connector stand-in in its own process (bench/support/connector-process.ts), so its HTTP work
 * does not share a CPU with the load it measures. Limits as in SEND_CONVERSATION_LIMITS: '50/1s'.
 */
export async function startConnectorProcess(limits: { app?: string; conversation?: string } = {}): Promise<ConnectorProcess> {
  const handle = spawnChild('connector', ['--import', 'tsx', 'bench/support/connector-process.ts'], {
    STAND_IN_APP_LIMITS: limits.app ?? '',
    STAND_IN_CONVERSATION_LIMITS: limits.conversation ?? '',
  });
  const serviceUrl = await waitForLine(handle, (e) => (typeof e.serviceUrl === 'string' ? e.serviceUrl : undefined), 30_000);
  return {
    ...handle,
    serviceUrl,
    counters: async () => (await (await fetch(`${serviceUrl}_stand-in/counters`)).json()) as ConnectorCounters,
    reset: async () => void (await fetch(`${serviceUrl}_stand-in/reset`, { method: 'POST' })),
    stop: async () => {
      handle.child.kill('SIGTERM');
      await handle.exited;
    },
  };
}

/** Polls until `condition` holds; throws with `what` after the timeout. */
export async function waitUntil(condition: () => Promise<boolean>, options: { timeoutMs: number; intervalMs?: number; what?: string }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what ?? 'the condition'}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
}

/** A fresh database on the PostgreSQL server of `adminUrl`; `drop()` removes it (even with connections left). */
export async function freshPostgresDatabase(adminUrl: string, prefix = 'devhub_bench'): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    name,
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * The pacer's own account of a stopped app (logged at shutdown): slots granted, reserved and in how
 * many round trips, dropped because they were used too late (where throughput goes), interactive sends.
 */
export function pacerTotals(app: ChildHandle): string | undefined {
  const line = app.stdout().split('\n').find((l) => l.includes('"send pacer totals"'));
  if (!line) return undefined;
  const t = JSON.parse(line) as Record<string, number>;
  return `${app.name} pacer: granted ${t.granted}, reserved ${t.reserved} in ${t.reservations} round trips, dropped late ${t.droppedLate}, interactive ${t.interactive}`;
}
