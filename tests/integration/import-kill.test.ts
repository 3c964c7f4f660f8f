/**
 * An import killed in the middle of its commit leaves nothing behind: the CLI
 * (`pnpm run import`, one node process, no wrapper) is SIGKILLed after its
 * first batches are written inside the commit transaction; the database then
 * holds no entry, subject, event or audit record of it, and a rerun of the
 * same file imports every row. On PGlite the data directory is reopened after
 * the crash (recovery), on PostgreSQL the server rolls the transaction back.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/src/app.ts';
import { bootstrapUsers } from '../../api/src/auth/bootstrap.ts';
import { loadRuntimeModel } from '../../api/src/config/compile.ts';
import { openDatabase, queryRows } from '../../api/src/db/client.ts';
import { runMigrations } from '../../api/src/db/migrate.ts';
import { manualClock, systemClock } from '../../api/src/procedures/clock.ts';
import { createRng, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig } from '../support/app.ts';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';

const apiDir = fileURLToPath(new URL('../../api/', import.meta.url));
const cli = join(apiDir, 'src/imports/cli.ts');
const ROWS = 12_000;
let database: ServerDatabase;
let dir: string;
let file: string;

const open = () => openDatabase(database.env.DATABASE_URL ? { databaseUrl: database.env.DATABASE_URL } : { dataDir: database.env.DATA_DIR });

beforeAll(async () => {
  database = await serverDatabase();
  const model = await loadRuntimeModel(demoConfig);
  const handle = await open();
  await runMigrations(handle);
  await bootstrapUsers(handle.db, model, systemClock(), {});
  await handle.close();
  dir = await mkdtemp(join(tmpdir(), 'import-kill-'));
  file = join(dir, '大批量.csv');
  const rng = createRng('import-kill');
  const header = '主体类型,主体名称,主体代码,行政处罚决定书文号,严重违法失信行为,违法行为类别,较重行政处罚种类,行政处罚决定书（文号）,行政处罚决定书（日期）,行政处罚决定书（标题）';
  const lines = [header];
  const codes = new Set<string>();
  while (codes.size < ROWS) codes.add(makeUscc(rng));
  for (const [i, code] of [...codes].entries()) lines.push(`法人,批量导入${i}有限公司,${code},市监罚〔2026〕${i}号,违法事实${i},食品安全,吊销许可证件,市监罚〔2026〕${i}号,2026-10-01,行政处罚决定书`);
  await writeFile(file, `${lines.join('\n')}\n`);
}, 120_000);

afterAll(async () => {
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in one node process; `killAfterWritten` SIGKILLs it once a progress line reports that many rows written. */
function runCli(killAfterWritten?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; written: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'market-serious-illegal', file, '--user', 'scjg-operator'], {
      cwd: apiDir,
      env: { ...process.env, ...database.env, CONFIG_DIR: demoConfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let written = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
      for (const m of String(d).matchAll(/written (\d+)/g)) written = Math.max(written, Number(m[1]));
      if (killAfterWritten !== undefined && written >= killAfterWritten && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== null && code !== 0) stdout += stderr;
      resolve({ code, signal, written, stdout });
    });
  });
}

async function counts() {
  const handle = await open();
  try {
    const [row] = await queryRows<{ entries: number; subjects: number; events: number; audit: number; jobs: string }>(
      handle.db,
      sql`select (select count(*)::int from entries) as entries, (select count(*)::int from subjects) as subjects,
                 (select count(*)::int from entry_events) as events, (select count(*)::int from audit_log where chain like 'import:%') as audit,
                 (select string_agg(status, ',' order by created_at) from import_jobs) as jobs`,
    );
    return row;
  } finally {
    await handle.close();
  }
}

describe(`an import killed mid-commit (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('leaves nothing of the import, and running it again imports every row', async () => {
    const killed = await runCli(2000);
    expect(killed.signal, killed.stdout).toBe('SIGKILL');
    expect(killed.written).toBeGreaterThanOrEqual(2000);
    expect(killed.written).toBeLessThan(ROWS);
    // batches were written inside the transaction; none of them survived
    expect(await counts()).toEqual({ entries: 0, subjects: 0, events: 0, audit: 0, jobs: 'committing' });

    const again = await runCli();
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain(`已导入 ${ROWS} 行`);
    expect(await counts()).toEqual({ entries: ROWS, subjects: ROWS, events: ROWS, audit: ROWS / 2000 + 1, jobs: 'committing,committed' });

    // Once the claim is over a minute old, a process starting up settles the killed job: failed, as interrupted.
    const model = await loadRuntimeModel(demoConfig);
    const handle = await open();
    try {
      const app = await createApp(model, handle, { clock: manualClock(model.platform.timezone, new Date(Date.now() + 120_000)) });
      expect(await app.services.imports.settleInterrupted()).toBe(1);
      const [killedJob] = await queryRows<{ status: string; code: string }>(handle.db, sql`select status, error->>'code' as code from import_jobs order by created_at limit 1`);
      expect(killedJob).toEqual({ status: 'failed', code: 'IMPORT_INTERRUPTED' });
      await app.close();
    } finally {
      await handle.close();
    }
  }, 300_000);
});
