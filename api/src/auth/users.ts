/**
 * User accounts managed by the office: create, edit, disable, assign roles per
 * department. Each change is one transaction; role changes reach every
 * process's authorization state through the event bus.
 */
import { asc, count, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { passwordHistory, userRoles, users } from '../db/schema.ts';
import { userSubject, type Assignment } from '../authz/policy.ts';
import { AppError, notFound } from '../http/errors.ts';
import type { EventBus } from '../http/events.ts';
import type { Clock } from '../procedures/clock.ts';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from './principal.ts';
import { checkPasswordPolicy, hashPassword } from './passwords.ts';
import type { SessionService } from './sessions.ts';

export type UserView = {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
  roles: Assignment[];
  createdAt: string;
};

export type NewUser = { username: string; displayName: string; password: string; roles: Assignment[]; mustChangePassword?: boolean };
export type UserChange = { displayName?: string; disabled?: boolean; roles?: Assignment[]; password?: string };

/** A role may be held where its scope says: own-scope roles in a department, all-scope roles office-wide. */
export function checkAssignments(model: RuntimeModel, roles: readonly Assignment[]): void {
  const details: { path: string; code: string; message: string }[] = [];
  roles.forEach((a, i) => {
    const role = model.roles.find((r) => r.id === a.role);
    if (!role) details.push({ path: `roles.${i}.role`, code: 'UNKNOWN_ROLE', message: `未知的角色“${a.role}”` });
    else if (role.client === 'api_key') details.push({ path: `roles.${i}.role`, code: 'API_KEY_ROLE', message: `角色“${role.name}”只能授予业务系统接口密钥` });
    else if (role.scope === 'all' && a.department !== '*') details.push({ path: `roles.${i}.department`, code: 'SCOPE_ALL', message: `角色“${role.name}”适用于全部部门，部门应为 *` });
    else if (role.scope === 'own' && !model.department(a.department)) details.push({ path: `roles.${i}.department`, code: 'UNKNOWN_DEPARTMENT', message: `角色“${role.name}”须指定所在部门，“${a.department}”不是已配置的部门` });
  });
  const seen = new Set<string>();
  for (const a of roles) {
    const k = `${a.role}@${a.department}`;
    if (seen.has(k)) details.push({ path: 'roles', code: 'DUPLICATE', message: `重复的角色分配：${k}` });
    seen.add(k);
  }
  if (details.length) throw new AppError(422, 'INVALID_ROLES', '角色分配无效', 'invalid role assignments', details);
}

const actorOf = (p?: Principal) => (p ? { kind: p.kind, id: p.id, name: p.name } : { kind: 'system' as const, name: '系统' });

export type UserService = {
  list(q: { start: number; end: number; search?: string; sort?: string; order?: 'asc' | 'desc' }): Promise<{ rows: UserView[]; total: number }>;
  get(id: string): Promise<UserView>;
  create(input: NewUser, by?: Principal): Promise<UserView>;
  update(id: string, change: UserChange, by?: Principal): Promise<UserView>;
  changeOwnPassword(id: string, next: string): Promise<void>;
};

export function createUserService(model: RuntimeModel, db: Db, clock: Clock, events: EventBus, sessions: SessionService): UserService {
  const policy = model.platform.security.password;

  async function views(ids: string[]): Promise<Map<string, Assignment[]>> {
    const out = new Map<string, Assignment[]>();
    if (!ids.length) return out;
    const rows = await db.select().from(userRoles).where(inArray(userRoles.userId, ids)).orderBy(asc(userRoles.role), asc(userRoles.department));
    for (const r of rows) {
      const list = out.get(r.userId) ?? [];
      out.set(r.userId, list);
      list.push({ role: r.role, department: r.department });
    }
    return out;
  }

  const toView = (u: typeof users.$inferSelect, roles: Assignment[]): UserView => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    roles,
    createdAt: u.createdAt.toISOString(),
  });

  async function get(id: string): Promise<UserView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('用户', 'user');
    const [u] = await db.select().from(users).where(eq(users.id, id));
    if (!u) throw notFound('用户', 'user');
    return toView(u, (await views([id])).get(id) ?? []);
  }

  async function history(userId: string): Promise<string[]> {
    const rows = await db.select({ hash: passwordHistory.hash }).from(passwordHistory).where(eq(passwordHistory.userId, userId)).orderBy(desc(passwordHistory.createdAt)).limit(Math.max(policy.history, 1));
    return rows.map((r) => r.hash);
  }

  async function setPassword(tx: Db, userId: string, password: string, mustChange: boolean) {
    const hash = await hashPassword(password);
    const now = clock.now();
    await tx.update(users).set({ passwordHash: hash, passwordChangedAt: now, mustChangePassword: mustChange, updatedAt: now }).where(eq(users.id, userId));
    await tx.insert(passwordHistory).values({ userId, hash, createdAt: now });
  }

  return {
    async list({ start, end, search, sort, order }) {
      const where: SQL | undefined = search ? or(ilike(users.username, `%${search}%`), ilike(users.displayName, `%${search}%`)) : undefined;
      const column = sort === 'displayName' ? users.displayName : sort === 'createdAt' ? users.createdAt : users.username;
      const rows = await db.select().from(users).where(where).orderBy(order === 'desc' ? desc(column) : asc(column)).offset(start).limit(Math.max(0, end - start));
      const [total] = await db.select({ n: count() }).from(users).where(where);
      const roles = await views(rows.map((r) => r.id));
      return { rows: rows.map((u) => toView(u, roles.get(u.id) ?? [])), total: total?.n ?? 0 };
    },
    get,
    async create(input, by) {
      checkAssignments(model, input.roles);
      await checkPasswordPolicy(policy, input.password);
      const hash = await hashPassword(input.password);
      const now = clock.now();
      const id = await db.transaction(async (tx) => {
        const existing = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
        if (existing.length) throw new AppError(409, 'USERNAME_TAKEN', `用户名“${input.username}”已被使用`, 'username already taken');
        const [row] = await tx
          .insert(users)
          .values({ username: input.username, displayName: input.displayName, passwordHash: hash, mustChangePassword: input.mustChangePassword ?? true, passwordChangedAt: now, createdAt: now, updatedAt: now })
          .returning({ id: users.id });
        if (!row) throw new Error('insert returned no row');
        await tx.insert(passwordHistory).values({ userId: row.id, hash, createdAt: now });
        if (input.roles.length) await tx.insert(userRoles).values(input.roles.map((r) => ({ userId: row.id, role: r.role, department: r.department })));
        await appendAudit(tx, { chain: `user:${row.id}`, actor: actorOf(by), action: 'user.create', targetType: 'user', targetId: row.id, before: null, after: { username: input.username, displayName: input.displayName, roles: input.roles }, at: now });
        return row.id;
      });
      await events.publish({ type: 'subject-changed', subject: userSubject(id) });
      return get(id);
    },
    async update(id, change, by) {
      const before = await get(id);
      if (change.roles) checkAssignments(model, change.roles);
      if (change.password !== undefined) await checkPasswordPolicy(policy, change.password, await history(id));
      await db.transaction(async (tx) => {
        const now = clock.now();
        const set: Partial<typeof users.$inferInsert> = { updatedAt: now };
        if (change.displayName !== undefined) set.displayName = change.displayName;
        if (change.disabled !== undefined) set.disabled = change.disabled;
        await tx.update(users).set(set).where(eq(users.id, id));
        if (change.password !== undefined) await setPassword(tx, id, change.password, true);
        if (change.roles) {
          await tx.delete(userRoles).where(eq(userRoles.userId, id));
          if (change.roles.length) await tx.insert(userRoles).values(change.roles.map((r) => ({ userId: id, role: r.role, department: r.department })));
        }
        const { password: _p, ...visible } = change;
        await appendAudit(tx, {
          chain: `user:${id}`,
          actor: actorOf(by),
          action: 'user.update',
          targetType: 'user',
          targetId: id,
          before: { displayName: before.displayName, disabled: before.disabled, roles: before.roles },
          after: { ...visible, passwordReset: change.password !== undefined },
          at: now,
        });
      });
      if (change.roles) await events.publish({ type: 'subject-changed', subject: userSubject(id) });
      if ((change.disabled && !before.disabled) || change.password !== undefined) await sessions.revokeAllOf(id);
      return get(id);
    },
    async changeOwnPassword(id, next) {
      await checkPasswordPolicy(policy, next, await history(id));
      await db.transaction(async (tx) => {
        await setPassword(tx, id, next, false);
        await appendAudit(tx, { chain: `user:${id}`, actor: { kind: 'user', id }, action: 'user.change-password', targetType: 'user', targetId: id, at: clock.now() });
      });
    },
  };
}
