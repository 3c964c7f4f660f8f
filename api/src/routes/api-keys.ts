/** API keys for business systems, managed by the office (manage-api-keys). */
import { z } from '@hono/zod-openapi';
import { AppError } from '../http/errors.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, IdParam, notFoundError, validationErrors } from '../http/schemas.ts';

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    department: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

export function registerApiKeyRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/api-keys',
      summary: '接口密钥列表 / list API keys',
      access: { kind: 'global', action: 'manage-api-keys' },
      responses: { 200: { description: 'keys', content: { 'application/json': { schema: z.array(ApiKey) } } }, ...authErrors },
    }),
    async (c) => {
      const rows = await c.get('services').apiKeys.list();
      c.header('x-total-count', String(rows.length));
      return c.json(rows, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/api-keys',
      summary: '新建接口密钥（只显示一次）/ create an API key, shown once',
      access: { kind: 'global', action: 'manage-api-keys' },
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ name: z.string().trim().min(1).max(100), department: z.string().min(1).max(64) }) } },
        },
      },
      responses: {
        201: { description: 'created', content: { 'application/json': { schema: ApiKey.extend({ key: z.string() }) } } },
        ...authErrors,
        ...validationErrors,
      },
    }),
    async (c) => {
      const p = c.get('principal');
      if (p?.kind !== 'user') throw new AppError(403, 'FORBIDDEN', '只有用户可以创建接口密钥', 'only users create API keys');
      return c.json(await c.get('services').apiKeys.create(c.req.valid('json'), p.id), 201);
    },
  );

  app.openapi(
    r.route({
      method: 'delete',
      path: '/api/api-keys/{id}',
      summary: '吊销接口密钥 / revoke an API key',
      access: { kind: 'global', action: 'manage-api-keys' },
      request: { params: IdParam },
      responses: { 200: { description: 'revoked', content: { 'application/json': { schema: ApiKey } } }, ...authErrors, ...notFoundError },
    }),
    async (c) => c.json(await c.get('services').apiKeys.revoke(c.req.valid('param').id, c.get('principal')?.id), 200),
  );
}
