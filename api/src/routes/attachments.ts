/**
 * Attachment routes: upload (multipart/form-data: `file`, `kind`, optional
 * `materialType`) on an entry, an objection or a repair application; list and
 * download through the entry; delete while the owner is still editable. The
 * rules are in api/src/attachments/service.ts.
 */
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { maxAttachmentBytes, type OwnerType, tooLarge, type Upload } from '../attachments/service.ts';
import type { AppEnv } from '../http/env.ts';
import { AppError } from '../http/errors.ts';
import { idempotent } from '../http/idempotency.ts';
import { listContext } from '../http/list-context.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, notFoundError, validationErrors } from '../http/schemas.ts';
import { contentDisposition } from './documents.ts';

const EntryParam = z.object({ listId: z.string().max(64), id: z.string().max(64) });
const ObjectionParam = EntryParam.extend({ objectionId: z.string().max(64) });
const RepairParam = EntryParam.extend({ repairId: z.string().max(64) });
const AttachmentParam = EntryParam.extend({ attachmentId: z.string().max(64) });
const Attachment = z
  .looseObject({ id: z.string(), ownerType: z.string().openapi({ description: 'entry | objection | repair' }), ownerId: z.string(), kind: z.string(), filename: z.string(), mime: z.string(), size: z.number() })
  .openapi('Attachment');
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const multipart = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: z.object({
        file: z.custom<File>((v) => v instanceof File, { message: '须为文件 / must be a file' }).openapi({ type: 'string', format: 'binary', description: '文件 / the file' }),
        kind: z.enum(['evidence', 'material', 'other']).optional().openapi({ description: '证据、材料或其他（默认 other）/ evidence, material or other (default other)' }),
        materialType: z.string().optional().openapi({ description: 'platform.yaml 材料 id（kind=material）/ material id' }),
      }),
    },
  },
};
const uploadErrors = {
  ...authErrors,
  ...notFoundError,
  ...validationErrors,
  ...conflictError,
  413: { description: 'file too large (ATTACHMENT_TOO_LARGE)' },
  415: { description: 'file type not accepted or not what it claims (ATTACHMENT_TYPE_NOT_ALLOWED, ATTACHMENT_TYPE_MISMATCH)' },
};

const multipartRequired = () => new AppError(415, 'MULTIPART_REQUIRED', '请以 multipart/form-data 上传文件', 'upload the file as multipart/form-data');

/** The upload in a multipart body (the limit middleware has checked it is multipart); refuses a body without a file. */
async function readUpload(c: Context<AppEnv>): Promise<Upload> {
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError(400, 'BAD_MULTIPART', '无法读取上传的表单', 'the multipart body cannot be read');
  }
  const file = form.file;
  if (!(file instanceof File)) throw new AppError(422, 'VALIDATION_FAILED', '缺少文件', 'no file', [{ path: 'file', message: '必填', messageEn: 'required' }]);
  const kind = typeof form.kind === 'string' ? form.kind : 'other';
  const materialType = typeof form.materialType === 'string' && form.materialType !== '' ? form.materialType : undefined;
  return { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name, declaredType: file.type, kind, materialType };
}

export function registerAttachmentRoutes(app: AppRouter, r: Registrar): void {
  // The limit applies while the body streams in, so an oversized upload is cut off before it is held in memory.
  const limit = (c: Context<AppEnv>, next: () => Promise<void>) => {
    if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '')) throw multipartRequired();
    const maxMb = c.get('model').platform.attachments.max_size_mb;
    // multipart framing around the file: a few hundred bytes; 64 KiB leaves room for long names
    return bodyLimit({ maxSize: maxAttachmentBytes(c.get('services').engine) + 65_536, onError: () => Promise.reject(tooLarge(maxMb)) })(c, next);
  };
  for (const path of ['/api/lists/:listId/entries/:id/attachments', '/api/lists/:listId/entries/:id/objections/:objectionId/attachments', '/api/lists/:listId/entries/:id/repairs/:repairId/attachments']) {
    app.post(path, limit);
  }

  const upload = async (c: Context<AppEnv>, ownerType: OwnerType, ownerId: string) => {
    const { list, principal, scope } = listContext(c);
    const u = await readUpload(c);
    const id = c.req.param('id') ?? '';
    // A repeat with the same Idempotency-Key must carry the same bytes, name and kind to be replayed.
    const digest = { sha256: createHash('sha256').update(u.bytes).digest('hex'), filename: u.filename, kind: u.kind, materialType: u.materialType ?? null };
    const result = await idempotent(c, digest, async (tx) => ({ status: 201 as const, body: await c.get('services').attachments.upload(tx, list, id, ownerType, ownerId, u, principal, scope) }));
    return c.json(result.body as object, result.status);
  };

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries/{id}/attachments',
      summary: '上传条目附件（证据、材料）/ upload an attachment of an entry',
      access: { kind: 'list', action: 'edit-draft' },
      request: { params: EntryParam, body: multipart },
      responses: { 201: { description: 'stored', ...json(Attachment) }, ...uploadErrors },
    }),
    (c) => upload(c, 'entry', c.req.valid('param').id),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries/{id}/objections/{objectionId}/attachments',
      summary: '上传异议附件 / upload an attachment of an objection',
      access: { kind: 'list', action: 'answer-objection' },
      request: { params: ObjectionParam, body: multipart },
      responses: { 201: { description: 'stored', ...json(Attachment) }, ...uploadErrors },
    }),
    (c) => upload(c, 'objection', c.req.valid('param').objectionId),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries/{id}/repairs/{repairId}/attachments',
      summary: '上传修复申请材料（信用承诺书、履行证明、培训证明……）/ upload a material of a repair application',
      access: { kind: 'list', action: 'repair' },
      request: { params: RepairParam, body: multipart },
      responses: { 201: { description: 'stored', ...json(Attachment) }, ...uploadErrors },
    }),
    (c) => upload(c, 'repair', c.req.valid('param').repairId),
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/entries/{id}/attachments',
      summary: '条目及其异议、修复申请的附件 / attachments of an entry, its objections and repair applications',
      access: { kind: 'list', action: 'view' },
      request: { params: EntryParam },
      responses: { 200: { description: 'attachments', ...json(z.array(Attachment)) }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const { list, scope } = listContext(c);
      const rows = await c.get('services').attachments.list(c.get('db').db, list, c.req.valid('param').id, scope);
      return c.json(rows, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/entries/{id}/attachments/{attachmentId}',
      summary: '下载附件 / download an attachment',
      access: { kind: 'list', action: 'view' },
      request: { params: AttachmentParam },
      responses: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const { list, scope } = listContext(c);
      const { id, attachmentId } = c.req.valid('param');
      const row = await c.get('services').attachments.download(c.get('db').db, list, id, attachmentId, scope);
      return c.body(new Uint8Array(row.content), 200, {
        'content-type': row.mime,
        'content-length': String(row.size),
        'content-disposition': contentDisposition(row.filename),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
    },
  );

  app.openapi(
    r.route({
      method: 'delete',
      path: '/api/lists/{listId}/entries/{id}/attachments/{attachmentId}',
      summary: '删除附件（条目为草稿、异议未答复、修复申请未受理时）/ delete an attachment while its owner is editable',
      access: { kind: 'list', action: 'view' },
      request: { params: AttachmentParam },
      responses: { 204: { description: 'deleted' }, ...authErrors, ...notFoundError, ...conflictError },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      const { id, attachmentId } = c.req.valid('param');
      await c.get('db').db.transaction((tx) => c.get('services').attachments.remove(tx, list, id, attachmentId, principal, scope));
      return c.body(null, 204);
    },
  );
}
