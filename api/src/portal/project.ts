/**
 * The ONE projection of an entry for the public portal. Every public response
 * that shows an entry goes through `projectEntry`, which builds its output from
 * a whitelist: nothing reaches the public because someone forgot to delete it.
 *
 * Rules (国办发〔2020〕49号; domain principle 4):
 * - only entries in a public state (the engine's `published`), of a list type
 *   with `portal: true`, whose term is not over: repaired, revoked, exited and
 *   withdrawn entries disappear at once;
 * - natural persons (the subject, and related persons) are not shown at all
 *   unless the list type declares `personal_info.publish` with a basis; when
 *   shown, ID numbers keep only the first and last characters
 *   (platform.personal_info.mask_id) and names keep the family name (张*);
 * - of the list's fields, only those declared `public: true` leave the server;
 * - free text in public fields is scrubbed of the entry's persons' names and
 *   ID numbers, and of anything else that validates as a resident ID number.
 *
 * `portalPolicy` gives the same rules to the SQL that selects and counts the
 * rows, so a page and its x-total-count agree; the projection re-checks every
 * row anyway.
 */
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import type { Field } from '../config/schema.ts';
import type { Entry, Subject } from '../db/schema.ts';
import { civilDate } from '../procedures/clock.ts';
import { checkResidentId, maskName, maskResidentId } from '../subjects/codes.ts';

export type PortalPolicy = {
  /** Entry states shown to the public. */
  statuses: readonly string[];
  /** List types on the portal. */
  lists: readonly string[];
  /** Of those, the list types that may show natural persons (publish with a basis). */
  personLists: readonly string[];
};

const policies = new WeakMap<RuntimeModel, PortalPolicy>();

export function publishesPersons(list: CompiledList): boolean {
  return list.personal_info.publish && !!list.personal_info.basis?.trim();
}

export function portalPolicy(model: RuntimeModel): PortalPolicy {
  let p = policies.get(model);
  if (!p) {
    const lists = model.lists.filter((l) => l.portal);
    p = {
      statuses: [...new Set(model.lists.flatMap((l) => l.graph.states.filter((s) => s.public).map((s) => s.id)))],
      lists: lists.map((l) => l.id),
      personLists: lists.filter(publishesPersons).map((l) => l.id),
    };
    policies.set(model, p);
  }
  return p;
}

/** The columns the projection reads; the SQL may select exactly these. */
export type PortalRow = {
  entry: Pick<Entry, 'id' | 'listId' | 'department' | 'status' | 'fields' | 'relatedPersons' | 'decisionNo' | 'decisionDate' | 'publishedAt' | 'termEnd'>;
  subject: Pick<Subject, 'kind' | 'code' | 'name'>;
};

export type PublicPerson = { role: string; name: string; code: string };
export type PublicField = { key: string; label: string; labelEn: string | null; type: Field['type']; value: unknown };

export type PublicEntry = {
  id: string;
  list: { id: string; name: string; nameEn: string | null; kind: string; kindLabel: string; category: string; legalBasis: string[] };
  department: { code: string; name: string };
  subject: { kind: string; kindLabel: string; name: string; code: string; desensitised: boolean };
  relatedPersons: PublicPerson[];
  fields: PublicField[];
  decisionNo: string | null;
  decisionDate: string | null;
  publishedAt: string | null;
  termEnd: string | null;
  /** The declared basis for showing a natural person, when one is shown. */
  personalInfoBasis: string | null;
  /** What the public may file against this entry, and the materials a repair application needs. */
  accepts: { objection: boolean; repair: boolean; repairMaterials: { id: string; name: string }[] };
};

const kindLabels: Record<string, string> = { black: '失信名单', red: '守信激励名单', watch: '重点关注名单' };
const subjectKindLabels: Record<string, string> = {
  legal_person: '法人',
  other_org: '非法人组织',
  individual_business: '个体工商户',
  natural_person: '自然人',
};

/** Whether the public may see this row now. */
export function isPublic(model: RuntimeModel, row: PortalRow, today: string): boolean {
  const policy = portalPolicy(model);
  const { entry, subject } = row;
  if (!policy.statuses.includes(entry.status) || !policy.lists.includes(entry.listId)) return false;
  if (entry.termEnd && today > entry.termEnd) return false;
  if (subject.kind === 'natural_person' && !policy.personLists.includes(entry.listId)) return false;
  return true;
}

const idPattern = /\d{17}[\dXx]/g;

/** Replaces the persons' names and codes, and anything else that validates as an ID number, by their masks. */
function scrubber(known: { name: string; code: string }[], keepFirst: number, keepLast: number, today: string) {
  const replacements = known
    .flatMap((p) => [
      [p.code, maskResidentId(p.code, keepFirst, keepLast)],
      [p.name, maskName(p.name)],
    ])
    .filter(([from, to]) => from && from.length > 1 && from !== to)
    // Longest first, so that 欧阳娜娜 is replaced before a shorter name inside it.
    .sort((a, b) => b[0]!.length - a[0]!.length) as [string, string][];
  const scrub = (text: string): string => {
    let out = text;
    for (const [from, to] of replacements) if (out.includes(from)) out = out.split(from).join(to);
    return out.replace(idPattern, (m) => (checkResidentId(m, { today }).ok ? maskResidentId(m.toUpperCase(), keepFirst, keepLast) : m));
  };
  const value = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (Array.isArray(v)) return v.map(value);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    return v;
  };
  return value;
}

/** The public view of an entry, or null when the public may not see it. */
export function projectEntry(model: RuntimeModel, row: PortalRow, today: string): PublicEntry | null {
  if (!isPublic(model, row, today)) return null;
  const list = model.list(row.entry.listId);
  if (!list) return null;
  const { entry, subject } = row;
  const { keep_first: keepFirst, keep_last: keepLast } = model.platform.personal_info.mask_id;
  const persons = publishesPersons(list);

  const related = (entry.relatedPersons ?? []).map((p) => ({ role: String(p.role ?? ''), name: String(p.name ?? ''), code: String(p.code ?? '') }));
  const known = [...related];
  if (subject.kind === 'natural_person') known.push({ role: '', name: subject.name, code: subject.code });
  const scrub = scrubber(known, keepFirst, keepLast, today);

  const isPerson = subject.kind === 'natural_person';
  const fields: PublicField[] = [];
  for (const f of list.fields) {
    if (!f.public) continue;
    const v = entry.fields?.[f.key];
    if (v === undefined || v === null) continue;
    fields.push({ key: f.key, label: f.label, labelEn: f.label_en ?? null, type: f.type, value: scrub(v) });
  }
  const tz = model.platform.timezone;
  return {
    id: entry.id,
    list: {
      id: list.id,
      name: list.name,
      nameEn: list.name_en ?? null,
      kind: list.kind,
      kindLabel: kindLabels[list.kind] ?? list.kind,
      category: list.category,
      legalBasis: [...list.legal_basis],
    },
    department: { code: entry.department, name: model.department(entry.department)?.name ?? entry.department },
    subject: {
      kind: subject.kind,
      kindLabel: subjectKindLabels[subject.kind] ?? subject.kind,
      name: isPerson ? maskName(subject.name) : (scrub(subject.name) as string),
      code: isPerson ? maskResidentId(subject.code, keepFirst, keepLast) : subject.code,
      desensitised: isPerson,
    },
    relatedPersons: persons ? related.map((p) => ({ role: p.role, name: maskName(p.name), code: maskResidentId(p.code, keepFirst, keepLast) })) : [],
    fields,
    decisionNo: entry.decisionNo ? (scrub(entry.decisionNo) as string) : null,
    decisionDate: entry.decisionDate,
    publishedAt: entry.publishedAt ? civilDate(entry.publishedAt, tz) : null,
    termEnd: entry.termEnd,
    personalInfoBasis: persons && (isPerson || related.length) ? list.personal_info.basis : null,
    accepts: {
      objection: list.objection !== false,
      repair: list.repair !== false,
      repairMaterials: list.repair === false ? [] : list.repair.requires.map((id) => ({ id, name: model.platform.materials.find((m) => m.id === id)?.name ?? id })),
    },
  };
}
