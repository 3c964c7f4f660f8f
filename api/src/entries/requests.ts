/**
 * Objections (异议) and repair applications (信用修复申请): sub-resources of a
 * published entry with their own states and time limits.
 *   objection: received → answered (result corrected | upheld | rejected)
 *   repair:    applied → accepted | refused; accepted → approved (the entry's
 *              `repair` action) | rejected
 * Each change locks the entry row, so its events keep a gap-free sequence.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { checkMaterialAttachments } from '../attachments/materials.ts';
import { appendAudit } from '../audit/chain.ts';
import { can } from '../authz/permissions.ts';
import { listObject } from '../authz/policy.ts';
import type { CompiledList } from '../config/compile.ts';
import type { ListAction } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import { type Entry, entries, objections, repairs } from '../db/schema.ts';
import { AppError, issueDetails } from '../http/errors.ts';
import type { Scope } from '../http/env.ts';
import { type Actor, appendEvent, auditActor, type EngineDeps, performAction } from '../procedures/engine.ts';
import { Material } from '../procedures/inputs.ts';
import { notFoundEntry } from './service.ts';

export const ObjectionInput = z.strictObject({
  content: z.string().trim().min(1).max(5000),
  contact: z.strictObject({ name: z.string().trim().min(1).max(50), phone: z.string().trim().max(30).optional(), email: z.email().optional() }).optional(),
});
export const ObjectionAnswer = z.strictObject({
  version: z.number().int(),
  result: z.enum(['corrected', 'upheld', 'rejected']),
  answer: z.string().trim().min(1).max(5000),
  /** With `corrected`: the corrected field values, applied to the entry in the same transaction. */
  fields: z.record(z.string(), z.unknown()).optional(),
  entryVersion: z.number().int().optional(),
});
export const RepairInput = z.strictObject({
  application: z.strictObject({
    reason: z.string().trim().min(1).max(5000),
    contact: z.strictObject({ name: z.string().trim().min(1).max(50), phone: z.string().trim().max(30).optional() }).optional(),
  }),
  materials: z.array(Material).max(20).default([]),
});
export const RepairDecision = z.strictObject({ version: z.number().int(), reason: z.string().trim().min(1).max(5000).optional() });

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const trackingNo = (prefix: string, today: string) => `${prefix}${today.replaceAll('-', '')}${randomBytes(4).toString('hex').toUpperCase()}`;

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new AppError(422, 'VALIDATION_FAILED', '提交的内容不符合要求', 'invalid request body', issueDetails(r.error.issues));
  return r.data;
}

/** Locks the entry; 404 outside the caller's view, 403 when the caller lacks `action` in the entry's department. */
async function lockEntry(tx: Db, list: CompiledList, entryId: string, visible: Scope, actor: Actor, action: ListAction): Promise<Entry> {
  if (!isUuid(entryId)) throw notFoundEntry();
  const [e] = await tx.select().from(entries).where(and(eq(entries.id, entryId), eq(entries.listId, list.id))).for('update');
  if (!e || (visible !== 'all' && !visible.includes(e.department))) throw notFoundEntry();
  if ('principal' in actor && !can(actor.principal.perms, listObject(list.id), action, e.department)) {
    throw new AppError(403, 'FORBIDDEN', '没有权限办理该条目的此项业务', `forbidden: ${action}`);
  }
  return e;
}

export function createRequestService(deps: EngineDeps) {
  const { clock, calendar } = deps;

  async function audit(tx: Db, actor: Actor, e: Entry, action: string, before: unknown, after: unknown) {
    await appendAudit(tx, { chain: `entry:${e.id}`, actor: auditActor(actor), action, targetType: 'entry', targetId: e.id, before, after, at: clock.now() });
  }

  return {
    async fileObjection(tx: Db, list: CompiledList, entryId: string, body: unknown, actor: Actor, visible: Scope, source: 'staff' | 'public' = 'staff') {
      if (list.objection === false) throw new AppError(409, 'OBJECTIONS_NOT_ACCEPTED', '本名单不受理异议', 'this list takes no objections');
      const input = parse(ObjectionInput, body);
      const e = await lockEntry(tx, list, entryId, visible, actor, 'answer-objection');
      if (e.status !== 'published') throw new AppError(409, 'NOT_PUBLISHED', '只能对公示中的信息提出异议', 'objections are filed against published entries');
      const now = clock.now();
      const today = clock.today();
      const [row] = await tx
        .insert(objections)
        .values({
          entryId: e.id,
          status: 'received',
          source,
          trackingNo: trackingNo('YY', today),
          content: input.content,
          contact: input.contact ?? null,
          receivedAt: now,
          dueAt: calendar.addPeriod(today, list.objection.answer_within),
        })
        .returning();
      if (!row) throw new Error('insert returned no row');
      await appendEvent(tx, e.id, { action: 'objection-received', fromStatus: e.status, toStatus: e.status, actor, data: { objectionId: row.id, dueAt: row.dueAt }, at: now });
      await audit(tx, actor, e, 'objection.receive', null, { objectionId: row.id, content: input.content, source });
      return row;
    },

    async answerObjection(tx: Db, list: CompiledList, entryId: string, objectionId: string, body: unknown, actor: Actor, visible: Scope) {
      const input = parse(ObjectionAnswer, body);
      const e = await lockEntry(tx, list, entryId, visible, actor, 'answer-objection');
      if (!isUuid(objectionId)) throw new AppError(404, 'OBJECTION_NOT_FOUND', '异议不存在', 'objection not found');
      const [o] = await tx.select().from(objections).where(and(eq(objections.id, objectionId), eq(objections.entryId, e.id))).for('update');
      if (!o) throw new AppError(404, 'OBJECTION_NOT_FOUND', '异议不存在', 'objection not found');
      if (o.version !== input.version) throw new AppError(409, 'VERSION_CONFLICT', '该异议已被他人处理，请刷新后重试', 'the objection was changed by someone else');
      if (o.status !== 'received') throw new AppError(409, 'ALREADY_ANSWERED', '该异议已答复', 'the objection is already answered');
      if (input.result === 'corrected') {
        if (!input.fields || input.entryVersion === undefined) {
          throw new AppError(422, 'VALIDATION_FAILED', '更正须提供更正后的字段和条目版本号', 'a correction needs the corrected fields and the entry version', [{ path: 'fields', message: '必填' }]);
        }
        await performAction(tx, deps, {
          list,
          entryId: e.id,
          transitionId: 'correct',
          body: { version: input.entryVersion, fields: input.fields, reason: `异议更正：${input.answer}` },
          actor,
          visible,
        });
      }
      const now = clock.now();
      const [row] = await tx
        .update(objections)
        .set({ status: 'answered', result: input.result, answer: input.answer, answeredAt: now, version: o.version + 1 })
        .where(eq(objections.id, o.id))
        .returning();
      await appendEvent(tx, e.id, { action: 'objection-answered', fromStatus: null, toStatus: null, actor, data: { objectionId: o.id, result: input.result, late: !!o.dueAt && clock.today() > o.dueAt }, at: now });
      await audit(tx, actor, e, 'objection.answer', { status: o.status }, { status: 'answered', result: input.result, answer: input.answer });
      return row;
    },

    async applyRepair(tx: Db, list: CompiledList, entryId: string, body: unknown, actor: Actor, visible: Scope, source: 'staff' | 'public' = 'staff') {
      if (list.repair === false) throw new AppError(409, 'NOT_REPAIRABLE', '本名单不适用信用修复', 'this list does not allow repair');
      const input = parse(RepairInput, body);
      const e = await lockEntry(tx, list, entryId, visible, actor, 'repair');
      if (e.status !== 'published') throw new AppError(409, 'NOT_PUBLISHED', '只能对公示中的信息申请修复', 'repair applies to published entries');
      const open = await tx.select({ id: repairs.id, status: repairs.status }).from(repairs).where(eq(repairs.entryId, e.id));
      if (open.some((r) => r.status === 'applied' || r.status === 'accepted')) throw new AppError(409, 'REPAIR_PENDING', '已有正在办理的修复申请', 'a repair application is already pending');
      await checkMaterialAttachments(tx, e.id, input.materials);
      const now = clock.now();
      const today = clock.today();
      const [row] = await tx
        .insert(repairs)
        .values({
          entryId: e.id,
          status: 'applied',
          source,
          trackingNo: trackingNo('XF', today),
          application: input.application,
          materials: input.materials,
          appliedAt: now,
          acceptDue: calendar.addPeriod(today, list.repair.accept_within),
          decideDue: calendar.addPeriod(today, list.repair.decide_within),
        })
        .returning();
      if (!row) throw new Error('insert returned no row');
      await appendEvent(tx, e.id, { action: 'repair-applied', fromStatus: null, toStatus: null, actor, data: { repairId: row.id }, at: now });
      await audit(tx, actor, e, 'repair.apply', null, { repairId: row.id, materials: input.materials.map((m) => m.type), source });
      return row;
    },

    async decideRepair(tx: Db, list: CompiledList, entryId: string, repairId: string, decision: 'accept' | 'refuse' | 'reject', body: unknown, actor: Actor, visible: Scope) {
      const input = parse(RepairDecision, body);
      const e = await lockEntry(tx, list, entryId, visible, actor, 'repair');
      if (!isUuid(repairId)) throw new AppError(404, 'REPAIR_NOT_FOUND', '修复申请不存在', 'repair application not found');
      const [r] = await tx.select().from(repairs).where(and(eq(repairs.id, repairId), eq(repairs.entryId, e.id))).for('update');
      if (!r) throw new AppError(404, 'REPAIR_NOT_FOUND', '修复申请不存在', 'repair application not found');
      if (r.version !== input.version) throw new AppError(409, 'VERSION_CONFLICT', '该修复申请已被他人处理，请刷新后重试', 'the application was changed by someone else');
      const from = decision === 'reject' ? 'accepted' : 'applied';
      if (r.status !== from) throw new AppError(409, 'ACTION_NOT_ALLOWED_IN_STATE', `修复申请当前状态为“${r.status}”，不能执行此操作`, `the application is ${r.status}`);
      if (decision !== 'accept' && !input.reason) throw new AppError(422, 'VALIDATION_FAILED', '不予受理或不予修复须说明理由', 'a reason is required', [{ path: 'reason', message: '必填' }]);
      const now = clock.now();
      const to = { accept: 'accepted', refuse: 'refused', reject: 'rejected' }[decision];
      const [row] = await tx
        .update(repairs)
        .set({
          status: to,
          version: r.version + 1,
          ...(decision === 'accept' ? { acceptedAt: now } : { decidedAt: now, result: to, reason: input.reason ?? null }),
        })
        .where(eq(repairs.id, r.id))
        .returning();
      await appendEvent(tx, e.id, { action: `repair-${decision}`, fromStatus: null, toStatus: null, actor, data: { repairId: r.id, reason: input.reason ?? null }, at: now });
      await audit(tx, actor, e, `repair.${decision}`, { status: r.status }, { status: to, reason: input.reason ?? null });
      return row;
    },
  };
}
export type RequestService = ReturnType<typeof createRequestService>;
