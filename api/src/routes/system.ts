/** Health, the compiled model for the UI, and the API's own description. */
import { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { pendingMigrations } from '../db/migrate.ts';
import { buildMeta, permissionMatrix } from '../meta/build.ts';
import { MetaWithPermissions } from '../meta/schema.ts';
import { authErrors } from '../http/schemas.ts';
import type { AppRouter, Registrar } from '../http/router.ts';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['postgres', 'pglite']),
  databaseUp: z.boolean(),
  version: z.string().describe('config version (content hash)'),
  uptimeSeconds: z.number(),
});

const Ready = z.object({
  status: z.enum(['ready', 'not-ready']),
  checks: z.object({ database: z.boolean(), migrations: z.boolean(), config: z.boolean() }),
  pendingMigrations: z.array(z.string()).describe('tags of migrations not applied yet'),
  version: z.string().describe('config version (content hash)'),
});

export function registerSystemRoutes(app: AppRouter, r: Registrar): void {
  const started = Date.now();

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/health',
      summary: '健康检查 / process and database up, config version',
      access: { kind: 'public', reason: 'load balancers and monitoring call it without credentials' },
      responses: {
        200: { description: 'up', content: { 'application/json': { schema: Health } } },
        503: { description: 'database unreachable', content: { 'application/json': { schema: Health } } },
      },
    }),
    async (c) => {
      const handle = c.get('db');
      let databaseUp = true;
      try {
        await handle.db.execute(sql`select 1`);
      } catch {
        databaseUp = false;
      }
      const body = {
        status: databaseUp ? ('ok' as const) : ('degraded' as const),
        database: handle.kind,
        databaseUp,
        version: c.get('model').version,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      };
      return databaseUp ? c.json(body, 200) : c.json(body, 503);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/ready',
      summary: '就绪检查 / ready for traffic: database reachable, migrations applied, config loaded',
      access: { kind: 'public', reason: 'load balancers call it without credentials' },
      responses: {
        200: { description: 'ready', content: { 'application/json': { schema: Ready } } },
        503: { description: 'not ready', content: { 'application/json': { schema: Ready } } },
      },
    }),
    async (c) => {
      const handle = c.get('db');
      const model = c.get('model');
      let databaseUp = true;
      let pending: string[] = [];
      try {
        pending = await pendingMigrations(handle.db);
      } catch {
        databaseUp = false;
      }
      const configLoaded = typeof model.version === 'string' && model.version.length > 0;
      const ready = databaseUp && pending.length === 0 && configLoaded;
      const body = {
        status: ready ? ('ready' as const) : ('not-ready' as const),
        checks: { database: databaseUp, migrations: databaseUp && pending.length === 0, config: configLoaded },
        pendingMigrations: pending,
        version: model.version,
      };
      return ready ? c.json(body, 200) : c.json(body, 503);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/meta',
      summary: '配置元数据与本人权限矩阵 / the compiled config as the admin UI needs it, with the caller’s permissions',
      access: { kind: 'authenticated' },
      responses: {
        200: { description: 'compiled model', content: { 'application/json': { schema: MetaWithPermissions } } },
        ...authErrors,
      },
    }),
    (c) => {
      const model = c.get('model');
      const p = c.get('principal');
      if (!p) throw new Error('authenticated route without a principal');
      return c.json({ ...buildMeta(model), permissions: permissionMatrix(model, p.perms) }, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/public/platform',
      summary: '平台名称（登录页）/ platform name for the login page',
      access: { kind: 'public', reason: 'the login page shows the platform name before anyone logs in' },
      responses: {
        200: {
          description: 'platform',
          content: { 'application/json': { schema: z.object({ name: z.string(), nameEn: z.string().optional(), city: z.string(), version: z.string() }) } },
        },
      },
    }),
    (c) => {
      const { platform, version } = c.get('model');
      return c.json({ name: platform.name, nameEn: platform.name_en, city: platform.city, version }, 200);
    },
  );
}
