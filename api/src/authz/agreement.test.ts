/**
 * The fast path (a PermissionSet per principal) must answer exactly as a
 * fresh Casbin enforcer on every (user, department, object, action) of the
 * demo config, allow and deny alike.
 */
import { fileURLToPath } from 'node:url';
import { newEnforcer, newModelFromString } from 'casbin';
import { describe, expect, it } from 'vitest';
import { demoAccounts } from '../auth/bootstrap.ts';
import { loadRuntimeModel } from '../config/compile.ts';
import { globalActions, listActions } from '../config/schema.ts';
import { createEnforcer } from './enforcer.ts';
import { can, resolvePermissions } from './permissions.ts';
import { allDomains, buildPolicies, casbinModel, globalObject, listObject, userSubject } from './policy.ts';

const demoConfig = fileURLToPath(new URL('../../../config/', import.meta.url));

describe('fast path agrees with Casbin', () => {
  it('on every user, department, object and action of the demo config', { timeout: 600_000 }, async () => {
    const model = await loadRuntimeModel(demoConfig);
    const accounts = demoAccounts(model).map((a) => ({ subject: userSubject(a.username), roles: a.roles }));
    // A user with several roles in several departments, and one with none.
    accounts.push({ subject: userSubject('multi'), roles: [{ role: 'operator', department: 'scjg' }, { role: 'reviewer', department: 'scjg-dq' }, { role: 'leader', department: '*' }] });
    accounts.push({ subject: userSubject('nobody'), roles: [] });

    const fast = await createEnforcer(model, accounts.map((a) => [a.subject, a.roles] as const));
    // The reference is built independently from the same rules, as a second process would.
    const fresh = await newEnforcer(newModelFromString(casbinModel));
    await fresh.addPolicies(buildPolicies(model));
    await fresh.addGroupingPolicies(accounts.flatMap((a) => a.roles.map((r) => [a.subject, r.role, r.department])));

    const domains = [...model.departments.map((d) => d.code), allDomains];
    const objects: [string, readonly string[]][] = [
      ...model.lists.map((l) => [listObject(l.id), listActions] as [string, readonly string[]]),
      [globalObject, globalActions],
    ];
    // In the model, the subject appears only in g(r.sub, p.sub, r.dom) and
    // g(r.sub, p.sub, "*"): Casbin's answer for a user in a domain depends on the
    // user only through the roles held there and office-wide. So Casbin is asked
    // once per such role set (for a real user holding it), and every user's fast
    // path is compared with it. This keeps the check exhaustive at ~1/10 the calls.
    let checked = 0;
    let allowed = 0;
    let casbinCalls = 0;
    const disagreements: string[] = [];
    const perms = new Map(await Promise.all(accounts.map(async (a) => [a.subject, await resolvePermissions(fast, a.subject)] as const)));
    for (const dom of domains) {
      const groups = new Map<string, typeof accounts>();
      for (const a of accounts) {
        const signature = a.roles.filter((r) => r.department === dom || r.department === allDomains).map((r) => r.role).sort().join(',');
        groups.set(signature, [...(groups.get(signature) ?? []), a]);
      }
      for (const members of groups.values()) {
        const representative = members[0]!.subject;
        for (const [obj, acts] of objects) {
          for (const act of acts) {
            const expected = fresh.enforceSync(representative, dom, obj, act);
            casbinCalls++;
            for (const a of members) {
              if (can(perms.get(a.subject)!, obj, act, dom) !== expected) disagreements.push(`${a.subject} ${dom} ${obj} ${act}: casbin ${expected}`);
              checked++;
              if (expected) allowed++;
            }
          }
        }
      }
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
    expect(checked).toBe(accounts.length * domains.length * (model.lists.length * listActions.length + globalActions.length));
    // Both answers occur: a test that only ever sees "deny" proves little.
    expect(allowed).toBeGreaterThan(1000);
    expect(casbinCalls).toBeLessThan(checked / 5);
  });
});
