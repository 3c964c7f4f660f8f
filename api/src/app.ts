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
import { createApiKeyService } from './auth/api-keys.ts';
import { createSessionService } from './auth/sessions.ts';
import { createUserService } from './auth/users.ts';
import { createAuthzService } from './authz/service.ts';
import type { RuntimeModel } from './config/compile.ts';
import type { DbHandle } from './db/client.ts';
import type { AppEnv, Services } from './http/env.ts';
import { AppError, errorBody, validationError } from './http/errors.ts';
import { createEventBus } from './http/events.ts';
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
import { registerSystemRoutes } from './routes/system.ts';
import { registerUserRoutes } from './routes/users.ts';

export type AppOptions = {
  /** Absolute path of the built admin (admin/dist); omitted in API-only tests. */
  adminDir?: string;
  clock?: Clock;
  /** With a manual clock, the test-clock routes are registered (CLOCK=manual; refused in production by server.ts). */
  testClock?: ManualClock;
  log?: Log;
};

export type App = OpenAPIHono<AppEnv> & { routeTable: readonly RouteEntry[]; services: Services; close(): Promise<void> };

export async function createApp(model: RuntimeModel, db: DbHandle, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? (() => {});
  const clock = options.testClock ?? options.clock ?? systemClock(model.platform.timezone);
  const events = await createEventBus(db, (err) => log({ level: 'error', msg: 'event handler failed', err: String(err) }));
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
    imports: createImportService(engine, db, (msg, err) => log({ level: 'error', msg, err: String(err) })),
  };

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
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
    c.set('model', model);
    c.set('db', db);
    c.set('services', services);
    c.set('requestId', c.req.header('x-request-id') ?? randomUUID());
    await next();
  });

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
    log({ level: 'error', requestId: c.get('requestId'), msg: 'unhandled error', err: String(err), stack: (err as Error).stack });
    const e = new AppError(500, 'INTERNAL', '服务器内部错误，请联系管理员', 'internal server error');
    return c.json(errorBody(c, e), 500);
  });
  app.notFound((c) => c.json(errorBody(c, new AppError(404, 'NOT_FOUND', '页面不存在', 'not found')), 404));

  return Object.assign(app, { routeTable: registrar.table, services, close: () => events.close() });
}

function targetName(target: string): string {
  return ({ json: '正文', query: '查询参数', param: '路径参数', header: '请求头', form: '表单' } as Record<string, string>)[target] ?? target;
}
