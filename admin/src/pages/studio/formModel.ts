/**
 * The studio's form ↔ a list type's config (the same structure as its YAML file). The form holds
 * the whole document, so keys it has no control for (exit rules, revoke, descriptions …) are kept;
 * the steps that are `false` / `'none'` in YAML get a switch (`_notice`, `_term`, `_repair`,
 * `_objection`) so their settings can stay in the form while switched off. Lint issues come back
 * with key paths into the YAML and are put on the nearest form control.
 */
import type { ConfigIssue } from '@credit/api/config';
import { LIST_ACTIONS } from '../../access/permissions';
import { enumAt, generatedPaths, isObject, periodUnits } from './listSchemaForm';

export type Period = Partial<Record<PeriodUnit, number>>;
export { periodUnits };
export type PeriodUnit = (typeof periodUnits)[number];

/** The list actions a list type grants roles (the permission matrix's). */
export const listActions = LIST_ACTIONS;

export const fieldTypes = enumAt('fields.type');

export type { ConfigIssue };

type Doc = Record<string, unknown>;
export type FormValues = Doc & {
  legal_basis_text?: string;
  _notice?: boolean;
  _term?: boolean;
  _repair?: boolean;
  _objection?: boolean;
};


/** A new black list type for a department, with the steps the 2020 rules ask for switched on. */
export function blankListType(department: string): Doc {
  return {
    id: '',
    name: '',
    kind: 'black',
    department,
    legal_basis: [],
    subject_kinds: ['legal_person'],
    fields: [{ key: 'violation', label: '失信行为', type: 'text', required: true, public: true }],
    procedure: {
      notice: { statement_period: { working_days: 5 } },
      recognise: { separate_reviewer: true },
      publish: { within: { working_days: 7 } },
    },
    term: { default: { years: 3 } },
    repair: { min_published: { years: 1 }, accept_within: { working_days: 3 }, decide_within: { working_days: 10 } },
    objection: { answer_within: { working_days: 5 } },
    measures: [],
    permissions: { view: ['operator', 'reviewer'], create: ['operator'], 'edit-draft': ['operator'], notify: ['operator'], 'record-statement': ['operator'], recognise: ['reviewer'], publish: ['reviewer'] },
  };
}

export function toForm(doc: Doc): FormValues {
  const procedure = isObject(doc.procedure) ? doc.procedure : {};
  const legal = Array.isArray(doc.legal_basis) ? doc.legal_basis : typeof doc.legal_basis === 'string' ? [doc.legal_basis] : [];
  return {
    ...structuredClone(doc),
    legal_basis_text: legal.join('\n'),
    _notice: isObject(procedure.notice),
    _term: doc.term !== 'none',
    _repair: isObject(doc.repair),
    _objection: isObject(doc.objection),
    procedure: { ...procedure, notice: isObject(procedure.notice) ? procedure.notice : { statement_period: { working_days: 5 } } },
    term: isObject(doc.term) ? doc.term : { default: { years: 3 } },
    repair: isObject(doc.repair) ? doc.repair : { accept_within: { working_days: 3 }, decide_within: { working_days: 10 } },
    objection: isObject(doc.objection) ? doc.objection : { answer_within: { working_days: 5 } },
  };
}

/** Drops empty strings, empty option lists and empty permission entries the form leaves behind. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (!isObject(value)) return value;
  const out: Doc = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === '' || (v === null && k !== 'basis')) continue;
    out[k] = clean(v);
  }
  return out;
}

export function fromForm(values: FormValues): Doc {
  const { legal_basis_text, _notice, _term, _repair, _objection, ...rest } = structuredClone(values);
  const doc = rest as Doc;
  doc.legal_basis = (legal_basis_text ?? '')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  const procedure = isObject(doc.procedure) ? doc.procedure : {};
  doc.procedure = { ...procedure, notice: _notice ? procedure.notice : false };
  doc.term = _term ? doc.term : 'none';
  doc.repair = _repair ? doc.repair : false;
  doc.objection = _objection ? doc.objection : false;
  if (Array.isArray(doc.fields)) {
    doc.fields = (doc.fields as Doc[]).map((f) => {
      const { options, ...field } = f;
      const enumType = f.type === 'enum' || f.type === 'multi-enum';
      return enumType || (Array.isArray(options) && options.length) ? { ...field, options } : field;
    });
  }
  if (isObject(doc.permissions)) {
    doc.permissions = Object.fromEntries(Object.entries(doc.permissions).filter(([, roles]) => Array.isArray(roles) && roles.length));
  }
  if (Array.isArray(doc.measures) && !doc.measures.length) delete doc.measures;
  return clean(doc) as Doc;
}

/** Form control names (as key paths) that show lint errors, for the current number of fields. */
export function errorTargets(fieldCount: number): string[][] {
  const targets = [
    ['id'],
    ['name'],
    ['name_en'],
    ['kind'],
    ['department'],
    ['status'],
    ['legal_basis_text'],
    ['subject_kinds'],
    ['procedure', 'notice', 'statement_period'],
    ['procedure', 'recognise', 'separate_reviewer'],
    ['procedure', 'publish', 'within'],
    ['term', 'default'],
    ['repair', 'min_published'],
    ['repair', 'requires'],
    ['repair', 'accept_within'],
    ['repair', 'decide_within'],
    ['objection', 'answer_within'],
    ['measures'],
    ...listActions.map((a) => ['permissions', a]),
    ...generatedPaths(),
  ];
  // A field's generated settings sit in its collapsed row: their issues go to the list above the form.
  for (let i = 0; i < fieldCount; i++) for (const k of ['key', 'label', 'type', 'options']) targets.push(['fields', String(i), k]);
  return targets;
}

/** The YAML key path an issue names, as the form control it belongs to (longest matching prefix). */
export function targetOf(path: (string | number)[], targets: string[][]): string[] | undefined {
  const p = path.map(String);
  if (p[0] === 'legal_basis') return ['legal_basis_text'];
  let best: string[] | undefined;
  for (const t of targets) {
    if (t.length <= p.length && t.every((s, i) => s === p[i]) && (!best || t.length > best.length)) best = t;
  }
  return best;
}

export type MappedIssues = { byField: Map<string, { name: (string | number)[]; errors: string[] }>; general: ConfigIssue[] };

/** Groups issues of this list type's file by form control; the rest (other files, whole sections) are general. */
export function mapIssues(issues: ConfigIssue[], file: string, fieldCount: number, english: boolean): MappedIssues {
  const targets = errorTargets(fieldCount);
  const byField: MappedIssues['byField'] = new Map();
  const general: ConfigIssue[] = [];
  for (const issue of issues) {
    const target = issue.file === file ? targetOf(issue.path, targets) : undefined;
    if (!target) {
      general.push(issue);
      continue;
    }
    const key = target.join('.');
    const name = target.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(english ? issue.messageEn : issue.message);
    byField.set(key, entry);
  }
  return { byField, general };
}

export function formatKeyPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
