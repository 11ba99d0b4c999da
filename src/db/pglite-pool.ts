import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * Presents one embedded PGlite instance as a `pg`-style pool so Kysely's own
 * PostgresDialect drives it. PGlite has a single backend, so the "pool" hands out
 * one client at a time: a transaction started by one caller can never interleave
 * with statements from another, which is what makes BEGIN…COMMIT meaningful here.
 */
export function pglitePool(pglite: PGlite): PostgresPool {
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
      const result = await pglite.query(sql, parameters as unknown[]);
      return {
        command: (result as { command?: string }).command ?? 'SELECT',
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
  };
}
