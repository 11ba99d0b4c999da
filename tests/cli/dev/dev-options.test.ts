import { describe, expect, it } from 'vitest';
import { DEFAULT_APP_PORT, DEFAULT_PLAYGROUND_PORT, DevUsageError, parseDevCommand } from '../../../src/cli/dev/dev-options.js';

const usageError = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    parseDevCommand(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(DevUsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
};

describe('npm run dev options', () => {
  it('defaults to ports 3978 and 56150, which may move if busy, and no browser', () => {
    expect(parseDevCommand([], {})).toEqual({
      kind: 'run',
      appPort: { port: DEFAULT_APP_PORT, source: 'default', explicit: false },
      playgroundPort: { port: DEFAULT_PLAYGROUND_PORT, source: 'default', explicit: false },
      as: undefined,
      openBrowser: false,
    });
  });

  it('takes ports and the person from the environment, and flags over the environment', () => {
    const env = { PORT: '4000', PLAYGROUND_PORT: '56000', DEV_AS: 'priya' };
    const fromEnv = parseDevCommand([], env);
    expect(fromEnv).toMatchObject({
      appPort: { port: 4000, source: 'PORT', explicit: true },
      playgroundPort: { port: 56000, source: 'PLAYGROUND_PORT', explicit: true },
      as: 'priya',
    });
    const fromFlags = parseDevCommand(['--port', '4100', '--playground-port=56100', '--as', 'hannah', '--open'], env);
    expect(fromFlags).toMatchObject({
      appPort: { port: 4100, source: '--port', explicit: true },
      playgroundPort: { port: 56100, source: '--playground-port', explicit: true },
      as: 'hannah',
      openBrowser: true,
    });
  });

  it('ignores empty environment values', () => {
    expect(parseDevCommand([], { PORT: ' ', DEV_AS: '' })).toMatchObject({ appPort: { port: DEFAULT_APP_PORT, explicit: false }, as: undefined });
  });

  it('recognises --help and --list-people', () => {
    expect(parseDevCommand(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseDevCommand(['-h'], {})).toEqual({ kind: 'help' });
    expect(parseDevCommand(['--list-people'], {})).toEqual({ kind: 'list-people' });
  });

  it.each([
    [['--port', 'abc'], '--port must be a port number from 1 to 65535, not "abc".'],
    [['--port', '0'], '--port must be a port number from 1 to 65535, not "0".'],
    [['--playground-port', '70000'], '--playground-port must be a port number from 1 to 65535, not "70000".'],
    [['--port', '12.5'], '--port must be a port number from 1 to 65535, not "12.5".'],
  ])('refuses a bad port %j with one sentence naming the option', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });

  it('names the environment variable when the bad port came from there', () => {
    expect(usageError([], { PLAYGROUND_PORT: 'soon' })).toBe('PLAYGROUND_PORT must be a port number from 1 to 65535, not "soon".');
  });

  it('refuses unknown options, stray words and an empty --as', () => {
    expect(usageError(['--prot', '4000'])).toMatch(/^Unknown option '--prot'.*--help lists the options\)$/);
    expect(usageError(['ellie'])).toContain('--help lists the options');
    expect(usageError(['--as', '  '])).toBe('--as needs a name, e.g. --as ellie (see --list-people).');
  });
});
