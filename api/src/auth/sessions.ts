/**
 * Login sessions: a random bearer token stored as a hash, with an absolute
 * expiry and an idle timeout from platform.yaml. Resolved sessions are kept in
 * memory for a few seconds, and dropped at once on logout or when the user is
 * disabled (in every process, through the event bus).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Platform } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import type { EventBus } from '../http/events.ts';
import type { Clock } from '../procedures/clock.ts';
import { hashToken, newToken, sessionPrefix } from './tokens.ts';

export type SessionUser = { sessionId: string; userId: string; username: string; displayName: string; mustChangePassword: boolean };

type Cached = SessionUser & { expiresAt: number; lastSeenAt: number; checkedAt: number };

const cacheMs = 5_000;
/** last_seen_at is written at most this often, so that reads do not turn into writes. */
const touchMs = 60_000;

export const unauthenticated = (code: string, message: string, messageEn: string) => new AppError(401, code, message, messageEn);

export type SessionService = {
  create(userId: string): Promise<{ token: string; expiresAt: Date }>;
  resolve(token: string): Promise<SessionUser>;
  revoke(token: string): Promise<void>;
  revokeAllOf(userId: string): Promise<void>;
};

export function createSessionService(db: Db, security: Platform['security'], clock: Clock, events: EventBus): SessionService {
  const cache = new Map<string, Cached>();
  const idleMs = security.session.idle_minutes * 60_000;
  events.on((event) => {
    if (event.type !== 'sessions-revoked') return;
    if (event.tokenHash) cache.delete(event.tokenHash);
    if (event.userId) for (const [k, v] of cache) if (v.userId === event.userId) cache.delete(k);
  });

  async function load(tokenHash: string): Promise<Cached> {
    const [row] = await db
      .select({
        sessionId: sessions.id,
        userId: users.id,
        username: users.username,
        displayName: users.displayName,
        mustChangePassword: users.mustChangePassword,
        disabled: users.disabled,
        expiresAt: sessions.expiresAt,
        lastSeenAt: sessions.lastSeenAt,
        revokedAt: sessions.revokedAt,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.tokenHash, tokenHash));
    if (!row || row.revokedAt) throw unauthenticated('TOKEN_INVALID', '登录凭证无效或已注销，请重新登录', 'invalid or revoked token');
    if (row.disabled) throw unauthenticated('ACCOUNT_DISABLED', '账号已停用', 'the account is disabled');
    const { disabled: _d, revokedAt: _r, ...rest } = row;
    return { ...rest, expiresAt: row.expiresAt.getTime(), lastSeenAt: row.lastSeenAt.getTime(), checkedAt: clock.now().getTime() };
  }

  return {
    async create(userId) {
      const token = newToken(sessionPrefix);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + security.session.max_hours * 3_600_000);
      await db.insert(sessions).values({ userId, tokenHash: hashToken(token), createdAt: now, lastSeenAt: now, expiresAt });
      return { token, expiresAt };
    },
    async resolve(token) {
      const tokenHash = hashToken(token);
      const now = clock.now().getTime();
      let s = cache.get(tokenHash);
      if (!s || now - s.checkedAt > cacheMs) {
        s = await load(tokenHash);
        cache.set(tokenHash, s);
      }
      if (now >= s.expiresAt || now - s.lastSeenAt > idleMs) {
        cache.delete(tokenHash);
        throw unauthenticated('SESSION_EXPIRED', '登录已过期，请重新登录', 'the session has expired');
      }
      if (now - s.lastSeenAt > touchMs) {
        s.lastSeenAt = now;
        await db.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.id, s.sessionId));
      }
      const { expiresAt: _e, lastSeenAt: _l, checkedAt: _c, ...user } = s;
      return user;
    },
    async revoke(token) {
      const tokenHash = hashToken(token);
      await db.update(sessions).set({ revokedAt: clock.now() }).where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
      await events.publish({ type: 'sessions-revoked', tokenHash });
    },
    async revokeAllOf(userId) {
      await db.update(sessions).set({ revokedAt: clock.now() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
      await events.publish({ type: 'sessions-revoked', userId });
    },
  };
}
