/**
 * createApp(model, db): the whole HTTP application, testable with
 * `app.request()`. It reads no environment and opens no port (server.ts does).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { createApiKeyService } from './auth/api-keys.ts';
import { createSessionService } from './auth/sessions.ts';
import { createUserService } from './auth/users.ts';
import { createAuthzService } from './authz/service.ts';
import type { RuntimeModel } from './config/compile.ts';
import type { ConfigRuntime } from './config/studio.ts';
import { startConfigSync } from './config/sync.ts';
import type { DbHandle } from './db/client.ts';
import type { AppEnv, Services } from './http/env.ts';
import { dbErrorToAppError } from './http/db-errors.ts';
import { AppError, errorBody, validationError } from './http/errors.ts';
import { hasNul, invalidCharacter } from './http/input-guard.ts';
import { createEventBus, type EventBus } from './http/events.ts';
import { createRegistrar, type RouteEntry } from './http/router.ts';
import type { Log } from './lib/log.ts';
import { type Clock, type ManualClock, systemClock } from './procedures/clock.ts';
import { registerTestClockRoutes } from './routes/test-clock.ts';
import { registerApiKeyRoutes } from './routes/api-keys.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerDocs } from './routes/docs.ts';
import { registerDocumentRoutes } from './routes/documents.ts';
import { registerEntryRoutes, registerRequestRoutes } from './routes/entries.ts';
import { registerPlanRoutes } from './routes/plans.ts';
import { registerReportRoutes } from './routes/reports.ts';
import { registerLookupRoutes } from './routes/lookup.ts';
import { registerPortalRoutes } from './routes/portal.ts';
import { createEntryService } from './entries/service.ts';
import { createRequestService } from './entries/requests.ts';
import { createAttachmentService } from './attachments/service.ts';
import { registerAttachmentRoutes } from './routes/attachments.ts';
import { createImportService } from './imports/jobs.ts';
import { registerImportRoutes } from './routes/imports.ts';
import { createCalendar } from './procedures/calendar.ts';
import { createOutboxWorker } from './outbox/worker.ts';
import { registerSystemRoutes } from './routes/system.ts';
import { createQueryLogRecorder } from './lookup/service.ts';
import { registerUserRoutes } from './routes/users.ts';
import { registerOutboxRoutes } from './routes/outbox.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerConfigStudioRoutes } from './routes/config-studio.ts';

export type AppOptions = {
  /** Absolute path of the built admin (admin/dist); omitted in API-only tests. */
  adminDir?: string;
  clock?: Clock;
  /** With a manual clock, the test-clock routes are registered (CLOCK=manual; refused in production by server.ts). */
  testClock?: ManualClock;
  log?: Log;
  /** The lookup records' group commit (defaults: 64 records, 2 ms). */
  queryLog?: { maxBatch?: number; maxWaitMs?: number };
  /** HTTP client of the outbox worker (tests). */
  fetch?: typeof fetch;
  /** The config directory the studio mirrors saves into (CONFIG_DIR); without it the studio cannot save. */
  configDir?: string;
  /** Also poll the active config version this often (ms), besides LISTEN/NOTIFY; 0 or absent: notifications only. */
  configPollMs?: number;
  /** NODE_ENV=production: the studio compiles with the same production rules as the start. */
  production?: boolean;
};

export type App = OpenAPIHono<AppEnv> & {
  routeTable: readonly RouteEntry[];
  /** The services of the model in force (replaced with it). */
  readonly services: Services;
  /** The runtime model in force. */
  readonly model: RuntimeModel;
  /**
   * Puts another model in force without a restart: new requests get it and services built from it
   * (authorization policy, validators, engine); requests already running finish on the old one.
   */
  swapModel(next: RuntimeModel): Promise<void>;
  close(): Promise<void>;
};

/** One runtime model with the services built from it; replaced as a whole when the config changes. */
type Generation = { model: RuntimeModel; services: Services; dispose: () => void };

/** Services that outlive a config swap: they hold work in flight (pending lookup records, delivery leases). */
type Lasting = Pick<Services, 'queryLog' | 'outbox'>;

async function buildGeneration(model: RuntimeModel, db: DbHandle, clock: Clock, bus: EventBus, config: ConfigRuntime, lasting: Lasting, log: Log): Promise<Generation> {
  // The services' event handlers are dropped with the generation.
  const offs: (() => void)[] = [];
  const events: EventBus = { ...bus, on: (h) => { const off = bus.on(h); offs.push(off); return off; } };
  const sessions = createSessionService(db.db, model.platform.security, clock, events);
  const engine = { model, clock, calendar: createCalendar(model.platform.calendar) };
  const services: Services = {
    clock,
    events,
    sessions,
    engine,
    entries: createEntryService(engine, db.db),
    requests: createRequestService(engine),
    attachments: createAttachmentService(engine),
    authz: await createAuthzService(model, db.db, events),
    users: createUserService(model, db.db, clock, events, sessions),
    apiKeys: createApiKeyService(model, db.db, clock, events),
    ...lasting,
    config,
    imports: createImportService(engine, db, (msg, err) => log({ level: 'error', msg, err: String(err) })),
  };
  return { model, services, dispose: () => offs.forEach((off) => off()) };
}

export async function createApp(model: RuntimeModel, db: DbHandle, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? (() => {});
  const clock = options.testClock ?? options.clock ?? systemClock(model.platform.timezone);
  const bus = await createEventBus(db, (err) => log({ level: 'error', msg: 'event handler failed', err: String(err) }));
  const config: ConfigRuntime = { dir: options.configDir, production: options.production ?? false, apply: (next) => swapModel(next) };
  // The outbox settings come from platform.yaml, which the studio does not change; a platform change needs a restart.
  const lasting: Lasting = {
    queryLog: createQueryLogRecorder(db, options.queryLog),
    outbox: createOutboxWorker({ model, handle: db, clock, log, ...(options.fetch ? { fetch: options.fetch } : {}) }),
  };
  let current = await buildGeneration(model, db, clock, bus, config, lasting, log);

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) {
        if (hasNul((result as { data?: unknown }).data)) throw invalidCharacter(result.target);
        return;
      }
      const input = (result as { data?: unknown }).data;
      if (result.target === 'json' && (input === null || typeof input !== 'object' || Array.isArray(input))) {
        throw new AppError(400, 'BAD_JSON', '请求正文须为 JSON 对象', 'the body must be a JSON object');
      }
      throw validationError(result.error.issues, targetName(result.target));
    },
  });
  const registrar = createRegistrar();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  app.use('*', async (c, next) => {
    // Read once: the request runs to its end on the model it started with.
    const g = current;
    c.set('model', g.model);
    c.set('db', db);
    c.set('services', g.services);
    // A caller's (or proxy's) id is kept when it is a sane token, so one id follows a request across systems.
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    if (options.log && c.req.path.startsWith('/api/')) {
      const p = c.get('principal');
      log({
        msg: 'request',
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(p ? { actor: `${p.kind}:${p.id}` } : {}),
      });
    }
  });
  // Security headers (nosniff, frame and referrer policy, HSTS …); no CSP, which the admin bundle and the docs page would need tuned.
  app.use('*', secureHeaders());
  // One body size limit for the API; uploads (attachments, imports) and the portal's filings set their own, cut off while streaming.
  const maxBody = model.platform.http.max_body_kb * 1024;
  const limitBody = bodyLimit({
    maxSize: maxBody,
    onError: () => {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `请求正文超过 ${model.platform.http.max_body_kb} KB 上限`, `the request body exceeds ${model.platform.http.max_body_kb} KB`);
    },
  });
  app.use('/api/*', (c, next) => (OWN_BODY_LIMIT.test(c.req.path) ? next() : limitBody(c, next)));

  registerSystemRoutes(app, registrar);
  registerAuthRoutes(app, registrar);
  registerUserRoutes(app, registrar);
  registerApiKeyRoutes(app, registrar);
  registerEntryRoutes(app, registrar);
  registerImportRoutes(app, registrar);
  registerDocumentRoutes(app, registrar);
  // before the request routes: …/repairs/{repairId}/attachments would otherwise match …/repairs/{repairId}/{decision}
  registerAttachmentRoutes(app, registrar);
  registerRequestRoutes(app, registrar);
  registerReportRoutes(app, registrar);
  registerPlanRoutes(app, registrar);
  registerLookupRoutes(app, registrar);
  registerPortalRoutes(app, registrar);
  registerOutboxRoutes(app, registrar);
  registerAuditRoutes(app, registrar);
  registerConfigStudioRoutes(app, registrar);
  if (options.testClock) registerTestClockRoutes(app, registrar, options.testClock);
  registerDocs(app, registrar);

  app.all('/api/*', () => {
    throw new AppError(404, 'NOT_FOUND', '接口不存在', 'no such API route');
  });
  if (options.adminDir && existsSync(join(options.adminDir, 'index.html'))) {
    const adminDir = options.adminDir;
    app.use('/*', serveStatic({ root: adminDir }));
    // Client-side routes of the single-page admin all answer with its index.
    app.get('/*', async (c) => c.html(await readFile(join(adminDir, 'index.html'), 'utf8')));
  } else {
    app.get('/', (c) =>
      c.html('<!doctype html><meta charset="utf-8"><title>信用名单</title><p>管理端尚未构建：请运行 <code>pnpm build</code>。接口文档见 <a href="/api/docs">/api/docs</a>。</p>'),
    );
  }

  app.onError((err, c) => {
    if (err instanceof AppError) return c.json(errorBody(c, err), err.status);
    if (err instanceof HTTPException) {
      const status = err.status;
      const badJson = status === 400 && /json/i.test(err.message);
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : badJson ? 'BAD_JSON' : status === 400 ? 'BAD_REQUEST' : 'HTTP_ERROR';
      const zhMessage = status === 413 ? '请求正文过大' : badJson ? '请求正文须为 JSON 对象' : '请求无效';
      const e = new AppError(status as AppError['status'], code, zhMessage, err.message || 'bad request');
      return c.json(errorBody(c, e), e.status);
    }
    const db = dbErrorToAppError(err);
    if (db) {
      log({ level: 'warn', requestId: c.get('requestId'), msg: 'database error', code: db.code, err: String(err) });
      if (db.status === 503) c.header('retry-after', '5');
      return c.json(errorBody(c, db), db.status);
    }
    log({ level: 'error', requestId: c.get('requestId'), msg: 'unhandled error', err: String(err), stack: (err as Error).stack });
    const e = new AppError(500, 'INTERNAL', '服务器内部错误，请联系管理员', 'internal server error');
    return c.json(errorBody(c, e), 500);
  });
  app.notFound((c) => c.json(errorBody(c, new AppError(404, 'NOT_FOUND', '页面不存在', 'not found')), 404));

  let swapping = Promise.resolve();
  function swapModel(next: RuntimeModel): Promise<void> {
    // One swap at a time, in the order asked; a model already in force is left alone.
    swapping = swapping.then(async () => {
      if (next.version === current.model.version) return;
      const previous = current;
      current = await buildGeneration(next, db, clock, bus, config, lasting, log);
      previous.dispose();
      log({ msg: 'config swapped', from: previous.model.version, to: next.version });
    });
    return swapping;
  }
  const sync = startConfigSync({ db, events: bus, current: () => current.model, apply: swapModel, production: config.production, pollMs: options.configPollMs, log });
  const close = async () => {
    sync.stop();
    await lasting.outbox.stop();
    await lasting.queryLog.drain();
    await bus.close();
  };
  return Object.defineProperties(Object.assign(app, { routeTable: registrar.table, swapModel, close }), {
    services: { get: () => current.services, enumerable: true },
    model: { get: () => current.model, enumerable: true },
  }) as unknown as App;
}

/** Routes whose handlers apply their own body limit (see routes/attachments.ts, routes/imports.ts, routes/portal.ts). */
const OWN_BODY_LIMIT = /(\/attachments|^\/api\/lists\/[^/]+\/imports)$|^\/api\/public\/entries\//;

/** Request ids taken from callers: up to 128 characters of letters, digits and - _ . : */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function targetName(target: string): string {
  return ({ json: '正文', query: '查询参数', param: '路径参数', header: '请求头', form: '表单' } as Record<string, string>)[target] ?? target;
}
