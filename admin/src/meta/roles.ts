/** Roles and role assignments as people read them (pure; tested in roles.test.ts). */
import type { RoleAssignment } from '../auth/session';
import type { Meta, MetaRole } from './types';

/** Department of office-wide (scope `all`) role assignments. */
export const ALL_DEPARTMENTS = '*';

export function isApiKeyRole(role: Pick<MetaRole, 'client'>): boolean {
  return role.client === 'api_key';
}

/** Roles a person can be given (business-system roles belong to API keys). */
export function personRoles(meta: Pick<Meta, 'roles'> | undefined): MetaRole[] {
  return (meta?.roles ?? []).filter((r) => !isApiKeyRole(r));
}

export interface AssignmentLabel {
  roleId: string;
  departmentCode: string;
  role: string;
  department: string;
}

/** "经办人 · 示例市市场监督管理局" for each assignment, with unknown codes shown as they are. */
export function describeAssignments(
  assignments: RoleAssignment[],
  meta: Pick<Meta, 'roles' | 'departments'> | undefined,
  i18n: { t: (key: string) => string; pick: (name: string, nameEn?: string) => string },
): AssignmentLabel[] {
  return assignments.map((a) => {
    const role = meta?.roles.find((r) => r.id === a.role);
    const dept = meta?.departments.find((d) => d.code === a.department);
    return {
      roleId: a.role,
      departmentCode: a.department,
      role: role ? i18n.pick(role.name, role.nameEn) : a.role,
      department: a.department === ALL_DEPARTMENTS ? i18n.t('roles.allDepartments') : dept ? i18n.pick(dept.name, dept.nameEn) : a.department,
    };
  });
}

/** The department an assignment needs for its role: `*` for office-wide roles, kept otherwise. */
export function normaliseAssignment(meta: Pick<Meta, 'roles'> | undefined, a: { role?: string; department?: string }): RoleAssignment | undefined {
  if (!a.role) return undefined;
  const role = meta?.roles.find((r) => r.id === a.role);
  if (role?.scope === 'all') return { role: a.role, department: ALL_DEPARTMENTS };
  return a.department ? { role: a.role, department: a.department } : { role: a.role, department: '' };
}
