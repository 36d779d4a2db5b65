import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { StoreError } from './errors.js';

/**
 * The few database operations the store needs, over either embedded PGlite or a Postgres server.
 * Every parameter is passed as text (or text[]) and converted in SQL, and every non-trivial
 * column is read back as text, so both drivers behave identically (PGlite reads int8 as a JS
 * number, which would lose precision).
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction; rolls back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type Queryable = Pick<Database, 'query' | 'exec'>;

function wrap(error: unknown, sql: string): StoreError {
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new StoreError(`${message} (in: ${sql.slice(0, 200)})`);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

/** Embedded Postgres in `dataDir` (created on first use; reopened after a restart). */
export async function openPglite(dataDir: string): Promise<Database> {
  const path = resolve(dataDir);
  let db: PGlite;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = await PGlite.create(path);
  } catch (error) {
    throw new StoreError(
      `cannot open the PGlite data directory ${path}: ${(error as Error).message}`,
    );
  }
  // PGlite runs one statement at a time; serialise transactions so queries from the HTTP server
  // never interleave with a block being written.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const query = async <Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> => {
    try {
      return (await db.query<Row>(sql, [...params])).rows;
    } catch (error) {
      throw wrap(error, sql);
    }
  };
  const exec = async (sql: string): Promise<void> => {
    try {
      await db.exec(sql);
    } catch (error) {
      throw wrap(error, sql);
    }
  };
  return {
    kind: 'pglite',
    query: (sql, params) => serial(() => query(sql, params)),
    exec: (sql) => serial(() => exec(sql)),
    transaction: (work) =>
      serial(async () => {
        await exec('begin');
        try {
          const result = await work({ query, exec });
          await exec('commit');
          return result;
        } catch (error) {
          await exec('rollback');
          throw error;
        }
      }),
    close: () => serial(() => db.close()),
  };
}

/** A Postgres server reached through `pg` (DATABASE_URL). */
export async function openPostgres(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 8 });
  // Numbers that JS cannot hold exactly stay text (we cast in SQL anyway).
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw new StoreError(`cannot connect to Postgres: ${(error as Error).message}`);
  }
  const run = async <Row>(
    client: pg.Pool | pg.PoolClient,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> => {
    try {
      return (await client.query(sql, [...params])).rows as Row[];
    } catch (error) {
      throw wrap(error, sql);
    }
  };
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await run(pool, sql);
    },
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await run(client, 'begin');
        const result = await work({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await run(client, sql);
          },
        });
        await run(client, 'commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
