/**
 * Which entries a lookup shows, and who the caller is for the query-use record.
 *
 * 应查尽查: every published entry of every department is visible to anyone
 * who may look up (the business systems and staff must see them to act on
 * them). Besides, staff see their own department's entries in any state, as
 * far as their `view` scope on each list type reaches (what the entry pages
 * show them anyway).
 */
import { eq, param, type SQL, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import { can, scopeOf } from '../authz/permissions.ts';
import { allDomains, listObject } from '../authz/policy.ts';
import type { RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { apiKeys } from '../db/schema.ts';

const publicCache = new WeakMap<RuntimeModel, readonly string[]>();

/** The states whose entries are published (the engine marks them `public`: only `published` today). */
export function publicStatuses(model: RuntimeModel): readonly string[] {
  let s = publicCache.get(model);
  if (!s) {
    s = [...new Set(model.lists.flatMap((l) => l.graph.states.filter((st) => st.public).map((st) => st.id)))];
    publicCache.set(model, s);
  }
  return s;
}

export type Visibility = {
  /** Entry states visible to everyone who may look up (published). */
  statuses: string[];
  /** List types whose entries the principal sees in every department and state. */
  lists: string[];
  /** 'list|department' pairs whose entries it sees in any state. */
  pairs: string[];
};

const visibilities = new WeakMap<object, Visibility>();

/**
 * What a principal sees in a lookup: published entries, or entries within its
 * `view` scope of the list type. As arrays, so that the statement's text is the
 * same for every caller (one prepared statement per connection); cached per
 * PermissionSet (a new set is resolved whenever the principal's roles change).
 */
export function visibility(model: RuntimeModel, principal: Principal): Visibility {
  let v = visibilities.get(principal.perms);
  if (!v) {
    v = { statuses: [...publicStatuses(model)], lists: [], pairs: [] };
    for (const l of model.lists) {
      const scope = scopeOf(principal.perms, listObject(l.id), 'view');
      if (scope === 'all') v.lists.push(l.id);
      else for (const d of scope) v.pairs.push(`${l.id}|${d}`);
    }
    visibilities.set(principal.perms, v);
  }
  return v;
}

/** The SQL condition (on alias `e` of entries) for the entries a principal sees in a lookup. */
export function visibleEntries(v: Visibility): SQL {
  return sql`(e.status = any(${param(v.statuses)}::text[]) or e.list_id = any(${param(v.lists)}::text[]) or (e.list_id || '|' || e.department) = any(${param(v.pairs)}::text[]))`;
}

/** Whether the principal may see every field of this entry (its `view` scope reaches it). */
export function seesWholeEntry(principal: Principal, listId: string, department: string): boolean {
  return can(principal.perms, listObject(listId), 'view', department);
}

const keyDepartments = new Map<string, string>();
const userDepartments = new WeakMap<object, string | null>();

/**
 * The department recorded with a query: an API key's own department; a user's
 * department of assignment ('*' for office-wide roles such as the office admin
 * and leaders, several joined by commas in sorted order).
 */
export async function principalDepartment(db: Db, principal: Principal): Promise<string | null> {
  if (principal.kind === 'api_key') {
    const known = keyDepartments.get(principal.id);
    if (known) return known;
    const [row] = await db.select({ department: apiKeys.department }).from(apiKeys).where(eq(apiKeys.id, principal.id));
    if (!row) return null;
    // A key's department never changes; bounded so that a long-lived process does not grow it forever.
    if (keyDepartments.size > 10_000) keyDepartments.clear();
    keyDepartments.set(principal.id, row.department);
    return row.department;
  }
  let d = userDepartments.get(principal.perms);
  if (d === undefined) {
    // perms.domains: the departments of the principal's role assignments ('*' for office-wide ones).
    const departments = [...new Set(principal.perms.domains)];
    d = !departments.length ? null : departments.includes(allDomains) ? allDomains : departments.sort().join(',');
    userDepartments.set(principal.perms, d);
  }
  return d;
}
