import { parseArgs } from 'node:util';

export const DEFAULT_APP_PORT = 3978;
export const DEFAULT_PLAYGROUND_PORT = 56150;

/** A port the user asked for (flag or env) must be honoured; a default may move if it is taken. */
export interface PortChoice {
  port: number;
  /** Where the number came from, for the "port is busy" message. */
  source: string;
  explicit: boolean;
}

export type DevCommand =
  | { kind: 'help' }
  | { kind: 'list-people' }
  | { kind: 'run'; appPort: PortChoice; playgroundPort: PortChoice; as: string | undefined; openBrowser: boolean };

export class DevUsageError extends Error {
  override name = 'DevUsageError';
}

export const DEV_USAGE = `Usage: npm run dev -- [options]

Starts Development Hub (embedded PostgreSQL in DATA_DIR, sample trust data, no bot credentials)
and the Microsoft 365 Agents Playground pointed at it.

Options:
  --port <n>             the app's port (env PORT, default ${DEFAULT_APP_PORT})
  --playground-port <n>  the Agents Playground's port (env PLAYGROUND_PORT, default ${DEFAULT_PLAYGROUND_PORT})
  --as <who>             chat as a sample person: a key from --list-people, a full name or a role (env DEV_AS)
  --list-people          list the sample people you can act as, and exit
  --open                 also open the playground in your default browser
  -h, --help             show this help

A default port that is busy is replaced by a free one (printed); a port you chose that is busy is an error.`;

function portChoice(flag: string, flagValue: string | undefined, envName: string, envValue: string | undefined, fallback: number): PortChoice {
  const [raw, source] =
    flagValue !== undefined ? [flagValue, flag] : envValue !== undefined && envValue.trim() !== '' ? [envValue, envName] : [undefined, 'default'];
  if (raw === undefined) return { port: fallback, source, explicit: false };
  const port = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || port < 1 || port > 65535) {
    throw new DevUsageError(`${source} must be a port number from 1 to 65535, not "${raw}".`);
  }
  return { port, source, explicit: true };
}

/** Reads `npm run dev` flags, falling back to the environment, then to the defaults. */
export function parseDevCommand(argv: readonly string[], env: NodeJS.ProcessEnv): DevCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'playground-port': { type: 'string' },
        as: { type: 'string' },
        'list-people': { type: 'boolean' },
        open: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new DevUsageError(`${error instanceof Error ? error.message : String(error)} (npm run dev -- --help lists the options)`);
  }
  if (values.help) return { kind: 'help' };
  if (values['list-people']) return { kind: 'list-people' };
  const as = values.as ?? (env.DEV_AS?.trim() ? env.DEV_AS.trim() : undefined);
  if (as !== undefined && as.trim() === '') throw new DevUsageError('--as needs a name, e.g. --as ellie (see --list-people).');
  return {
    kind: 'run',
    appPort: portChoice('--port', values.port, 'PORT', env.PORT, DEFAULT_APP_PORT),
    playgroundPort: portChoice('--playground-port', values['playground-port'], 'PLAYGROUND_PORT', env.PLAYGROUND_PORT, DEFAULT_PLAYGROUND_PORT),
    as,
    openBrowser: values.open ?? false,
  };
}
