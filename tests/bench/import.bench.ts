/**
 * Import benchmark (issue 8): a csv of BENCH_ROWS rows (default 1,000,000) of
 * market-serious-illegal through the same pipeline as the admin's import page
 * and the CLI (stream parse → the POST entries validation and code checks →
 * batched writes (subjects INSERT, entries and entry_events COPY FROM STDIN), one audit
 * record per batch, one transaction), on PostgreSQL; then `psql \copy` of the
 * very rows it wrote (exported from its tables) into the same tables and
 * indexes of a fresh database, in the same run. Reports rows/s of both, the
 * ratio (goal ≥ 0.4) and the peak RSS of the import (memory bounded: streamed).
 *
 * `pnpm bench import` (run it under `nice -n 10` on a shared machine).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { createApp } from '../../api/src/app.ts';
import type { Principal } from '../../api/src/auth/principal.ts';
import { bootstrapUsers } from '../../api/src/auth/bootstrap.ts';
import { userSubject } from '../../api/src/authz/policy.ts';
import { loadRuntimeModel } from '../../api/src/config/compile.ts';
import { openDatabase } from '../../api/src/db/client.ts';
import { runMigrations } from '../../api/src/db/migrate.ts';
import { users } from '../../api/src/db/schema.ts';
import { testAdminUrl } from '../../api/src/db/testing.ts';
import { manualClock } from '../../api/src/procedures/clock.ts';
import { usccCheckChar } from '../../api/src/subjects/codes.ts';
import { demoConfig } from '../support/app.ts';
import { fmt, machine, out, progress } from './support/report.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const LIST = 'market-serious-illegal';
const admin = testAdminUrl();
const dbName = (tag: string) => `ct_bench_import_${tag}_${randomBytes(4).toString('hex')}`;
const urlOf = (name: string) => {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
};

async function createDb(name: string) {
  const a = postgres(admin, { max: 1, onnotice: () => {} });
  await a.unsafe(`create database ${name}`);
  await a.end();
}
async function dropDb(name: string) {
  const a = postgres(admin, { max: 1, onnotice: () => {} });
  await a.unsafe(`drop database if exists ${name} with (force)`);
  await a.end();
}

const header = '主体类型,主体名称,主体代码,决定文书号,决定日期,行政处罚决定书文号,严重违法失信行为,违法行为类别,较重行政处罚种类,罚没金额（元）,行政处罚决定书（文号）,行政处罚决定书（日期）,行政处罚决定书（标题）,主观故意';
const categories = ['食品安全', '质量安全', '侵害消费者权益', '其他'];

async function writeCsv(path: string) {
  const ws = createWriteStream(path);
  const write = (s: string) => (ws.write(s) ? Promise.resolve() : new Promise<void>((r) => ws.once('drain', () => r())));
  await write(`\uFEFF${header}\r\n`);
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    const body = `91310000${String(i).padStart(9, '0')}`;
    const code = body + usccCheckChar(body);
    const no = `示市监罚〔2026〕${i}号`;
    buf += `法人,示例${i}贸易有限公司,${code},${no},2026-09-${String((i % 28) + 1).padStart(2, '0')},${no},"销售不合格产品，货值金额${i % 1000}万元，情节严重",${categories[i % 4]},较大数额罚没款、吊销许可证件,${(i % 500) * 100 + 0.5},${no},2026-09-01,行政处罚决定书,${i % 2 ? '是' : '否'}\r\n`;
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((r) => ws.end(() => r()));
}

const psql = (url: string, args: string[]) => execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-X', '-q', ...args], { encoding: 'utf8' });

const dir = await mkdtemp(join(tmpdir(), 'import-bench-'));
const importDb = dbName('a');
const copyDb = dbName('b');
try {
  const csv = join(dir, 'entries.csv');
  progress(`writing ${fmt(ROWS, 0)} rows to ${csv}`);
  await writeCsv(csv);
  const size = (await stat(csv)).size;

  await createDb(importDb);
  await createDb(copyDb);
  const model = await loadRuntimeModel(demoConfig);
  const list = model.list(LIST);
  if (!list) throw new Error('no list');
  const handle = await openDatabase({ databaseUrl: urlOf(importDb) });
  await runMigrations(handle);
  const clock = manualClock(model.platform.timezone, new Date('2026-11-02T02:00:00Z'));
  await bootstrapUsers(handle.db, model, clock, {});
  const app = await createApp(model, handle, { clock });
  const [u] = await handle.db.select().from(users).where(eq(users.username, 'scjg-operator'));
  if (!u) throw new Error('no user');
  const subject = userSubject(u.id);
  const principal: Principal = { kind: 'user', id: u.id, subject, name: u.displayName, username: u.username, assignments: await app.services.authz.assignments(subject), perms: await app.services.authz.permissions(subject) };

  // --- the import, through the service the CLI and the upload use
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  progress('importing');
  let last = 0;
  const t0 = performance.now();
  const job = await app.services.imports.runFile(list, principal, { filename: 'entries.csv', path: csv, size }, {
    as: 'draft',
    mode: 'all',
    dryRun: false,
    limits: { maxRows: null, maxCellChars: 20_000 },
    onProgress: (p) => {
      if (p.written - last >= 100_000) {
        last = p.written;
        progress(`written ${fmt(p.written, 0)} (${fmt(p.written / ((performance.now() - t0) / 1000), 0)} rows/s, rss ${fmt(process.memoryUsage().rss / 2 ** 20, 0)} MiB)`);
      }
    },
  });
  const importS = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (job.status !== 'committed' || job.imported !== ROWS) throw new Error(`import ${job.status}: ${job.imported} rows, ${JSON.stringify(job.error)} ${JSON.stringify(job.problems.slice(0, 3))}`);
  await app.close();

  // --- the same rows with \copy: exported from what the import wrote, loaded into a fresh migrated database
  const copyHandle = await openDatabase({ databaseUrl: urlOf(copyDb) });
  await runMigrations(copyHandle);
  await copyHandle.close();
  const tables = ['subjects', 'entries', 'entry_events'] as const;
  for (const t of ['users', ...tables]) psql(urlOf(importDb), ['-c', `\\copy ${t} to '${join(dir, `${t}.copy`)}'`]);
  psql(urlOf(copyDb), ['-c', `\\copy users from '${join(dir, 'users.copy')}'`]);
  const sizes = await Promise.all(tables.map(async (t) => `${t} ${fmt((await stat(join(dir, `${t}.copy`))).size / 2 ** 20, 0)} MiB`));
  progress('\\copy of the same rows');
  const t1 = performance.now();
  psql(urlOf(copyDb), tables.flatMap((t) => ['-c', `\\copy ${t} from '${join(dir, `${t}.copy`)}'`]));
  const copyS = (performance.now() - t1) / 1000;
  const [counts] = await postgres(urlOf(copyDb), { max: 1 })`select (select count(*)::int from entries) as e, (select count(*)::int from subjects) as s`.then(async (r) => r);
  await handle.close();

  const m = machine();
  const importRate = ROWS / importS;
  const copyRate = ROWS / copyS;
  const ratio = importRate / copyRate;
  const server = psql(admin, ['-At', '-c', 'select version()']).trim().split(' on ')[0];
  out('## Import (issue 8)');
  out();
  out('`tests/bench/import.bench.ts` (`nice -n 10 pnpm bench import`; BENCH_ROWS). A csv of market-serious-illegal entries (UTF-8 with BOM, 14 columns, every required field, a document, a multi-enum, money, boolean) through `ImportService.runFile` — the pipeline of the upload and the CLI: csv-parse stream → the POST entries zod schema and GB 32100 checks per row → per batch of 2,000: duplicate and already-on-list checks, then a multi-row INSERT of subjects (ON CONFLICT DO NOTHING), COPY FROM STDIN of entries and entry_events on the transaction’s connection, and one audit record with a SHA-256 of the batch — all in one transaction; against `psql \\copy` of the very rows it wrote into the same tables and indexes of a fresh migrated database.');
  out();
  out(`Run ${m.date} · ${m.cpu}, ${m.cores} cores (nproc), ${m.memory} · Node ${m.node} · ${server} · load average at end ${m.load}`);
  out();
  out(`| what | rows | time | rows/s |`);
  out(`|---|---:|---:|---:|`);
  out(`| import pipeline (parse, validate, write; one transaction) | ${fmt(ROWS, 0)} | ${fmt(importS, 1)} s | ${fmt(importRate, 0)} |`);
  out(`| psql \\copy subjects, entries, entry_events (same rows, same indexes) | ${fmt(Number(counts?.e), 0)} | ${fmt(copyS, 1)} s | ${fmt(copyRate, 0)} |`);
  out();
  out(`Ratio import ÷ \\copy: **${fmt(ratio, 3)}** (goal ≥ 0.4: ${ratio >= 0.4 ? 'met' : '**not met**'}). csv ${fmt(size / 2 ** 20, 0)} MiB; \\copy files ${sizes.join(', ')}. Peak RSS during the import ${fmt(peak / 2 ** 20, 0)} MiB (${fmt(rssBefore / 2 ** 20, 0)} MiB before it; sampled every 50 ms), process max RSS ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB.`);
} finally {
  await dropDb(importDb).catch(() => {});
  await dropDb(copyDb).catch(() => {});
  await rm(dir, { recursive: true, force: true });
}
