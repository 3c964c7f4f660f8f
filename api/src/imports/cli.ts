/**
 * `pnpm run import <listId> <file> [--dry-run] [--as drafts|published] [--mode all|valid] --user <username>`
 *
 * The same pipeline as the admin's import page (parse, the POST entries
 * validation, batched writes in one transaction, the same audit records),
 * acting as the named user with that user's permissions. Reads DATABASE_URL /
 * DATA_DIR / CONFIG_DIR like the server. Shows a progress bar on a terminal
 * and one `progress` line per batch otherwise. Exit status: 0 imported (or a
 * clean dry run), 1 problems or failure, 2 usage.
 * (`pnpm import` alone is pnpm's own lockfile command, hence `pnpm run import`.)
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { createApp } from '../app.ts';
import type { Principal } from '../auth/principal.ts';
import { canAnywhere } from '../authz/permissions.ts';
import { listObject, userSubject } from '../authz/policy.ts';
import { loadRuntimeModel } from '../config/compile.ts';
import { openDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { users } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { defaultConfigDir, repoRoot } from '../lib/paths.ts';
import { systemClock } from '../procedures/clock.ts';
import type { ImportProgress, JobView } from './jobs.ts';

const env = process.env;
const fromUser = (p: string) => resolve(env.INIT_CWD ?? process.cwd(), p);
const usage = 'usage: pnpm run import <listId> <file> [--dry-run] [--as drafts|published] [--mode all|valid] --user <username>\n';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    as: { type: 'string', default: 'drafts' },
    mode: { type: 'string', default: 'all' },
    user: { type: 'string', default: env.IMPORT_USER },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const [listId, fileArg] = positionals;
if (!listId || !fileArg) fail(usage);
if (!values.user) fail(`请用 --user 指定以哪个用户的身份导入 / name the acting user with --user\n${usage}`);
const as = values.as === 'drafts' || values.as === 'draft' ? 'draft' : values.as === 'published' ? 'published' : fail(`--as 应为 drafts 或 published\n${usage}`);
const mode = values.mode === 'all' || values.mode === 'valid' ? values.mode : fail(`--mode 应为 all 或 valid\n${usage}`);
const path = fromUser(fileArg);
const size = await stat(path)
  .then((s) => s.size)
  .catch(() => fail(`文件不存在：${path}`));

const model = await loadRuntimeModel(env.CONFIG_DIR ? fromUser(env.CONFIG_DIR) : defaultConfigDir);
const list = model.list(listId) ?? fail(`名单类型“${listId}”不存在；可选：${model.lists.map((l) => l.id).join(' ')}`);
const handle = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR ? fromUser(env.DATA_DIR) : resolve(repoRoot, 'data') });
await runMigrations(handle);
const app = await createApp(model, handle, { clock: systemClock(model.platform.timezone) });

const [user] = await handle.db.select().from(users).where(eq(users.username, values.user));
if (!user || user.disabled) fail(`用户“${values.user}”不存在或已停用`, 1);
const subject = userSubject(user.id);
const principal: Principal = {
  kind: 'user',
  id: user.id,
  subject,
  name: user.displayName,
  username: user.username,
  assignments: await app.services.authz.assignments(subject),
  perms: await app.services.authz.permissions(subject),
};
if (!canAnywhere(principal.perms, listObject(list.id), 'import')) fail(`没有权限：${values.user} 不能导入“${list.name}”`, 1);

/** Data rows, estimated from the line count of a csv (for the progress bar). */
async function estimateRows(): Promise<number | null> {
  if (!/\.csv$/i.test(path)) return null;
  let lines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return Math.max(0, lines - 1);
}
const total = await estimateRows();
const tty = process.stderr.isTTY;
const started = Date.now();
const onProgress = (p: ImportProgress) => {
  const n = values['dry-run'] ? p.processed : p.written;
  const of = total ?? p.processed;
  if (tty) {
    const share = of ? Math.min(1, p.processed / of) : 0;
    const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
    process.stderr.write(`\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  已检查 ${p.processed}  已写入 ${p.written}  ${((Date.now() - started) / 1000).toFixed(0)}s`);
  } else {
    process.stderr.write(`progress ${p.processed}/${of} written ${p.written} (${n})\n`);
  }
};

await app.services.imports.settleInterrupted();
let job: JobView;
try {
  job = await app.services.imports.runFile(list, principal, { filename: basename(path), path, size }, { as, mode, dryRun: values['dry-run'], onProgress });
} catch (err) {
  if (tty) process.stderr.write('\n');
  if (err instanceof AppError) {
    process.stderr.write(`错误 ${err.code}：${err.message}\n${err.details.map((d) => `  ${d.path ?? ''} ${d.message}`).join('\n')}\n`);
    await app.close();
    await handle.close();
    process.exit(1);
  }
  throw err;
}
if (tty) process.stderr.write('\n');
for (const p of job.problems as { row: number; column: string | null; message: string }[]) {
  process.stdout.write(`第 ${p.row} 行${p.column ? `「${p.column}」` : ''}：${p.message}\n`);
}
const seconds = (Date.now() - started) / 1000;
process.stdout.write(
  `${values['dry-run'] ? '检查完成' : job.status === 'committed' ? '导入完成' : '导入失败，未写入任何数据'}：共 ${job.totalRows} 行，有效 ${job.validRows} 行，问题 ${job.problemCount} 个，已导入 ${job.imported} 行，用时 ${seconds.toFixed(1)} 秒（任务 ${job.id}）\n`,
);
if (job.error && job.status === 'failed') process.stdout.write(`${String((job.error as { message?: string }).message ?? '')}\n`);
await app.close();
await handle.close();
process.exit(job.status === 'failed' || (values['dry-run'] && job.problemCount > 0) || (!values['dry-run'] && job.status !== 'committed') ? 1 : 0);
