/**
 * Throwaway, migrated databases for tests. Choose the driver with env TEST_DB
 * (pglite | postgres, default pglite); PostgreSQL is reached through
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * where each call creates its own database and close() drops it, so test
 * files can run in parallel.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DbHandle, openDatabase } from './client.ts';
import { runMigrations } from './migrate.ts';

export type TestDbKind = 'pglite' | 'postgres';

export function testDbKind(env: NodeJS.ProcessEnv = process.env): TestDbKind {
  const kind = env.TEST_DB ?? 'pglite';
  if (kind !== 'pglite' && kind !== 'postgres') throw new Error(`TEST_DB must be pglite or postgres, got "${kind}"`);
  return kind;
}

export function testAdminUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export async function openTestDatabase(kind: TestDbKind = testDbKind()): Promise<DbHandle> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ memory: true });
    await runMigrations(handle);
    return handle;
  }
  return openThrowawayPostgres(testAdminUrl());
}

async function openThrowawayPostgres(adminUrl: string): Promise<DbHandle> {
  // Random lower-case hex: a valid identifier that needs no quoting.
  const name = `ct_${randomBytes(8).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.unsafe(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let handle: DbHandle;
  try {
    handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 4 });
    await runMigrations(handle);
  } catch (err) {
    await dropDatabase(adminUrl, name);
    throw err;
  }
  const closeHandle = handle.close;
  let closing: Promise<void> | undefined;
  handle.close = () => {
    closing ??= closeHandle().finally(() => dropDatabase(adminUrl, name));
    return closing;
  };
  return handle;
}

function dropDatabase(adminUrl: string, name: string): Promise<void> {
  // FORCE ends sessions a test forgot to close (listen connections included).
  return withAdmin(adminUrl, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
}

async function withAdmin(adminUrl: string, fn: (admin: postgres.Sql) => Promise<unknown>): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await fn(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
