/**
 * Password login with lockout: after `max_failures` wrong passwords in a row the
 * account is locked for `lock_minutes` (platform.yaml), as 等保 reviews expect.
 */
import { eq, sql } from 'drizzle-orm';
import type { Platform } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import type { Clock } from '../procedures/clock.ts';
import { appendAudit } from '../audit/chain.ts';
import { burnVerify, verifyPassword } from './passwords.ts';
import { type SessionService, unauthenticated } from './sessions.ts';

const badCredentials = () => unauthenticated('INVALID_CREDENTIALS', '用户名或密码错误', 'wrong username or password');

export async function login(
  db: Db,
  security: Platform['security'],
  clock: Clock,
  sessions: SessionService,
  username: string,
  password: string,
  /** The client's address, recorded in the audit log. */
  address?: string,
): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const now = clock.now();
  const where = address ? { address } : {};
  const [user] = await db.select().from(users).where(eq(users.username, username));
  if (!user) {
    await burnVerify(password);
    // Unknown names go to one chain of their own; the name tried is kept (short), never the password.
    await appendAudit(db, {
      chain: 'auth',
      actor: { kind: 'public', name: username.slice(0, 64) },
      action: 'auth.login-failed',
      targetType: 'user',
      targetId: null,
      after: { reason: 'unknown-user', username: username.slice(0, 64), ...where },
      at: now,
    });
    throw badCredentials();
  }
  const audit = (tx: Db, action: string, after: Record<string, unknown>) =>
    appendAudit(tx, { chain: `user:${user.id}`, actor: { kind: 'user', id: user.id, name: user.username }, action, targetType: 'user', targetId: user.id, after: { ...after, ...where }, at: now });
  if (user.lockedUntil && user.lockedUntil > now) {
    await audit(db, 'auth.login-failed', { reason: 'locked', lockedUntil: user.lockedUntil.toISOString() });
    const minutes = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 60_000);
    throw new AppError(429, 'ACCOUNT_LOCKED', `连续登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`, `too many failed logins; try again in ${minutes} min`, [
      { message: 'lockedUntil', lockedUntil: user.lockedUntil.toISOString() },
    ]);
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    const failures = user.failedLogins + 1;
    const lock = failures >= security.login.max_failures;
    await db.transaction(async (tx) => {
      await tx
        .update(users)
        .set(
          lock
            ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + security.login.lock_minutes * 60_000) }
            : { failedLogins: sql`${users.failedLogins} + 1` },
        )
        .where(eq(users.id, user.id));
      await audit(tx, 'auth.login-failed', { reason: 'wrong-password', failures, locked: lock });
    });
    throw badCredentials();
  }
  if (user.disabled) {
    await audit(db, 'auth.login-failed', { reason: 'disabled' });
    throw unauthenticated('ACCOUNT_DISABLED', '账号已停用，请联系信用办管理员', 'the account is disabled');
  }
  if (user.failedLogins || user.lockedUntil) await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
  const session = await sessions.create(user.id);
  await db.transaction((tx) => audit(tx, 'auth.login', {}));
  return { ...session, userId: user.id };
}
