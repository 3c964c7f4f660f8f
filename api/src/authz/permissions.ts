/**
 * What one principal may do, resolved from Casbin's policy and role
 * assignments once, and held as sets: a decision on the request path is a Map
 * lookup (~µs), never an enforcer call. The agreement test proves this
 * resolution gives the same answer as the enforcer on every combination.
 */
import type { Enforcer } from 'casbin';
import { allDomains } from './policy.ts';

/** For each `object|action`, the departments where it is allowed; `*` means every department. */
export type PermissionSet = {
  readonly grants: ReadonlyMap<string, ReadonlySet<string>>;
  /** The departments the principal is assigned in (`*` for office-wide roles). */
  readonly domains: readonly string[];
};

const key = (obj: string, act: string) => `${obj}|${act}`;

export async function resolvePermissions(enforcer: Enforcer, subject: string): Promise<PermissionSet> {
  const grants = new Map<string, Set<string>>();
  const assignments = await enforcer.getFilteredGroupingPolicy(0, subject);
  for (const [, role, assignedIn] of assignments) {
    if (!role || !assignedIn) continue;
    for (const [, policyDomain, obj, act] of await enforcer.getFilteredPolicy(0, role)) {
      if (!policyDomain || !obj || !act) continue;
      // The matcher: the policy's domain is `*` or the request's, and the role is
      // held in the request's domain or office-wide.
      let domain: string | undefined;
      if (assignedIn === allDomains) domain = policyDomain;
      else if (policyDomain === allDomains || policyDomain === assignedIn) domain = assignedIn;
      if (domain === undefined) continue;
      const k = key(obj, act);
      const set = grants.get(k) ?? new Set<string>();
      grants.set(k, set);
      set.add(domain);
    }
  }
  return { grants, domains: [...new Set(assignments.map((a) => a[2] ?? ''))].filter(Boolean) };
}

export function can(perms: PermissionSet, obj: string, act: string, domain: string): boolean {
  const set = perms.grants.get(key(obj, act));
  return !!set && (set.has(allDomains) || set.has(domain));
}

/** The departments whose rows this action reaches: 'all', or a list (empty when none). */
export function scopeOf(perms: PermissionSet, obj: string, act: string): 'all' | string[] {
  const set = perms.grants.get(key(obj, act));
  if (!set) return [];
  return set.has(allDomains) ? 'all' : [...set];
}

export function canAnywhere(perms: PermissionSet, obj: string, act: string): boolean {
  return (perms.grants.get(key(obj, act))?.size ?? 0) > 0;
}
