/**
 * The measures that apply to a subject now: for every entry in effect
 * (published, term not over) the measures its list type names, taken from the
 * measure list only (国办发〔2020〕49号: nothing outside the list), each with
 * its legal basis, implementing department and the entries behind it.
 */
import type { RuntimeModel } from '../config/compile.ts';
import type { Measure } from '../config/schema.ts';
import type { z } from 'zod';
import { publicStatuses } from './scope.ts';

type MeasureDef = z.infer<typeof Measure>;

/** What a measure needs to know of an entry, and what the answer shows of it. */
export type EntryRef = {
  id: string;
  listId: string;
  department: string;
  status: string;
  decisionNo: string | null;
  decisionDate: string | null;
  termEnd: string | null;
};

export type EntryBasis = {
  entryId: string;
  listId: string;
  listName: string;
  listKind: string;
  department: string;
  departmentName: string;
  decisionNo: string | null;
  decisionDate: string | null;
  termEnd: string | null;
};

export type ApplicableMeasure = {
  id: string;
  name: string;
  nameEn: string | null;
  kind: 'punishment' | 'incentive';
  legalBasis: string[];
  department: string;
  departmentName: string;
  matters: string[];
  target: string | null;
  entries: EntryBasis[];
};

const byId = new WeakMap<RuntimeModel, Map<string, MeasureDef>>();
function measureMap(model: RuntimeModel): Map<string, MeasureDef> {
  let m = byId.get(model);
  if (!m) {
    m = new Map(model.measures.map((x) => [x.id, x]));
    byId.set(model, m);
  }
  return m;
}

/** Published and within its term (an expired entry waiting for the scheduler no longer counts). */
export function inEffect(model: RuntimeModel, e: Pick<EntryRef, 'status' | 'termEnd'>, today: string): boolean {
  return publicStatuses(model).includes(e.status) && (!e.termEnd || today <= e.termEnd);
}

export function entryBasis(model: RuntimeModel, e: EntryRef): EntryBasis {
  const list = model.list(e.listId);
  return {
    entryId: e.id,
    listId: e.listId,
    listName: list?.name ?? e.listId,
    listKind: list?.kind ?? 'black',
    department: e.department,
    departmentName: model.department(e.department)?.name ?? e.department,
    decisionNo: e.decisionNo,
    decisionDate: e.decisionDate,
    termEnd: e.termEnd,
  };
}

/** Measures of the entries in effect; only those of `matter` when given. Punishments first, then by id. */
export function applicableMeasures(model: RuntimeModel, entries: readonly EntryRef[], today: string, matter?: string): ApplicableMeasure[] {
  const measures = measureMap(model);
  const out = new Map<string, ApplicableMeasure>();
  for (const e of entries) {
    if (!inEffect(model, e, today)) continue;
    const list = model.list(e.listId);
    if (!list) continue;
    for (const id of list.measures) {
      const m = measures.get(id);
      if (!m || (matter !== undefined && !m.matters.includes(matter))) continue;
      let a = out.get(id);
      if (!a) {
        a = {
          id: m.id,
          name: m.name,
          nameEn: m.name_en ?? null,
          kind: m.kind,
          legalBasis: [...m.legal_basis],
          department: m.department,
          departmentName: model.department(m.department)?.name ?? m.department,
          matters: [...m.matters],
          target: m.target ?? null,
          entries: [],
        };
        out.set(id, a);
      }
      a.entries.push(entryBasis(model, e));
    }
  }
  return [...out.values()].sort((a, b) => (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind === 'punishment' ? -1 : 1));
}
