/**
 * Attachments of an entry, of its objections and of its repair applications:
 * evidence, materials (commitment letter, proof of fulfilment, training) and
 * other files, stored as rows in PostgreSQL so API processes keep no files.
 *
 * Rules:
 * - row scope as for the entry: outside the caller's view scope, 404;
 * - who may upload or delete: on an entry, holders of `edit-draft` in the
 *   entry's department; on an objection, of `answer-objection`; on a repair
 *   application, of `repair`;
 * - upload while the owner is open (entry: any state but a final one;
 *   objection: received; repair application: applied or accepted), delete only
 *   while it is still editable (entry: draft; objection: received; repair
 *   application: applied);
 * - size and types from platform.yaml `attachments`; the type is read from the
 *   content, and the file name and declared type must agree with it;
 * - each upload and delete is one transaction with its audit record (chain of
 *   the entry); a refused upload stores nothing.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Actor as AuditActor, appendAudit } from '../audit/chain.ts';
import { can } from '../authz/permissions.ts';
import { listObject } from '../authz/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { CompiledList } from '../config/compile.ts';
import type { ListAction } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import { attachments, type Entry, entries, objections, repairs } from '../db/schema.ts';
import type { Scope } from '../http/env.ts';
import { AppError } from '../http/errors.ts';
import { type Actor, auditActor, type EngineDeps, type PublicActor } from '../procedures/engine.ts';
import { agrees, fileTypes, sniffType } from './sniff.ts';

export type OwnerType = 'entry' | 'objection' | 'repair';
/** Owner type of the files of plan tasks' progress reports. */
const TASK_OWNER = 'plan-task';
export type Upload = { bytes: Uint8Array; filename: string; declaredType: string; kind: string; materialType?: string };

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const KINDS = ['evidence', 'material', 'other'] as const;
const notFound = () => new AppError(404, 'ATTACHMENT_NOT_FOUND', '附件不存在', 'attachment not found');
const entryNotFound = () => new AppError(404, 'ENTRY_NOT_FOUND', '名单条目不存在', 'entry not found');

/** The metadata of a row (never its content). */
const columns = {
  id: attachments.id,
  ownerType: attachments.ownerType,
  ownerId: attachments.ownerId,
  kind: attachments.kind,
  materialType: attachments.materialType,
  filename: attachments.filename,
  mime: attachments.mime,
  size: attachments.size,
  sha256: attachments.sha256,
  createdBy: attachments.createdBy,
  createdAt: attachments.createdAt,
};

/** The largest upload in bytes, from platform.yaml. */
export const maxAttachmentBytes = (deps: EngineDeps) => Math.round(deps.model.platform.attachments.max_size_mb * 1024 * 1024);

export function createAttachmentService(deps: EngineDeps) {
  const { model, clock } = deps;
  const cfg = model.platform.attachments;

  async function lockVisibleEntry(tx: Db, list: CompiledList, entryId: string, visible: Scope): Promise<Entry> {
    if (!isUuid(entryId)) throw entryNotFound();
    const [e] = await tx.select().from(entries).where(and(eq(entries.id, entryId), eq(entries.listId, list.id))).for('update');
    if (!e || (visible !== 'all' && !visible.includes(e.department))) throw entryNotFound();
    return e;
  }

  function mustHold(principal: Principal, list: CompiledList, action: ListAction, e: Entry) {
    if (!can(principal.perms, listObject(list.id), action, e.department)) throw new AppError(403, 'FORBIDDEN', '没有权限管理该条目的附件', `forbidden: ${action}`);
  }

  /** States no person can leave (withdrawn, revoked …): the entry's file is closed. */
  const finalStates = (list: CompiledList) => new Set<string>(list.graph.states.filter((s) => !list.graph.transitions.some((tr) => tr.from === s.id && tr.action !== 'system')).map((s) => s.id));

  /** The owner's state and what it means for uploads and deletes. */
  async function owner(tx: Db, list: CompiledList, e: Entry, ownerType: OwnerType, ownerId: string) {
    if (ownerType === 'entry') return { action: 'edit-draft' as const, open: !finalStates(list).has(e.status), editable: e.status === list.graph.initial, state: e.status };
    if (!isUuid(ownerId)) throw ownerNotFound(ownerType);
    if (ownerType === 'objection') {
      const [o] = await tx.select({ status: objections.status }).from(objections).where(and(eq(objections.id, ownerId), eq(objections.entryId, e.id))).for('update');
      if (!o) throw ownerNotFound(ownerType);
      return { action: 'answer-objection' as const, open: o.status === 'received', editable: o.status === 'received', state: o.status };
    }
    const [r] = await tx.select({ status: repairs.status }).from(repairs).where(and(eq(repairs.id, ownerId), eq(repairs.entryId, e.id))).for('update');
    if (!r) throw ownerNotFound(ownerType);
    return { action: 'repair' as const, open: r.status === 'applied' || r.status === 'accepted', editable: r.status === 'applied', state: r.status };
  }

  function checkFile(u: Upload) {
    const filename = u.filename.trim();
    const control = [...filename].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20);
    if (!filename || filename.length > 200 || control || /[\\/]/.test(filename)) {
      throw new AppError(422, 'BAD_FILENAME', '文件名为空、过长或含有非法字符', 'the file name is empty, too long or has forbidden characters', [{ path: 'file', message: '文件名不合规' }]);
    }
    if (u.bytes.byteLength === 0) throw new AppError(422, 'EMPTY_FILE', '文件为空', 'the file is empty', [{ path: 'file', message: '文件为空' }]);
    if (u.bytes.byteLength > maxAttachmentBytes(deps)) throw tooLarge(cfg.max_size_mb);
    const found = sniffType(u.bytes);
    if (!found || !cfg.types.includes(found.type)) {
      const allowed = cfg.types.map((t) => fileTypes[t].extensions[0]).join('、');
      throw new AppError(415, 'ATTACHMENT_TYPE_NOT_ALLOWED', `不支持该文件类型，可上传：${allowed}`, `file type not accepted; accepted: ${cfg.types.join(', ')}`, [{ path: 'file', message: `可上传：${allowed}` }]);
    }
    if (!agrees(found, filename, u.declaredType)) {
      throw new AppError(415, 'ATTACHMENT_TYPE_MISMATCH', `文件内容是 ${found.extensions[0]}，与文件名或声明的类型不符`, `the content is ${found.type}, which the file name or declared type does not match`, [
        { path: 'file', message: `扩展名须为 ${found.extensions.join('/')}` },
      ]);
    }
    if (!(KINDS as readonly string[]).includes(u.kind)) throw new AppError(422, 'VALIDATION_FAILED', '附件类别须为 evidence、material 或 other', 'kind must be evidence, material or other', [{ path: 'kind', message: '取值无效' }]);
    if (u.materialType !== undefined && !model.platform.materials.some((m) => m.id === u.materialType)) {
      throw new AppError(422, 'UNKNOWN_MATERIAL', `未知的材料类型“${u.materialType}”`, 'unknown material type', [{ path: 'materialType', message: `可选：${model.platform.materials.map((m) => m.id).join('、')}` }]);
    }
    if (u.materialType !== undefined && u.kind !== 'material') throw new AppError(422, 'VALIDATION_FAILED', '只有材料（kind=material）才有材料类型', 'only materials have a material type', [{ path: 'materialType', message: '仅 kind=material 可填' }]);
    return { filename, mime: found.mime };
  }

  /** Stores a checked file with its audit record (the caller holds the entry's row lock). */
  async function store(tx: Db, e: Entry, ownerType: OwnerType, ownerId: string, u: Upload, file: { filename: string; mime: string }, actor: Actor) {
    return insert(tx, { ownerType, ownerId: ownerType === 'entry' ? e.id : ownerId, entryId: e.id }, u, file, auditActor(actor), `entry:${e.id}`);
  }

  async function insert(
    tx: Db,
    owner: { ownerType: string; ownerId: string; entryId: string | null },
    u: Upload,
    file: { filename: string; mime: string },
    actor: AuditActor,
    chain: string,
  ) {
    const now = clock.now();
    const sha256 = createHash('sha256').update(u.bytes).digest('hex');
    const [row] = await tx
      .insert(attachments)
      .values({
        ownerType: owner.ownerType,
        ownerId: owner.ownerId,
        entryId: owner.entryId,
        kind: u.kind,
        materialType: u.materialType ?? null,
        filename: file.filename,
        mime: file.mime,
        size: u.bytes.byteLength,
        sha256,
        content: u.bytes,
        createdBy: actor.kind === 'user' && actor.id ? actor.id : null,
        createdAt: now,
      })
      .returning(columns);
    if (!row) throw new Error('insert returned no row');
    await appendAudit(tx, {
      chain,
      actor,
      action: 'attachment.upload',
      targetType: 'attachment',
      targetId: row.id,
      before: null,
      after: { entryId: owner.entryId, ownerType: owner.ownerType, ownerId: row.ownerId, kind: row.kind, materialType: row.materialType, filename: row.filename, mime: row.mime, size: row.size, sha256 },
      at: now,
    });
    return row;
  }

  return {
    async upload(tx: Db, list: CompiledList, entryId: string, ownerType: OwnerType, ownerId: string, u: Upload, principal: Principal, visible: Scope) {
      const e = await lockVisibleEntry(tx, list, entryId, visible);
      const o = await owner(tx, list, e, ownerType, ownerType === 'entry' ? e.id : ownerId);
      mustHold(principal, list, o.action, e);
      const file = checkFile(u);
      if (!o.open) throw new AppError(409, 'ATTACHMENTS_CLOSED', `当前状态（${o.state}）不能再上传附件`, `no uploads in state ${o.state}`);
      return store(tx, e, ownerType, ownerType === 'entry' ? e.id : ownerId, u, file, { principal });
    },

    /** Checks a file as `upload` does, before anything is written (the portal checks every file of a filing first). */
    check: (u: Upload) => {
      checkFile(u);
    },

    /**
     * A file of a plan task's progress reports (owner 'plan-task', owner id
     * `<plan>:<task no>`, no entry). The caller has checked that the principal
     * files for one of the task's lead units, and writes in the same transaction.
     */
    async attachToTask(tx: Db, planId: string, taskNo: string, u: Upload, actor: { kind: 'user'; id: string; name: string; department: string }) {
      const file = checkFile(u);
      return insert(tx, { ownerType: TASK_OWNER, ownerId: `${planId}:${taskNo}`, entryId: null }, u, file, actor, `plan:${planId}`);
    },

    /** The stored ids among `ids` that belong to the task (a report may only point at its own task's files). */
    async taskFiles(db: Db, planId: string, taskNo: string, ids: string[]) {
      if (!ids.length) return [];
      const rows = await db
        .select({ id: attachments.id })
        .from(attachments)
        .where(and(eq(attachments.ownerType, TASK_OWNER), eq(attachments.ownerId, `${planId}:${taskNo}`), inArray(attachments.id, ids.filter(isUuid))));
      return rows.map((r) => r.id);
    },

    async downloadTaskFile(db: Db, planId: string, taskNo: string, attachmentId: string) {
      if (!isUuid(attachmentId)) throw notFound();
      const [row] = await db
        .select({ ...columns, content: attachments.content })
        .from(attachments)
        .where(and(eq(attachments.id, attachmentId), eq(attachments.ownerType, TASK_OWNER), eq(attachments.ownerId, `${planId}:${taskNo}`)));
      if (!row) throw notFound();
      return row;
    },

    /**
     * Files the public sends with an objection or a repair application it has
     * just filed in the same transaction (the portal): same size and type rules,
     * no permission (the filing is the public's own), audited as the public.
     */
    async attachToPublicRequest(tx: Db, list: CompiledList, entryId: string, ownerType: 'objection' | 'repair', ownerId: string, u: Upload, actor: PublicActor) {
      const e = await lockVisibleEntry(tx, list, entryId, 'all');
      const o = await owner(tx, list, e, ownerType, ownerId);
      const file = checkFile(u);
      if (!o.open) throw new AppError(409, 'ATTACHMENTS_CLOSED', `当前状态（${o.state}）不能再上传附件`, `no uploads in state ${o.state}`);
      return store(tx, e, ownerType, ownerId, u, file, actor);
    },

    async list(db: Db, list: CompiledList, entryId: string, visible: Scope) {
      if (!isUuid(entryId)) throw entryNotFound();
      const [e] = await db.select({ department: entries.department }).from(entries).where(and(eq(entries.id, entryId), eq(entries.listId, list.id)));
      if (!e || (visible !== 'all' && !visible.includes(e.department))) throw entryNotFound();
      return db.select(columns).from(attachments).where(eq(attachments.entryId, entryId)).orderBy(asc(attachments.createdAt), asc(attachments.id));
    },

    async download(db: Db, list: CompiledList, entryId: string, attachmentId: string, visible: Scope) {
      if (!isUuid(entryId)) throw entryNotFound();
      if (!isUuid(attachmentId)) throw notFound();
      const [e] = await db.select({ department: entries.department }).from(entries).where(and(eq(entries.id, entryId), eq(entries.listId, list.id)));
      if (!e || (visible !== 'all' && !visible.includes(e.department))) throw entryNotFound();
      const [row] = await db.select({ ...columns, content: attachments.content }).from(attachments).where(and(eq(attachments.id, attachmentId), eq(attachments.entryId, entryId)));
      if (!row) throw notFound();
      return row;
    },

    async remove(tx: Db, list: CompiledList, entryId: string, attachmentId: string, principal: Principal, visible: Scope) {
      const e = await lockVisibleEntry(tx, list, entryId, visible);
      if (!isUuid(attachmentId)) throw notFound();
      const [row] = await tx.select(columns).from(attachments).where(and(eq(attachments.id, attachmentId), eq(attachments.entryId, e.id)));
      if (!row) throw notFound();
      const o = await owner(tx, list, e, row.ownerType as OwnerType, row.ownerId);
      mustHold(principal, list, o.action, e);
      if (!o.editable) throw new AppError(409, 'ATTACHMENT_LOCKED', `当前状态（${o.state}）不能删除附件`, `attachments cannot be deleted in state ${o.state}`);
      await tx.delete(attachments).where(eq(attachments.id, row.id));
      await appendAudit(tx, {
        chain: `entry:${e.id}`,
        actor: auditActor({ principal }),
        action: 'attachment.delete',
        targetType: 'attachment',
        targetId: row.id,
        before: { ownerType: row.ownerType, ownerId: row.ownerId, kind: row.kind, materialType: row.materialType, filename: row.filename, mime: row.mime, size: row.size, sha256: row.sha256 },
        after: null,
        at: clock.now(),
      });
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;

function ownerNotFound(ownerType: OwnerType): AppError {
  return ownerType === 'objection'
    ? new AppError(404, 'OBJECTION_NOT_FOUND', '异议不存在', 'objection not found')
    : new AppError(404, 'REPAIR_NOT_FOUND', '修复申请不存在', 'repair application not found');
}

export function tooLarge(maxMb: number): AppError {
  return new AppError(413, 'ATTACHMENT_TOO_LARGE', `文件超过 ${maxMb} MB 上限`, `the file exceeds the ${maxMb} MB limit`, [{ path: 'file', message: `不超过 ${maxMb} MB` }]);
}
