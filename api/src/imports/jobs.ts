/**
 * Import jobs: a dry run checks a file and stores it with every problem found;
 * a commit runs the same pipeline again (the database may have changed) and
 * writes in ONE transaction: all-or-nothing (default) rolls back when any row
 * has a problem, `valid` writes only the rows without one. The job row is
 * written outside that transaction, so a commit that dies (or is killed)
 * leaves no entry, subject, event or audit record of the import behind.
 * Progress is held in memory by the process running the commit.
 *
 * The commit transaction holds an advisory lock on its job until it ends, and
 * a dead process's transaction ends with its connection. A job still marked
 * 'committing' whose lock is free and whose claim is over a minute old (the
 * claim is written just before the transaction takes the lock) was therefore
 * interrupted: nothing of it was written, and it goes back to 'validated' (web
 * jobs keep their file, so it can be committed again) or to 'failed' (CLI jobs
 * keep no file: run the CLI again).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { canAnywhere } from '../authz/permissions.ts';
import { globalObject } from '../authz/policy.ts';
import type { CompiledList } from '../config/compile.ts';
import { type Db, type DbHandle, queryRows } from '../db/client.ts';
import { type ImportJob, importJobs } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import type { EngineDeps } from '../procedures/engine.ts';
import { writeBatch } from './commit.ts';
import { type FileInput, type ImportSource, openImportFile } from './parse.ts';
import { checkBatch, createValidator, type ImportAs, type Problem, type ValidRow } from './validate.ts';

export type ImportMode = 'all' | 'valid';

/** First int of the advisory lock a commit holds on its job (two-int lock space, like the audit chains). */
export const IMPORT_COMMIT_LOCK_NAMESPACE = 7_340_117;
const commitLock = (jobId: string) => sql`${sql.raw(String(IMPORT_COMMIT_LOCK_NAMESPACE))}, hashtext(${jobId})`;

/** How long a claim may go without its lock before it counts as interrupted: covers the claim → lock gap, which is short. */
const CLAIM_GRACE_MS = 60_000;

const interrupted = {
  code: 'IMPORT_INTERRUPTED',
  message: '上次提交在写入过程中中断（服务停止或重启），未导入任何数据，可重新提交',
  messageEn: 'the last commit was interrupted (the server stopped); nothing was imported; commit again',
};
export type ImportProgress = { phase: 'checking' | 'writing'; processed: number; written: number; total: number | null };
export type ImportLimits = { maxRows: number | null; maxCellChars: number };

export type PipelineOptions = {
  deps: EngineDeps;
  list: CompiledList;
  principal: Principal;
  as: ImportAs;
  jobId: string;
  limits: ImportLimits;
  /** undefined: check only */
  write?: { mode: ImportMode };
  batchSize?: number;
  total?: number | null;
  onProgress?: (p: ImportProgress) => void;
};

export type PipelineResult = { totalRows: number; validRows: number; imported: number; problems: Problem[] };

/** An all-or-nothing commit found problems: the transaction is rolled back with these. */
export class ImportRejected extends Error {
  constructor(readonly result: PipelineResult) {
    super('import has problems');
  }
}

export const tooManyRows = (max: number) =>
  new AppError(413, 'IMPORT_TOO_MANY_ROWS', `数据行数超过上限 ${max} 行：请拆分文件后分批导入`, `more than ${max} data rows; split the file`);

/**
 * Parse → check → (write) in batches. Duplicates inside the file are found in
 * memory when the row count is bounded by a limit; without one (the CLI on a
 * huge file) each batch is checked against the rows already written in this
 * transaction, so memory stays bounded by the batch.
 */
export async function runPipeline(db: Db, source: ImportSource, o: PipelineOptions): Promise<PipelineResult> {
  const now = o.deps.clock.now();
  const validator = createValidator(
    { list: o.list, model: o.deps.model, principal: o.principal, today: o.deps.clock.today(), as: o.as, maxCellChars: o.limits.maxCellChars },
    source.header,
  );
  const batchSize = o.batchSize ?? 2000;
  const seen = o.limits.maxRows !== null || !o.write ? new Map<string, number>() : undefined;
  const problems: Problem[] = [];
  let batch: ValidRow[] = [];
  let total = 0;
  let valid = 0;
  let imported = 0;
  let batchNo = 0;
  const ctx = { deps: o.deps, list: o.list, principal: o.principal, jobId: o.jobId, as: o.as, now };
  const flush = async () => {
    const checked = await checkBatch(db, o.list, validator.columns, batch, seen);
    batch = [];
    problems.push(...checked.problems);
    valid += checked.valid.length;
    if (o.write && !(o.write.mode === 'all' && problems.length)) {
      batchNo += 1;
      imported += await writeBatch(db, ctx, checked.valid, batchNo);
    }
    o.onProgress?.({ phase: o.write ? 'writing' : 'checking', processed: total, written: imported, total: o.total ?? null });
  };
  for await (const r of source.rows) {
    total += 1;
    if (o.limits.maxRows !== null && total > o.limits.maxRows) throw tooManyRows(o.limits.maxRows);
    const res = validator.row(r);
    if (res.problems.length) problems.push(...res.problems);
    else if (res.valid) batch.push(res.valid);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  problems.sort((a, b) => a.row - b.row);
  const result = { totalRows: total, validRows: valid, imported, problems };
  if (o.write) {
    if (o.write.mode === 'all' && problems.length) throw new ImportRejected({ ...result, imported: 0 });
    await appendAudit(db, {
      chain: `import:${o.jobId}`,
      actor: { kind: o.principal.kind, id: o.principal.id, name: o.principal.name },
      action: 'entry.import',
      targetType: 'import',
      targetId: o.jobId,
      before: null,
      after: { list: o.list.id, as: o.as, mode: o.write.mode, format: source.format, encoding: source.encoding, rows: total, imported, skipped: problems.length ? total - imported : 0, batches: batchNo },
      at: now,
    });
  }
  return result;
}

export function jobView(j: ImportJob, live?: ImportProgress) {
  return {
    id: j.id,
    listId: j.listId,
    status: j.status,
    source: j.source,
    filename: j.filename,
    format: j.format,
    encoding: j.encoding,
    size: j.size,
    as: j.asStatus,
    mode: j.mode,
    totalRows: j.totalRows,
    validRows: j.validRows,
    imported: j.imported,
    problemCount: j.problems.length,
    problems: j.problems,
    error: j.error,
    progress: live ?? (j.status === 'committed' ? { phase: 'writing', processed: j.totalRows, written: j.imported, total: j.totalRows } : null),
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
  };
}
export type JobView = ReturnType<typeof jobView>;

export type ImportService = ReturnType<typeof createImportService>;

export function createImportService(deps: EngineDeps, handle: DbHandle, log: (msg: string, err?: unknown) => void = () => {}) {
  const db = handle.db;
  const live = new Map<string, ImportProgress>();
  const platformLimits = (): ImportLimits => ({ maxRows: deps.model.platform.imports.max_rows, maxCellChars: deps.model.platform.imports.max_cell_chars });
  const maxBytes = () => Math.round(deps.model.platform.imports.max_size_mb * 1024 * 1024);

  function mayImportAs(principal: Principal, as: ImportAs) {
    if (as === 'published' && !canAnywhere(principal.perms, globalObject, 'import-historical')) {
      throw new AppError(403, 'FORBIDDEN', '没有权限：按历史公示导入需要信用办授予的“导入历史数据”权限', 'forbidden: importing published entries needs import-historical');
    }
  }

  async function finish(id: string, set: Partial<typeof importJobs.$inferInsert>) {
    const now = deps.clock.now();
    const [row] = await db.update(importJobs).set({ ...set, updatedAt: now, finishedAt: now }).where(eq(importJobs.id, id)).returning();
    if (!row) throw new Error('import job vanished');
    return row;
  }

  /** Runs a commit to its end; never throws (the outcome is the job's status). */
  async function execute(job: ImportJob, list: CompiledList, principal: Principal, mode: ImportMode, file: FileInput, limits: ImportLimits, onProgress?: (p: ImportProgress) => void) {
    const progress = (p: ImportProgress) => {
      live.set(job.id, p);
      onProgress?.(p);
    };
    progress({ phase: 'writing', processed: 0, written: 0, total: job.totalRows || null });
    try {
      const source = await openImportFile(file, limits);
      const result = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${commitLock(job.id)})`);
        return runPipeline(tx, source, { deps, list, principal, as: job.asStatus as ImportAs, jobId: job.id, limits, write: { mode }, total: job.totalRows || null, onProgress: progress });
      });
      return await finish(job.id, { status: 'committed', totalRows: result.totalRows, validRows: result.validRows, imported: result.imported, problems: result.problems });
    } catch (err) {
      if (err instanceof ImportRejected) {
        const r = err.result;
        return await finish(job.id, {
          status: 'failed',
          totalRows: r.totalRows,
          validRows: r.validRows,
          imported: 0,
          problems: r.problems,
          error: { code: 'IMPORT_HAS_PROBLEMS', message: `有 ${r.problems.length} 个问题，未导入任何数据`, messageEn: `${r.problems.length} problems; nothing was imported` },
        });
      }
      if (!(err instanceof AppError)) log('import commit failed', err);
      const e = err instanceof AppError ? err : new AppError(500, 'INTERNAL', '导入失败：服务器内部错误，未导入任何数据', 'import failed: internal error; nothing was imported');
      return await finish(job.id, { status: 'failed', imported: 0, error: { code: e.code, message: e.message, messageEn: e.messageEn, details: e.details } });
    } finally {
      live.delete(job.id);
    }
  }

  /** `jobs` with every interrupted commit among them settled (see the file header); live ones are left alone. */
  async function settleInterrupted(jobs: ImportJob[]): Promise<ImportJob[]> {
    const cutoff = deps.clock.now().getTime() - CLAIM_GRACE_MS;
    const suspects = jobs.filter((j) => j.status === 'committing' && !live.has(j.id) && j.updatedAt.getTime() < cutoff);
    if (!suspects.length) return jobs;
    const settled = new Map<string, ImportJob>();
    for (const j of suspects) {
      const row = await db.transaction(async (tx) => {
        const [lock] = await queryRows<{ free: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${commitLock(j.id)}) as free`);
        if (!lock?.free) return undefined;
        const [updated] = await tx
          .update(importJobs)
          .set({ status: j.source === 'web' && j.content ? 'validated' : 'failed', mode: null, imported: 0, error: interrupted, updatedAt: deps.clock.now() })
          .where(and(eq(importJobs.id, j.id), eq(importJobs.status, 'committing')))
          .returning();
        return updated;
      });
      if (row) settled.set(row.id, row);
    }
    return jobs.map((j) => settled.get(j.id) ?? j);
  }

  async function load(list: CompiledList, id: string, principal: Principal, tx: Db = db) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError(404, 'IMPORT_NOT_FOUND', '导入任务不存在', 'import job not found');
    const [job] = await tx.select().from(importJobs).where(and(eq(importJobs.id, id), eq(importJobs.listId, list.id)));
    if (!job || (job.createdBy !== principal.id && !canAnywhere(principal.perms, globalObject, 'import-historical'))) {
      throw new AppError(404, 'IMPORT_NOT_FOUND', '导入任务不存在', 'import job not found');
    }
    const [settled] = await settleInterrupted([job]);
    return settled ?? job;
  }

  return {
    maxBytes,
    /** Settles every commit interrupted by a process that died (run at start by the server and the CLI). */
    async settleInterrupted(): Promise<number> {
      const rows = await db.select().from(importJobs).where(eq(importJobs.status, 'committing'));
      const after = await settleInterrupted(rows);
      return after.filter((j) => j.status !== 'committing').length;
    },
    /** Checks an uploaded file and keeps it for a later commit (dry run). */
    async check(list: CompiledList, principal: Principal, file: { filename: string; bytes: Uint8Array }, as: ImportAs, source: 'web' | 'cli' = 'web') {
      mayImportAs(principal, as);
      if (file.bytes.byteLength > maxBytes()) throw tooLargeFile(deps.model.platform.imports.max_size_mb);
      const limits = platformLimits();
      const src = await openImportFile(file, limits);
      const now = deps.clock.now();
      const id = crypto.randomUUID();
      const result = await runPipeline(db, src, { deps, list, principal, as, jobId: id, limits });
      const [job] = await db
        .insert(importJobs)
        .values({
          id,
          listId: list.id,
          createdBy: principal.kind === 'user' ? principal.id : null,
          source,
          filename: file.filename.slice(0, 255),
          format: src.format,
          encoding: src.encoding,
          size: file.bytes.byteLength,
          content: file.bytes,
          status: 'validated',
          asStatus: as,
          totalRows: result.totalRows,
          validRows: result.validRows,
          problems: result.problems,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!job) throw new Error('insert returned no row');
      return jobView(job);
    },

    /** Starts the commit of a checked job; `wait` returns when it has ended. */
    async commit(list: CompiledList, id: string, principal: Principal, mode: ImportMode, opts: { wait?: boolean } = {}) {
      const job = await load(list, id, principal);
      mayImportAs(principal, job.asStatus as ImportAs);
      const [claimed] = await db
        .update(importJobs)
        .set({ status: 'committing', mode, error: null, updatedAt: deps.clock.now() })
        .where(and(eq(importJobs.id, job.id), eq(importJobs.status, 'validated')))
        .returning();
      if (!claimed) throw new AppError(409, 'IMPORT_NOT_COMMITTABLE', `该导入任务状态为“${statusLabel(job.status)}”，不能再次提交`, `the import job is ${job.status}`);
      if (!claimed.content) throw new AppError(409, 'IMPORT_NOT_COMMITTABLE', '该导入任务没有保存文件，请重新上传', 'the job has no stored file');
      const file = { filename: claimed.filename, bytes: claimed.content };
      const run = execute(claimed, list, principal, mode, file, platformLimits());
      if (opts.wait) return jobView(await run);
      run.catch((err) => log('import commit crashed', err));
      return jobView(claimed, live.get(claimed.id));
    },

    /** The CLI: check and commit a file from disk in one go (or only check). */
    async runFile(list: CompiledList, principal: Principal, file: { filename: string; path: string; size: number }, o: { as: ImportAs; mode: ImportMode; dryRun: boolean; limits?: ImportLimits; onProgress?: (p: ImportProgress) => void }) {
      mayImportAs(principal, o.as);
      const limits = o.limits ?? platformLimits();
      if (o.limits === undefined && file.size > maxBytes()) throw tooLargeFile(deps.model.platform.imports.max_size_mb);
      const now = deps.clock.now();
      const src = await openImportFile(file, limits);
      const [job] = await db
        .insert(importJobs)
        .values({
          listId: list.id,
          createdBy: principal.kind === 'user' ? principal.id : null,
          source: 'cli',
          filename: file.filename.slice(0, 255),
          format: src.format,
          encoding: src.encoding,
          size: file.size,
          status: o.dryRun ? 'validated' : 'committing',
          asStatus: o.as,
          mode: o.dryRun ? null : o.mode,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!job) throw new Error('insert returned no row');
      if (o.dryRun) {
        const result = await runPipeline(db, src, { deps, list, principal, as: o.as, jobId: job.id, limits, onProgress: o.onProgress });
        return jobView(await finish(job.id, { totalRows: result.totalRows, validRows: result.validRows, problems: result.problems }));
      }
      return jobView(await execute(job, list, principal, o.mode, file, limits, o.onProgress));
    },

    async get(list: CompiledList, id: string, principal: Principal) {
      const job = await load(list, id, principal);
      return jobView(job, live.get(job.id));
    },

    async recent(list: CompiledList, principal: Principal) {
      const rows = await db
        .select()
        .from(importJobs)
        .where(and(eq(importJobs.listId, list.id), principal.kind === 'user' ? eq(importJobs.createdBy, principal.id) : sql`false`))
        .orderBy(desc(importJobs.createdAt))
        .limit(20);
      return (await settleInterrupted(rows)).map((j) => {
        const { problems: _p, ...rest } = jobView(j, live.get(j.id));
        return rest;
      });
    },
  };
}

export const tooLargeFile = (mb: number) => new AppError(413, 'IMPORT_TOO_LARGE', `文件超过 ${mb} MB 上限：请拆分后分批导入`, `the file is larger than ${mb} MiB`);

function statusLabel(s: string): string {
  return ({ validated: '已检查', committing: '导入中', committed: '已导入', failed: '失败' } as Record<string, string>)[s] ?? s;
}
