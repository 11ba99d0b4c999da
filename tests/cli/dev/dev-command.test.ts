import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../src/cli/dev/ports.js';
import { startDevProcess } from '../../support/dev-process.js';

/**
 * `npm run dev` as a process, for what it refuses and lists. The full run (both servers up, the
 * playground in a browser, SIGTERM stopping both) is tests/e2e/playground.test.ts.
 */
describe('npm run dev', () => {
  it('lists the sample people', async () => {
    const dev = startDevProcess(['--list-people']);
    expect(await dev.exit).toBe(0);
    expect(dev.lines[0]).toBe('Sample people of The Harmony Trust (npm run dev -- --as <key>):');
    expect(dev.lines.join('\n')).toContain('priya      Priya Sandhu-Vale (SENCO, Brookside Primary Academy)');
  }, 30_000);

  it('prints its options for --help', async () => {
    const dev = startDevProcess(['--help']);
    expect(await dev.exit).toBe(0);
    expect(dev.lines[0]).toBe('Usage: npm run dev -- [options]');
    for (const option of ['--port', '--playground-port', '--as', '--list-people', '--open']) expect(dev.lines.join('\n')).toContain(option);
  }, 30_000);

  it.each([
    [['--as', 'nobody'], /^Nobody in the sample roster is "nobody": choose one of /],
    [['--port', 'x'], /^--port must be a port number from 1 to 65535, not "x"\.$/],
    [['--bogus'], /^Unknown option '--bogus'/],
  ])('refuses %j with one clear line and exit code 1', async (args, message) => {
    const dev = startDevProcess(args);
    expect(await dev.exit).toBe(1);
    expect(dev.lines).toHaveLength(1);
    expect(dev.lines[0]).toMatch(message);
  }, 30_000);

  it('refuses a port the user chose that is busy, before starting anything', async () => {
    const busy = await freePort('127.0.0.1');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(busy, '127.0.0.1', resolve));
    try {
      const dev = startDevProcess([], { PORT: String(busy) });
      expect(await dev.exit).toBe(1);
      expect(dev.lines).toEqual([`Port ${busy} for the app (from PORT) is already in use: stop whatever is using it, or choose another with --port <n>.`]);
    } finally {
      server.close();
    }
  }, 30_000);

  it('refuses a bad environment variable in the words the app uses', async () => {
    const dev = startDevProcess(['--list-people'], { LOG_LEVEL: 'loud' });
    expect(await dev.exit).toBe(1);
    expect(dev.lines).toHaveLength(1);
    expect(dev.lines[0]).toMatch(/^Environment variable LOG_LEVEL is invalid: .*\.$/);
  }, 30_000);
});
