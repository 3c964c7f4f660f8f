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

export async function openWideTestDatabase(connections = 24): Promise<DbHandle> {
  if (testDbKind() === 'pglite') return openTestDatabase('pglite');
  const name = `ct_${randomBytes(8).toString('hex')}`;
  await admin((sql) => sql.unsafe(`create database ${name}`));
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
