/**
 * Values for a list type's declared fields, generated from the declarations
 * alone: the field type decides the kind of value, min/max/max_length bound
 * it, and the label (and help text) picks plausible wording. No list id is
 * looked at, so a new list type in config/ gets demo data without code.
 */
import type { CompiledList } from '../config/compile.ts';
import type { Field } from '../config/schema.ts';
import { fieldSchemas } from '../entries/fields.ts';
import type { Calendar } from '../procedures/calendar.ts';
import { intBetween, makeCompanyName, pick, type Rng } from '../subjects/generate.ts';
import type { SubjectKind } from '../subjects/codes.ts';
import { minDate } from './time.ts';
import * as words from './vocabulary.ts';

export type Doc = { number: string; date: string };

export type FieldContext = {
  rng: Rng;
  list: CompiledList;
  calendar: Calendar;
  topic: words.Topic;
  city: string;
  subject: { kind: SubjectKind; name: string };
  /** The day the entry is drafted (YYYY-MM-DD). */
  date: string;
  /** The document the entry rests on (penalty decision, licence, ...): every 文号 and document field names it. */
  basis: Doc;
  /** Values decided by the caller (e.g. the severity tier the scenario needs). */
  fixed?: Record<string, unknown>;
};

/** The title of a document field: the first alternative of its label ("A、B或C" → "A"). */
export function documentTitle(label: string): string {
  return label.split(/或|、/)[0]?.trim() || label;
}

/** The character(s) of a document number that say what kind of document it is. */
export function documentPurpose(title: string): string {
  if (/处罚/.test(title)) return '罚';
  if (/许可|证书|资质/.test(title)) return '许';
  if (/判决|裁决/.test(title)) return '判';
  if (/监察|处理/.test(title)) return '监';
  if (/调查报告/.test(title)) return '调';
  if (/失信/.test(title)) return '失信';
  return '决';
}

const onlyForPersons = (f: Field) => !!f.help && /自然人/.test(f.help);

function clamp(n: number, f: Field): number {
  let v = n;
  if (f.min !== undefined) v = Math.max(v, f.min);
  if (f.max !== undefined) v = Math.min(v, f.max);
  return v;
}

function stringValue(f: Field, c: FieldContext, tc: words.TextContext): string {
  const l = f.label;
  if (/文号/.test(l)) return c.basis.number;
  if (/编号/.test(l)) return `${pick(c.rng, ['JY', 'SC', 'TS', 'D2', 'JZ'])}${String(intBetween(c.rng, 0, 999_999)).padStart(6, '0')}${String(intBetween(c.rng, 0, 999_999)).padStart(6, '0')}`;
  if (/案件/.test(l)) return words.caseName(c.topic, tc);
  if (/项目|工程/.test(l)) return tc.project;
  if (/许可|证书/.test(l)) {
    tc.licence ??= words.licenceName(c.topic, c.rng);
    return tc.licence;
  }
  if (/单位|企业/.test(l)) return makeCompanyName(c.rng);
  if (/名称/.test(l)) return words.caseName(c.topic, tc);
  return `${c.subject.name}${l}`;
}

function textValue(f: Field, c: FieldContext, tc: words.TextContext): string {
  const l = f.label;
  if (/依据/.test(l)) return words.legalBasis(c.topic, tc);
  if (/事由|原因|情形/.test(l)) return words.reason(c.topic, tc);
  return words.facts(c.topic, tc);
}

function numberValue(f: Field, c: FieldContext): number {
  const l = f.label;
  const r = c.rng;
  let n: number;
  if (/年度/.test(l)) n = Number(c.date.slice(0, 4)) - 1;
  else if (/死亡/.test(l)) n = r() < 0.6 ? 0 : intBetween(r, 1, 3);
  else if (/人数/.test(l)) n = intBetween(r, 5, 150);
  else if (/次数/.test(l)) n = intBetween(r, 2, 12);
  else if (/年数/.test(l)) n = intBetween(r, 1, 6);
  else if (/得分|分数/.test(l) && f.min !== undefined && f.max !== undefined) n = Math.round((f.min + r() * (f.max - f.min)) * 10) / 10;
  else if (/百分比|%|比例/.test(l)) n = Math.round((5 + r() * 75) * 10) / 10;
  else {
    const lo = f.min ?? 0;
    const hi = f.max ?? lo + 100;
    n = intBetween(r, lo, hi);
  }
  return clamp(n, f);
}

function moneyValue(f: Field, c: FieldContext): number {
  const l = f.label;
  const [lo, hi] = /税/.test(l)
    ? [200_000, 20_000_000]
    : /工资/.test(l)
      ? [50_000, 3_000_000]
      : /损失/.test(l)
        ? [100_000, 10_000_000]
        : /合同|价格/.test(l)
          ? [1_000_000, 200_000_000]
          : /罚|没收/.test(l)
            ? [5_000, 2_000_000]
            : [10_000, 1_000_000];
  const v = Math.round(Math.exp(Math.log(lo) + c.rng() * (Math.log(hi) - Math.log(lo))) / 100) * 100;
  return clamp(v, f);
}

function dateValue(f: Field, c: FieldContext): string {
  const l = f.label;
  const cal = c.calendar;
  const r = c.rng;
  if (/有效期至|截止|届满/.test(l)) return cal.addYears(c.basis.date, intBetween(r, 3, 5));
  if (/有效期自/.test(l)) return c.basis.date;
  if (/送达/.test(l)) {
    return minDate(cal.addDays(c.basis.date, intBetween(r, 0, 3)), c.date);
  }
  if (/确定|评价/.test(l)) return cal.addDays(c.date, -intBetween(r, 1, 10));
  if (/发生|起始|开始/.test(l)) return cal.addDays(c.basis.date, -intBetween(r, 30, 400));
  return cal.addDays(c.date, -intBetween(r, 10, 200));
}

function booleanValue(f: Field, c: FieldContext): boolean {
  if (/未成年|不可抗力|破产/.test(f.label)) return c.rng() < 0.05;
  if (/故意/.test(f.label)) return c.rng() < 0.8;
  return c.rng() < 0.5;
}

function multiEnumValue(f: Field, c: FieldContext): string[] {
  const options = f.options ?? [];
  const usual = options.filter((o) => o !== '其他');
  const pool = usual.length && c.rng() < 0.9 ? usual : options;
  const first = pick(c.rng, pool);
  if (c.rng() < 0.45) {
    const rest = pool.filter((o) => o !== first);
    if (rest.length) return [first, pick(c.rng, rest)];
  }
  return [first];
}

/** One value of a field, or undefined when the field is left empty. */
export function fieldValue(f: Field, c: FieldContext, tc: words.TextContext): unknown {
  switch (f.type) {
    case 'string': {
      const s = stringValue(f, c, tc);
      return f.max_length ? s.slice(0, f.max_length) : s;
    }
    case 'text': {
      const s = textValue(f, c, tc);
      return f.max_length ? s.slice(0, f.max_length) : s;
    }
    case 'number':
      return numberValue(f, c);
    case 'money':
      return moneyValue(f, c);
    case 'date':
      return dateValue(f, c);
    case 'boolean':
      return booleanValue(f, c);
    case 'enum': {
      const options = f.options ?? [];
      const usual = options.filter((o) => o !== '其他');
      return pick(c.rng, usual.length && c.rng() < 0.9 ? usual : options);
    }
    case 'multi-enum':
      return multiEnumValue(f, c);
    case 'document': {
      const title = documentTitle(f.label);
      return { number: c.basis.number, date: c.basis.date, title };
    }
  }
}

/** Remembers what a value says about the entry's story, for the texts written after it. */
function note(f: Field, v: unknown, tc: words.TextContext, c: FieldContext): void {
  if (f.type === 'money' && typeof v === 'number') {
    if (/工资/.test(f.label)) tc.amounts.wage = v;
    else if (/税/.test(f.label)) tc.amounts.tax = v;
    else if (/损失/.test(f.label)) tc.amounts.loss = v;
  }
  if (f.type === 'number' && typeof v === 'number') {
    if (/死亡/.test(f.label)) tc.deaths = v;
    else if (/人数/.test(f.label)) tc.workers = v;
  }
  if (f.type === 'date' && typeof v === 'string' && /发生/.test(f.label)) tc.happened = v;
  if (f.type === 'enum' && typeof v === 'string' && c.topic.startsWith('licence') && /事项|名称/.test(f.label)) tc.licence = v;
}

/**
 * Values for every field of the list: required ones always, optional ones
 * mostly; fields whose help says they are for natural persons only when the
 * subject is one. Texts are written last, so that they tell the story the
 * other values set (amounts, project, licence). The result passes the list's
 * own create schema (checked).
 */
export function makeFields(c: FieldContext): Record<string, unknown> {
  const tc: words.TextContext = {
    rng: c.rng,
    city: c.city,
    subjectName: c.subject.name,
    date: c.basis.date,
    project: words.projectName(c.rng, c.city),
    product: words.productName(c.rng),
    amounts: {},
    theme: intBetween(c.rng, 0, 9_999),
  };
  const out: Record<string, unknown> = {};
  const person = c.subject.kind === 'natural_person';
  const chosen = c.list.fields.filter((f) => {
    if (c.fixed && f.key in c.fixed) return true;
    if (f.required) return true;
    if (onlyForPersons(f)) return person;
    return c.rng() >= 0.25;
  });
  for (const pass of ['values', 'texts'] as const) {
    for (const f of chosen) {
      if ((f.type === 'text') !== (pass === 'texts')) continue;
      const v = c.fixed && f.key in c.fixed ? c.fixed[f.key] : fieldValue(f, c, tc);
      if (v === undefined) continue;
      out[f.key] = v;
      note(f, v, tc, c);
    }
  }
  const parsed = fieldSchemas(c.list).create.safeParse(out);
  if (!parsed.success) {
    throw new Error(`demo fields for ${c.list.id} do not pass the list's schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * A patch correcting one published value (an objection found it wrong): a
 * money field is lowered, else a text field is restated. Undefined when the
 * list has neither.
 */
export function correctionPatch(list: CompiledList, fields: Record<string, unknown>, rng: Rng): Record<string, unknown> | undefined {
  const money = list.fields.filter((f) => f.type === 'money' && typeof fields[f.key] === 'number');
  if (money.length) {
    const f = pick(rng, money);
    const v = fields[f.key] as number;
    const corrected = clamp(Math.round((v * (0.6 + rng() * 0.3)) / 100) * 100, f);
    return { [f.key]: corrected === v ? clamp(v + 100, f) : corrected };
  }
  const text = list.fields.filter((f) => f.type === 'text' && typeof fields[f.key] === 'string');
  if (text.length) {
    const f = pick(rng, text);
    const s = `${fields[f.key] as string}（经核查更正）`;
    return { [f.key]: f.max_length ? s.slice(0, f.max_length) : s };
  }
  return undefined;
}
