/**
 * Which entries a lookup shows, and who the caller is for the query-use record.
 *
 * 应查尽查: every published entry of every department is visible to anyone
 * who may look up (the business systems and staff must see them to act on
 * them). Besides, staff see their own department's entries in any state, as
 * far as their `view` scope on each list type reaches (what the entry pages
 * show them anyway).
 */
import { eq, type SQL, sql } from 'drizzle-orm';
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

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

/**
 * The SQL condition (on alias `e` of entries) for the entries a principal sees
 * in a lookup: published ones, or within its `view` scope of the list type.
 */
export function visibleEntries(model: RuntimeModel, principal: Principal): SQL {
  const ors: SQL[] = [];
  const statuses = publicStatuses(model);
  if (statuses.length) ors.push(sql`e.status in (${list(statuses)})`);
  const wholeLists: string[] = [];
  for (const l of model.lists) {
    const scope = scopeOf(principal.perms, listObject(l.id), 'view');
    if (scope === 'all') wholeLists.push(l.id);
    else if (scope.length) ors.push(sql`(e.list_id = ${l.id} and e.department in (${list(scope)}))`);
  }
  if (wholeLists.length) ors.push(sql`e.list_id in (${list(wholeLists)})`);
  if (!ors.length) return sql`false`;
  return sql.join(ors, sql` or `);
}

/** Whether the principal may see every field of this entry (its `view` scope reaches it). */
export function seesWholeEntry(principal: Principal, listId: string, department: string): boolean {
  return can(principal.perms, listObject(listId), 'view', department);
}

const keyDepartments = new Map<string, string>();

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
  const departments = [...new Set(principal.assignments.map((a) => a.department))];
  if (!departments.length) return null;
  if (departments.includes(allDomains)) return allDomains;
  return departments.sort().join(',');
}
