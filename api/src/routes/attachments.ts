/**
 * Attachment routes: upload (multipart/form-data: `file`, `kind`, optional
 * `materialType`) on an entry, an objection or a repair application; list and
 * download through the entry; delete while the owner is still editable. The
 * rules are in api/src/attachments/service.ts.
 */
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { OwnerType } from '../attachments/service.ts';
import type { AppEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { listContext } from '../http/list-context.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, notFoundError } from '../http/schemas.ts';
import { fileHeaders, multipart, readUpload, uploadErrors, uploadLimit } from '../http/upload.ts';

const EntryParam = z.object({ listId: z.string().max(64), id: z.string().max(64) });
const ObjectionParam = EntryParam.extend({ objectionId: z.string().max(64) });
const RepairParam = EntryParam.extend({ repairId: z.string().max(64) });
const AttachmentParam = EntryParam.extend({ attachmentId: z.string().max(64) });
const Attachment = z
  .looseObject({ id: z.string(), ownerType: z.string().openapi({ description: 'entry | objection | repair' }), ownerId: z.string(), kind: z.string(), filename: z.string(), mime: z.string(), size: z.number() })
  .openapi('Attachment');
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
export function registerAttachmentRoutes(app: AppRouter, r: Registrar): void {
  for (const path of ['/api/lists/:listId/entries/:id/attachments', '/api/lists/:listId/entries/:id/objections/:objectionId/attachments', '/api/lists/:listId/entries/:id/repairs/:repairId/attachments']) {
    app.post(path, uploadLimit);
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
      return c.body(new Uint8Array(row.content), 200, fileHeaders(row));
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
