/**
 * Entries of one list type: list with filters, read with history and the
 * actions open now, create and edit drafts. The caller's scope (departments)
 * is applied in the SQL, never by filtering after the fetch.
 */
import { and, asc, count, desc, eq, gte, ilike, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { can, scopeOf } from '../authz/permissions.ts';
import { listObject } from '../authz/policy.ts';
import type { CompiledList } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { type Entry, entries, entryEvents, objections, repairs, subjects, users } from '../db/schema.ts';
import { AppError, issueDetails } from '../http/errors.ts';
import type { Scope } from '../http/env.ts';
import { appendEvent, auditActor, dueOnEntering, type EngineDeps, openStatements, transitionsFrom } from '../procedures/engine.ts';
import { inputDescriptors, type TransitionId } from '../procedures/inputs.ts';
import { RelatedPersonInput, SubjectInput, upsertSubject } from '../subjects/service.ts';
import { fieldSchemas } from './fields.ts';
import { entryView, eventView } from './view.ts';

export const notFoundEntry = () => new AppError(404, 'ENTRY_NOT_FOUND', '名单条目不存在', 'entry not found');

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

function inScope(scope: Scope): SQL | undefined {
  if (scope === 'all') return undefined;
  if (!scope.length) return sql`false`;
  return inArray(entries.department, [...scope]);
}

export const EntryListQuery = z.looseObject({
  _start: z.coerce.number().int().min(0).default(0),
  _end: z.coerce.number().int().min(0).default(20),
  _sort: z.enum(['createdAt', 'updatedAt', 'status', 'decisionDate', 'termEnd', 'publishDue', 'department', 'subject.name', 'subjectName']).optional(),
  _order: z.enum(['asc', 'desc', 'ASC', 'DESC']).optional(),
  status: z.string().max(200).optional(),
  department: z.string().max(500).optional(),
  subjectCode: z.string().max(32).optional(),
  q: z.string().max(100).optional(),
  createdAt_gte: z.iso.date().optional(),
  createdAt_lte: z.iso.date().optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** Entries with an objection waiting for an answer, or a repair application waiting for a decision. */
  openRequest: z.enum(['objection', 'repair']).optional(),
});
export type EntryListQuery = z.infer<typeof EntryListQuery>;

/** `f.<field>=value` filters: equality on simple fields, membership on multi-enum. */
function fieldFilters(list: CompiledList, query: Record<string, unknown>): SQL[] {
  const out: SQL[] = [];
  for (const [k, raw] of Object.entries(query)) {
    if (!k.startsWith('f.')) continue;
    const range = /_(gte|lte)$/.exec(k);
    const key = range ? k.slice(2, -4) : k.slice(2);
    const field = list.fields.find((f) => f.key === key);
    if (!field) throw new AppError(422, 'UNKNOWN_FILTER', `未知的筛选字段“${key}”`, `unknown filter field "${key}"`, [{ path: k, message: '未声明的字段' }]);
    const value = String(raw);
    if (range) {
      const op = range[1] === 'gte' ? sql.raw('>=') : sql.raw('<=');
      if (field.type === 'date') {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new AppError(422, 'VALIDATION_FAILED', `筛选值“${value}”不是日期`, 'not a date', [{ path: k, message: '应为 YYYY-MM-DD' }]);
        out.push(sql`(${entries.fields} ->> ${key}) ${op} ${value}`);
      } else if (field.type === 'number' || field.type === 'money') {
        const n = Number(value);
        if (!Number.isFinite(n)) throw new AppError(422, 'VALIDATION_FAILED', `筛选值“${value}”不是数字`, 'not a number', [{ path: k, message: '应为数字' }]);
        out.push(sql`(${entries.fields} ->> ${key})::numeric ${op} ${n}`);
      } else throw new AppError(422, 'UNKNOWN_FILTER', `字段“${key}”不支持范围筛选`, `field "${key}" has no range filter`, [{ path: k, message: '仅日期和数字字段支持范围' }]);
      continue;
    }
    if (field.type === 'multi-enum') out.push(sql`${entries.fields} -> ${key} ? ${value}`);
    else if (field.type === 'number' || field.type === 'money') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new AppError(422, 'VALIDATION_FAILED', `筛选值“${value}”不是数字`, 'not a number', [{ path: k, message: '应为数字' }]);
      out.push(sql`(${entries.fields} ->> ${key})::numeric = ${n}`);
    } else if (field.type === 'boolean') out.push(sql`(${entries.fields} ->> ${key}) = ${value === 'true' ? 'true' : 'false'}`);
    else out.push(sql`(${entries.fields} ->> ${key}) = ${value}`);
  }
  return out;
}

/** The body of POST entries; batch imports validate every row with the same schema. */
export function entryCreateSchema(list: CompiledList) {
  return z.strictObject({
    subject: SubjectInput,
    relatedPersons: z.array(RelatedPersonInput).max(20).default([]),
    fields: fieldSchemas(list).create,
    department: z.string().max(64).optional(),
    decisionNo: z.string().trim().min(1).max(100).optional(),
    decisionDate: z.iso.date().optional(),
  });
}

/** The rows a list view shows: its filters and the caller's scope (exports apply the same). */
export function entryListWhere(list: CompiledList, q: EntryListQuery, visible: Scope): SQL | undefined {
  return and(
    eq(entries.listId, list.id),
    inScope(visible),
    q.status ? inArray(entries.status, q.status.split(',')) : undefined,
    q.department ? inArray(entries.department, q.department.split(',')) : undefined,
    q.subjectCode ? eq(subjects.code, q.subjectCode.trim().toUpperCase()) : undefined,
    q.q ? or(ilike(subjects.name, `%${q.q}%`), ilike(subjects.code, `%${q.q}%`)) : undefined,
    q.createdAt_gte ? gte(entries.createdAt, new Date(`${q.createdAt_gte}T00:00:00+08:00`)) : undefined,
    q.createdAt_lte ? lte(entries.createdAt, new Date(`${q.createdAt_lte}T23:59:59.999+08:00`)) : undefined,
    q.overdue ? eq(entries.overdue, q.overdue === 'true') : undefined,
    q.openRequest === 'objection' ? sql`exists (select 1 from ${objections} where ${objections.entryId} = ${entries.id} and ${objections.status} = 'received')` : undefined,
    q.openRequest === 'repair' ? sql`exists (select 1 from ${repairs} where ${repairs.entryId} = ${entries.id} and ${repairs.status} in ('applied', 'accepted'))` : undefined,
    ...fieldFilters(list, q),
  );
}

export type EntryService = ReturnType<typeof createEntryService>;

/** How an event without a user names its actor. */
const actorNames = { user: null, api_key: '业务系统', system: '系统', public: '社会公众' } as const;

export function createEntryService(deps: EngineDeps, db: Db) {
  const { model, clock } = deps;
  const tz = model.platform.timezone;

  async function load(tx: Db, list: CompiledList, id: string, visible: Scope) {
    if (!isUuid(id)) throw notFoundEntry();
    const [row] = await tx
      .select({ e: entries, s: subjects })
      .from(entries)
      .innerJoin(subjects, eq(subjects.id, entries.subjectId))
      .where(and(eq(entries.id, id), eq(entries.listId, list.id), inScope(visible)));
    if (!row) throw notFoundEntry();
    return row;
  }

  /** The transitions this principal may take on the entry now, with the reason where a guard blocks one. */
  function openActions(list: CompiledList, e: Entry, principal: Principal, events: readonly { seq: number; action: string; data: Record<string, unknown> }[]) {
    const today = clock.today();
    const unanswered = openStatements(events);
    return transitionsFrom(list, e.status)
      .filter((t) => t.action !== 'system' && can(principal.perms, listObject(list.id), t.action, e.department))
      .map((t) => {
        let blocked: { code: string; message: string } | undefined;
        if (t.id === 'recognise' && e.noticeEnd && today <= e.noticeEnd) blocked = { code: 'NOTICE_PERIOD_NOT_OVER', message: `陈述申辩期至 ${e.noticeEnd} 届满` };
        if (t.id === 'recognise' && !blocked && unanswered.length) blocked = { code: 'STATEMENTS_UNANSWERED', message: `尚有陈述申辩未答复（记录序号 ${unanswered.join('、')}）` };
        if (t.id === 'recognise' && list.procedure.recognise !== false && list.procedure.recognise.separate_reviewer && e.createdBy === principal.id) {
          blocked = { code: 'SEPARATION_OF_DUTIES', message: '审办分离：起草人不能认定' };
        }
        if (t.id === 'repair' && e.due.min_period_end && today < e.due.min_period_end) blocked = { code: 'MIN_PERIOD_NOT_OVER', message: `最短公示期至 ${e.due.min_period_end} 届满` };
        const inputs = inputDescriptors[t.id as TransitionId].map((d) =>
          d.key === 'condition' ? { ...d, options: [...list.exit.early.map((x) => x.id), ...(list.exit.on_term_end === 'manual' ? ['term-end'] : [])] } : d,
        );
        return { id: t.id, action: t.action, label: t.label, labelEn: t.labelEn, to: t.to, inputs, ...(blocked ? { blocked } : {}) };
      });
  }

  /** A record type's decision clocks (publication deadline) start with its administrative decision, already in draft. */
  function recordDue(list: CompiledList, fields: Record<string, unknown>, decisionDate: string | undefined) {
    if (list.procedure.recognise !== false || !decisionDate) return {};
    const due = dueOnEntering(deps, list, { fields, due: {} }, 'decision', decisionDate);
    return { due, publishDue: due.publish_due ?? null };
  }

  return {
    async list(list: CompiledList, q: EntryListQuery, visible: Scope) {
      const where = entryListWhere(list, q, visible);
      const sortColumn = {
        createdAt: entries.createdAt,
        updatedAt: entries.updatedAt,
        status: entries.status,
        decisionDate: entries.decisionDate,
        termEnd: entries.termEnd,
        publishDue: entries.publishDue,
        department: entries.department,
        'subject.name': subjects.name,
        subjectName: subjects.name,
      }[q._sort ?? 'createdAt'];
      const order = q._order?.toLowerCase() === 'asc' ? asc(sortColumn) : desc(sortColumn);
      const limit = Math.min(Math.max(0, q._end - q._start), 1000);
      const rows = await db
        .select({ e: entries, s: subjects })
        .from(entries)
        .innerJoin(subjects, eq(subjects.id, entries.subjectId))
        .where(where)
        .orderBy(order, desc(entries.id))
        .offset(q._start)
        .limit(limit);
      const [total] = await db.select({ n: count() }).from(entries).innerJoin(subjects, eq(subjects.id, entries.subjectId)).where(where);
      return { rows: rows.map((r) => entryView(r.e, r.s, tz)), total: total?.n ?? 0 };
    },

    async detail(list: CompiledList, id: string, principal: Principal, visible: Scope, tx: Db = db) {
      const { e, s } = await load(tx, list, id, visible);
      const events = await tx
        .select({ ev: entryEvents, name: users.displayName })
        .from(entryEvents)
        .leftJoin(users, eq(users.id, entryEvents.actorUserId))
        .where(eq(entryEvents.entryId, e.id))
        .orderBy(asc(entryEvents.seq));
      const objs = await tx.select().from(objections).where(eq(objections.entryId, e.id)).orderBy(asc(objections.receivedAt));
      const reps = await tx.select().from(repairs).where(eq(repairs.entryId, e.id)).orderBy(asc(repairs.appliedAt));
      return {
        ...entryView(e, s, tz),
        events: events.map((r) => eventView(r.ev, r.ev.actorUserId ? r.name : actorNames[r.ev.actorKind])),
        objections: objs.map(({ contact: _c, ...o }) => o),
        repairs: reps,
        actions: openActions(list, e, principal, events.map((r) => r.ev)),
      };
    },

    /** Creates a draft in `outer` when given (the caller's transaction), else in a transaction of its own. */
    async create(list: CompiledList, body: unknown, principal: Principal, outer?: Db) {
      if (list.status === 'retired') throw new AppError(409, 'LIST_RETIRED', `名单“${list.name}”已停用，不能新增条目`, 'the list type is retired');
      const parsed = entryCreateSchema(list).safeParse(body);
      if (!parsed.success) throw bodyError(parsed.error);
      const input = parsed.data;
      if (!list.subject_kinds.includes(input.subject.kind)) {
        throw new AppError(422, 'SUBJECT_KIND_NOT_ALLOWED', `本名单不适用于该类主体`, 'this list does not take subjects of this kind', [
          { path: 'subject.kind', message: `可选：${list.subject_kinds.join('、')}` },
        ]);
      }
      const createScope = scopeOf(principal.perms, listObject(list.id), 'create');
      const department = input.department ?? (createScope !== 'all' && createScope.length === 1 ? createScope[0] : undefined);
      if (!department) throw new AppError(422, 'DEPARTMENT_REQUIRED', '请选择条目所属部门', 'choose the department of the entry', [{ path: 'department', message: '必填' }]);
      if (!model.department(department)) throw new AppError(422, 'UNKNOWN_DEPARTMENT', `未知的部门“${department}”`, 'unknown department', [{ path: 'department', message: '部门不存在' }]);
      if (!can(principal.perms, listObject(list.id), 'create', department)) throw new AppError(403, 'FORBIDDEN', '没有权限在该部门新增条目', 'forbidden: create in that department');
      if (input.decisionDate && input.decisionDate > clock.today()) {
        throw new AppError(422, 'DATE_IN_FUTURE', '决定日期不能晚于今天', 'the decision date cannot be in the future', [{ path: 'decisionDate', message: '不能晚于今天' }]);
      }
      const now = clock.now();
      const actor = { principal };
      const write = async (tx: Db) => {
        const subject = await upsertSubject(tx, input.subject, 'subject', now);
        const related = [];
        for (const [i, p] of input.relatedPersons.entries()) {
          const r = await upsertSubject(tx, p, `relatedPersons.${i}`, now);
          related.push({ role: p.role, kind: r.subject.kind, subjectId: r.subject.id, code: r.subject.code, name: r.subject.name });
        }
        const [entry] = await tx
          .insert(entries)
          .values({
            listId: list.id,
            department,
            subjectId: subject.subject.id,
            status: list.graph.initial,
            fields: input.fields,
            relatedPersons: related,
            decisionNo: input.decisionNo ?? null,
            decisionDate: input.decisionDate ?? null,
            ...recordDue(list, input.fields, input.decisionDate),
            configVersionCreated: model.version,
            createdBy: principal.kind === 'user' ? principal.id : null,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!entry) throw new Error('insert returned no row');
        const data: Record<string, unknown> = {};
        if (subject.overridden) data.codeOverride = { code: subject.subject.code, reason: input.subject.codeOverrideReason };
        await appendEvent(tx, entry.id, { action: 'create', fromStatus: null, toStatus: entry.status, actor, data, at: now });
        await appendAudit(tx, {
          chain: `entry:${entry.id}`,
          actor: auditActor(actor),
          action: 'entry.create',
          targetType: 'entry',
          targetId: entry.id,
          before: null,
          after: { status: entry.status, fields: entry.fields, subject: subject.subject.code, department, codeOverride: data.codeOverride ?? null },
          at: now,
        });
        return entryView(entry, subject.subject, tz);
      };
      return outer ? write(outer) : db.transaction(write);
    },

    async update(list: CompiledList, id: string, body: unknown, principal: Principal, visible: Scope) {
      const schema = z.strictObject({
        version: z.number().int(),
        subject: SubjectInput.optional(),
        relatedPersons: z.array(RelatedPersonInput).max(20).optional(),
        fields: fieldSchemas(list).patch.optional(),
        decisionNo: z.string().trim().min(1).max(100).nullable().optional(),
        decisionDate: z.iso.date().nullable().optional(),
      });
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw bodyError(parsed.error);
      const input = parsed.data;
      if (input.decisionDate && input.decisionDate > clock.today()) {
        throw new AppError(422, 'DATE_IN_FUTURE', '决定日期不能晚于今天', 'the decision date cannot be in the future', [{ path: 'decisionDate', message: '不能晚于今天' }]);
      }
      const now = clock.now();
      return db.transaction(async (tx) => {
        const [e] = await tx.select().from(entries).where(and(eq(entries.id, isUuid(id) ? id : '00000000-0000-0000-0000-000000000000'), eq(entries.listId, list.id), inScope(visible))).for('update');
        if (!e) throw notFoundEntry();
        if (!can(principal.perms, listObject(list.id), 'edit-draft', e.department)) throw new AppError(403, 'FORBIDDEN', '没有权限修改草稿', 'forbidden: edit-draft');
        if (e.status !== list.graph.initial) throw new AppError(409, 'NOT_A_DRAFT', '只能修改草稿状态的条目', 'only drafts can be edited');
        if (e.version !== input.version) throw new AppError(409, 'VERSION_CONFLICT', '该条目已被他人修改，请刷新后重试', 'the entry was changed by someone else', [{ path: 'version', message: `当前版本为 ${e.version}`, current: e.version }]);
        const set: Partial<typeof entries.$inferInsert> = { version: e.version + 1, updatedAt: now };
        let subjectRow = (await tx.select().from(subjects).where(eq(subjects.id, e.subjectId)))[0];
        if (input.subject) {
          if (!list.subject_kinds.includes(input.subject.kind)) throw new AppError(422, 'SUBJECT_KIND_NOT_ALLOWED', '本名单不适用于该类主体', 'subject kind not allowed', [{ path: 'subject.kind', message: '不适用' }]);
          subjectRow = (await upsertSubject(tx, input.subject, 'subject', now)).subject;
          set.subjectId = subjectRow.id;
        }
        if (input.relatedPersons) {
          const related = [];
          for (const [i, p] of input.relatedPersons.entries()) {
            const r = await upsertSubject(tx, p, `relatedPersons.${i}`, now);
            related.push({ role: p.role, kind: r.subject.kind, subjectId: r.subject.id, code: r.subject.code, name: r.subject.name });
          }
          set.relatedPersons = related;
        }
        if (input.fields) {
          const fields = { ...e.fields };
          for (const [k, v] of Object.entries(input.fields)) {
            if (v === null) delete fields[k];
            else if (v !== undefined) fields[k] = v;
          }
          set.fields = fields;
        }
        if (input.decisionNo !== undefined) set.decisionNo = input.decisionNo;
        if (input.decisionDate !== undefined) {
          set.decisionDate = input.decisionDate;
          Object.assign(set, recordDue(list, (set.fields as Record<string, unknown> | undefined) ?? e.fields, input.decisionDate ?? undefined));
        }
        const [updated] = await tx.update(entries).set(set).where(eq(entries.id, e.id)).returning();
        if (!updated || !subjectRow) throw new Error('entry vanished under its row lock');
        const actor = { principal };
        await appendEvent(tx, e.id, { action: 'edit-draft', fromStatus: e.status, toStatus: e.status, actor, data: { changed: Object.keys(input).filter((k) => k !== 'version') }, at: now });
        await appendAudit(tx, { chain: `entry:${e.id}`, actor: auditActor(actor), action: 'entry.edit-draft', targetType: 'entry', targetId: e.id, before: { fields: e.fields, subjectId: e.subjectId }, after: { fields: updated.fields, subjectId: updated.subjectId }, at: now });
        return entryView(updated, subjectRow, tz);
      });
    },

    async remove(list: CompiledList, id: string, principal: Principal, visible: Scope) {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const [e] = await tx.select().from(entries).where(and(eq(entries.id, isUuid(id) ? id : '00000000-0000-0000-0000-000000000000'), eq(entries.listId, list.id), inScope(visible))).for('update');
        if (!e) throw notFoundEntry();
        if (!can(principal.perms, listObject(list.id), 'edit-draft', e.department)) throw new AppError(403, 'FORBIDDEN', '没有权限删除草稿', 'forbidden: delete draft');
        if (e.status !== list.graph.initial) throw new AppError(409, 'NOT_A_DRAFT', '只能删除草稿状态的条目', 'only drafts can be deleted');
        await appendAudit(tx, { chain: `entry:${e.id}`, actor: auditActor({ principal }), action: 'entry.delete-draft', targetType: 'entry', targetId: e.id, before: { status: e.status, fields: e.fields, subjectId: e.subjectId }, after: null, at: now });
        await tx.delete(entryEvents).where(eq(entryEvents.entryId, e.id));
        await tx.delete(entries).where(eq(entries.id, e.id));
      });
    },

    load,
  };
}

export function bodyError(error: z.ZodError): AppError {
  return new AppError(
    422,
    'VALIDATION_FAILED',
    '提交的内容不符合要求',
    'invalid request body',
    issueDetails(error.issues),
  );
}

