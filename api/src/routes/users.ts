/** The office manages user accounts and their roles per department (manage-users). */
import { z } from '@hono/zod-openapi';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, IdParam, ListQuery, notFoundError, validationErrors } from '../http/schemas.ts';

const Assignment = z.strictObject({ role: z.string().min(1).max(64), department: z.string().min(1).max(64) });
const User = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    roles: z.array(Assignment),
    createdAt: z.string(),
  })
  .openapi('User');
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

export function registerUserRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/users',
      summary: '用户列表 / list users',
      access: { kind: 'global', action: 'manage-users' },
      request: { query: ListQuery },
      responses: { 200: { description: 'users; total in x-total-count', ...json(z.array(User)) }, ...authErrors, ...validationErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await c.get('services').users.list({
        start: q._start,
        end: q._end,
        search: q.q,
        sort: q._sort,
        order: q._order?.toLowerCase() as 'asc' | 'desc' | undefined,
      });
      c.header('x-total-count', String(total));
      return c.json(rows, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/users',
      summary: '新建用户 / create a user',
      access: { kind: 'global', action: 'manage-users' },
      request: {
        body: {
          required: true,
          ...json(
            z.strictObject({
              username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, '用户名只能包含小写字母、数字、点、下划线和连字符'),
              displayName: z.string().trim().min(1).max(64),
              password: z.string().min(1).max(256),
              roles: z.array(Assignment).max(50),
            }),
          ),
        },
      },
      responses: { 201: { description: 'created', ...json(User) }, ...authErrors, ...validationErrors, ...conflictError },
    }),
    async (c) => c.json(await c.get('services').users.create(c.req.valid('json'), c.get('principal')), 201),
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/users/{id}',
      summary: '用户详情 / one user',
      access: { kind: 'global', action: 'manage-users' },
      request: { params: IdParam },
      responses: { 200: { description: 'user', ...json(User) }, ...authErrors, ...notFoundError },
    }),
    async (c) => c.json(await c.get('services').users.get(c.req.valid('param').id), 200),
  );

  app.openapi(
    r.route({
      method: 'patch',
      path: '/api/users/{id}',
      summary: '修改用户：姓名、停用、重置密码、角色 / edit, disable, reset password, assign roles',
      access: { kind: 'global', action: 'manage-users' },
      request: {
        params: IdParam,
        body: {
          required: true,
          ...json(
            z.strictObject({
              displayName: z.string().trim().min(1).max(64).optional(),
              disabled: z.boolean().optional(),
              password: z.string().min(1).max(256).optional(),
              roles: z.array(Assignment).max(50).optional(),
            }),
          ),
        },
      },
      responses: { 200: { description: 'user', ...json(User) }, ...authErrors, ...notFoundError, ...validationErrors },
    }),
    async (c) => c.json(await c.get('services').users.update(c.req.valid('param').id, c.req.valid('json'), c.get('principal')), 200),
  );
}
