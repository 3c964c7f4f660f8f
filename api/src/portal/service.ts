/**
 * The public portal: search and read published entries (always through
 * project.ts), file objections and repair applications as the public, and
 * follow them by tracking number. Public requests are ordinary objections and
 * repairs (source 'public'), so they land in the department's work queue.
 */
import { and, count, desc, eq, gte, ilike, inArray, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AttachmentService, Upload } from '../attachments/service.ts';
import type { RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { entries, objections, repairs, subjects } from '../db/schema.ts';
import type { RequestService } from '../entries/requests.ts';
import { AppError, issueDetails } from '../http/errors.ts';
import type { PublicActor } from '../procedures/engine.ts';
import { civilDate, type Clock } from '../procedures/clock.ts';
import { normaliseSubjectCode } from '../subjects/codes.ts';
import { portalPolicy, type PortalRow, type PublicEntry, projectEntry } from './project.ts';

export type PortalDeps = { db: Db; model: RuntimeModel; clock: Clock; requests: RequestService; attachments: AttachmentService };

/**
 * The actor of a portal filing: the public, not a user and not the system. Its
 * event says actor kind 'public', its audit record { kind: 'public', address }
 * with the client address the portal saw; the request row says source 'public'.
 */
export const publicActor = (address?: string): PublicActor => ({ public: true, ...(address && address !== 'local' ? { address } : {}) });

/** A filing from the portal: the JSON body, files sent with it (multipart), the client address. */
export type PublicFiling = { body: unknown; files?: readonly PublicFile[]; address?: string };
export type PublicFile = Omit<Upload, 'kind' | 'materialType'>;

/** At most this many files with one public filing (and together at most platform.attachments.max_size_mb). */
export const PUBLIC_MAX_FILES = 5;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const entryNotFound = () => new AppError(404, 'ENTRY_NOT_FOUND', '公示信息不存在或已不再公示', 'no such published entry');

/** LIKE pattern for "contains", with the wildcards and the escape character of the input taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/**
 * The public pages through at most this many results, and counts at most this
 * many: an exact count of every published entry (hundreds of thousands) costs
 * a scan on each visit of the first page and helps nobody.
 */
export const PORTAL_MAX_RESULTS = 10_000;

export const PortalSearchQuery = z.object({
  q: z.string().max(100).optional(),
  _start: z.coerce.number().int().min(0).max(PORTAL_MAX_RESULTS).default(0),
  _end: z.coerce.number().int().min(0).max(PORTAL_MAX_RESULTS + 50).default(20),
});
export type PortalSearchQuery = z.infer<typeof PortalSearchQuery>;

/** The rows the public may see, as SQL (the same rules as project.ts). */
function publicWhere(model: RuntimeModel, today: string): SQL | undefined {
  const p = portalPolicy(model);
  if (!p.lists.length || !p.statuses.length) return sql`false`;
  return and(
    inArray(entries.status, [...p.statuses]),
    inArray(entries.listId, [...p.lists]),
    p.personLists.length ? or(ne(subjects.kind, 'natural_person'), inArray(entries.listId, [...p.personLists])) : ne(subjects.kind, 'natural_person'),
    or(isNull(entries.termEnd), gte(entries.termEnd, today)),
  );
}

const columns = {
  entry: {
    id: entries.id,
    listId: entries.listId,
    department: entries.department,
    status: entries.status,
    fields: entries.fields,
    relatedPersons: entries.relatedPersons,
    decisionNo: entries.decisionNo,
    decisionDate: entries.decisionDate,
    publishedAt: entries.publishedAt,
    termEnd: entries.termEnd,
  },
  subject: { kind: subjects.kind, code: subjects.code, name: subjects.name },
};

function project(model: RuntimeModel, rows: PortalRow[], today: string): PublicEntry[] {
  return rows.map((r) => projectEntry(model, r, today)).filter((e): e is PublicEntry => e !== null);
}

/** A page of public entries, and how many there are (at most PORTAL_MAX_RESULTS). */
export async function searchEntries(deps: PortalDeps, q: PortalSearchQuery): Promise<{ rows: PublicEntry[]; total: number }> {
  const { db, model, clock } = deps;
  const today = clock.today();
  const text = q.q?.trim();
  // Something shaped like a code (18 letters and digits) is looked up as a code
  // (exact, on the unique index); anything else as part of a name.
  const code = text ? normaliseSubjectCode(text) : '';
  const where = and(
    publicWhere(model, today),
    !text ? undefined : /^[0-9A-Z]{18}$/.test(code) ? eq(subjects.code, code) : ilike(subjects.name, containsPattern(text)),
  );
  const limit = Math.min(Math.max(0, q._end - q._start), 50);
  const rows = await db
    .select(columns)
    .from(entries)
    .innerJoin(subjects, eq(subjects.id, entries.subjectId))
    .where(where)
    .orderBy(sql`${entries.publishedAt} desc nulls last`, desc(entries.id))
    .offset(q._start)
    .limit(limit);
  const matching = db.select({ id: entries.id }).from(entries).innerJoin(subjects, eq(subjects.id, entries.subjectId)).where(where).limit(PORTAL_MAX_RESULTS).as('matching');
  const [total] = await db.select({ n: count() }).from(matching);
  return { rows: project(model, rows, today), total: total?.n ?? 0 };
}

async function findPublic(db: Db, model: RuntimeModel, id: string, today: string): Promise<PortalRow> {
  if (!uuid.test(id)) throw entryNotFound();
  const [row] = await db
    .select(columns)
    .from(entries)
    .innerJoin(subjects, eq(subjects.id, entries.subjectId))
    .where(and(eq(entries.id, id), publicWhere(model, today)));
  if (!row) throw entryNotFound();
  return row;
}

export async function getEntry(deps: PortalDeps, id: string): Promise<PublicEntry> {
  const today = deps.clock.today();
  const entry = projectEntry(deps.model, await findPublic(deps.db, deps.model, id, today), today);
  if (!entry) throw entryNotFound();
  return entry;
}

// ---------------------------------------------------------------- requests from the public

const Contact = z.strictObject({
  name: z.string().trim().min(1).max(50),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/, { message: '请填写有效的联系电话' }),
});

export const PublicObjectionInput = z.strictObject({
  content: z.string().trim().min(1).max(5000),
  contact: Contact,
});

export const PublicRepairInput = z.strictObject({
  application: z.strictObject({ reason: z.string().trim().min(1).max(5000), contact: Contact }),
  /**
   * Described, and optionally sent along: `file` is the index of a file of the
   * same multipart filing, stored as that material. The public cannot point at
   * stored attachments.
   */
  materials: z
    .array(z.strictObject({ type: z.string().min(1).max(64), note: z.string().trim().max(500).optional(), file: z.number().int().min(0).max(PUBLIC_MAX_FILES - 1).optional() }))
    .max(20)
    .default([]),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new AppError(422, 'VALIDATION_FAILED', '提交的内容不符合要求', 'invalid request body', issueDetails(r.error.issues));
  return r.data;
}

export type FiledRequest = { trackingNo: string; type: 'objection' | 'repair'; status: string; statusLabel: string; receivedAt: string; dueDate: string | null };

/** Every file is checked before anything is written; a refused file stores nothing (one transaction anyway). */
function checkFiles(deps: PortalDeps, files: readonly PublicFile[]): void {
  if (files.length > PUBLIC_MAX_FILES) {
    throw new AppError(422, 'TOO_MANY_FILES', `每次最多上传 ${PUBLIC_MAX_FILES} 个文件`, `at most ${PUBLIC_MAX_FILES} files per filing`, [{ path: 'file', message: `最多 ${PUBLIC_MAX_FILES} 个` }]);
  }
  for (const f of files) deps.attachments.check({ ...f, kind: 'other' });
}

export async function fileObjection(deps: PortalDeps, entryId: string, filing: PublicFiling): Promise<FiledRequest> {
  const input = parse(PublicObjectionInput, filing.body);
  const files = filing.files ?? [];
  checkFiles(deps, files);
  const { db, model, clock } = deps;
  const row = await findPublic(db, model, entryId, clock.today());
  const list = model.list(row.entry.listId);
  if (!list) throw entryNotFound();
  const actor = publicActor(filing.address);
  const o = await db.transaction(async (tx) => {
    const filed = await deps.requests.fileObjection(tx, list, row.entry.id, input, actor, 'all', 'public');
    for (const f of files) await deps.attachments.attachToPublicRequest(tx, list, row.entry.id, 'objection', filed.id, { ...f, kind: 'evidence' }, actor);
    return filed;
  });
  if (!o.trackingNo) throw new Error('objection without a tracking number');
  return { trackingNo: o.trackingNo, type: 'objection', ...objectionState(o), receivedAt: civilDate(o.receivedAt, model.platform.timezone), dueDate: o.dueAt };
}

export async function fileRepair(deps: PortalDeps, entryId: string, filing: PublicFiling): Promise<FiledRequest> {
  const input = parse(PublicRepairInput, filing.body);
  const files = filing.files ?? [];
  checkFiles(deps, files);
  // Which material each file is: at most one material per file, and only files that were sent.
  const materialOf = new Map<number, string>();
  for (const [i, m] of input.materials.entries()) {
    if (m.file === undefined) continue;
    if (m.file >= files.length || materialOf.has(m.file)) {
      throw new AppError(422, 'VALIDATION_FAILED', '材料所指的文件不存在或被重复引用', 'a material names a file that was not sent, or one already named', [
        { path: `materials.${i}.file`, message: `须为 0–${Math.max(0, files.length - 1)} 中未被引用的文件序号` },
      ]);
    }
    materialOf.set(m.file, m.type);
  }
  const { db, model, clock } = deps;
  const known = new Set(model.platform.materials.map((m) => m.id));
  const unknown = input.materials.map((m, i) => [m.type, i] as const).filter(([t]) => !known.has(t));
  if (unknown.length) {
    throw new AppError(
      422,
      'UNKNOWN_MATERIAL',
      '材料类型不存在',
      'unknown material type',
      unknown.map(([t, i]) => ({ path: `materials.${i}.type`, code: t, message: `可选：${model.platform.materials.map((m) => m.name).join('、')}` })),
    );
  }
  const row = await findPublic(db, model, entryId, clock.today());
  const list = model.list(row.entry.listId);
  if (!list) throw entryNotFound();
  const actor = publicActor(filing.address);
  const application = { application: input.application, materials: input.materials.map(({ file: _file, ...m }) => m) };
  const r = await db.transaction(async (tx) => {
    const filed = await deps.requests.applyRepair(tx, list, row.entry.id, application, actor, 'all', 'public');
    for (const [i, f] of files.entries()) {
      const material = materialOf.get(i);
      const upload: Upload = material ? { ...f, kind: 'material', materialType: material } : { ...f, kind: 'other' };
      await deps.attachments.attachToPublicRequest(tx, list, row.entry.id, 'repair', filed.id, upload, actor);
    }
    return filed;
  });
  if (!r.trackingNo) throw new Error('repair without a tracking number');
  return { trackingNo: r.trackingNo, type: 'repair', ...repairState(r), receivedAt: civilDate(r.appliedAt, model.platform.timezone), dueDate: r.acceptDue };
}

// ---------------------------------------------------------------- tracking

const objectionStatus: Record<string, string> = { received: '已收到，正在核查', answered: '已答复' };
const objectionResult: Record<string, string> = { corrected: '信息已更正', upheld: '经核查维持原公示信息', rejected: '异议不予支持' };
const repairStatus: Record<string, string> = {
  applied: '已提交，待受理',
  accepted: '已受理，正在审核',
  refused: '不予受理',
  approved: '准予修复',
  rejected: '不予修复',
};

function objectionState(o: { status: string }) {
  return { status: o.status, statusLabel: objectionStatus[o.status] ?? o.status };
}
function repairState(r: { status: string }) {
  return { status: r.status, statusLabel: repairStatus[r.status] ?? r.status };
}

export const trackingPattern = /^(YY|XF)\d{8}[0-9A-F]{8}$/;

/** The state of one public request; no contact data, no content, nothing internal. */
export async function trackRequest(deps: PortalDeps, trackingNo: string) {
  const { db, model } = deps;
  const tz = model.platform.timezone;
  const no = trackingNo.trim().toUpperCase();
  if (!trackingPattern.test(no)) {
    throw new AppError(422, 'INVALID_TRACKING_NO', '受理编号格式不正确', 'malformed tracking number', [{ path: 'trackingNo', message: '应为 YY 或 XF 开头的 18 位编号' }]);
  }
  const notFound = () => new AppError(404, 'REQUEST_NOT_FOUND', '未找到该受理编号', 'no request with this tracking number');
  const listName = async (entryId: string) => {
    const [e] = await db.select({ listId: entries.listId }).from(entries).where(eq(entries.id, entryId));
    return e ? (model.list(e.listId)?.name ?? null) : null;
  };
  if (no.startsWith('YY')) {
    const [o] = await db.select().from(objections).where(eq(objections.trackingNo, no));
    if (!o) throw notFound();
    return {
      trackingNo: no,
      type: 'objection' as const,
      typeLabel: '异议申请',
      listName: await listName(o.entryId),
      ...objectionState(o),
      receivedAt: civilDate(o.receivedAt, tz),
      dueDate: o.status === 'received' ? o.dueAt : null,
      answeredAt: o.answeredAt ? civilDate(o.answeredAt, tz) : null,
      result: o.result,
      resultLabel: o.result ? (objectionResult[o.result] ?? o.result) : null,
      answer: o.answer,
    };
  }
  const [r] = await db.select().from(repairs).where(eq(repairs.trackingNo, no));
  if (!r) throw notFound();
  return {
    trackingNo: no,
    type: 'repair' as const,
    typeLabel: '信用修复申请',
    listName: await listName(r.entryId),
    ...repairState(r),
    receivedAt: civilDate(r.appliedAt, tz),
    dueDate: r.status === 'applied' ? r.acceptDue : r.status === 'accepted' ? r.decideDue : null,
    answeredAt: r.decidedAt ? civilDate(r.decidedAt, tz) : null,
    result: r.result,
    resultLabel: r.result ? (repairStatus[r.result] ?? r.result) : null,
    answer: r.reason,
  };
}
