/**
 * The first users on an empty database: the demo accounts when the demo users
 * file is loaded, else the office admin from ADMIN_USERNAME / ADMIN_PASSWORD.
 */
import { count } from 'drizzle-orm';
import type { RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { passwordHistory, userRoles, users } from '../db/schema.ts';
import type { Assignment } from '../authz/policy.ts';
import type { Clock } from '../procedures/clock.ts';
import { hashPassword } from './passwords.ts';

export const defaultDemoPassword = 'Demo@123456';

export type SeedUser = { username: string; displayName: string; roles: Assignment[] };

/** The demo accounts: the file's users, and `<department>-<role>` for each per-department role. */
export function demoAccounts(model: RuntimeModel): SeedUser[] {
  const demo = model.demoUsers;
  if (!demo) return [];
  const out: SeedUser[] = demo.users.map((u) => ({ username: u.username, displayName: u.display_name, roles: u.roles }));
  for (const d of model.departments) {
    for (const roleId of demo.per_department) {
      const role = model.roles.find((r) => r.id === roleId);
      out.push({ username: `${d.code}-${roleId}`, displayName: `${d.name}${role?.name ?? roleId}`, roles: [{ role: roleId, department: d.code }] });
    }
  }
  return out;
}

export type BootstrapResult = { created: SeedUser[]; password?: string; reason: 'demo' | 'admin' | 'existing' | 'none' };

export async function bootstrapUsers(
  db: Db,
  model: RuntimeModel,
  clock: Clock,
  env: { demoPassword?: string; adminUsername?: string; adminPassword?: string },
): Promise<BootstrapResult> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(users);
  if (n > 0) return { created: [], reason: 'existing' };
  let seeds: SeedUser[];
  let password: string;
  let mustChange: boolean;
  let reason: BootstrapResult['reason'];
  if (model.demoUsers) {
    seeds = demoAccounts(model);
    password = env.demoPassword || defaultDemoPassword;
    mustChange = false;
    reason = 'demo';
  } else if (env.adminUsername && env.adminPassword) {
    const role = model.roles.find((r) => r.scope === 'all' && r.actions.includes('manage-users'));
    if (!role) throw new Error('no role with scope all and manage-users in roles.yaml: cannot create the office admin');
    seeds = [{ username: env.adminUsername, displayName: '信用办管理员', roles: [{ role: role.id, department: '*' }] }];
    password = env.adminPassword;
    mustChange = true;
    reason = 'admin';
  } else return { created: [], reason: 'none' };

  // One hash for all demo accounts: they share the demo password, and 70 argon2 hashes would slow the first start.
  const hash = await hashPassword(password);
  const now = clock.now();
  await db.transaction(async (tx) => {
    const rows = await tx
      .insert(users)
      .values(seeds.map((s) => ({ username: s.username, displayName: s.displayName, passwordHash: hash, mustChangePassword: mustChange, passwordChangedAt: now, createdAt: now, updatedAt: now })))
      .returning({ id: users.id, username: users.username });
    const idOf = new Map(rows.map((r) => [r.username, r.id]));
    await tx.insert(passwordHistory).values(rows.map((r) => ({ userId: r.id, hash, createdAt: now })));
    const roleRows = seeds.flatMap((s) => s.roles.map((r) => ({ userId: idOf.get(s.username) ?? '', role: r.role, department: r.department })));
    if (roleRows.length) await tx.insert(userRoles).values(roleRows);
  });
  return { created: seeds, password, reason };
}
