/**
 * Throwaway, migrated databases for tests. Choose the driver with env TEST_DB
 * (pglite | postgres, default pglite); PostgreSQL is reached through
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * where each call creates its own database and close() drops it, so test
 * files can run in parallel.
 */
import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { createPglite, type DbHandle, openDatabase, pgliteHandle } from './client.ts';
import { MIGRATIONS_FOLDER, runMigrations } from './migrate.ts';

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
  if (kind === 'pglite') return openMigratedPglite();
  return openThrowawayPostgres(testAdminUrl());
}

/**
 * A fresh PGlite runs initdb (~2 s); loading a dump of an already migrated
 * database takes about half that. The dump is cached in the temp directory,
 * keyed by the migrations and the PGlite build, and shared by test workers.
 */
async function openMigratedPglite(): Promise<DbHandle> {
  const dump = await migratedDump();
  const handle = pgliteHandle(await createPglite({ loadDataDir: dump }));
  // A no-op unless the cache key missed a change; keeps the handle trustworthy.
  await runMigrations(handle);
  return handle;
}

let dumpPromise: Promise<Blob> | undefined;
function migratedDump(): Promise<Blob> {
  dumpPromise ??= (async () => {
    const file = path.join(tmpdir(), `credit-lists-pglite-${await templateKey()}.tar`);
    try {
      return await openAsBlob(file);
    } catch {
      // not cached yet
    }
    const handle = await openDatabase({ memory: true });
    try {
      await runMigrations(handle);
      if (handle.kind !== 'pglite') throw new Error('unreachable');
      const dump = await handle.client.dumpDataDir('none');
      // Write then rename, so a parallel worker never reads a half-written file.
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    } finally {
      await handle.close();
    }
  })();
  dumpPromise.catch(() => {
    dumpPromise = undefined;
  });
  return dumpPromise;
}

async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  hash.update(await readFile(path.join(path.dirname(pgliteEntry), '..', 'package.json')));
  const journal = await readFile(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8');
  hash.update(journal);
  for (const { tag } of (JSON.parse(journal) as { entries: { tag: string }[] }).entries) {
    hash.update(await readFile(path.join(MIGRATIONS_FOLDER, `${tag}.sql`)));
  }
  return hash.digest('hex').slice(0, 16);
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
