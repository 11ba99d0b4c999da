import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The project root, where `npm run dev` runs. */
export const projectRoot = path.resolve(import.meta.dirname, '../..');

export interface DevProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr), one entry per line. */
  lines: string[];
  /** The first line (already printed or still to come) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exit: Promise<number | null>;
}

/**
 * Runs `npm run dev -- <args>` the way the script does (`node --import tsx src/cli/dev.ts`), without
 * npm in between so the test's signals reach it directly. Ports and person come from `args`/`env`
 * only: the caller's PORT, PLAYGROUND_PORT and DEV_AS are cleared.
 */
export function startDevProcess(args: string[], env: NodeJS.ProcessEnv = {}): DevProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/dev.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '', PLAYGROUND_PORT: '', DEV_AS: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const waiter of [...waiters]) {
        const match = waiter.pattern.exec(line);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    });
  }
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exit,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const seen = lines.map((line) => pattern.exec(line)).find((match) => match !== null);
        if (seen) return resolve(seen);
        waiters.push({ pattern, resolve });
        const output = (): string => lines.join('\n');
        setTimeout(() => reject(new Error(`npm run dev printed no line matching ${pattern} within ${timeoutMs} ms; output:\n${output()}`)), timeoutMs).unref();
        void exit.then(() => reject(new Error(`npm run dev exited before printing ${pattern}; output:\n${output()}`)));
      }),
  };
}
