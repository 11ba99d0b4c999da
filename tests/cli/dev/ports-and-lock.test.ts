import { existsSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../src/cli/dev/log-lines.js';
import { loopbackFor } from '../../../src/cli/dev/local-run.js';
import { freePort, isPortFree, PortBusyError, resolvePort } from '../../../src/cli/dev/ports.js';
import { AlreadyRunningError, claimDataDir } from '../../../src/cli/dev/run-lock.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'dev-lock-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function occupy(host?: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host }, resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('ports for npm run dev', () => {
  it('keeps a free port as chosen', async () => {
    const port = await freePort('127.0.0.1');
    expect(await isPortFree(port, '127.0.0.1')).toBe(true);
    expect(await resolvePort('the app', { port, source: '--port', explicit: true }, '--port', '127.0.0.1')).toEqual({ port, note: undefined });
  });

  it('refuses a busy port the user chose, saying how to choose another', async () => {
    const busy = await occupy('127.0.0.1');
    try {
      expect(await isPortFree(busy.port, '127.0.0.1')).toBe(false);
      const attempt = resolvePort('the app', { port: busy.port, source: 'PORT', explicit: true }, '--port', '127.0.0.1');
      await expect(attempt).rejects.toThrow(PortBusyError);
      await expect(attempt).rejects.toThrow(
        `Port ${busy.port} for the app (from PORT) is already in use: stop whatever is using it, or choose another with --port <n>.`,
      );
    } finally {
      await busy.close();
    }
  });

  it('moves a busy default port to a free one and says so', async () => {
    const busy = await occupy();
    try {
      const moved = await resolvePort('the Agents Playground', { port: busy.port, source: 'default', explicit: false }, '--playground-port');
      expect(moved.port).not.toBe(busy.port);
      expect(await isPortFree(moved.port)).toBe(true);
      expect(moved.note).toBe(
        `Port ${busy.port} for the Agents Playground is busy, so it is using port ${moved.port} instead (choose one with --playground-port <n>).`,
      );
    } finally {
      await busy.close();
    }
  });

  it('sends the playground to loopback when the app listens on every interface', () => {
    expect(loopbackFor('0.0.0.0')).toBe('127.0.0.1');
    expect(loopbackFor('::')).toBe('127.0.0.1');
    expect(loopbackFor('127.0.0.1')).toBe('127.0.0.1');
    expect(loopbackFor('::1')).toBe('[::1]');
  });
});

describe('one npm run dev per embedded database folder', () => {
  it('refuses a second run on the same folder while the first is alive, and frees it on release', () => {
    const dataDir = path.join(scratch, 'data-a');
    const release = claimDataDir(scratch, dataDir);
    const [lockFile] = readdirSync(scratch).filter((f) => f.endsWith('.pid'));
    expect(lockFile).toBeDefined();
    // Pretend another live process (our parent) holds it.
    writeFileSync(path.join(scratch, lockFile), `${process.ppid}\n`);
    expect(() => claimDataDir(scratch, dataDir)).toThrow(AlreadyRunningError);
    expect(() => claimDataDir(scratch, dataDir)).toThrow(`npm run dev is already running on ${dataDir} (process ${process.ppid})`);
    // A different folder is fine.
    claimDataDir(scratch, path.join(scratch, 'data-b'))();
    // Release only removes our own claim.
    release();
    expect(existsSync(path.join(scratch, lockFile))).toBe(true);
    rmSync(path.join(scratch, lockFile));
  });

  it('takes over a claim left by a run that died', () => {
    const dataDir = path.join(scratch, 'data-c');
    const release = claimDataDir(scratch, dataDir);
    const lockFile = readdirSync(scratch).find((f) => f.endsWith('.pid'))!;
    writeFileSync(path.join(scratch, lockFile), '2147483646\n');
    const again = claimDataDir(scratch, dataDir);
    again();
    expect(existsSync(path.join(scratch, lockFile))).toBe(false);
    release();
  });
});

describe('app log lines in the dev terminal', () => {
  it('turns pino JSON into one readable line and leaves other text alone', () => {
    const time = new Date(2026, 0, 5, 9, 8, 7).getTime();
    expect(formatLogLine(JSON.stringify({ level: 30, time, app: 'development-hub', port: 3978, mode: 'local', msg: 'Development Hub listening' }))).toBe(
      '09:08:07 INFO  Development Hub listening port=3978 mode=local',
    );
    expect(formatLogLine(JSON.stringify({ level: 50, time, msg: 'boom', err: { message: 'bad', stack: 'Error: bad\n    at x' } }))).toBe(
      '09:08:07 ERROR boom\n  Error: bad\n      at x',
    );
    expect(formatLogLine('SIGTERM received')).toBe('SIGTERM received');
    expect(formatLogLine('{not json')).toBe('{not json');
    expect(formatLogLine('{"level":"x"}')).toBe('{"level":"x"}');
  });
});
