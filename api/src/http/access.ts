/**
 * Applies a route's declared access before its validators and handler: deny by
 * default. Authentication resolves the bearer token (a session or an API key)
 * into a Principal; authorization answers from the principal's PermissionSet.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Principal } from '../auth/principal.ts';
import { unauthenticated } from '../auth/sessions.ts';
import { apiKeyPrefix, sessionPrefix } from '../auth/tokens.ts';
import { canAnywhere, scopeOf } from '../authz/permissions.ts';
import { apiKeySubject, globalObject, listObject, userSubject } from '../authz/policy.ts';
import type { AppEnv } from './env.ts';
import { AppError } from './errors.ts';
import type { Access } from './router.ts';

const forbidden = (what: string, whatEn: string) => new AppError(403, 'FORBIDDEN', `没有权限：${what}`, `forbidden: ${whatEn}`);

export async function authenticate(c: Context<AppEnv>): Promise<Principal> {
  const cached = c.get('principal');
  if (cached) return cached;
  const header = c.req.header('authorization');
  if (!header) throw unauthenticated('UNAUTHENTICATED', '请先登录', 'authentication required');
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header.trim());
  if (!match?.[1]) throw unauthenticated('AUTH_MALFORMED', 'Authorization 请求头格式错误，应为 “Bearer <令牌>”', 'malformed Authorization header; expected "Bearer <token>"');
  const token = match[1];
  const { sessions, apiKeys, authz } = c.get('services');
  let principal: Principal;
  if (token.startsWith(sessionPrefix)) {
    const s = await sessions.resolve(token);
    const subject = userSubject(s.userId);
    principal = {
      kind: 'user',
      id: s.userId,
      subject,
      name: s.displayName,
      username: s.username,
      sessionId: s.sessionId,
      assignments: await authz.assignments(subject),
      perms: await authz.permissions(subject),
    };
  } else if (token.startsWith(apiKeyPrefix)) {
    const key = await apiKeys.resolve(token);
    if (!key) throw unauthenticated('TOKEN_INVALID', '接口密钥无效或已吊销', 'invalid or revoked API key');
    const subject = apiKeySubject(key.id);
    principal = { kind: 'api_key', id: key.id, subject, name: key.name, assignments: await authz.assignments(subject), perms: await authz.permissions(subject) };
  } else {
    throw unauthenticated('TOKEN_INVALID', '登录凭证无效，请重新登录', 'invalid token');
  }
  c.set('principal', principal);
  return principal;
}

export function accessMiddleware(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    switch (access.kind) {
      case 'public':
        break;
      case 'authenticated':
        await authenticate(c);
        break;
      case 'global': {
        const p = await authenticate(c);
        if (!canAnywhere(p.perms, globalObject, access.action)) throw forbidden(access.action, access.action);
        c.set('scope', scopeOf(p.perms, globalObject, access.action));
        break;
      }
      case 'list':
      case 'transition': {
        const p = await authenticate(c);
        const listId = c.req.param('listId') ?? '';
        const list = c.get('model').list(listId);
        if (!list) throw new AppError(404, 'LIST_NOT_FOUND', `名单类型“${listId}”不存在`, `unknown list type "${listId}"`);
        let action: string = access.kind === 'list' ? access.action : '';
        if (access.kind === 'transition') {
          const id = c.req.param('action') ?? '';
          const tr = list.graph.transitions.find((t) => t.id === id);
          if (!tr) throw new AppError(404, 'UNKNOWN_ACTION', `名单“${list.name}”没有操作“${id}”`, `list "${list.id}" has no action "${id}"`);
          if (tr.action === 'system') throw forbidden(`${tr.label}（系统自动执行）`, `${tr.id} is run by the system`);
          action = tr.action;
        }
        // Seeing the list is the precondition of every list route; its scope bounds which rows exist for the caller.
        if (!canAnywhere(p.perms, listObject(list.id), 'view')) throw forbidden(`${list.name} / view`, `${list.id} / view`);
        if (!canAnywhere(p.perms, listObject(list.id), action)) throw forbidden(`${list.name} / ${action}`, `${list.id} / ${action}`);
        c.set('scope', scopeOf(p.perms, listObject(list.id), 'view'));
        break;
      }
    }
    await next();
  };
}
