/**
 * Casbin policy compiled from the runtime model: which role may take which
 * action on which object in which department (domain). Users' role
 * assignments are the grouping rules, loaded from user_roles.
 */
import type { RuntimeModel } from '../config/compile.ts';

/** The object of a list action, and the one object of all global actions. */
export const listObject = (listId: string) => `list:${listId}`;
export const globalObject = 'global';
export const allDomains = '*';

export const userSubject = (id: string) => `u:${id}`;
export const apiKeySubject = (id: string) => `k:${id}`;

/**
 * RBAC with domains. Cheap equality tests come first so that the matcher
 * rejects most policies before it consults the role graph. A role assigned in
 * `*` (office-wide) holds in every domain.
 */
export const casbinModel = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == p.act && r.obj == p.obj && (p.dom == "*" || p.dom == r.dom) && (g(r.sub, p.sub, r.dom) || g(r.sub, p.sub, "*"))
`;

export type Assignment = { role: string; department: string };

/** Departments and all their descendants, for the list types a city bureau shares with its district units. */
function withDescendants(model: RuntimeModel, code: string): string[] {
  const out = [code];
  for (let i = 0; i < out.length; i++) {
    for (const d of model.departments) if (d.parent === out[i]) out.push(d.code);
  }
  return out;
}

export function buildPolicies(model: RuntimeModel): string[][] {
  const scope = new Map(model.roles.map((r) => [r.id, r.scope]));
  const rules: string[][] = [];
  for (const list of model.lists) {
    const domains = withDescendants(model, list.department);
    for (const [action, roles] of Object.entries(list.permissions)) {
      for (const role of roles ?? []) {
        if (scope.get(role) === 'all') rules.push([role, allDomains, listObject(list.id), action]);
        else for (const d of domains) rules.push([role, d, listObject(list.id), action]);
      }
    }
  }
  for (const role of model.roles) {
    for (const action of role.actions) rules.push([role.id, allDomains, globalObject, action]);
  }
  return rules;
}

export function groupingRules(subject: string, assignments: readonly Assignment[]): string[][] {
  return assignments.map((a) => [subject, a.role, a.department]);
}
