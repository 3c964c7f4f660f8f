/**
 * The procedure engine: one generic state machine for every list type. An
 * action runs in one transaction: lock the entry, check version, state,
 * permission, inputs and guards, move the entry, compute the due dates of the
 * state entered, append the event (gap-free seq), the audit record and the
 * outbox messages.
 */
import { and, desc, eq, max } from 'drizzle-orm';
import type { z } from 'zod';
import { attachedMaterialTypes, checkMaterialAttachments, type MaterialRef } from '../attachments/materials.ts';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import { can } from '../authz/permissions.ts';
import { listObject } from '../authz/policy.ts';
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import type { Period } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import { type Entry, entries, entryEvents, outbox, repairs } from '../db/schema.ts';
import { assignNumber } from '../documents/numbering.ts';
import { fieldSchemas } from '../entries/fields.ts';
import { AppError, issueDetails } from '../http/errors.ts';
import type { Calendar } from './calendar.ts';
import type { Clock } from './clock.ts';
import { dueDatesOnEntering } from './due-dates.ts';
import type { Transition } from './graph.ts';
import { actionInputs, type TransitionId } from './inputs.ts';

/**
 * Who acts: a user or business system (principal), the system itself (jobs,
 * demo data), or a member of the public on the portal (objections and repair
 * applications only; `address` is the client address the portal saw). Events
 * and audit records name the kind, so a public filing never looks like a
 * user's or the system's.
 */
export type PublicActor = { public: true; address?: string };
export type Actor = { principal: Principal } | { system: true } | PublicActor;
export type ActorKind = 'user' | 'api_key' | 'system' | 'public';

export function actorKind(actor: Actor): ActorKind {
  if ('principal' in actor) return actor.principal.kind;
  return 'system' in actor ? 'system' : 'public';
}

export type EngineDeps = { model: RuntimeModel; calendar: Calendar; clock: Clock };

const conflict = (code: string, message: string, messageEn: string, details: AppError['details'] = []) =>
  new AppError(409, code, message, messageEn, details);

/** Events whose publication state other systems must learn the same day. */
const outboxEvents: Record<string, string> = {
  publish: 'published',
  correct: 'corrected',
  repair: 'repaired',
  revoke: 'revoked',
  exit: 'exited',
  expire: 'exited',
  reinstate: 'reinstated',
};

export function transitionsFrom(list: CompiledList, status: string): Transition[] {
  return list.graph.transitions.filter((t) => t.from === status);
}

function findTransition(list: CompiledList, status: string, id: string): Transition {
  const tr = list.graph.transitions.find((t) => t.id === id && t.from === status);
  if (!tr) {
    const known = list.graph.transitions.some((t) => t.id === id);
    if (!known) throw new AppError(404, 'UNKNOWN_ACTION', `名单“${list.name}”没有操作“${id}”`, `list "${list.id}" has no action "${id}"`);
    const state = list.graph.states.find((s) => s.id === status)?.label ?? status;
    throw conflict('ACTION_NOT_ALLOWED_IN_STATE', `当前状态“${state}”不能执行此操作`, `action "${id}" is not allowed in state "${status}"`);
  }
  return tr;
}

/** The severity tier of an entry for lists whose term follows a publication regime. */
export function tierOf(model: RuntimeModel, list: CompiledList, fields: Record<string, unknown>) {
  if (list.term === 'none' || !list.term.by_severity) return undefined;
  const { regime, field } = list.term.by_severity;
  const tiers = model.platform.publication_regimes.find((r) => r.id === regime)?.tiers ?? [];
  return tiers.find((t) => t.name === fields[field]);
}

/** Due dates started by entering a state: the list's clocks plus the per-entry term and tier rules. */
export function dueOnEntering(
  deps: EngineDeps,
  list: CompiledList,
  entry: Pick<Entry, 'fields' | 'due'>,
  start: 'notice_served' | 'decision' | 'published' | 'corrected',
  date: string,
  termOverride?: Period,
): Record<string, string> {
  const due: Record<string, string> = { ...dueDatesOnEntering(deps.calendar, list.clocks, start, date) };
  if (list.term !== 'none' && list.term.from === start) {
    const tier = tierOf(deps.model, list, entry.fields);
    const term = termOverride ?? tier?.max ?? list.term.default ?? list.term.max;
    if (term) due.term_end = deps.calendar.addPeriod(date, term);
    if (tier?.min && list.repair !== false && !list.repair.min_published) due.min_period_end = deps.calendar.addPeriod(date, tier.min);
  }
  return due;
}

function actorColumns(actor: Actor) {
  const actorKindColumn = actorKind(actor);
  if (!('principal' in actor)) return { actorKind: actorKindColumn, actorUserId: null, actorApiKeyId: null };
  return actor.principal.kind === 'user'
    ? { actorKind: actorKindColumn, actorUserId: actor.principal.id, actorApiKeyId: null }
    : { actorKind: actorKindColumn, actorUserId: null, actorApiKeyId: actor.principal.id };
}

export function auditActor(actor: Actor) {
  if ('system' in actor) return { kind: 'system' as const, name: '系统' };
  if ('public' in actor) return { kind: 'public' as const, name: '社会公众', ...(actor.address ? { address: actor.address } : {}) };
  return { kind: actor.principal.kind, id: actor.principal.id, name: actor.principal.name };
}

/** Appends the next event of an entry; the caller holds the entry's row lock, so seq has no gaps. */
export async function appendEvent(
  tx: Db,
  entryId: string,
  e: { action: string; fromStatus: string | null; toStatus: string | null; actor: Actor; comment?: string | null; data?: Record<string, unknown>; at: Date },
): Promise<number> {
  const [row] = await tx.select({ last: max(entryEvents.seq) }).from(entryEvents).where(eq(entryEvents.entryId, entryId));
  const seq = (row?.last ?? 0) + 1;
  await tx.insert(entryEvents).values({
    entryId,
    seq,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    comment: e.comment ?? null,
    data: e.data ?? {},
    at: e.at,
    ...actorColumns(e.actor),
  });
  return seq;
}

export async function enqueueOutbox(tx: Db, model: RuntimeModel, entry: Entry, event: string, seq: number, now: Date): Promise<void> {
  const endpoints = model.platform.outbox.endpoints.filter((ep) => (ep.events as string[]).includes(event));
  if (!endpoints.length) return;
  await tx.insert(outbox).values(
    endpoints.map((ep) => ({
      event,
      entryId: entry.id,
      endpoint: ep.id,
      idempotencyKey: `${entry.id}:${seq}:${ep.id}`,
      payload: { event, entryId: entry.id, listId: entry.listId, department: entry.department, status: entry.status, seq, at: now.toISOString() },
      nextAttemptAt: now,
      createdAt: now,
    })),
  );
}

/** Statements recorded during the notice period that no later record answers. */
async function unansweredStatements(tx: Db, entryId: string): Promise<number[]> {
  const rows = await tx
    .select({ seq: entryEvents.seq, data: entryEvents.data })
    .from(entryEvents)
    .where(and(eq(entryEvents.entryId, entryId), eq(entryEvents.action, 'record-statement')));
  return openStatements(rows);
}

export function openStatements(rows: readonly { seq: number; action?: string; data: Record<string, unknown> }[]): number[] {
  const statements = rows.filter((r) => r.action === undefined || r.action === 'record-statement');
  const answered = new Set(statements.map((r) => (r.data as { answersSeq?: number }).answersSeq).filter((n) => n !== undefined));
  return statements
    .filter((r) => {
      const d = r.data as { content?: string; response?: unknown };
      return d.content && !d.response && !answered.has(r.seq);
    })
    .map((r) => r.seq)
    .sort((a, b) => a - b);
}

/** The per-entry term set at recognition, for lists whose term counts from publication. */
async function recognisedTerm(tx: Db, entryId: string): Promise<Period | undefined> {
  const [row] = await tx
    .select({ data: entryEvents.data })
    .from(entryEvents)
    .where(and(eq(entryEvents.entryId, entryId), eq(entryEvents.action, 'recognise')))
    .orderBy(desc(entryEvents.seq))
    .limit(1);
  return (row?.data as { term?: Period } | undefined)?.term;
}

function parseInputs<T extends TransitionId>(id: T, body: Record<string, unknown>): z.infer<(typeof actionInputs)[T]> {
  const { version: _v, comment: _c, ...rest } = body;
  const result = actionInputs[id].safeParse(rest);
  if (!result.success) {
    throw new AppError(
      422,
      'VALIDATION_FAILED',
      '操作所需信息不完整或不正确',
      'missing or invalid action inputs',
      issueDetails(result.error.issues),
    );
  }
  return result.data as z.infer<(typeof actionInputs)[T]>;
}

export type ActionRequest = {
  list: CompiledList;
  entryId: string;
  transitionId: string;
  body: Record<string, unknown> & { version?: unknown; comment?: unknown };
  actor: Actor;
  /** Departments whose entries the caller may see (the `view` scope); 'all' for the system. */
  visible: 'all' | readonly string[];
};

/**
 * Runs one action inside the caller's transaction and returns the updated entry.
 * Throws AppError (404 unknown or invisible entry, 403 lacking the action in
 * the entry's department, 409 stale version / wrong state / guard, 422 inputs).
 */
export async function performAction(tx: Db, deps: EngineDeps, req: ActionRequest): Promise<Entry> {
  const { list, actor } = req;
  // The public files objections and repair applications (entries/requests.ts); it never moves an entry.
  if ('public' in actor) throw new AppError(403, 'FORBIDDEN', '社会公众不能办理条目业务', 'the public cannot act on entries');
  const [entry] = await tx
    .select()
    .from(entries)
    .where(and(eq(entries.id, req.entryId), eq(entries.listId, list.id)))
    .for('update');
  if (!entry || (req.visible !== 'all' && !req.visible.includes(entry.department))) {
    throw new AppError(404, 'ENTRY_NOT_FOUND', '名单条目不存在', 'entry not found');
  }
  const system = 'system' in actor;
  if (!system) {
    if (typeof req.body.version !== 'number') {
      throw new AppError(422, 'VALIDATION_FAILED', '缺少版本号 version', 'version is required', [{ path: 'version', message: '必填' }]);
    }
    if (req.body.version !== entry.version) {
      throw conflict('VERSION_CONFLICT', '该条目已被他人修改，请刷新后重试', 'the entry was changed by someone else; reload and retry', [
        { path: 'version', message: `当前版本为 ${entry.version}`, current: entry.version },
      ]);
    }
  }
  if (req.body.comment !== undefined && (typeof req.body.comment !== 'string' || req.body.comment.length > 2000)) {
    throw new AppError(422, 'VALIDATION_FAILED', '备注须为不超过 2000 字的文本', 'comment must be text of at most 2000 characters', [{ path: 'comment', message: '格式错误' }]);
  }
  const tr = findTransition(list, entry.status, req.transitionId);
  if (tr.action === 'system' && !system) {
    throw new AppError(403, 'FORBIDDEN', '该操作由系统自动执行', 'this transition is run by the system');
  }
  if (!system && (tr.action === 'system' || !can(actor.principal.perms, listObject(list.id), tr.action, entry.department))) {
    throw new AppError(403, 'FORBIDDEN', `没有权限：${tr.label}`, `forbidden: ${tr.id}`);
  }

  const now = deps.clock.now();
  const today = deps.clock.today();
  const id = tr.id as TransitionId;
  const inputs = parseInputs(id, req.body) as Record<string, unknown>;
  if (Array.isArray(inputs.materials)) await checkMaterialAttachments(tx, entry.id, inputs.materials as MaterialRef[]);
  const set: Partial<typeof entries.$inferInsert> = { status: tr.to, version: entry.version + 1, updatedAt: now };
  let due = { ...entry.due };
  const data: Record<string, unknown> = { ...inputs };

  switch (id) {
    case 'notify': {
      const servedOn = (inputs.noticeServedAt as string | undefined) ?? today;
      if (servedOn > today) throw new AppError(422, 'DATE_IN_FUTURE', '送达日期不能晚于今天', 'the service date cannot be in the future', [{ path: 'noticeServedAt', message: '不能晚于今天' }]);
      set.noticeServedAt = servedOn;
      due = { ...due, ...dueOnEntering(deps, list, entry, 'notice_served', servedOn) };
      set.noticeEnd = due.notice_end ?? null;
      if (!inputs.noticeNo) data.noticeNo = (await assignNumber(tx, deps.model, { department: entry.department, docType: 'notice', date: servedOn })).number;
      break;
    }
    case 'record-statement': {
      if (!inputs.content && !inputs.answersSeq) {
        throw new AppError(422, 'VALIDATION_FAILED', '请填写陈述申辩内容，或指定要答复的陈述记录', 'give the statement, or the statement answered', [{ path: 'content', message: '必填' }]);
      }
      if (inputs.answersSeq) {
        if (inputs.adopted === undefined || !inputs.answer) {
          throw new AppError(422, 'VALIDATION_FAILED', '答复陈述申辩须填写是否采纳和答复意见', 'an answer needs adopted and answer', [
            ...(inputs.adopted === undefined ? [{ path: 'adopted', message: '必填' }] : []),
            ...(inputs.answer ? [] : [{ path: 'answer', message: '必填' }]),
          ]);
        }
        const open = await unansweredStatements(tx, entry.id);
        if (!open.includes(inputs.answersSeq as number)) throw conflict('NO_SUCH_STATEMENT', `第 ${inputs.answersSeq} 条记录不是待答复的陈述申辩`, 'no open statement with that number');
        data.response = { adopted: inputs.adopted, reason: inputs.answer };
      } else if (inputs.adopted !== undefined || inputs.answer) {
        // A statement recorded together with its answer needs no separate answer later.
        data.response = { adopted: inputs.adopted ?? false, reason: inputs.answer ?? '' };
      }
      break;
    }
    case 'request-hearing':
    case 'close-hearing':
      break;
    case 'recognise': {
      if (entry.noticeEnd && today <= entry.noticeEnd) {
        throw conflict('NOTICE_PERIOD_NOT_OVER', `陈述申辩期至 ${entry.noticeEnd} 届满，期满后方可认定`, `the statement period ends on ${entry.noticeEnd}`);
      }
      const open = await unansweredStatements(tx, entry.id);
      if (open.length) throw conflict('STATEMENTS_UNANSWERED', `尚有 ${open.length} 条陈述申辩未答复（记录序号 ${open.join('、')}）`, 'statements are not answered yet', open.map((s) => ({ message: `记录 ${s}`, seq: s })));
      if (list.procedure.recognise !== false && list.procedure.recognise.separate_reviewer && !system && entry.createdBy === actor.principal.id) {
        throw conflict('SEPARATION_OF_DUTIES', '本名单实行审办分离：起草人不能认定自己起草的条目', 'separation of duties: the drafter may not recognise');
      }
      const decisionDate = inputs.decisionDate as string;
      if (decisionDate > today) throw new AppError(422, 'DATE_IN_FUTURE', '决定日期不能晚于今天', 'the decision date cannot be in the future', [{ path: 'decisionDate', message: '不能晚于今天' }]);
      if (entry.noticeEnd && decisionDate <= entry.noticeEnd) {
        throw new AppError(422, 'DECISION_BEFORE_NOTICE_END', `决定日期须在陈述申辩期（至 ${entry.noticeEnd}）届满之后`, 'the decision must follow the statement period', [{ path: 'decisionDate', message: `须晚于 ${entry.noticeEnd}` }]);
      }
      const term = inputs.term as Period | undefined;
      if (term) checkTermRange(list, term);
      let decisionNo = (inputs.decisionNo as string | undefined) ?? entry.decisionNo ?? undefined;
      if (!decisionNo) {
        if (list.procedure.recognise === false || !list.procedure.recognise.decision_document) {
          throw new AppError(422, 'VALIDATION_FAILED', '请填写认定决定书文号', 'decisionNo is required', [{ path: 'decisionNo', message: '必填' }]);
        }
        decisionNo = (await assignNumber(tx, deps.model, { department: entry.department, docType: 'decision', date: decisionDate })).number;
      }
      set.decisionNo = decisionNo;
      data.decisionNo = decisionNo;
      set.decisionDate = decisionDate;
      set.recognisedAt = now;
      set.configVersionRecognised = deps.model.version;
      due = { ...due, ...dueOnEntering(deps, list, entry, 'decision', decisionDate, term) };
      break;
    }
    case 'publish': {
      const decisionDate = entry.decisionDate ?? (inputs.decisionDate as string | undefined);
      const decisionNo = entry.decisionNo ?? (inputs.decisionNo as string | undefined);
      if (!decisionDate || !decisionNo) {
        throw new AppError(422, 'DECISION_REQUIRED', '公示前须登记决定书文号和决定日期', 'the decision number and date are required before publication', [
          ...(decisionNo ? [] : [{ path: 'decisionNo', message: '必填' }]),
          ...(decisionDate ? [] : [{ path: 'decisionDate', message: '必填' }]),
        ]);
      }
      const tier = tierOf(deps.model, list, entry.fields);
      if (tier && !tier.publish) throw conflict('NOT_PUBLISHABLE', `失信程度为“${tier.name}”的信息依规不予公示`, `tier "${tier.id}" is not published`);
      if (decisionDate > today) throw new AppError(422, 'DATE_IN_FUTURE', '决定日期不能晚于今天', 'the decision date cannot be in the future', [{ path: 'decisionDate', message: '不能晚于今天' }]);
      if (!entry.decisionDate) {
        set.decisionDate = decisionDate;
        set.decisionNo = decisionNo;
      }
      // A record type has no recognition: its decision clocks start from the administrative decision, however it was given.
      if (list.procedure.recognise === false) due = { ...due, ...dueOnEntering(deps, list, entry, 'decision', decisionDate) };
      set.publishedAt = now;
      due = { ...due, ...dueOnEntering(deps, list, entry, 'published', today, await recognisedTerm(tx, entry.id)) };
      if (due.publish_due && today > due.publish_due) data.late = true;
      break;
    }
    case 'withdraw':
      break;
    case 'correct': {
      const patch = fieldSchemas(list).patch.safeParse(inputs.fields);
      if (!patch.success) {
        throw new AppError(422, 'VALIDATION_FAILED', '更正内容不符合字段要求', 'invalid corrected fields', issueDetails(patch.error.issues, 'fields'));
      }
      const fields = { ...entry.fields };
      for (const [k, v] of Object.entries(patch.data)) {
        if (v === null) delete fields[k];
        else fields[k] = v;
      }
      set.fields = fields;
      data.before = entry.fields;
      break;
    }
    case 'record-correction': {
      const correctedOn = inputs.correctedOn as string;
      if (correctedOn > today) throw new AppError(422, 'DATE_IN_FUTURE', '纠正日期不能晚于今天', 'the correction date cannot be in the future', [{ path: 'correctedOn', message: '不能晚于今天' }]);
      if (entry.decisionDate && correctedOn < entry.decisionDate) throw new AppError(422, 'DATE_BEFORE_DECISION', '纠正日期不能早于决定日期', 'the correction date cannot precede the decision', [{ path: 'correctedOn', message: '不能早于决定日期' }]);
      due = { ...due, ...dueOnEntering(deps, list, entry, 'corrected', correctedOn) };
      break;
    }
    case 'repair': {
      if (list.repair === false) throw conflict('NOT_REPAIRABLE', '本名单不适用信用修复', 'this list does not allow repair');
      const minimum = list.repair.min_published ?? tierOf(deps.model, list, entry.fields)?.min;
      if (minimum && !due.min_period_end) {
        const hint = list.repair.from === 'corrected' ? '，须先登记纠正失信行为' : '';
        throw conflict('MIN_PERIOD_NOT_OVER', `最短公示期尚未起算${hint}`, 'the minimum period has not started yet');
      }
      if (due.min_period_end && today < due.min_period_end) {
        throw conflict('MIN_PERIOD_NOT_OVER', `最短公示期至 ${due.min_period_end} 届满，届满后方可修复`, `the minimum period ends on ${due.min_period_end}`);
      }
      const cond = list.repair.not_repairable_when;
      if (cond?.in.includes(String(entry.fields[cond.field]))) {
        throw conflict('NOT_REPAIRABLE', `“${String(entry.fields[cond.field])}”情形依规不予修复`, 'the entry falls under a non-repairable condition');
      }
      const [app] = await tx.select().from(repairs).where(and(eq(repairs.id, inputs.repairId as string), eq(repairs.entryId, entry.id))).for('update');
      if (!app) throw new AppError(404, 'REPAIR_NOT_FOUND', '修复申请不存在', 'repair application not found');
      if (app.status !== 'accepted') throw conflict('REPAIR_NOT_ACCEPTED', '修复申请须先受理，方可决定修复', 'the repair application must be accepted first');
      const provided = new Set([...(app.materials as { type?: string }[]).map((m) => m.type), ...(await attachedMaterialTypes(tx, app.id))]);
      const missing = list.repair.requires.filter((m) => !provided.has(m));
      if (missing.length) throw materialsMissing(deps.model, missing);
      await tx.update(repairs).set({ status: 'approved', result: 'approved', decidedAt: now, version: app.version + 1 }).where(eq(repairs.id, app.id));
      set.exitedAt = now;
      set.exitReason = 'repaired';
      break;
    }
    case 'reinstate':
      // Only an exit obtained early (possibly by fraud) or a repair is undone; an expired term stays expired.
      if (entry.status === 'exited' && !entry.exitReason?.startsWith('early:')) {
        throw conflict('NOT_REINSTATABLE', '只有提前移出的条目可以恢复', 'only an early exit can be reinstated');
      }
      set.exitedAt = null;
      set.exitReason = null;
      break;
    case 'exit': {
      const condition = inputs.condition as string;
      const early = list.exit.early.find((e) => e.id === condition);
      if (early) {
        const from = due[`early_exit_${early.id}`];
        if (!from || today < from) throw conflict('EXIT_CONDITION_NOT_MET', `提前移出条件“${early.label}”须满 ${from ?? '规定期限'} 后方可申请`, `early exit "${early.id}" is possible from ${from ?? 'its date'}`);
        const provided = new Set((inputs.materials as { type: string }[]).map((m) => m.type));
        const missing = early.requires.filter((m) => !provided.has(m));
        if (missing.length) throw materialsMissing(deps.model, missing);
      } else if (condition === 'term-end' && list.term !== 'none' && list.exit.on_term_end === 'manual') {
        if (!due.term_end || today <= due.term_end) throw conflict('EXIT_CONDITION_NOT_MET', `列入期限至 ${due.term_end ?? '未知'} 届满`, 'the term has not ended');
      } else {
        throw new AppError(422, 'UNKNOWN_EXIT_CONDITION', `未知的移出条件“${condition}”`, `unknown exit condition "${condition}"`, [{ path: 'condition', message: `可选：${[...list.exit.early.map((e) => e.id), ...(list.exit.on_term_end === 'manual' ? ['term-end'] : [])].join('、')}` }]);
      }
      set.exitedAt = now;
      set.exitReason = early ? `early:${early.id}` : 'term-end';
      break;
    }
    case 'expire':
      if (!due.term_end || today <= due.term_end) throw conflict('TERM_NOT_ENDED', '列入期限尚未届满', 'the term has not ended');
      set.exitedAt = now;
      set.exitReason = 'expired';
      break;
    case 'revoke':
      set.exitedAt = now;
      set.exitReason = 'revoked';
      break;
  }
  set.due = due;
  for (const [clock, column] of [['notice_end', 'noticeEnd'], ['publish_due', 'publishDue'], ['min_period_end', 'minPeriodEnd'], ['term_end', 'termEnd']] as const) {
    if (due[clock]) set[column] = due[clock];
  }
  const [updated] = await tx.update(entries).set(set).where(eq(entries.id, entry.id)).returning();
  if (!updated) throw new Error('entry vanished under its row lock');
  const comment = typeof req.body.comment === 'string' ? req.body.comment : null;
  const seq = await appendEvent(tx, entry.id, { action: tr.id, fromStatus: entry.status, toStatus: tr.to, actor, comment, data, at: now });
  await appendAudit(tx, {
    chain: `entry:${entry.id}`,
    actor: auditActor(actor),
    action: `entry.${tr.id}`,
    targetType: 'entry',
    targetId: entry.id,
    before: { status: entry.status, version: entry.version, fields: entry.fields, due: entry.due },
    after: { status: updated.status, version: updated.version, fields: updated.fields, due: updated.due, inputs: data, comment },
    at: now,
  });
  const event = outboxEvents[tr.id];
  if (event) await enqueueOutbox(tx, deps.model, updated, event, seq, now);
  return updated;
}

function materialsMissing(model: RuntimeModel, missing: string[]): AppError {
  const names = missing.map((m) => model.platform.materials.find((x) => x.id === m)?.name ?? m);
  return new AppError(422, 'MATERIALS_MISSING', `缺少材料：${names.join('、')}`, `missing materials: ${missing.join(', ')}`, missing.map((m, i) => ({ path: 'materials', code: m, message: names[i] ?? m })));
}

function checkTermRange(list: CompiledList, term: Period): void {
  if (list.term === 'none') throw new AppError(422, 'TERM_NOT_APPLICABLE', '本名单没有列入期限', 'this list has no term', [{ path: 'term', message: '不适用' }]);
  const months = (p: Period) => (p.years ?? 0) * 12 + (p.months ?? 0) + (p.days ?? 0) / 30 + (p.working_days ?? 0) / 21;
  const { min, max } = list.term;
  if ((min && months(term) < months(min)) || (max && months(term) > months(max))) {
    throw new AppError(422, 'TERM_OUT_OF_RANGE', '列入期限超出本名单规定的范围', 'the term is outside the list’s range', [{ path: 'term', message: '超出范围' }]);
  }
}
