/**
 * Permission checks answered from `meta.permissions` (the caller's matrix, loaded once with
 * /api/meta), never by a request per row. Pure: unit-tested in permissions.test.ts.
 */
import type { Meta, MetaList, PermissionScope } from '../meta/types';

export type PermissionSource = Pick<Meta, 'permissions'> | undefined;

/** List actions of the permission matrix (config/schema listActions). */
export const LIST_ACTIONS = [
  'view',
  'create',
  'edit-draft',
  'withdraw',
  'notify',
  'record-statement',
  'recognise',
  'publish',
  'answer-objection',
  'correct',
  'repair',
  'reinstate',
  'exit',
  'revoke',
  'export',
  'import',
] as const;

/** Global actions (not tied to a list type). */
export const GLOBAL_ACTIONS = [
  'lookup',
  'check',
  'feedback',
  'report-progress',
  'configure',
  'manage-users',
  'manage-api-keys',
  'import-historical',
  'view-audit',
  'view-reports',
] as const;

function allows(scope: PermissionScope | undefined, department?: string): boolean {
  if (!scope) return false;
  if (scope === 'all') return true;
  if (department === undefined) return scope.length > 0;
  return scope.includes(department);
}

/** Scope of a list action: 'all', department codes, or undefined when not allowed at all. */
export function listScope(meta: PermissionSource, listId: string, action: string): PermissionScope | undefined {
  const scope = meta?.permissions.lists[listId]?.[action];
  if (!scope || (scope !== 'all' && scope.length === 0)) return undefined;
  return scope;
}

/** May the user take `action` on the list type (in `department`, when given)? */
export function canList(meta: PermissionSource, listId: string, action: string, department?: string): boolean {
  return allows(listScope(meta, listId, action), department);
}

/** May the user take the global `action` (in `department`, when given)? */
export function canGlobal(meta: PermissionSource, action: string, department?: string): boolean {
  return allows(meta?.permissions.global[action], department);
}

/** The department codes where a list action is allowed; 'all' expands to every configured department. */
export function listDepartments(meta: Pick<Meta, 'permissions' | 'departments'> | undefined, listId: string, action: string): string[] {
  const scope = listScope(meta, listId, action);
  if (!scope) return [];
  return scope === 'all' ? (meta?.departments.map((d) => d.code) ?? []) : scope;
}

/** List types the user may see, in config order (the menu shows only these). */
export function viewableLists(meta: Pick<Meta, 'permissions' | 'lists'> | undefined): MetaList[] {
  return meta ? meta.lists.filter((l) => canList(meta, l.id, 'view')) : [];
}

/** Whether an entry of department `department` allows a list action for this user. */
export function canOnEntry(meta: PermissionSource, listId: string, action: string, department: string): boolean {
  return canList(meta, listId, action, department);
}
