/**
 * The process's authorization state: one Casbin enforcer built from the
 * runtime model and the user_roles and api_keys rows, and each principal's
 * PermissionSet resolved from it on first use and dropped when its roles change.
 */
import type { Enforcer } from 'casbin';
import { eq, isNull } from 'drizzle-orm';
import type { RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { apiKeys, userRoles } from '../db/schema.ts';
import type { EventBus } from '../http/events.ts';
import { createEnforcer, setAssignments } from './enforcer.ts';
import { type PermissionSet, resolvePermissions } from './permissions.ts';
import { allDomains, type Assignment, apiKeySubject, userSubject } from './policy.ts';

export type AuthzService = {
  readonly enforcer: Enforcer;
  permissions(subject: string): Promise<PermissionSet>;
  assignments(subject: string): Promise<Assignment[]>;
  /** Re-reads one subject's roles from the database (after a change here or in another process). */
  reload(subject: string): Promise<void>;
};

function apiKeyAssignments(model: RuntimeModel): Assignment[] {
  return model.roles.filter((r) => r.client === 'api_key').map((r) => ({ role: r.id, department: allDomains }));
}

async function loadAssignments(db: Db, model: RuntimeModel, subject: string): Promise<Assignment[]> {
  if (subject.startsWith('u:')) {
    const rows = await db.select({ role: userRoles.role, department: userRoles.department }).from(userRoles).where(eq(userRoles.userId, subject.slice(2)));
    return rows;
  }
  const rows = await db.select({ id: apiKeys.id, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, subject.slice(2)));
  return rows[0] && !rows[0].revokedAt ? apiKeyAssignments(model) : [];
}

export async function createAuthzService(model: RuntimeModel, db: Db, events: EventBus): Promise<AuthzService> {
  const bySubject = new Map<string, Assignment[]>();
  for (const row of await db.select({ userId: userRoles.userId, role: userRoles.role, department: userRoles.department }).from(userRoles)) {
    const s = userSubject(row.userId);
    const list = bySubject.get(s) ?? [];
    bySubject.set(s, list);
    list.push({ role: row.role, department: row.department });
  }
  for (const key of await db.select({ id: apiKeys.id }).from(apiKeys).where(isNull(apiKeys.revokedAt))) {
    bySubject.set(apiKeySubject(key.id), apiKeyAssignments(model));
  }
  const enforcer = await createEnforcer(model, bySubject);
  const cache = new Map<string, Promise<PermissionSet>>();
  // Casbin's grouping lookup scans every assignment (~150 µs at 5,000 users): held per subject like its permissions.
  const assignmentCache = new Map<string, Promise<Assignment[]>>();

  const service: AuthzService = {
    enforcer,
    permissions(subject) {
      let p = cache.get(subject);
      if (!p) {
        p = resolvePermissions(enforcer, subject);
        cache.set(subject, p);
      }
      return p;
    },
    assignments(subject) {
      let p = assignmentCache.get(subject);
      if (!p) {
        p = enforcer.getFilteredGroupingPolicy(0, subject).then((rows) => rows.map(([, role, department]) => ({ role: role ?? '', department: department ?? '' })));
        assignmentCache.set(subject, p);
      }
      return p;
    },
    async reload(subject) {
      cache.delete(subject);
      assignmentCache.delete(subject);
      await setAssignments(enforcer, subject, await loadAssignments(db, model, subject));
      cache.delete(subject);
      assignmentCache.delete(subject);
    },
  };
  events.on(async (event) => {
    if (event.type === 'subject-changed') await service.reload(event.subject);
  });
  return service;
}
