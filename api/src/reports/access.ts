/**
 * Who sees which departments in reports. The report routes are declared
 * `authenticated` and narrowed here, because staff roles hold no
 * 'view-reports' (config/roles.yaml) and must still see their own scores:
 *
 * - holders of 'view-reports' (leaders, the office) see its scope: 'all' for
 *   office-wide roles;
 * - any other logged-in user sees the departments they are assigned in; an
 *   office-wide ('*') assignment without 'view-reports' counts as the office
 *   department(s) (departments.yaml `office: true`);
 * - API keys (business systems) are refused: reports are for people.
 *
 * Everyone who may open the assessment sees the whole ranking (department,
 * total, rank): a department's staff learn where they stand, but the
 * indicator details and the items behind them stay within their scope.
 */
import type { Principal } from '../auth/principal.ts';
import { canAnywhere, scopeOf } from '../authz/permissions.ts';
import { allDomains, globalObject } from '../authz/policy.ts';
import type { RuntimeModel } from '../config/compile.ts';
import type { Scope } from '../http/env.ts';
import { AppError } from '../http/errors.ts';

export function officeDepartments(model: RuntimeModel): string[] {
  return model.departments.filter((d) => d.office).map((d) => d.code);
}

/** The departments a user belongs to: their assignments, '*' standing for the office. */
export function ownDepartments(model: RuntimeModel, principal: Principal): string[] {
  const out = new Set<string>();
  for (const a of principal.assignments) {
    if (a.department === allDomains) for (const d of officeDepartments(model)) out.add(d);
    else out.add(a.department);
  }
  return [...out];
}

export function reportScope(model: RuntimeModel, principal: Principal | undefined): Scope {
  if (!principal) throw new Error('report route without a principal');
  if (principal.kind !== 'user') {
    throw new AppError(403, 'USERS_ONLY', '报表仅供登录用户查看，接口密钥不能访问', 'reports are for logged-in users, not API keys');
  }
  if (canAnywhere(principal.perms, globalObject, 'view-reports')) return scopeOf(principal.perms, globalObject, 'view-reports');
  return ownDepartments(model, principal);
}

export const inScope = (scope: Scope, department: string) => scope === 'all' || scope.includes(department);

export function forbiddenDepartment(department: string): AppError {
  return new AppError(403, 'FORBIDDEN', `没有权限查看部门“${department}”的报表明细`, `forbidden: reports of department "${department}"`);
}
