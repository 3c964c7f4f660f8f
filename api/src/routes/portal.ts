/**
 * The public portal: published entries (desensitised, project.ts), objections
 * and repair applications from the public with a tracking number, and a small
 * page at /portal. No login; every /api/public route below is rate limited per
 * client address, writes much more strictly than reads.
 */
import { readFileSync } from 'node:fs';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { conflictError, errorResponse, notFoundError, validationErrors } from '../http/schemas.ts';
import { jsonBody } from '../portal/body.ts';
import { createRateLimiter, type RateLimitOptions, rateLimit } from '../portal/rate-limit.ts';
import {
  fileObjection,
  fileRepair,
  getEntry,
  type PortalDeps,
  PortalSearchQuery,
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
  return { db: c.get('db').db, model: c.get('model'), clock: s.clock, requests: s.requests };
}

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
  for (const path of ['/api/public/entries/*', '/api/public/requests/*']) {
    app.use(path, limit);
    app.use(path, jsonBody());
  }

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
      summary: '提出异议 / object to a published entry; answers a tracking number',
      access: { kind: 'public', reason: reason.objection },
      request: { params: EntryParam, body: { required: true, ...json(PublicObjectionInput) } },
      responses: { 201: { description: 'receipt', ...json(Filed) }, ...notFoundError, ...conflictError, ...validationErrors, ...bodyErrors, ...limited },
    }),
    async (c) => c.json(await fileObjection(deps(c), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/public/entries/{id}/repairs',
      summary: '申请信用修复 / apply for credit repair; answers a tracking number',
      access: { kind: 'public', reason: reason.repair },
      request: { params: EntryParam, body: { required: true, ...json(PublicRepairInput) } },
      responses: { 201: { description: 'receipt', ...json(Filed) }, ...notFoundError, ...conflictError, ...validationErrors, ...bodyErrors, ...limited },
    }),
    async (c) => c.json(await fileRepair(deps(c), c.req.valid('param').id, c.req.valid('json')), 201),
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
