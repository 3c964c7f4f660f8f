/**
 * The public portal: published entries (desensitised, project.ts), objections
 * and repair applications from the public with a tracking number, and a small
 * page at /portal. No login; every /api/public route below is rate limited per
 * client address, writes much more strictly than reads.
 */
import { readFileSync } from 'node:fs';
import { z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { maxAttachmentBytes, tooLarge } from '../attachments/service.ts';
import { AppError } from '../http/errors.ts';
import type { AppEnv } from '../http/env.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { conflictError, errorResponse, notFoundError, validationErrors } from '../http/schemas.ts';
import { jsonBody } from '../portal/body.ts';
import { clientKey, createRateLimiter, type RateLimitOptions, rateLimit } from '../portal/rate-limit.ts';
import {
  fileObjection,
  fileRepair,
  getEntry,
  type PortalDeps,
  PortalSearchQuery,
  PUBLIC_MAX_FILES,
  type PublicFiling,
  PublicObjectionInput,
  PublicRepairInput,
  searchEntries,
  trackRequest,
} from '../portal/service.ts';

export type PortalOptions = {
  /** Reads (search, detail, tracking) per client: default a burst of 60, then 1 per second. */
  reads?: RateLimitOptions;
  /** Objections and repair applications per client: default a burst of 5, then 1 per minute. */
  writes?: RateLimitOptions;
};

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const limited = { 429: errorResponse('请求过于频繁 / rate limited (Retry-After)') };
const bodyErrors = {
  400: errorResponse('正文不是有效的 JSON / malformed JSON'),
  413: errorResponse('正文超过 64 KB / body too large'),
  415: errorResponse('正文须为 JSON / body must be JSON'),
};
const reason = {
  read: 'the public portal shows published, desensitised entries to everyone (社会公众查询公示信息)',
  objection: 'anyone may object to published information (异议申请), without an account',
  repair: 'a listed subject applies for credit repair from the portal (信用修复申请), without an account',
  track: 'the filer follows an objection or repair application with its tracking number only',
};

const PublicEntry = z
  .looseObject({
    id: z.string(),
    list: z.looseObject({ id: z.string(), name: z.string() }),
    subject: z.looseObject({ kind: z.string(), name: z.string(), code: z.string() }),
    fields: z.array(z.looseObject({ key: z.string(), label: z.string() })),
  })
  .openapi('PublicEntry');
const Filed = z
  .object({ trackingNo: z.string(), type: z.enum(['objection', 'repair']), status: z.string(), statusLabel: z.string(), receivedAt: z.string(), dueDate: z.string().nullable() })
  .openapi('PublicRequestReceipt');
const Tracked = z.looseObject({ trackingNo: z.string(), type: z.string(), status: z.string(), statusLabel: z.string() }).openapi('PublicRequestState');
const EntryParam = z.object({ id: z.string().max(64) });

function deps(c: Context<AppEnv>): PortalDeps {
  const s = c.get('services');
  return { db: c.get('db').db, model: c.get('model'), clock: s.clock, requests: s.requests, attachments: s.attachments };
}

const isMultipart = (c: Context) => /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');
const isFiling = (c: Context) => c.req.method === 'POST' && /\/(objections|repairs)$/.test(c.req.path);

/**
 * Bodies of /api/public/entries/*: JSON (64 KB), or for a filing multipart with
 * files: all of it together at most platform.attachments.max_size_mb (plus the
 * form's framing), cut off while it streams in.
 */
function publicBody(): MiddlewareHandler<AppEnv> {
  const json = jsonBody();
  return (c, next) => {
    if (!isFiling(c) || !isMultipart(c)) return json(c, next);
    const maxMb = c.get('model').platform.attachments.max_size_mb;
    return bodyLimit({ maxSize: maxAttachmentBytes(c.get('services').engine) + 65_536, onError: () => Promise.reject(tooLarge(maxMb)) })(c, next);
  };
}

/** The filing in the request: the JSON body, or the multipart form's `request` (JSON text) and its `file` parts. */
async function readFiling(c: Context<AppEnv>, json: () => unknown): Promise<PublicFiling> {
  const address = clientKey(c);
  if (!isMultipart(c)) return { body: json(), address };
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new AppError(400, 'BAD_MULTIPART', '无法读取上传的表单', 'the multipart body cannot be read');
  }
  if (typeof form.request !== 'string') {
    throw new AppError(422, 'VALIDATION_FAILED', '缺少申请内容（表单字段 request，JSON 文本）', 'the form needs a request field (JSON text)', [{ path: 'request', message: '必填', messageEn: 'required' }]);
  }
  let body: unknown;
  try {
    body = JSON.parse(form.request);
  } catch {
    throw new AppError(400, 'BAD_JSON', '申请内容（request）不是有效的 JSON', 'the request field is not valid JSON');
  }
  const parts = form.file === undefined ? [] : Array.isArray(form.file) ? form.file : [form.file];
  if (parts.length > PUBLIC_MAX_FILES) {
    throw new AppError(422, 'TOO_MANY_FILES', `每次最多上传 ${PUBLIC_MAX_FILES} 个文件`, `at most ${PUBLIC_MAX_FILES} files per filing`, [{ path: 'file', message: `最多 ${PUBLIC_MAX_FILES} 个` }]);
  }
  const files = [];
  for (const [i, f] of parts.entries()) {
    if (!(f instanceof File)) throw new AppError(422, 'VALIDATION_FAILED', 'file 字段须为文件', 'file parts must be files', [{ path: `file.${i}`, message: '须为文件' }]);
    files.push({ bytes: new Uint8Array(await f.arrayBuffer()), filename: f.name, declaredType: f.type });
  }
  return { body, files, address };
}

/** The two ways to file: JSON, or multipart with files. */
const filingBody = <T extends z.ZodType>(schema: T) => ({
  required: false,
  content: {
    'application/json': { schema },
    'multipart/form-data': {
      schema: z.looseObject({
        request: z.string().openapi({ description: '申请内容，JSON 文本，与 application/json 正文相同 / the filing as JSON text' }),
        file: z.any().optional().openapi({ type: 'string', format: 'binary', description: `附件，可多个（最多 ${PUBLIC_MAX_FILES} 个，合计不超过附件大小上限）/ files, repeatable` }),
      }),
    },
  },
});

let page: { html: string; js: string } | undefined;
function portalPage() {
  page ??= {
    html: readFileSync(new URL('../portal/page.html', import.meta.url), 'utf8'),
    js: readFileSync(new URL('../portal/page.js', import.meta.url), 'utf8'),
  };
  return page;
}
const pageHeaders = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export function registerPortalRoutes(app: AppRouter, r: Registrar, options: PortalOptions = {}): void {
  const reads = createRateLimiter(options.reads ?? { capacity: 60, refillPerSecond: 1 });
  const writes = createRateLimiter(options.writes ?? { capacity: 5, refillPerSecond: 1 / 60 });
  const limit = rateLimit((c) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? reads : writes));
  // A trailing '/*' matches the path itself too ('/api/public/entries').
  app.use('/api/public/entries/*', limit);
  app.use('/api/public/entries/*', publicBody());
  app.use('/api/public/requests/*', limit);
  app.use('/api/public/requests/*', jsonBody());

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/public/entries',
      summary: '公示信息查询（按主体名称或统一社会信用代码）/ search published entries by name (contains) or exact code; x-total-count (counted up to 10,000)',
      access: { kind: 'public', reason: reason.read },
      request: { query: PortalSearchQuery },
      responses: { 200: { description: 'entries', ...json(z.array(PublicEntry)) }, ...validationErrors, ...limited },
    }),
    async (c) => {
      const { rows, total } = await searchEntries(deps(c), c.req.valid('query'));
      c.header('x-total-count', String(total));
      return c.json(rows, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/public/entries/{id}',
      summary: '公示信息详情 / one published entry (public fields only)',
      access: { kind: 'public', reason: reason.read },
      request: { params: EntryParam },
      responses: { 200: { description: 'entry', ...json(PublicEntry) }, ...notFoundError, ...limited },
    }),
    async (c) => c.json(await getEntry(deps(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/public/entries/{id}/objections',
      summary: '提出异议（可附证据文件：multipart）/ object to a published entry, optionally with files (multipart); answers a tracking number',
      access: { kind: 'public', reason: reason.objection },
      request: { params: EntryParam, body: filingBody(PublicObjectionInput) },
      responses: { 201: { description: 'receipt', ...json(Filed) }, ...notFoundError, ...conflictError, ...validationErrors, ...bodyErrors, ...limited },
    }),
    async (c) => c.json(await fileObjection(deps(c), c.req.valid('param').id, await readFiling(c, () => c.req.valid('json'))), 201),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/public/entries/{id}/repairs',
      summary: '申请信用修复（可附材料文件：multipart）/ apply for credit repair, optionally with material files (multipart); answers a tracking number',
      access: { kind: 'public', reason: reason.repair },
      request: { params: EntryParam, body: filingBody(PublicRepairInput) },
      responses: { 201: { description: 'receipt', ...json(Filed) }, ...notFoundError, ...conflictError, ...validationErrors, ...bodyErrors, ...limited },
    }),
    async (c) => c.json(await fileRepair(deps(c), c.req.valid('param').id, await readFiling(c, () => c.req.valid('json'))), 201),
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/public/requests/{trackingNo}',
      summary: '按受理编号查询办理进度 / the state of an objection or repair application',
      access: { kind: 'public', reason: reason.track },
      request: { params: z.object({ trackingNo: z.string().max(64) }) },
      responses: { 200: { description: 'state', ...json(Tracked) }, ...notFoundError, ...validationErrors, ...limited },
    }),
    async (c) => c.json(await trackRequest(deps(c), c.req.valid('param').trackingNo), 200),
  );

  // The page: static, Chinese, vanilla JS from the same origin (CSP: no inline script).
  app.get('/portal', (c) => c.html(portalPage().html, 200, pageHeaders));
  app.get('/portal/page.js', (c) => c.body(portalPage().js, 200, { ...pageHeaders, 'content-type': 'text/javascript; charset=utf-8' }));
}
