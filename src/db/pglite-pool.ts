import { parse, protocol, type messages } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

export interface PgliteResult {
  rows: unknown[];
  affectedRows?: number;
  command?: string;
}

type BackendMessage = messages.BackendMessage;
type Serializer = (value: never) => string;
type Parser = (value: string, typeId?: number) => unknown;

/** What the pool needs of a PGlite instance: a narrow interface, so the pool never reaches for more. */
export interface PgliteLike {
  query(sql: string, params: unknown[]): Promise<PgliteResult>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
  /** True once close() finished: the WASM backend must not be called any more. */
  readonly closed: boolean;
  /** Runs wire-protocol messages; throws the backend's error (after running everything sent, sync included). */
  execProtocol(message: Uint8Array, options?: { syncToFs?: boolean }): Promise<{ messages: BackendMessage[] }>;
  /** Holds PGlite's query lock, so nothing else reaches the backend between our messages. */
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  isInTransaction(): boolean;
  serializers: Record<number | string, Serializer>;
  parsers: Record<number | string, Parser>;
}

export interface PglitePoolOptions {
  /** How many statements stay prepared at once; the least recently used is closed beyond it. */
  preparedStatementsMax?: number;
}

/** The pool, plus how many statements it holds prepared (for tests and diagnostics). */
export interface PglitePool extends PostgresPool {
  preparedStatements(): number;
}

export const PREPARED_STATEMENTS_MAX = 128;

const TRANSACTION_CONTROL = /^\s*(begin|start transaction|commit|rollback|savepoint|release)\b/i;
/** Statements that are worth preparing and cannot change the schema under a prepared statement. */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

interface Prepared {
  name: string;
  parameterTypes: number[];
}

interface DatabaseErrorLike {
  code?: unknown;
  message?: unknown;
  query?: unknown;
}

/** PostgreSQL's answer when a prepared statement's result shape changed under it (a column added or dropped). */
function cachedPlanChanged(error: unknown): boolean {
  const e = error as DatabaseErrorLike;
  return e.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change result type');
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Statements prepared once on PGlite's single backend and then only bound and executed.
 *
 * PGlite's `query()` sends parse, describe, bind, describe, execute and sync as six separate calls
 * into WASM, and the backend parses and plans the text every time. Here a statement's first run
 * parses and describes it under a name (`devhub_N`); every later run is one call carrying bind,
 * describe, execute and sync. Values are serialised and rows parsed with the instance's own
 * serializers and parsers, exactly as `query()` does, so callers cannot tell the two paths apart.
 *
 * Everything runs under PGlite's query lock. Errors are PGlite's DatabaseError with the statement's
 * text as `query` (as `query()` gives it, so logs can name the table) but never its parameters,
 * which can hold names and e-mail addresses.
 */
class PreparedStatements {
  /** In least-recently-used order: a Map iterates in insertion order, and a hit is re-inserted. */
  private readonly bySql = new Map<string, Prepared>();
  private counter = 0;

  constructor(
    private readonly pglite: PgliteLike,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.bySql.size;
  }

  /** Forgets every statement (after DDL or any statement not sent through here). Never throws. */
  async clear(): Promise<void> {
    if (this.bySql.size === 0) return;
    const names = [...this.bySql.values()].map((prepared) => prepared.name);
    this.bySql.clear();
    if (this.pglite.closed) return;
    try {
      await this.pglite.runExclusive(() =>
        this.pglite.execProtocol(concat([...names.map((name) => protocol.serialize.close({ type: 'S', name })), protocol.serialize.sync()]), { syncToFs: false }),
      );
    } catch {
      // Nothing to undo: the statements are forgotten here either way, and a backend that cannot
      // take the close (it is closing) has no use for them.
    }
  }

  async run(sql: string, parameters: readonly unknown[]): Promise<PgliteResult> {
    try {
      return await this.pglite.runExclusive(() => this.runExclusive(sql, parameters));
    } catch (error) {
      if (error !== null && typeof error === 'object') (error as DatabaseErrorLike).query = sql;
      throw error;
    }
  }

  private async runExclusive(sql: string, parameters: readonly unknown[]): Promise<PgliteResult> {
    // query() checks this for itself; execProtocol does not, and close() may have run while this
    // statement waited for the lock.
    if (this.pglite.closed) throw new Error('PGlite is closed');
    const known = this.bySql.get(sql);
    if (known) {
      // A hit moves to the most recently used end.
      this.bySql.delete(sql);
      this.bySql.set(sql, known);
    }
    const prepared = known ?? (await this.prepare(sql));
    try {
      return await this.execute(prepared, parameters);
    } catch (error) {
      // Inside a transaction the failed statement has aborted it: trying again would only fail again.
      if (!cachedPlanChanged(error) || this.pglite.isInTransaction()) throw error;
      await this.forget(sql);
      return this.execute(await this.prepare(sql), parameters);
    }
  }

  private async prepare(sql: string): Promise<Prepared> {
    if (this.bySql.size >= this.max) {
      const [oldestSql] = this.bySql.keys();
      if (oldestSql !== undefined) await this.forget(oldestSql);
    }
    this.counter += 1;
    const name = `devhub_${this.counter}`;
    const { messages } = await this.pglite.execProtocol(
      concat([protocol.serialize.parse({ name, text: sql }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]),
      { syncToFs: false },
    );
    const prepared: Prepared = { name, parameterTypes: parse.parseDescribeStatementResults(messages) };
    this.bySql.set(sql, prepared);
    return prepared;
  }

  private async forget(sql: string): Promise<void> {
    const prepared = this.bySql.get(sql);
    if (!prepared) return;
    this.bySql.delete(sql);
    await this.pglite.execProtocol(concat([protocol.serialize.close({ type: 'S', name: prepared.name }), protocol.serialize.sync()]), { syncToFs: false });
  }

  private async execute(prepared: Prepared, parameters: readonly unknown[]): Promise<PgliteResult> {
    const values = parameters.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = this.pglite.serializers[prepared.parameterTypes[i] ?? 0];
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what PGlite's query() does for a type it has no serializer for
      return serialize ? serialize(value as never) : String(value);
    });
    const { messages } = await this.pglite.execProtocol(
      concat([
        protocol.serialize.bind({ statement: prepared.name, values }),
        protocol.serialize.describe({ type: 'P' }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
      { syncToFs: !this.pglite.isInTransaction() },
    );
    const [result] = parse.parseResults(messages, this.pglite.parsers);
    return result ?? { rows: [], affectedRows: 0 };
  }
}

/**
 * Presents one embedded PGlite database as a `pg`-style pool so Kysely's own PostgresDialect
 * drives it. PGlite has a single backend, so the "pool" hands out one client at a time: a
 * transaction started by one caller can never interleave with statements from another, which is
 * what makes BEGIN…COMMIT meaningful here.
 */
export function pglitePool(pglite: PgliteLike, options: PglitePoolOptions = {}): PglitePool {
  const statements = new PreparedStatements(pglite, options.preparedStatementsMax ?? PREPARED_STATEMENTS_MAX);
  let busy = false;
  const waiting: Array<() => void> = [];

  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else busy = false;
  };

  const client: PostgresPoolClient = {
    // Kysely only uses the (sql, parameters) form; cursors are not supported on PGlite.
    query: (async (sql: string, parameters: ReadonlyArray<unknown>) => {
      // begin/commit/rollback carry no parameters and return no rows: the simple protocol is
      // about half the cost of PGlite's parse/bind/describe/execute round.
      if (parameters.length === 0 && TRANSACTION_CONTROL.test(sql)) {
        await pglite.exec(sql);
        const none: PostgresQueryResult<unknown> = { command: 'SELECT', rowCount: 0, rows: [] };
        return none;
      }
      let result: PgliteResult;
      if (PREPARABLE.test(sql)) {
        result = await statements.run(sql, parameters);
      } else {
        // DDL and anything else may change what a prepared statement refers to: forget them all.
        try {
          result = await pglite.query(sql, parameters as unknown[]);
        } finally {
          await statements.clear();
        }
      }
      return {
        command: result.command ?? 'SELECT',
        rowCount: result.affectedRows ?? result.rows.length,
        rows: result.rows,
      } as PostgresQueryResult<unknown>;
    }) as PostgresPoolClient['query'],
    release,
  };

  return {
    connect: () =>
      new Promise<PostgresPoolClient>((resolve) => {
        if (!busy) {
          busy = true;
          resolve(client);
        } else {
          waiting.push(() => resolve(client));
        }
      }),
    end: async () => {
      await pglite.close();
    },
    // Kysely passes a pool's options to its connections (for cancelling queries); PGlite has none.
    options: {},
    preparedStatements: () => statements.size,
  };
}
