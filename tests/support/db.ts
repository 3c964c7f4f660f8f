/** Where the real-server tests keep their data: a temp PGlite dir, or a throwaway PostgreSQL database. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { testAdminUrl, testDbKind } from '../../api/src/db/testing.ts';

export type ServerDatabase = { env: Record<string, string>; drop: () => Promise<void> };

export async function serverDatabase(): Promise<ServerDatabase> {
  if (testDbKind() === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'credit-data-'));
    return { env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const adminUrl = testAdminUrl();
  const name = `ct_${randomBytes(8).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
