/**
 * The compiled model as the admin UI needs it (camelCase, no file contents).
 * Built once per model: the model is immutable.
 */
import { type PermissionSet, scopeOf } from '../authz/permissions.ts';
import { globalObject, listObject } from '../authz/policy.ts';
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import { globalActions, listActions } from '../config/schema.ts';
import type { Meta, MetaList, MetaPermissions } from './schema.ts';

const cache = new WeakMap<RuntimeModel, Meta>();

export function buildMeta(model: RuntimeModel): Meta {
  let meta = cache.get(model);
  if (!meta) {
    meta = compute(model);
    cache.set(model, meta);
  }
  return meta;
}

function compute(m: RuntimeModel): Meta {
  return {
    version: m.version,
    platform: { name: m.platform.name, nameEn: m.platform.name_en, city: m.platform.city, timezone: m.platform.timezone, imports: { maxRows: m.platform.imports.max_rows, maxSizeMb: m.platform.imports.max_size_mb } },
    departments: m.departments.map((d) => ({
      code: d.code,
      name: d.name,
      nameEn: d.name_en,
      fullName: d.full_name,
      parent: d.parent,
      office: d.office,
    })),
    roles: m.roles.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, scope: r.scope, client: r.client, actions: r.actions })),
    materials: m.platform.materials.map((x) => ({ id: x.id, name: x.name, nameEn: x.name_en })),
    matters: m.platform.matters.map((x) => ({ id: x.id, name: x.name, nameEn: x.name_en })),
    measures: m.measures.map((x) => ({
      id: x.id,
      name: x.name,
      nameEn: x.name_en,
      kind: x.kind,
      legalBasis: x.legal_basis,
      department: x.department,
      matters: x.matters,
      target: x.target,
    })),
    lists: m.lists.map(metaList),
    plans: m.plans.map((p) => ({ id: p.id, title: p.title, issuedBy: p.issued_by, tasks: p.tasks.length })),
  };
}

/** One list type as the admin gets it (also what the studio previews, without building the rest). */
export function metaList(l: CompiledList): MetaList {
  return {
    id: l.id,
    name: l.name,
    nameEn: l.name_en,
    kind: l.kind,
    category: l.category,
    department: l.department,
    status: l.status,
    legalBasis: l.legal_basis,
    description: l.description,
    subjectKinds: l.subject_kinds,
    portal: l.portal,
    personalInfo: l.personal_info,
    fields: l.fields.map((f) => ({
      key: f.key,
      label: f.label,
      labelEn: f.label_en,
      type: f.type,
      required: f.required,
      public: f.public,
      options: f.options,
      min: f.min,
      max: f.max,
      maxLength: f.max_length,
      help: f.help,
    })),
    procedure: l.graph,
    clocks: l.clocks,
    measures: l.measures,
    permissions: l.permissions,
  };
}

/**
 * The caller's permission matrix, so that the admin never asks per row: for
 * each list type and action, and each global action, where it is allowed
 * ('all' or department codes). Absent means not allowed.
 */
export function permissionMatrix(model: RuntimeModel, perms: PermissionSet): MetaPermissions {
  const lists: Record<string, Record<string, 'all' | string[]>> = {};
  for (const list of model.lists) {
    const row: Record<string, 'all' | string[]> = {};
    for (const action of listActions) {
      const scope = scopeOf(perms, listObject(list.id), action);
      if (scope === 'all' || scope.length) row[action] = scope;
    }
    if (Object.keys(row).length) lists[list.id] = row;
  }
  const global: Record<string, 'all' | string[]> = {};
  for (const action of globalActions) {
    const scope = scopeOf(perms, globalObject, action);
    if (scope === 'all' || scope.length) global[action] = scope;
  }
  return { lists, global, domains: [...perms.domains] };
}
