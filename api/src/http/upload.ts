/**
 * Shared pieces of multipart uploads (attachments of entries, objections,
 * repairs and plan tasks): the request body schema, the size limit applied
 * while the body streams in, and reading the file out of the form.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { maxAttachmentBytes, tooLarge, type Upload } from '../attachments/service.ts';
import type { AppEnv } from './env.ts';
import { AppError } from './errors.ts';
import { contentDisposition } from '../routes/documents.ts';
import { authErrors, conflictError, notFoundError, validationErrors } from './schemas.ts';

export const multipart = {
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
export const uploadErrors = {
  ...authErrors,
  ...notFoundError,
  ...validationErrors,
  ...conflictError,
  413: { description: 'file too large (ATTACHMENT_TOO_LARGE)' },
  415: { description: 'file type not accepted or not what it claims (ATTACHMENT_TYPE_NOT_ALLOWED, ATTACHMENT_TYPE_MISMATCH)' },
};

const multipartRequired = () => new AppError(415, 'MULTIPART_REQUIRED', '请以 multipart/form-data 上传文件', 'upload the file as multipart/form-data');

/** The parsed multipart body and its `file` field; refuses an unreadable body or one without a file. */
export async function readFormFile(c: Context<AppEnv>): Promise<{ file: File; form: Record<string, unknown> }> {
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError(400, 'BAD_MULTIPART', '无法读取上传的表单', 'the multipart body cannot be read');
  }
  const file = form.file;
  if (!(file instanceof File)) throw new AppError(422, 'VALIDATION_FAILED', '缺少文件', 'no file', [{ path: 'file', message: '必填', messageEn: 'required' }]);
  return { file, form };
}

/** The upload in a multipart body (the limit middleware has checked it is multipart). */
export async function readUpload(c: Context<AppEnv>): Promise<Upload> {
  const { file, form } = await readFormFile(c);
  const kind = typeof form.kind === 'string' ? form.kind : 'other';
  const materialType = typeof form.materialType === 'string' && form.materialType !== '' ? form.materialType : undefined;
  return { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name, declaredType: file.type, kind, materialType };
}

/** A non-empty text field of the multipart body read by `readUpload` (Hono keeps the parsed body). */
export async function formText(c: Context<AppEnv>, name: string): Promise<string | undefined> {
  const v = (await c.req.parseBody())[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * Refuses a body that is not multipart and cuts off one over `maxBytes` of file
 * while it streams in, before it is held in memory.
 */
export function multipartLimit(c: Context<AppEnv>, next: () => Promise<void>, maxBytes: number, tooLargeError: () => AppError) {
  if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '')) throw multipartRequired();
  // multipart framing around the file: a few hundred bytes; 64 KiB leaves room for long names
  return bodyLimit({ maxSize: maxBytes + 65_536, onError: () => Promise.reject(tooLargeError()) })(c, next);
}

/** `multipartLimit` at the configured attachment size. */
export function uploadLimit(c: Context<AppEnv>, next: () => Promise<void>) {
  return multipartLimit(c, next, maxAttachmentBytes(c.get('services').engine), () => tooLarge(c.get('model').platform.attachments.max_size_mb));
}

/** Headers of a stored file sent back: never cached, never run as something else by the browser. */
export function fileHeaders(file: { mime: string; size: number; filename: string }): Record<string, string> {
  return {
    'content-type': file.mime,
    'content-length': String(file.size),
    'content-disposition': contentDisposition(file.filename),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  };
}
