import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { eachLine } from './log-lines.js';

/**
 * Runs the app and the Microsoft 365 Agents Playground as two child processes: children are the
 * simplest thing to stop cleanly (each gets SIGTERM and finishes its own shutdown), and the app
 * runs exactly as `npm start` runs it, through src/index.ts.
 */
export interface LocalRunOptions {
  /** The project root: the app's working directory. */
  root: string;
  /** The app's whole environment; PORT and HOST are set from appPort/appHost. */
  appEnv: NodeJS.ProcessEnv;
  appHost: string;
  appPort: number;
  playgroundPort: number;
  /** A playground config file already written (see playground-config.ts). */
  playgroundConfigFile: string;
  playgroundLogFile: string;
  /** Let the playground open the default browser (it fails quietly without a desktop). */
  openBrowser: boolean;
  readyTimeoutMs?: number;
  /** Aborting while the two are starting stops both and rejects with StartAborted. */
  signal?: AbortSignal;
  onAppLine?: (line: string) => void;
  onPlaygroundLine?: (line: string) => void;
}

export interface ChildExit {
  who: 'app' | 'playground';
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LocalRun {
  appPort: number;
  playgroundPort: number;
  /** Where the playground sends activities. */
  endpoint: string;
  /** The playground's web page. */
  playgroundUrl: string;
  /** Resolves when either child exits on its own (not through stop()), with its last words. */
  exited: Promise<ChildExit & { lastOutput: string[] }>;
  /** SIGTERM to both, SIGKILL after `graceMs`; resolves when both are gone. */
  stop(graceMs?: number): Promise<void>;
}

const require = createRequire(import.meta.url);

export class StartAborted extends Error {
  override name = 'StartAborted';
}

/** The address the playground should call: a wildcard bind is reached through loopback. */
export function loopbackFor(host: string): string {
  if (host === '' || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

class Child {
  readonly recent: string[] = [];
  readonly exit: Promise<ChildExit>;
  private readonly listeners: ((line: string) => void)[] = [];
  constructor(
    readonly who: ChildExit['who'],
    readonly process: ChildProcess,
    onLine: ((line: string) => void) | undefined,
    private readonly logFile?: string,
  ) {
    const remember = (line: string): void => {
      this.recent.push(line);
      if (this.recent.length > 30) this.recent.shift();
      onLine?.(line);
      for (const listener of this.listeners) listener(line);
    };
    if (process.stdout) eachLine(process.stdout, remember);
    if (process.stderr) eachLine(process.stderr, remember);
    this.exit = new Promise((resolve) => {
      process.once('error', (error) => {
        remember(`could not start: ${error.message}`);
        resolve({ who, code: null, signal: null });
      });
      process.once('exit', (code, signal) => resolve({ who, code, signal }));
    });
  }

  /** Calls `listener` for every line already seen and every line to come. */
  watch(listener: (line: string) => void): void {
    this.recent.forEach(listener);
    this.listeners.push(listener);
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const killer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(killer);
  }

  failure(what: string, exit: ChildExit): Error {
    const how = exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
    const lines = [...this.recent.slice(-12), ...this.extraDiagnostics()];
    const tail = lines.length ? `; its last output:\n  ${lines.join('\n  ')}` : '';
    return new Error(`The ${what} ${how} before it was ready${tail}`);
  }

  /** The playground reports a bad config file only in its log file, after it says it is listening. */
  extraDiagnostics(): string[] {
    if (!this.logFile) return [];
    try {
      return readFileSync(this.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('error '))
        .slice(-4);
    } catch {
      return [];
    }
  }
}

async function waitUntilHealthy(url: string, child: Child, deadline: number): Promise<void> {
  while (child.running) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`The app did not answer ${url} within the time allowed.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('The app stopped before it answered its health check.');
}

/** The playground says "Listening on" before it reads its config file: wait until it serves its page. */
async function waitForPlayground(child: Child, deadline: number): Promise<number> {
  const port = await waitForListening(child, deadline);
  while (child.running) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        // A bad config file makes it exit right after mounting; give that a moment to show.
        await new Promise((resolve) => setTimeout(resolve, 300));
        if (child.running) return port;
        break;
      }
    } catch {
      // Not serving yet.
    }
    if (Date.now() > deadline) throw new Error('The Agents Playground did not serve its page within the time allowed.');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return new Promise<number>(() => undefined); // its exit is reported by the caller's race
}

function waitForListening(child: Child, deadline: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const seen = (line: string): void => {
      const match = /Listening on (\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.watch(seen);
    const timer = setTimeout(() => reject(new Error('The Agents Playground did not start listening within the time allowed.')), Math.max(0, deadline - Date.now()));
    timer.unref();
  });
}

export async function startLocalRun(options: LocalRunOptions): Promise<LocalRun> {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  const address = loopbackFor(options.appHost);
  const endpoint = `http://${address}:${options.appPort}/api/messages`;

  const app = new Child(
    'app',
    spawn(
      process.execPath,
      // restify 11 touches a deprecated Node API on every start; the warning is harmless noise.
      ['--disable-warning=DEP0111', '--import', 'tsx', path.join(options.root, 'src', 'index.ts')],
      {
        cwd: options.root,
        env: { ...options.appEnv, PORT: String(options.appPort), HOST: options.appHost },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
    options.onAppLine,
  );

  const playgroundEnv: NodeJS.ProcessEnv = {
    ...process.env,
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.playgroundConfigFile,
    M365_AGENTS_PLAYGROUND_LOGFILE: options.playgroundLogFile,
  };
  // Without a browser to open, the playground tries xdg-open, fails and exits 1 without a word.
  if (!options.openBrowser) playgroundEnv.TEAMSAPPTESTER_BROWSER = 'none';
  const playground = new Child(
    'playground',
    spawn(
      process.execPath,
      [
        require.resolve('@microsoft/m365agentsplayground/cli.js'),
        '--channel-id', 'msteams',
        '--app-endpoint', endpoint,
        '--port', String(options.playgroundPort),
        '--disable-telemetry',
      ],
      { cwd: options.root, env: playgroundEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
    options.onPlaygroundLine,
    options.playgroundLogFile,
  );

  const children = [app, playground];
  const stop = async (graceMs = 10_000): Promise<void> => {
    await Promise.all(children.map((child) => child.stop(graceMs)));
  };

  const firstExit = Promise.race(children.map((child) => child.exit));
  let playgroundPort: number;
  try {
    const ready = Promise.all([
      waitUntilHealthy(`http://${address}:${options.appPort}/healthz`, app, deadline),
      waitForPlayground(playground, deadline),
    ]);
    const aborted = new Promise<'aborted'>((resolve) => {
      if (options.signal?.aborted) resolve('aborted');
      options.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    const outcome = await Promise.race([ready, firstExit, aborted]);
    if (outcome === 'aborted') throw new StartAborted('Stopped while starting.');
    if (!Array.isArray(outcome)) {
      const failed = outcome.who === 'app' ? app : playground;
      throw failed.failure(outcome.who === 'app' ? 'app' : 'Agents Playground', outcome);
    }
    playgroundPort = outcome[1];
  } catch (error) {
    await stop(3000);
    throw error;
  }

  return {
    appPort: options.appPort,
    playgroundPort,
    endpoint,
    playgroundUrl: `http://localhost:${playgroundPort}`,
    exited: firstExit.then((exit) => {
      const child = exit.who === 'app' ? app : playground;
      return { ...exit, lastOutput: [...child.recent.slice(-12), ...child.extraDiagnostics()] };
    }),
    stop,
  };
}
