import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * The one redaction policy for logs. A log line carries ids, codes, tables and counts; never a token,
 * an Authorization header, what someone typed, card data, a person's name or email, or a stored
 * conversation reference. Three layers, so a new call site cannot undo it by accident:
 * 1. `redact`: the field names that hold such things are censored wherever a caller puts them (top
 *    level or one level down);
 * 2. `serializers.err`: an error is logged as its type, code, status, a capped message and stack —
 *    never its other fields (a connector RestError holds the request with its Authorization header;
 *    PGlite errors hold the SQL and every bound value). A database error keeps only its code, table,
 *    constraint and column: its message and detail quote the values;
 * 3. `formatters.log`: every other string is capped at LOG_VALUE_LIMIT characters and objects and
 *    lists are bounded, so a 1.5 MB verb cannot become a 1.5 MB line.
 */
export const LOG_VALUE_LIMIT = 200;

const SECRET_FIELDS = [
  'authorization',
  'token',
  'accessToken',
  'password',
  'secret',
  'clientSecret',
  'text',
  'value',
  'data',
  'card',
  'name',
  'displayName',
  'personName',
  'person_name',
  'email',
  'mail',
  'person_email',
  'userPrincipalName',
  'reference',
  'conversationReference',
  'headers',
  'parameters',
  'params',
  'query',
  'sql',
];

export const redactPaths = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  'req.headers.authorization',
  'activity.from.name',
  'speaker.name',
];

function truncate(value: string, limit = LOG_VALUE_LIMIT): string {
  return value.length <= limit ? value : `${value.slice(0, limit)}…[${value.length - limit} more]`;
}

function bounded(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return truncate(value);
  if (value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (depth >= 4) return '[nested]';
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((v) => bounded(v, depth + 1));
    return value.length > 20 ? [...items, `…[${value.length - 20} more]`] : items;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [key, v] of entries.slice(0, 30)) out[truncate(key, 60)] = bounded(v, depth + 1);
  if (entries.length > 30) out['…'] = `${entries.length - 30} more fields`;
  return out;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  code?: unknown;
  statusCode?: unknown;
  severity?: unknown;
  table?: unknown;
  constraint?: unknown;
  column?: unknown;
  routine?: unknown;
  query?: unknown;
  cause?: unknown;
}

/** A PostgreSQL (pg or PGlite) error: SQLSTATE code plus the server's severity/routine fields. */
function isDatabaseError(e: ErrorLike): boolean {
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && (typeof e.severity === 'string' || typeof e.routine === 'string');
}

/** The table a statement works on, read from its text (PGlite keeps the text on the error; pg names the table itself). */
export function statementTable(sql: unknown): string | undefined {
  if (typeof sql !== 'string') return undefined;
  const match = /\b(?:insert\s+into|update|delete\s+from|from)\s+"?([a-z_][a-z0-9_]*)"?/i.exec(sql);
  return match?.[1];
}

export function serializeError(error: unknown, depth = 0): unknown {
  if (error === null || typeof error !== 'object') return { type: typeof error, message: truncate(String(error)) };
  const e = error as ErrorLike;
  const type = typeof e.name === 'string' ? e.name : (error.constructor?.name ?? 'Error');
  if (isDatabaseError(e)) {
    return {
      type: 'DatabaseError',
      code: e.code,
      table: typeof e.table === 'string' && e.table ? e.table : statementTable(e.query),
      ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
      ...(typeof e.column === 'string' ? { column: e.column } : {}),
    };
  }
  const stack = typeof e.stack === 'string' ? e.stack.split('\n').slice(1, 8).join('\n') : undefined;
  return {
    type,
    message: truncate(typeof e.message === 'string' ? e.message : ''),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(stack ? { stack } : {}),
    ...(e.cause !== undefined && depth < 2 ? { cause: serializeError(e.cause, depth + 1) } : {}),
  };
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { app: 'development-hub' },
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: (error: unknown) => serializeError(error) },
    formatters: { log: (object) => bounded(object, 0) as Record<string, unknown> },
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

/** A logger that drops everything, for tests that do not inspect logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
