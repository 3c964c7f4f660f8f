/**
 * Conversions between an entry's field values as the API holds them and as the antd form and
 * filter bar hold them (dayjs for dates, nested objects for documents). Pure; tested in
 * values.test.ts.
 */
import type { CrudFilter } from '@refinedev/core';
import dayjs, { type Dayjs } from 'dayjs';
import type { MetaField, MetaList } from '../meta/types';
import type { Entry, EntryCreateBody, EntryPatchBody, RelatedPerson } from '../entries/types';

export const DATE_FORMAT = 'YYYY-MM-DD';

export interface DocumentValue {
  number?: string;
  date?: string;
  title?: string;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

function toDay(value: unknown): Dayjs | undefined {
  if (isBlank(value)) return undefined;
  if (dayjs.isDayjs(value)) return value;
  const d = dayjs(String(value));
  return d.isValid() ? d : undefined;
}

function fromDay(value: unknown): string | undefined {
  if (isBlank(value)) return undefined;
  const d = dayjs.isDayjs(value) ? value : dayjs(String(value));
  return d.isValid() ? d.format(DATE_FORMAT) : undefined;
}

/** An API value → the form's value for the field type. */
export function toFormValue(field: Pick<MetaField, 'type'>, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (field.type) {
    case 'date':
      return toDay(value);
    case 'document': {
      const doc = (typeof value === 'object' ? value : {}) as DocumentValue;
      return { number: doc.number, title: doc.title, date: toDay(doc.date) };
    }
    case 'multi-enum':
      return Array.isArray(value) ? value : [value];
    default:
      return value;
  }
}

/** A form value → the API value, or undefined when the input was left empty. */
export function fromFormValue(field: Pick<MetaField, 'type'>, value: unknown): unknown {
  if (isBlank(value)) return undefined;
  switch (field.type) {
    case 'string':
    case 'text':
      return String(value).trim() || undefined;
    case 'number':
    case 'money': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'date':
      return fromDay(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : value === 'true';
    case 'enum':
      return String(value);
    case 'multi-enum':
      return Array.isArray(value) ? value.map(String) : [String(value)];
    case 'document': {
      const doc = value as { number?: string; title?: string; date?: unknown };
      const out = {
        number: doc.number?.trim() || undefined,
        date: fromDay(doc.date),
        title: doc.title?.trim() || undefined,
      };
      return out.number || out.date || out.title ? out : undefined;
    }
  }
}

/** The values of the entry form. */
export interface EntryFormValues {
  department?: string;
  subject?: { kind?: string; code?: string; name?: string; codeOverrideReason?: string };
  relatedPersons?: { role?: string; code?: string; name?: string; codeOverrideReason?: string }[];
  fields?: Record<string, unknown>;
}

/** Form values for editing an existing draft. */
export function entryToFormValues(entry: Entry, list: Pick<MetaList, 'fields'>): EntryFormValues {
  const fields: Record<string, unknown> = {};
  for (const field of list.fields) fields[field.key] = toFormValue(field, entry.fields?.[field.key]);
  return {
    department: entry.department,
    subject: { kind: entry.subject.kind, code: entry.subject.code, name: entry.subject.name },
    relatedPersons: (entry.relatedPersons ?? []).map((p: RelatedPerson) => ({ role: p.role, code: p.code, name: p.name })),
    fields,
  };
}

function subjectBody(values: EntryFormValues): EntryCreateBody['subject'] {
  const s = values.subject ?? {};
  return {
    kind: (s.kind ?? 'legal_person') as EntryCreateBody['subject']['kind'],
    code: (s.code ?? '').trim().toUpperCase(),
    name: (s.name ?? '').trim(),
    ...(s.codeOverrideReason?.trim() ? { codeOverrideReason: s.codeOverrideReason.trim() } : {}),
  };
}

function relatedBody(values: EntryFormValues): NonNullable<EntryCreateBody['relatedPersons']> {
  return (values.relatedPersons ?? [])
    .filter((p) => p && (p.code?.trim() || p.name?.trim()))
    .map((p) => ({
      role: p.role ?? '',
      kind: 'natural_person' as const,
      code: (p.code ?? '').trim().toUpperCase(),
      name: (p.name ?? '').trim(),
      ...(p.codeOverrideReason?.trim() ? { codeOverrideReason: p.codeOverrideReason.trim() } : {}),
    }));
}

function fieldsBody(values: EntryFormValues, list: Pick<MetaList, 'fields'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of list.fields) {
    const v = fromFormValue(field, values.fields?.[field.key]);
    if (v !== undefined) out[field.key] = v;
  }
  return out;
}

export function formValuesToCreateBody(values: EntryFormValues, list: Pick<MetaList, 'fields'>): EntryCreateBody {
  const related = relatedBody(values);
  return {
    subject: subjectBody(values),
    ...(related.length ? { relatedPersons: related } : {}),
    fields: fieldsBody(values, list),
    ...(values.department ? { department: values.department } : {}),
  };
}

/**
 * PATCH body of a draft: the whole subject and related persons, and every field; an optional field
 * that was emptied is sent as null (the API clears it), a required one is left out.
 */
export function formValuesToPatchBody(values: EntryFormValues, list: Pick<MetaList, 'fields'>, version: number): EntryPatchBody {
  const fields: Record<string, unknown> = {};
  for (const field of list.fields) {
    const v = fromFormValue(field, values.fields?.[field.key]);
    if (v !== undefined) fields[field.key] = v;
    else if (!field.required) fields[field.key] = null;
  }
  return { version, subject: subjectBody(values), relatedPersons: relatedBody(values), fields };
}

/** Field types the list filter bar offers, and how. */
export function isFilterable(field: Pick<MetaField, 'type'>): boolean {
  return ['string', 'enum', 'multi-enum', 'date', 'boolean'].includes(field.type);
}

export const fieldFilterName = (key: string) => `f.${key}`;

/** Values of the filter bar. Field filters are keyed `f.<key>`. */
export type FilterValues = Record<string, unknown>;

/**
 * Filter-bar values → Refine filters: `q`, `status` (several states joined by commas),
 * `department`, `createdAt` range, `overdue`, and `f.<key>` per declared field (date fields as a
 * `_gte` / `_lte` range). Every known filter is listed (blank when empty) so a cleared input
 * removes its filter.
 */
export function filterValuesToCrud(values: FilterValues, list: Pick<MetaList, 'fields'>): CrudFilter[] {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const range = (v: unknown): [string | undefined, string | undefined] => {
    if (!Array.isArray(v)) return [undefined, undefined];
    return [fromDay(v[0]), fromDay(v[1])];
  };
  const [createdFrom, createdTo] = range(values.createdAt);
  const statuses = Array.isArray(values.status) ? values.status : values.status ? [values.status] : [];
  const out: CrudFilter[] = [
    { field: 'q', operator: 'eq', value: text(values.q) },
    { field: 'status', operator: 'in', value: statuses.length ? statuses : undefined },
    { field: 'department', operator: 'eq', value: text(values.department) },
    { field: 'createdAt', operator: 'gte', value: createdFrom },
    { field: 'createdAt', operator: 'lte', value: createdTo },
    { field: 'overdue', operator: 'eq', value: values.overdue === true ? 'true' : undefined },
  ];
  for (const field of list.fields.filter(isFilterable)) {
    const name = fieldFilterName(field.key);
    const value = values[name];
    if (field.type === 'date') {
      const [from, to] = range(value);
      out.push({ field: name, operator: 'gte', value: from }, { field: name, operator: 'lte', value: to });
    } else if (field.type === 'boolean') {
      out.push({ field: name, operator: 'eq', value: value === true || value === 'true' ? 'true' : value === false || value === 'false' ? 'false' : undefined });
    } else {
      out.push({ field: name, operator: 'eq', value: field.type === 'string' ? text(value) : isBlank(value) ? undefined : String(value) });
    }
  }
  return out;
}

/** Refine filters (from the URL) → filter-bar values, the inverse of filterValuesToCrud. */
export function crudToFilterValues(filters: CrudFilter[], list: Pick<MetaList, 'fields'>): FilterValues {
  const get = (field: string, operator: string) => {
    const f = filters.find((x) => 'field' in x && x.field === field && x.operator === operator);
    return f && 'value' in f ? (f.value as unknown) : undefined;
  };
  const pair = (field: string) => {
    const from = toDay(get(field, 'gte'));
    const to = toDay(get(field, 'lte'));
    return from || to ? [from ?? null, to ?? null] : undefined;
  };
  const status = get('status', 'in') ?? get('status', 'eq');
  const values: FilterValues = {
    q: get('q', 'eq'),
    status: status === undefined ? undefined : Array.isArray(status) ? status : String(status).split(','),
    department: get('department', 'eq'),
    createdAt: pair('createdAt'),
    overdue: get('overdue', 'eq') === 'true' || get('overdue', 'eq') === true ? true : undefined,
  };
  for (const field of list.fields.filter(isFilterable)) {
    const name = fieldFilterName(field.key);
    if (field.type === 'date') values[name] = pair(name);
    else if (field.type === 'boolean') {
      const v = get(name, 'eq');
      values[name] = v === undefined ? undefined : v === true || v === 'true';
    } else values[name] = get(name, 'eq');
  }
  return values;
}
