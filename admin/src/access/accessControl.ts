/**
 * Refine's access control provider, answered from meta.permissions in memory (no request):
 * `lists/<id>` resources map Refine's actions onto list actions (list/show → view, create →
 * create, edit/delete → edit-draft, anything else by its own name, e.g. `publish`); the static
 * pages map onto global actions. Unit-tested in accessControl.test.ts.
 */
import type { AccessControlProvider, CanParams, CanReturnType } from '@refinedev/core';
import { taskQueries } from '../entries/queue';
import {
  API_KEYS_RESOURCE,
  ASSESSMENT_RESOURCE,
  AUDIT_RESOURCE,
  OUTBOX_RESOURCE,
  CONFIG_RESOURCE,
  DASHBOARD_RESOURCE,
  HOME_RESOURCE,
  listIdOfResource,
  PLANS_RESOURCE,
  REPORTS_GROUP_RESOURCE,
  STATISTICS_RESOURCE,
  STUDIO_RESOURCE,
  SYSTEM_GROUP_RESOURCE,
  TASKS_RESOURCE,
  USERS_RESOURCE,
} from '../meta/resources';
import type { Meta } from '../meta/types';
import { canGlobal, canList } from './permissions';

const REFINE_TO_LIST_ACTION: Record<string, string> = {
  list: 'view',
  show: 'view',
  create: 'create',
  edit: 'edit-draft',
  delete: 'edit-draft',
  clone: 'create',
};

export function listActionOf(refineAction: string): string {
  return REFINE_TO_LIST_ACTION[refineAction] ?? refineAction;
}

type AccessMeta = Pick<Meta, 'lists' | 'permissions'> | undefined;

/** The answer for one resource and action, with the department of the record when known. */
export function decide(meta: AccessMeta, { resource, action, params }: CanParams): CanReturnType {
  if (!meta) return { can: false, reason: 'meta' };
  const department = typeof params?.department === 'string' ? params.department : undefined;
  const listId = listIdOfResource(resource);
  if (listId) return { can: canList(meta, listId, listActionOf(action), department) };
  if (resource?.startsWith('list-group-')) return { can: true };
  switch (resource) {
    case HOME_RESOURCE:
    case CONFIG_RESOURCE:
      return { can: true };
    // Reports: every user (the API narrows a department to its own figures); the dashboard is for view-reports.
    case REPORTS_GROUP_RESOURCE:
    case ASSESSMENT_RESOURCE:
    case STATISTICS_RESOURCE:
    case PLANS_RESOURCE:
      return { can: true };
    case DASHBOARD_RESOURCE:
      return { can: canGlobal(meta, 'view-reports') };
    case TASKS_RESOURCE:
      return { can: taskQueries(meta).length > 0 };
    case USERS_RESOURCE:
      return { can: canGlobal(meta, 'manage-users') };
    case API_KEYS_RESOURCE:
      return { can: canGlobal(meta, 'manage-api-keys') };
    case STUDIO_RESOURCE:
      return { can: canGlobal(meta, 'configure') };
    case AUDIT_RESOURCE:
    case OUTBOX_RESOURCE:
      return { can: canGlobal(meta, 'view-audit') };
    case SYSTEM_GROUP_RESOURCE:
      return { can: canGlobal(meta, 'manage-users') || canGlobal(meta, 'manage-api-keys') || canGlobal(meta, 'configure') || canGlobal(meta, 'view-audit') };
    default:
      return { can: false };
  }
}

/** Reads meta at call time, so one provider serves every user and config version. */
export function createAccessControlProvider(getMeta: () => AccessMeta): AccessControlProvider {
  return {
    can: async (params) => decide(getMeta(), params),
    options: { buttons: { enableAccessControl: true, hideIfUnauthorized: true } },
  };
}
