import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

export interface PgliteResult {
  rows: unknown[];
  affectedRows?: number;
  command?: string;
}

/** What the pool needs of a PGlite instance: a narrow interface, so the pool never reaches for more. */
export interface PgliteLike {
  query(sql: string, params: unknown[]): Promise<PgliteResult>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

const TRANSACTION_CONTROL = /^\s*(begin|start transaction|commit|rollback|savepoint|release)\b/i;

/**
 * Presents one embedded PGlite database as a `pg`-style pool so Kysely's own PostgresDialect
 * drives it. PGlite has a single backend, so the "pool" hands out one client at a time: a
 * transaction started by one caller can never interleave with statements from another, which is
 * what makes BEGIN…COMMIT meaningful here.
 */
export function pglitePool(pglite: PgliteLike): PostgresPool {
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
      const result = await pglite.query(sql, parameters as unknown[]);
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
  };
}
