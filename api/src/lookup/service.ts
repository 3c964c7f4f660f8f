/**
 * Lookups by staff and business systems (应查尽查), check-before-act with its
 * feedback (联合奖惩), and the query-use register (查询使用登记).
 *
 * Every lookup and every check writes its query_log record, and answers only
 * after that record has been committed: an answer the register does not hold
 * cannot leave the server. A lookup reads with ONE statement (the subject and
 * its visible entries), then hands its record to the query-log group commit
 * (group-commit.ts): the records of concurrent lookups go into one multi-row
 * INSERT per flush, and each lookup answers once the flush holding its record
 * has committed. If that INSERT fails, every lookup waiting on it answers 503
 * LOOKUP_NOT_RECORDED, without data. A check writes its record in the same
 * transaction as its checks row.
 *
 * Input is validated before anything is read: a refused request (bad code,
 * missing purpose, unknown matter) leaves no record, because no lookup happened.
 *
 * The register has no update or delete path anywhere in the API.
 */
import { and, asc, count, desc, eq, gte, inArray, or, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { RuntimeModel } from '../config/compile.ts';
import { type Db, type DbHandle, type PostgresHandle, queryRows } from '../db/client.ts';
import { apiKeys, checks, measuresApplied, queryLog, users } from '../db/schema.ts';
import type { Scope } from '../http/env.ts';
import { AppError, issueDetails } from '../http/errors.ts';
import { addDays } from '../procedures/calendar.ts';
import type { Clock } from '../procedures/clock.ts';
import { parseLookupCode } from './code.ts';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';
import { type ApplicableMeasure, applicableMeasures, type EntryBasis, entryBasis, type EntryRef, inEffect } from './measures.ts';
import { principalDepartment, publicStatuses, seesWholeEntry, type Visibility, visibility, visibleEntries } from './scope.ts';

export type LookupDeps = {
  db: Db;
  model: RuntimeModel;
  clock: Clock;
  /** The handle behind `db`: on PostgreSQL the lookup statement runs as a prepared statement. */
  handle?: DbHandle;
  /** The query-log group commit; without it each lookup inserts its own record (same guarantee, one commit each). */
  recorder?: QueryLogRecorder;
};

export const dialect = new PgDialect();

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type LookupParams = Parameters<typeof lookupStatement>[0];

/** The parameters of lookupStatement in the order of its text (checked against drizzle's rendering below). */
export const lookupParams = (p: LookupParams): unknown[] => [p.code, p.timeZone, p.timeZone, p.visibility.statuses, p.visibility.lists, p.visibility.pairs];

let lookupText: string | undefined;
/** The statement's text, rendered once; throws if the parameter order above no longer matches it. */
export function lookupSql(): string {
  if (!lookupText) {
    const sample: LookupParams = { code: 'code', visibility: { statuses: ['status'], lists: ['list'], pairs: ['pair'] }, timeZone: 'zone' };
    const q = dialect.sqlToQuery(lookupStatement(sample));
    if (JSON.stringify(q.params) !== JSON.stringify(lookupParams(sample))) throw new Error('lookupParams does not follow lookupStatement');
    lookupText = q.sql;
  }
  return lookupText;
}

/**
 * Runs the lookup's read. On PostgreSQL the statement is sent as a named,
 * prepared statement (postgres.js caches one per text and connection, and the
 * text is the same for every caller), so it is planned once per connection
 * instead of on every lookup: drizzle's `execute` never prepares. On PGlite
 * (one in-process connection) it goes through drizzle.
 */
async function runLookup(deps: LookupDeps, p: LookupParams): Promise<LookupRow[]> {
  if (deps.handle?.kind === 'postgres' && deps.handle.db === deps.db) {
    return (await deps.handle.client.unsafe(lookupSql(), lookupParams(p) as never[], { prepare: true })) as unknown as LookupRow[];
  }
  return queryRows<LookupRow>(deps.db, lookupStatement(p));
}

// ---------------------------------------------------------------- the query-use register's group commit

/** One query_log row, as a lookup hands it to the group commit. */
export type QueryRecord = typeof queryLog.$inferInsert & { resultCount: number; at: Date };

/**
 * Inserts the records with ONE multi-row INSERT (autocommit: committed when it
 * returns) and answers their ids in the records' order. The ids come from the
 * table's sequence, assigned row by row in the order the rows are given, so
 * sorting them restores that order whatever order RETURNING uses.
 */
export async function insertQueryRecords(db: Db, records: readonly QueryRecord[]): Promise<number[]> {
  const rows = await db.insert(queryLog).values([...records]).returning({ id: queryLog.id });
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * The same on PostgreSQL as one prepared statement: the rows as arrays through
 * unnest, so the text is the same whatever the batch size and the server plans
 * it once per connection (a VALUES list of n rows would be a new statement for
 * every n, parsed and planned on every flush). Every column travels as text[]
 * (the one array type postgres.js serialises here) and is cast back in SQL.
 */
const insertUnnest = `insert into query_log (actor_user_id, actor_api_key_id, department, subject_code, purpose, matter, result_count, at)
  select u::uuid, k::uuid, d, c, p, m, n::int4, a::timestamptz
    from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as t(u, k, d, c, p, m, n, a)
  returning id`;
async function insertQueryRecordsPrepared(client: PostgresHandle['client'], records: readonly QueryRecord[]): Promise<number[]> {
  const column = <T>(f: (r: QueryRecord) => T) => records.map(f);
  const params = [
    column((r) => r.actorUserId ?? null),
    column((r) => r.actorApiKeyId ?? null),
    column((r) => r.department ?? null),
    column((r) => r.subjectCode),
    column((r) => r.purpose),
    column((r) => r.matter ?? null),
    column((r) => String(r.resultCount)),
    column((r) => r.at.toISOString()),
  ];
  const rows = await client.unsafe<{ id: string | number }[]>(insertUnnest, params as never[], { prepare: true });
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export type QueryLogRecorder = GroupCommit<QueryRecord, number>;

/**
 * The process's group commit for lookup records. PGlite is one connection:
 * one flush at a time (more would only queue inside PGlite); PostgreSQL: two,
 * so a batch fills while the previous one commits.
 */
export function createQueryLogRecorder(handle: DbHandle, options: { maxBatch?: number; maxWaitMs?: number } = {}): QueryLogRecorder {
  return createGroupCommit<QueryRecord, number>({
    flush: (records) => (handle.kind === 'postgres' ? insertQueryRecordsPrepared(handle.client, records) : insertQueryRecords(handle.db, records)),
    maxBatch: options.maxBatch ?? 64,
    maxWaitMs: options.maxWaitMs ?? 2,
    maxInFlight: handle.kind === 'pglite' ? 1 : 2,
  });
}

export const lookupNotRecorded = () =>
  new AppError(503, 'LOOKUP_NOT_RECORDED', '查询使用登记未能保存，本次查询结果不予提供，请稍后重试', 'the lookup could not be registered, so its result is withheld; try again later');

export const Purpose = z.string().trim().min(2, { message: '查询事由至少 2 个字' }).max(200, { message: '查询事由最多 200 个字' });

function bodyError(error: z.ZodError): AppError {
  return new AppError(422, 'VALIDATION_FAILED', '提交的内容不符合要求', 'invalid request body', issueDetails(error.issues));
}

export function unknownMatter(model: RuntimeModel, matter: string, path = 'matter'): AppError {
  return new AppError(422, 'UNKNOWN_MATTER', `未知的业务事项“${matter}”`, `unknown matter "${matter}"`, [
    { path, message: `可选：${model.platform.matters.map((m) => `${m.id}（${m.name}）`).join('、')}`, messageEn: `one of ${model.platform.matters.map((m) => m.id).join(', ')}` },
  ]);
}

function matterOf(model: RuntimeModel, id: string) {
  return model.platform.matters.find((m) => m.id === id);
}

const actorColumns = (p: Principal) =>
  p.kind === 'user' ? { actorUserId: p.id, actorApiKeyId: null } : { actorUserId: null, actorApiKeyId: p.id };

// ---------------------------------------------------------------- lookup

/** Row of the lookup statement (snake_case: straight from row_to_json). */
type EntryRow = {
  id: string;
  list_id: string;
  department: string;
  status: string;
  fields: Record<string, unknown>;
  related_persons: Record<string, unknown>[];
  decision_no: string | null;
  decision_date: string | null;
  /** Civil dates in the platform's time zone, computed by the database. */
  published_on: string | null;
  term_end: string | null;
  exited_on: string | null;
  exit_reason: string | null;
};

type ListMeta = { category: string; publicKeys: ReadonlySet<string>; stateLabels: ReadonlyMap<string, string> };
const listMetas = new WeakMap<RuntimeModel, Map<string, ListMeta>>();

/** Per list type, what the lookup's view needs, computed once per model. */
function listMeta(model: RuntimeModel, listId: string): ListMeta {
  let byList = listMetas.get(model);
  if (!byList) {
    byList = new Map(
      model.lists.map((l) => [
        l.id,
        { category: l.category, publicKeys: new Set(l.fields.filter((f) => f.public).map((f) => f.key)), stateLabels: new Map(l.graph.states.map((st) => [st.id, st.label])) },
      ]),
    );
    listMetas.set(model, byList);
  }
  return byList.get(listId) ?? { category: 'list', publicKeys: new Set(), stateLabels: new Map() };
}
type SubjectRow = { id: string; kind: string; code: string; name: string; code_valid: boolean };

export type LookupInput = { code: string; purpose: string; matter?: string | undefined };

type LookupRow = { subject: SubjectRow | null; entries: EntryRow[] };

/**
 * The lookup's read as one statement: the subject and its entries the caller
 * may see. Its text is the same for every caller. Exported for the benchmark's
 * reference handler.
 */
export function lookupStatement(p: { code: string; visibility: Visibility; timeZone: string }): SQL {
  return sql`with s as (
      select id, kind, code, name, code_valid from subjects where code = ${p.code}
    ), e as (
      select e.id, e.list_id, e.department, e.status, e.fields, e.related_persons, e.decision_no, e.decision_date,
             to_char(e.published_at at time zone ${p.timeZone}, 'YYYY-MM-DD') as published_on, e.term_end,
             to_char(e.exited_at at time zone ${p.timeZone}, 'YYYY-MM-DD') as exited_on, e.exit_reason, e.published_at
        from entries e
       where e.subject_id = (select id from s) and ${visibleEntries(p.visibility)}
    )
    select (select row_to_json(s) from s) as subject,
           coalesce((select json_agg(e order by e.published_at desc nulls last, e.id) from e), '[]'::json) as entries`;
}

export async function lookupSubject(deps: LookupDeps, principal: Principal, input: LookupInput) {
  const { db, model, clock } = deps;
  const purpose = Purpose.safeParse(input.purpose);
  if (!purpose.success) {
    throw new AppError(422, 'PURPOSE_REQUIRED', '请填写查询事由（2–200 字）', 'give the purpose of the lookup (2–200 characters)', issueDetails(purpose.error.issues, 'purpose'));
  }
  if (input.matter !== undefined && !matterOf(model, input.matter)) throw unknownMatter(model, input.matter);
  const { code } = await parseLookupCode(db, input.code);
  const department = await principalDepartment(db, principal);
  const actor = actorColumns(principal);
  const now = clock.now();

  const [row] = await runLookup(deps, { code, visibility: visibility(model, principal), timeZone: model.platform.timezone });
  if (!row) throw new Error('lookup statement returned no row');
  // The answer waits for its record to be committed; without the record, no answer.
  const record: QueryRecord = { ...actor, department, subjectCode: code, purpose: purpose.data, matter: input.matter ?? null, resultCount: row.entries.length, at: now };
  let logId: number;
  try {
    logId = deps.recorder ? await deps.recorder.submit(record) : (await insertQueryRecords(db, [record]))[0]!;
  } catch (err) {
    console.error('[lookup] query_log insert failed; the lookup is refused:', err);
    throw lookupNotRecorded();
  }

  const today = clock.today();
  const refs: EntryRef[] = row.entries.map((e) => ({
    id: e.id,
    listId: e.list_id,
    department: e.department,
    status: e.status,
    decisionNo: e.decision_no,
    decisionDate: e.decision_date,
    termEnd: e.term_end,
  }));
  const entries = row.entries.map((e, i) => {
    const meta = listMeta(model, e.list_id);
    const whole = seesWholeEntry(principal, e.list_id, e.department);
    let fields = e.fields;
    if (!whole) {
      fields = {};
      for (const k of Object.keys(e.fields)) if (meta.publicKeys.has(k)) fields[k] = e.fields[k];
    }
    const { entryId: _id, ...basis } = entryBasis(model, refs[i]!);
    return {
      id: e.id,
      ...basis,
      category: meta.category,
      status: e.status,
      statusLabel: meta.stateLabels.get(e.status) ?? e.status,
      inEffect: inEffect(model, refs[i]!, today),
      publishedAt: e.published_on,
      exitedAt: e.exited_on,
      exitReason: e.exit_reason,
      fields,
      relatedPersons: e.related_persons,
      /** false: an entry outside the caller's view scope, shown with its public fields only. */
      complete: whole,
    };
  });
  const matter = input.matter ? matterOf(model, input.matter) : undefined;
  return {
    queryId: logId,
    queriedAt: now.toISOString(),
    code,
    subject: row.subject ? { kind: row.subject.kind, code: row.subject.code, name: row.subject.name, codeValid: row.subject.code_valid } : null,
    listed: entries.some((e) => e.inEffect),
    entries,
    matter: matter ? { id: matter.id, name: matter.name } : null,
    // The entries are listed above: a measure names the ones it rests on.
    measures: applicableMeasures(model, refs, today, input.matter).map(({ entries: basis, ...m }) => ({ ...m, entryIds: basis.map((b) => b.entryId) })),
  };
}
export type LookupResult = Awaited<ReturnType<typeof lookupSubject>>;

// ---------------------------------------------------------------- check-before-act

export const CheckInput = z.strictObject({
  code: z.string().trim().min(1).max(32),
  matter: z.string().trim().min(1).max(64),
  /** Optional; the matter's name is recorded as the purpose otherwise. */
  purpose: Purpose.optional(),
});

export type CheckAnswer = {
  checkId: string;
  checkedAt: string;
  code: string;
  matter: { id: string; name: string };
  subject: { kind: string; code: string; name: string } | null;
  /** Published entries in effect, with or without measures for this matter. */
  listed: boolean;
  entries: EntryBasis[];
  punishments: ApplicableMeasure[];
  incentives: ApplicableMeasure[];
};

export async function checkSubject(deps: LookupDeps, principal: Principal, body: unknown): Promise<CheckAnswer> {
  const { db, model, clock } = deps;
  if (principal.kind !== 'api_key') {
    throw new AppError(403, 'API_KEY_REQUIRED', '核查接口仅供业务系统使用（接口密钥）', 'check-before-act is for business systems (API keys)');
  }
  const parsed = CheckInput.safeParse(body);
  if (!parsed.success) throw bodyError(parsed.error);
  const input = parsed.data;
  const matter = matterOf(model, input.matter);
  if (!matter) throw unknownMatter(model, input.matter);
  const { code } = await parseLookupCode(db, input.code, 'code');
  const department = await principalDepartment(db, principal);
  const now = clock.now();
  const today = clock.today();
  const statuses = publicStatuses(model);

  return db.transaction(async (tx) => {
    const rows = await queryRows<{ subject: SubjectRow | null; entries: EntryRow[] }>(
      tx,
      sql`with s as (select id, kind, code, name, code_valid from subjects where code = ${code})
          select (select row_to_json(s) from s) as subject,
                 coalesce((select json_agg(e order by e.published_at desc nulls last, e.id) from (
                   select e.id, e.list_id, e.department, e.status, e.decision_no, e.decision_date, e.published_at, e.term_end
                     from entries e
                    where e.subject_id = (select id from s) and e.status in (${sql.join(statuses.map((x) => sql`${x}`), sql`, `)})
                 ) e), '[]'::json) as entries`,
    );
    const row = rows[0];
    if (!row) throw new Error('check statement returned no row');
    const refs: EntryRef[] = row.entries
      .map((e) => ({ id: e.id, listId: e.list_id, department: e.department, status: e.status, decisionNo: e.decision_no, decisionDate: e.decision_date, termEnd: e.term_end }))
      .filter((e) => inEffect(model, e, today));
    const measures = applicableMeasures(model, refs, today, matter.id);
    const answer: Omit<CheckAnswer, 'checkId'> = {
      checkedAt: now.toISOString(),
      code,
      matter: { id: matter.id, name: matter.name },
      subject: row.subject ? { kind: row.subject.kind, code: row.subject.code, name: row.subject.name } : null,
      listed: refs.length > 0,
      entries: refs.map((e) => entryBasis(model, e)),
      punishments: measures.filter((m) => m.kind === 'punishment'),
      incentives: measures.filter((m) => m.kind === 'incentive'),
    };
    const [check] = await tx
      .insert(checks)
      .values({ apiKeyId: principal.id, subjectCode: code, matter: matter.id, result: answer as unknown as Record<string, unknown>, at: now })
      .returning({ id: checks.id });
    if (!check) throw new Error('insert returned no row');
    await tx.insert(queryLog).values({
      ...actorColumns(principal),
      department,
      subjectCode: code,
      purpose: input.purpose ?? `联合奖惩核查（应查尽查）：${matter.name}`,
      matter: matter.id,
      resultCount: refs.length,
      at: now,
    });
    return { checkId: check.id, ...answer };
  });
}

export const FeedbackInput = z.strictObject({
  measuresApplied: z
    .array(z.string().trim().min(1).max(64))
    .max(100)
    .refine((a) => new Set(a).size === a.length, { message: '措施不能重复' }),
  outcome: z.string().trim().min(1).max(5000),
});

/** 联合奖惩反馈: which of the answered measures the business system applied, once per check. */
export async function recordFeedback(deps: LookupDeps, principal: Principal, checkId: string, body: unknown) {
  const { db, clock } = deps;
  const notFound = () => new AppError(404, 'CHECK_NOT_FOUND', '核查记录不存在', 'check not found');
  if (principal.kind !== 'api_key') throw new AppError(403, 'API_KEY_REQUIRED', '反馈接口仅供业务系统使用（接口密钥）', 'feedback is for business systems (API keys)');
  if (!uuid.test(checkId)) throw notFound();
  const parsed = FeedbackInput.safeParse(body);
  if (!parsed.success) throw bodyError(parsed.error);
  const input = parsed.data;
  return db.transaction(async (tx) => {
    // The lock makes a concurrent second feedback wait, then see the first one.
    const [check] = await tx
      .select()
      .from(checks)
      .where(and(eq(checks.id, checkId), eq(checks.apiKeyId, principal.id)))
      .for('update');
    if (!check) throw notFound();
    const [previous] = await tx.select({ id: measuresApplied.id }).from(measuresApplied).where(eq(measuresApplied.checkId, check.id)).limit(1);
    if (previous) throw new AppError(409, 'FEEDBACK_EXISTS', '该核查已反馈，不能重复反馈', 'feedback for this check was already given');
    const result = check.result as { punishments?: { id: string }[]; incentives?: { id: string }[] };
    const offered = new Set([...(result.punishments ?? []), ...(result.incentives ?? [])].map((m) => m.id));
    const foreign = input.measuresApplied.filter((m) => !offered.has(m));
    if (foreign.length) {
      throw new AppError(
        422,
        'MEASURE_NOT_IN_CHECK',
        `措施不在本次核查结果中：${foreign.join('、')}`,
        `measures not in the check's answer: ${foreign.join(', ')}`,
        foreign.map((m) => ({ path: `measuresApplied.${input.measuresApplied.indexOf(m)}`, code: m, message: '不在本次核查结果中', messageEn: "not in the check's answer" })),
      );
    }
    const now = clock.now();
    const [row] = await tx.insert(measuresApplied).values({ checkId: check.id, measures: input.measuresApplied, outcome: input.outcome, at: now }).returning();
    if (!row) throw new Error('insert returned no row');
    return { id: row.id, checkId: check.id, measuresApplied: row.measures, outcome: row.outcome, at: row.at.toISOString() };
  });
}

// ---------------------------------------------------------------- the register

export const QueryLogQuery = z.object({
  _start: z.coerce.number().int().min(0).default(0),
  _end: z.coerce.number().int().min(0).default(20),
  _sort: z.enum(['at', 'id', 'subjectCode', 'department', 'resultCount']).optional(),
  _order: z.enum(['asc', 'desc', 'ASC', 'DESC']).optional(),
  /** A user id or an API key id. */
  actor: z.uuid().optional(),
  department: z.string().max(500).optional(),
  subjectCode: z.string().trim().max(32).optional(),
  matter: z.string().max(64).optional(),
  at_gte: z.iso.date().optional(),
  at_lte: z.iso.date().optional(),
});
export type QueryLogQuery = z.infer<typeof QueryLogQuery>;

/** Midnight of a civil date in a time zone, as an instant. */
export function startOfDay(date: string, timeZone: string): Date {
  const utc = Date.parse(`${date}T00:00:00Z`);
  const offset = (t: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(t)
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - t;
  };
  let t = utc - offset(utc);
  t = utc - offset(t);
  return new Date(t);
}

export async function listQueryLog(deps: LookupDeps, q: QueryLogQuery, scope: Scope) {
  const { db, model } = deps;
  const tz = model.platform.timezone;
  const where = and(
    scope === 'all' ? undefined : scope.length ? inArray(queryLog.department, [...scope]) : sql`false`,
    q.actor ? or(eq(queryLog.actorUserId, q.actor), eq(queryLog.actorApiKeyId, q.actor)) : undefined,
    q.department ? inArray(queryLog.department, q.department.split(',')) : undefined,
    q.subjectCode ? eq(queryLog.subjectCode, q.subjectCode.toUpperCase()) : undefined,
    q.matter ? eq(queryLog.matter, q.matter) : undefined,
    q.at_gte ? gte(queryLog.at, startOfDay(q.at_gte, tz)) : undefined,
    // Up to the end of that day: before the next day's midnight.
    q.at_lte ? sql`${queryLog.at} < ${startOfDay(addDays(q.at_lte, 1), tz).toISOString()}::timestamptz` : undefined,
  );
  const column = { at: queryLog.at, id: queryLog.id, subjectCode: queryLog.subjectCode, department: queryLog.department, resultCount: queryLog.resultCount }[q._sort ?? 'at'];
  const order = q._order?.toLowerCase() === 'asc' ? [asc(column), asc(queryLog.id)] : [desc(column), desc(queryLog.id)];
  const limit = Math.min(Math.max(0, q._end - q._start), 1000);
  const rows = await db
    .select({ r: queryLog, userName: users.displayName, username: users.username, keyName: apiKeys.name })
    .from(queryLog)
    .leftJoin(users, eq(users.id, queryLog.actorUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, queryLog.actorApiKeyId))
    .where(where)
    .orderBy(...order)
    .offset(q._start)
    .limit(limit);
  const [total] = await db.select({ n: count() }).from(queryLog).where(where);
  return {
    total: total?.n ?? 0,
    rows: rows.map(({ r, userName, username, keyName }) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actorUserId
        ? { kind: 'user' as const, id: r.actorUserId, name: userName, username }
        : { kind: 'api_key' as const, id: r.actorApiKeyId, name: keyName, username: null },
      department: r.department,
      departmentName: r.department ? (model.department(r.department)?.name ?? null) : null,
      subjectCode: r.subjectCode,
      purpose: r.purpose,
      matter: r.matter,
      resultCount: r.resultCount,
    })),
  };
}

