/**
 * A throwaway test database whose PostgreSQL pool is wide enough for the
 * concurrency tests (openTestDatabase keeps 4 connections per process, which
 * would queue 20 parallel requests in the pool instead of in the database).
 * On PGlite it is the usual migrated in-memory database: one connection that
 * serialises every transaction.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DbHandle, openDatabase } from '../../api/src/db/client.ts';
import { runMigrations } from '../../api/src/db/migrate.ts';
import { openTestDatabase, testAdminUrl, testDbKind } from '../../api/src/db/testing.ts';

async function admin<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(testAdminUrl(), { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * `settings` are database-level defaults for the sessions of the pool, e.g.
 * synchronous_commit = off where a test makes thousands of small commits and
 * what it checks does not depend on surviving a crash of the server.
 */
export async function openWideTestDatabase(connections = 24, settings: Record<string, string> = {}): Promise<DbHandle> {
  if (testDbKind() === 'pglite') return openTestDatabase('pglite');
  const name = `ct_${randomBytes(8).toString('hex')}`;
  await admin(async (sql) => {
    await sql.unsafe(`create database ${name}`);
    for (const [key, value] of Object.entries(settings)) {
      // identifiers and values of the test's own choosing; checked because they go into the SQL text
      if (!/^[a-z_]+$/.test(key) || !/^[A-Za-z0-9_.-]+$/.test(value)) throw new Error(`bad setting ${key} = ${value}`);
      await sql.unsafe(`alter database ${name} set ${key} = '${value}'`);
    }
  });
  const url = new URL(testAdminUrl());
  url.pathname = `/${name}`;
  let handle: DbHandle;
  try {
    handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: connections });
    await runMigrations(handle);
  } catch (err) {
    await admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
    throw err;
  }
  const close = handle.close;
  let closing: Promise<void> | undefined;
  handle.close = () => {
    closing ??= close().finally(() => admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)).then(() => undefined));
    return closing;
  };
  return handle;
}
