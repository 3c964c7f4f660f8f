/**
 * A city at scale for the authorization benchmarks: the demo config grown to
 * 50 departments and 20 list types, and thousands of users with role
 * assignments spread over the departments, written straight into the
 * database (no argon2 hash per user: these accounts never log in with a
 * password, the benchmarks open their sessions directly).
 */
import { fileURLToPath } from 'node:url';
import { type RuntimeModel, compileConfig, ConfigError } from '../../../api/src/config/compile.ts';
import { readConfigDir, type ConfigFile } from '../../../api/src/config/load.ts';
import type { Db } from '../../../api/src/db/client.ts';
import { userRoles, users } from '../../../api/src/db/schema.ts';
import type { Assignment } from '../../../api/src/authz/policy.ts';

export const demoConfigDir = fileURLToPath(new URL('../../../config/', import.meta.url));

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same city. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/**
 * The demo config with district units added until there are `departments`
 * departments, and copies of a black list owned by other departments until
 * there are `lists` list types. Compiled and linted like any config.
 */
export async function syntheticModel(opts: { departments: number; lists: number }): Promise<RuntimeModel> {
  const files = await readConfigDir(demoConfigDir);
  const out: ConfigFile[] = files.map((f) => ({ ...f }));
  const deptFile = out.find((f) => f.path === 'departments.yaml')!;
  const existing = [...deptFile.content.matchAll(/^ {2}- code: ([a-z0-9-]+)$/gm)].map((m) => m[1]!);
  const parents = ['scjg', 'zjj', 'sw', 'yjj', 'rsj', 'gaj'].filter((p) => existing.includes(p));
  let added = 0;
  let extra = '';
  while (existing.length + added < opts.departments) {
    const parent = parents[added % parents.length]!;
    const code = `${parent}-d${String(added + 1).padStart(2, '0')}`;
    extra += `  - code: ${code}\n    name: 第${added + 1}区${parent}分局\n    parent: ${parent}\n`;
    added++;
  }
  deptFile.content = `${deptFile.content.replace(/\n*$/, '\n')}${extra}`;

  const template = out.find((f) => f.path === 'lists/market-serious-illegal.yaml')!;
  const listCount = out.filter((f) => f.path.startsWith('lists/')).length;
  const owners = [...parents, 'fgj', 'czj'].filter((p) => existing.includes(p));
  for (let i = 0; listCount + i < opts.lists; i++) {
    const id = `bench-list-${String(i + 1).padStart(2, '0')}`;
    const content = template.content
      .replace(/^id: .*$/m, `id: ${id}`)
      .replace(/^name: .*$/m, `name: 基准测试名单${i + 1}`)
      .replace(/^department: .*$/m, `department: ${owners[i % owners.length]}`);
    out.push({ path: `lists/${id}.yaml`, content });
  }
  const result = compileConfig(out);
  if (!result.ok) throw new ConfigError(result.issues);
  if (result.model.departments.length !== opts.departments) throw new Error(`expected ${opts.departments} departments, got ${result.model.departments.length}`);
  return result.model;
}

export type SyntheticUser = { username: string; roles: Assignment[] };

/**
 * `count` users: most hold one per-department role, some several (in one or
 * two departments), about 1 % hold an office-wide role, a few hold none.
 */
export function syntheticUsers(model: RuntimeModel, count: number, seed = 42): SyntheticUser[] {
  const random = rng(seed);
  const depts = model.departments.map((d) => d.code);
  const own = model.roles.filter((r) => r.scope === 'own' && r.client !== 'api_key').map((r) => r.id);
  const wide = model.roles.filter((r) => r.scope === 'all' && r.client !== 'api_key').map((r) => r.id);
  const out: SyntheticUser[] = [];
  for (let i = 0; i < count; i++) {
    const username = `bench-${String(i).padStart(5, '0')}`;
    const x = random();
    let roles: Assignment[];
    if (x < 0.002) roles = [];
    else if (x < 0.012) roles = [{ role: pick(random, wide), department: '*' }];
    else if (x < 0.15) {
      // Several roles: operator and reviewer in one department, or one role in two departments, sometimes with an office-wide one.
      const d1 = pick(random, depts);
      const d2 = pick(random, depts);
      roles = random() < 0.5 ? own.map((role) => ({ role, department: d1 })) : [{ role: pick(random, own), department: d1 }, { role: pick(random, own), department: d2 }];
      if (random() < 0.1) roles.push({ role: pick(random, wide), department: '*' });
    } else roles = [{ role: pick(random, own), department: pick(random, depts) }];
    const seen = new Set<string>();
    out.push({ username, roles: roles.filter((r) => !seen.has(`${r.role}@${r.department}`) && seen.add(`${r.role}@${r.department}`)) });
  }
  return out;
}

/** Inserts the users and their roles; returns their ids in the same order. */
export async function insertUsers(db: Db, list: readonly SyntheticUser[]): Promise<string[]> {
  const ids: string[] = [];
  const now = new Date();
  for (let i = 0; i < list.length; i += 1000) {
    const chunk = list.slice(i, i + 1000);
    const rows = await db
      .insert(users)
      .values(chunk.map((u) => ({ username: u.username, displayName: u.username, passwordHash: 'not-a-password-hash', passwordChangedAt: now, createdAt: now, updatedAt: now })))
      .returning({ id: users.id, username: users.username });
    const idOf = new Map(rows.map((r) => [r.username, r.id]));
    const roleRows = chunk.flatMap((u) => u.roles.map((r) => ({ userId: idOf.get(u.username)!, role: r.role, department: r.department })));
    if (roleRows.length) await db.insert(userRoles).values(roleRows);
    ids.push(...chunk.map((u) => idOf.get(u.username)!));
  }
  return ids;
}
