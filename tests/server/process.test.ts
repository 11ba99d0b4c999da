import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, waitForListeningPort } from '../support/server-process.js';

// The real entry point as a child process: what App Service does to it is start it, probe
// /healthz and send SIGTERM.
const tempDirs: string[] = [];

function tempDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'devhub-process-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('serves /healthz and exits 0 soon after SIGTERM', async () => {
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDataDir(), LOG_LEVEL: 'info' });
    try {
      const port = await waitForListeningPort(server, 90_000);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'reachable' });

      const signalledAt = Date.now();
      server.child.kill('SIGTERM');
      const exit = await server.exited;

      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(5_000);
      expect(server.stdout()).toContain('SIGTERM received');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 120_000);

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://somewhere/db' }],
    ['BOT_ID', { BOT_PASSWORD: 'a-secret-without-an-app-id' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('refuses to start with exit code 1 and one sentence naming %s', async (field, env) => {
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDataDir(), ...env });
    const exit = await server.exited;

    expect(exit.code).toBe(1);
    const message = server.stderr().trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(new RegExp(`^Environment variable ${field} is (invalid|missing): .+\\.$`));
    expect(server.stdout()).not.toContain('listening');
  }, 30_000);

  it('refuses to start with exit code 1 and one sentence when TRUST_PROFILE names a file that does not exist', async () => {
    const missing = path.join(tempDataDir(), 'no-such-profile.json');
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDataDir(), TRUST_PROFILE: missing });
    const exit = await server.exited;

    expect(exit.code).toBe(1);
    const message = server.stderr().trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toBe(`Trust profile ${missing} does not exist.`);
  }, 30_000);

  it('refuses to start with exit code 1 and one sentence naming the bad field of a trust profile', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'broken-profile.json');
    writeFileSync(file, JSON.stringify({ trust: 'not an object' }));
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, TRUST_PROFILE: file });
    const exit = await server.exited;

    expect(exit.code).toBe(1);
    const message = server.stderr().trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message.startsWith(`Trust profile ${file}: trust`)).toBe(true);
    expect(message.endsWith('.')).toBe(true);
  }, 30_000);
});
