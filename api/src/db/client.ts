/**
 * One database API over two drivers: PostgreSQL through postgres.js (production,
 * several API processes) and PGlite (embedded, single process: dev, demos,
 * tests). Code above this module sees only `Db`, so it must stick to what both
 * drivers share; see `queryRows` for raw SQL.
 *
 * PGlite is ONE connection inside this process:
 * - PGlite serialises everything itself: `transaction()` holds its transaction
 *   mutex until COMMIT and every standalone query waits for that mutex, so
 *   concurrent callers queue and never see each other's uncommitted rows.
 *   No extra serialisation is needed here (checked against PGlite 0.5 sources).
 * - Consequently, calling `db` (not `tx`) inside `db.transaction()` waits for
 *   the very transaction it runs in: a silent deadlock. On PostgreSQL the same
 *   code quietly uses a second connection. We turn that into an immediate error
 *   on PGlite (see `guardPglite`) so the bug shows up in tests.
 * - Row locks (FOR UPDATE, SKIP LOCKED) and advisory locks succeed trivially.
 * - A data directory must be opened by one process only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, type PGliteOptions, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres, PostgresJsSession } from 'drizzle-orm/postgres-js';
import type { ExtractTablesWithRelations } from 'drizzle-orm/relations';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The database for either driver. A transaction (`Tx`) is also a `Db`. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; wins over the other options (as DATABASE_URL does at start). */
  databaseUrl?: string;
  /** PGlite data directory, created if missing. */
  dataDir?: string;
  /** In-memory PGlite, gone on close (tests). */
  memory?: boolean;
  /** postgres.js pool size per process (default 10, at least 2: migrations hold one for their lock). */
  maxConnections?: number;
}

type Unlisten = () => Promise<void>;

interface HandleBase {
  db: Db;
  close(): Promise<void>;
  /** Subscribe to NOTIFY on `channel`; resolves once listening. */
  listen(channel: string, onMessage: (payload: string) => void | Promise<void>): Promise<Unlisten>;
  /**
   * Send now, outside any transaction. For a notification that must only go out
   * if a transaction commits, run `select pg_notify(...)` on the `tx` instead.
   */
  notify(channel: string, payload: string): Promise<void>;
}
export interface PostgresHandle extends HandleBase {
  kind: 'postgres';
  /** The postgres.js pool, for what drizzle does not cover (advisory locks on a reserved connection). */
  client: postgres.Sql;
}
export interface PgliteHandle extends HandleBase {
  kind: 'pglite';
  client: PGlite;
}
export type DbHandle = PostgresHandle | PgliteHandle;

export async function openDatabase(opts: OpenDatabaseOptions): Promise<DbHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.maxConnections ?? 10);
  if (opts.memory) return openPglite(undefined);
  if (opts.dataDir) return openPglite(opts.dataDir);
  throw new Error('openDatabase: give databaseUrl, dataDir or memory');
}

/**
 * Rows of a raw SQL query. postgres.js returns an array and PGlite a
 * `{ rows }` object from `db.execute`; this hides the difference.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

// Channel names go unquoted into LISTEN on PGlite and quoted on postgres.js;
// restricting them to plain lower-case identifiers makes both mean the same.
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`invalid notification channel "${channel}"`);
}

/** Listener errors must not break the driver's notification loop. */
function safeListener(channel: string, onMessage: (payload: string) => void | Promise<void>) {
  return (payload: string) => {
    try {
      Promise.resolve(onMessage(payload)).catch((err: unknown) => reportListenerError(channel, err));
    } catch (err) {
      reportListenerError(channel, err);
    }
  };
}
function reportListenerError(channel: string, err: unknown): void {
  console.error(`[db] listener on "${channel}" failed:`, err);
}

function onceAsync(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

async function openPostgres(url: string, max: number): Promise<PostgresHandle> {
  if (!Number.isInteger(max) || max < 2) throw new Error('openDatabase: maxConnections must be an integer >= 2');
  const client = postgres(url, {
    max,
    // NOTICEs such as "schema already exists, skipping" are noise in the logs.
    onnotice: () => {},
    connection: { application_name: 'credit-lists-api' },
    // Reconnect delay while the server is down. postgres.js grows it to 20 s (3^n / 100 s), and a
    // request waits for its connection's next attempt, so a short restart kept answering 503 for
    // 10–20 s after the server was back. Capped at 1–2 s (tests/reliability/db-faults.test.ts).
    backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.1 * 2 ** retries, 2),
  });
  const db: Db = drizzlePostgres({ client, schema });
  // Fail at open, not at the first request, when the server is unreachable.
  try {
    await client`select 1`;
  } catch (err) {
    await client.end({ timeout: 1 });
    throw err;
  }
  return {
    kind: 'postgres',
    db,
    client,
    close: onceAsync(() => client.end({ timeout: 5 })),
    async listen(channel, onMessage) {
      checkChannel(channel);
      const { unlisten } = await client.listen(channel, safeListener(channel, onMessage));
      return onceAsync(unlisten);
    },
    async notify(channel, payload) {
      checkChannel(channel);
      await client.notify(channel, payload);
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<PgliteHandle> {
  let dir: string | undefined;
  if (dataDir !== undefined) {
    dir = path.resolve(dataDir);
    await mkdir(dir, { recursive: true });
  }
  return pgliteHandle(await createPglite({ ...(dir === undefined ? {} : { dataDir: dir }) }));
}

/**
 * The extensions the migrations create (CREATE EXTENSION): PGlite ships
 * contrib modules separately, and they must be loaded when the instance is
 * created. pg_trgm: the portal's name search (trigram GIN on subjects.name).
 */
export const pgliteExtensions = { pg_trgm };

/** Every PGlite of this project is created here, so it has the extensions the schema needs. */
export function createPglite(options: Omit<PGliteOptions, 'extensions'> = {}): Promise<PGlite> {
  return PGlite.create({ ...options, extensions: pgliteExtensions });
}

/**
 * A handle over a PGlite instance the caller created (e.g. from a data-dir
 * dump in tests). The handle owns it: close() closes it.
 */
export function pgliteHandle(raw: PGlite): PgliteHandle {
  const client = guardPglite(raw);
  const db: Db = drizzlePglite({ client, schema });
  return {
    kind: 'pglite',
    db,
    client,
    close: onceAsync(() => raw.close()),
    async listen(channel, onMessage) {
      checkChannel(channel);
      const unlisten = await raw.listen(channel, safeListener(channel, onMessage));
      return onceAsync(() => unlisten());
    },
    async notify(channel, payload) {
      checkChannel(channel);
      await client.query('select pg_notify($1, $2)', [channel, payload]);
    },
  };
}

/**
 * Wraps PGlite so that a query on the outer client from inside one of its own
 * transactions throws instead of waiting forever (see the file header).
 */
function guardPglite(target: PGlite): PGlite {
  const inTransaction = new AsyncLocalStorage<{ open: boolean }>();
  const assertOutside = (what: string) => {
    if (inTransaction.getStore()?.open) {
      throw new Error(
        `PGlite: ${what} on the database object inside a transaction would deadlock (single connection); use the transaction object (tx) instead`,
      );
    }
  };
  const guarded = {
    query: ((...args: Parameters<PGlite['query']>) => {
      assertOutside('query');
      return target.query(...args);
    }) as PGlite['query'],
    exec: ((...args: Parameters<PGlite['exec']>) => {
      assertOutside('exec');
      return target.exec(...args);
    }) as PGlite['exec'],
    transaction: (<T>(callback: (tx: PgliteTransaction) => Promise<T>) => {
      assertOutside('transaction');
      return target.transaction(async (tx) => {
        const scope = { open: true };
        try {
          return await inTransaction.run(scope, () => callback(tx));
        } finally {
          // Work the callback left running (not awaited) may use `db` once we commit.
          scope.open = false;
        }
      });
    }) as PGlite['transaction'],
  };
  return new Proxy(target, {
    get(obj, prop) {
      if (prop === 'query' || prop === 'exec' || prop === 'transaction') return guarded[prop];
      const value: unknown = Reflect.get(obj, prop, obj);
      // PGlite methods use #private fields, so they must run with the real instance as `this`.
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/**
 * The postgres.js connection behind `db` (a transaction's reserved connection
 * inside `db.transaction()`), or null on PGlite. For what drizzle cannot do,
 * such as COPY FROM STDIN (imports/commit.ts); statements sent on it run in
 * the same transaction as the ones through `db`.
 */
export function postgresClientOf(db: Db): postgres.Sql | null {
  const session: unknown = (db as unknown as { session?: unknown }).session;
  if (!(session instanceof PostgresJsSession)) return null;
  return (session as unknown as { client: postgres.Sql }).client;
}
