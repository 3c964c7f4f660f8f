/** Login, the current user, logout and changing one's own password. */
import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/chain.ts';
import { login } from '../auth/login.ts';
import { clientKey, createRateLimiter, type RateLimiter, rateLimited } from '../portal/rate-limit.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { users } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, errorResponse, validationErrors } from '../http/schemas.ts';

const Assignment = z.object({ role: z.string(), department: z.string() });
const Me = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    mustChangePassword: z.boolean(),
    roles: z.array(Assignment),
  })
  .openapi('CurrentUser');

export function registerAuthRoutes(app: AppRouter, r: Registrar): void {
  let limiter: RateLimiter | undefined;
  app.openapi(
    r.route({
      method: 'post',
      path: '/api/auth/login',
      summary: '登录 / log in with username and password',
      access: { kind: 'public', reason: 'logging in is how a user gets credentials' },
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }) } },
        },
      },
      responses: {
        200: { description: 'token', content: { 'application/json': { schema: z.object({ token: z.string(), expiresAt: z.string(), user: Me }) } } },
        401: errorResponse('用户名或密码错误 / wrong credentials'),
        429: errorResponse('账号已锁定或尝试过于频繁 / locked (ACCOUNT_LOCKED) or too many failed attempts (RATE_LIMITED)'),
        ...validationErrors,
      },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      const s = c.get('services');
      const security = c.get('model').platform.security;
      const address = clientKey(c);
      // Failed attempts per username and address (successes use no token): 429 before the password is even checked.
      limiter ??= createRateLimiter({ capacity: security.login.rate_limit.burst, refillPerSecond: security.login.rate_limit.per_minute / 60 });
      const bucket = `${username}\u0000${address}`;
      const allowed = limiter.peek(bucket);
      if (!allowed.ok) {
        c.header('Retry-After', String(allowed.retryAfterSeconds));
        throw rateLimited(allowed.retryAfterSeconds);
      }
      let result: Awaited<ReturnType<typeof login>>;
      try {
        result = await login(c.get('db').db, security, s.clock, s.sessions, username, password, address);
      } catch (err) {
        if (err instanceof AppError && err.status === 401) limiter.take(bucket);
        throw err;
      }
      const user = await s.users.get(result.userId);
      return c.json(
        {
          token: result.token,
          expiresAt: result.expiresAt.toISOString(),
          user: { id: user.id, username: user.username, displayName: user.displayName, mustChangePassword: user.mustChangePassword, roles: user.roles },
        },
        200,
      );
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/auth/me',
      summary: '当前用户 / the logged-in user',
      access: { kind: 'authenticated' },
      responses: { 200: { description: 'user', content: { 'application/json': { schema: Me } } }, ...authErrors },
    }),
    async (c) => {
      const p = c.get('principal');
      if (p?.kind !== 'user') throw new AppError(403, 'FORBIDDEN', '接口密钥没有用户信息', 'API keys have no user');
      const user = await c.get('services').users.get(p.id);
      return c.json({ id: user.id, username: user.username, displayName: user.displayName, mustChangePassword: user.mustChangePassword, roles: user.roles }, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/auth/logout',
      summary: '退出登录 / revoke the current token',
      access: { kind: 'authenticated' },
      responses: { 204: { description: 'revoked' }, ...authErrors },
    }),
    async (c) => {
      const token = c.req.header('authorization')?.trim().slice('Bearer '.length) ?? '';
      const p = c.get('principal');
      if (p?.kind === 'user') {
        await c.get('services').sessions.revoke(token);
        await appendAudit(c.get('db').db, {
          chain: `user:${p.id}`,
          actor: { kind: 'user', id: p.id, name: p.username },
          action: 'auth.logout',
          targetType: 'user',
          targetId: p.id,
          after: { address: clientKey(c) },
          at: c.get('services').clock.now(),
        });
      }
      return c.body(null, 204);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/auth/password',
      summary: '修改本人密码 / change one’s own password',
      access: { kind: 'authenticated' },
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }) } },
        },
      },
      responses: { 204: { description: 'changed' }, ...authErrors, ...validationErrors },
    }),
    async (c) => {
      const p = c.get('principal');
      if (p?.kind !== 'user') throw new AppError(403, 'FORBIDDEN', '接口密钥不能修改密码', 'API keys have no password');
      const { currentPassword, newPassword } = c.req.valid('json');
      const [u] = await c.get('db').db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, p.id));
      if (!u || !(await verifyPassword(u.hash, currentPassword))) {
        throw new AppError(422, 'WRONG_PASSWORD', '当前密码不正确', 'the current password is wrong', [{ path: 'currentPassword', message: '当前密码不正确' }]);
      }
      await c.get('services').users.changeOwnPassword(p.id, newPassword);
      return c.body(null, 204);
    },
  );
}
