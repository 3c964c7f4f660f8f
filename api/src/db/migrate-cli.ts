/**
 * pnpm db:migrate — apply the migrations in migrations/ and exit, for deploys
 * that migrate before starting (or restarting) the API processes. The server
 * also migrates at every start; both are safe to repeat.
 *
 * Database as for the server: DATABASE_URL (PostgreSQL), else PGlite in
 * DATA_DIR (default <repo>/data; stop the server first, a PGlite directory is
 * opened by one process only). Exit status: 0 done, 1 failed.
 */
import { resolve } from 'node:path';
import process from 'node:process';
import { repoRoot } from '../lib/paths.ts';
import { openDatabase } from './client.ts';
import { pendingMigrations, runMigrations } from './migrate.ts';

const env = process.env;
const fromUser = (p: string) => resolve(env.INIT_CWD ?? process.cwd(), p);

async function main(): Promise<void> {
  const dataDir = env.DATA_DIR ? fromUser(env.DATA_DIR) : resolve(repoRoot, 'data');
  const handle = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, maxConnections: 2 } : { dataDir });
  try {
    const before = await pendingMigrations(handle.db);
    await runMigrations(handle);
    const after = await pendingMigrations(handle.db);
    if (after.length) throw new Error(`still pending: ${after.join(', ')}`);
    const where = handle.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite ${dataDir}`;
    process.stdout.write(
      before.length
        ? `已应用 ${before.length} 个迁移 / applied ${before.length} migration(s) on ${where}: ${before.join(', ')}\n`
        : `数据库已是最新 / the database is up to date (${where})\n`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  const cause = err instanceof Error && err.cause instanceof Error ? `\n  ${err.cause.message}` : '';
  process.stderr.write(`迁移失败 / migration failed: ${err instanceof Error ? err.message : String(err)}${cause}\n`);
  process.exitCode = 1;
});
