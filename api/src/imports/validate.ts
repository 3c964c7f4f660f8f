/**
 * Rows of an import file → entry bodies, checked exactly as POST entries
 * checks them (the same zod schema, the same subject code checks), plus what
 * only a batch can know: duplicates inside the file, subjects already on this
 * list, codes registered as another kind of subject. Every problem names its
 * row (as the spreadsheet numbers it), its column (header) and a reason.
 */
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { can, scopeOf } from '../authz/permissions.ts';
import { listObject } from '../authz/policy.ts';
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { entries, subjects } from '../db/schema.ts';
import { entryCreateSchema } from '../entries/service.ts';
import { AppError, issueDetails } from '../http/errors.ts';
import { type SubjectKind, validateSubjectCode } from '../subjects/codes.ts';
import { booleanLabels, type Column, importColumns, multiSeparator, subjectKindLabels } from './columns.ts';
import { type CellValue, isFormula, type SourceRow } from './parse.ts';

export type Problem = { row: number; column: string | null; code: string; message: string; messageEn: string };

export type ImportAs = 'draft' | 'published';

export type ValidRow = {
  row: number;
  subject: { kind: SubjectKind; code: string; name: string; codeValid: boolean; overrideReason: string | null };
  department: string;
  fields: Record<string, unknown>;
  decisionNo: string | null;
  decisionDate: string | null;
  recognisedAt: string | null;
  publishedAt: string | null;
};

export type Validator = {
  columns: Column[];
  /** Checks one row on its own; `problems` empty means `valid` is set. */
  row(r: SourceRow): { valid?: ValidRow; problems: Problem[] };
};

const kindByLabel = new Map<string, SubjectKind>([
  ...Object.entries(subjectKindLabels).map(([k, label]) => [label, k as SubjectKind] as const),
  ...Object.keys(subjectKindLabels).map((k) => [k, k as SubjectKind] as const),
]);

const pad = (n: number) => String(n).padStart(2, '0');
const isoOfDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

function text(v: CellValue): string | undefined {
  if (v === null) return undefined;
  if (v instanceof Date) return isoOfDate(v);
  if (typeof v === 'boolean') return v ? booleanLabels.yes : booleanLabels.no;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

function dateValue(v: CellValue): string | undefined {
  if (v instanceof Date) return isoOfDate(v);
  if (typeof v === 'number' && v > 20_000 && v < 80_000) return isoOfDate(new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86_400_000));
  const s = text(v);
  if (s === undefined) return undefined;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  return m ? `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` : s;
}

function numberValue(v: CellValue): number | string | undefined {
  if (typeof v === 'number') return v;
  const s = text(v);
  if (s === undefined) return undefined;
  const t = s.replace(/[,，\s]/g, '');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : s;
}

function booleanValue(v: CellValue): boolean | string | undefined {
  if (typeof v === 'boolean') return v;
  const s = text(v);
  if (s === undefined) return undefined;
  if (['是', 'true', 'TRUE', 'Y', 'y', '1'].includes(s)) return true;
  if (['否', 'false', 'FALSE', 'N', 'n', '0'].includes(s)) return false;
  return s;
}

/** Maps header cells to columns; refuses missing required columns, unknown and repeated ones (422). */
export function mapHeader(columns: Column[], header: string[]): Map<Column, number> {
  const byHeader = new Map(columns.map((c) => [c.header, c]));
  const index = new Map<Column, number>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  header.forEach((h, i) => {
    if (h === '') return;
    const c = byHeader.get(h.replace(/^\*/, ''));
    if (!c) unknown.push(h);
    else if (index.has(c)) repeated.push(h);
    else index.set(c, i);
  });
  const missing = columns.filter((c) => c.required && !index.has(c)).map((c) => c.header);
  if (missing.length || unknown.length || repeated.length) {
    const details = [
      ...missing.map((h) => ({ path: h, code: 'MISSING_HEADER', message: `缺少必填列“${h}”`, messageEn: `missing column "${h}"` })),
      ...unknown.map((h) => ({ path: h, code: 'UNKNOWN_HEADER', message: `未知的列“${h}”：请使用本名单的导入模板`, messageEn: `unknown column "${h}"` })),
      ...repeated.map((h) => ({ path: h, code: 'REPEATED_HEADER', message: `列“${h}”重复`, messageEn: `column "${h}" appears twice` })),
    ];
    throw new AppError(
      422,
      'IMPORT_HEADERS_INVALID',
      `表头与模板不符${missing.length ? `：缺少 ${missing.join('、')}` : ''}${unknown.length ? `；未知列 ${unknown.join('、')}` : ''}（如为乱码，请确认文件编码为 UTF-8 或 GBK）`,
      'the header row does not match the template',
      details,
    );
  }
  return index;
}

export type ValidatorOptions = { list: CompiledList; model: RuntimeModel; principal: Principal; today: string; as: ImportAs; maxCellChars: number };

export function createValidator(opts: ValidatorOptions, header: string[]): Validator {
  const { list, model, principal, today } = opts;
  const columns = importColumns(list, model);
  const index = mapHeader(columns, header);
  const schema = entryCreateSchema(list);
  const colOf = (kind: string, key?: string, part?: string) =>
    columns.find((c) => c.target.kind === kind && (!key || ('field' in c.target && c.target.field.key === key)) && (!part || ('part' in c.target && c.target.part === part)));
  const importScope = scopeOf(principal.perms, listObject(list.id), 'import');
  const soleDepartment = importScope !== 'all' && importScope.length === 1 ? importScope[0] : undefined;
  const departmentByName = new Map(model.departments.flatMap((d) => [[d.name, d.code] as const, [d.code, d.code] as const]));
  const kindsAllowed = new Set<string>(list.subject_kinds);
  const kindOptions = list.subject_kinds.map((k) => subjectKindLabels[k as SubjectKind]).join('、');

  function columnOfPath(path: readonly PropertyKey[]): Column | undefined {
    const [a, b, c] = path.map(String);
    if (a === 'subject') return colOf(b === 'codeOverrideReason' ? 'subject.override' : `subject.${b}`);
    if (a === 'fields' && b) return colOf('field', b) ?? colOf('document', b, c ?? 'number');
    if (a === 'decisionNo' || a === 'decisionDate' || a === 'department') return colOf(a);
    return undefined;
  }

  return {
    columns,
    row(r) {
      const problems: Problem[] = [];
      const bad = new Set<Column>();
      const problem = (col: Column | undefined, code: string, message: string, messageEn: string) => {
        if (col) bad.add(col);
        problems.push({ row: r.row, column: col?.header ?? null, code, message, messageEn });
      };
      const raw = (c: Column | undefined): CellValue => {
        if (!c) return null;
        const i = index.get(c);
        const v = i === undefined ? null : (r.cells[i] ?? null);
        if (v !== null && isFormula(v)) {
          problem(c, 'FORMULA_NOT_ALLOWED', '单元格含公式：请复制后“粘贴为数值”', 'the cell holds a formula; paste values instead');
          return null;
        }
        if (typeof v === 'string' && v.length > opts.maxCellChars) {
          problem(c, 'CELL_TOO_LARGE', `单元格过长（${v.length} 字，上限 ${opts.maxCellChars} 字）`, `cell too long (${v.length} characters, limit ${opts.maxCellChars})`);
          return null;
        }
        if (typeof v === 'string' && v.includes('\uFFFD')) {
          problem(c, 'BAD_ENCODING', '单元格含无法识别的字符：请确认文件编码为 UTF-8 或 GBK', 'unreadable characters: check the file encoding');
          return null;
        }
        return v;
      };

      const kindText = text(raw(colOf('subject.kind')));
      const kind = kindText === undefined ? undefined : (kindByLabel.get(kindText) ?? kindText);
      const fields: Record<string, unknown> = {};
      for (const c of columns) {
        const t = c.target;
        if (t.kind === 'field') {
          const v = raw(c);
          const f = t.field;
          const value =
            f.type === 'number' || f.type === 'money'
              ? numberValue(v)
              : f.type === 'date'
                ? dateValue(v)
                : f.type === 'boolean'
                  ? booleanValue(v)
                  : f.type === 'multi-enum'
                    ? text(v)
                        ?.split(/[、,，;；|]/)
                        .map((s) => s.trim())
                        .filter(Boolean)
                    : text(v);
          if (value !== undefined) fields[f.key] = value;
        } else if (t.kind === 'document') {
          const v = t.part === 'date' ? dateValue(raw(c)) : text(raw(c));
          if (v !== undefined) {
            const doc = (fields[t.field.key] ?? {}) as Record<string, unknown>;
            doc[t.part] = v;
            fields[t.field.key] = doc;
          }
        }
      }
      const override = text(raw(colOf('subject.override')));
      const body: Record<string, unknown> = {
        subject: { kind, code: text(raw(colOf('subject.code'))), name: text(raw(colOf('subject.name'))), ...(override ? { codeOverrideReason: override } : {}) },
        fields,
      };
      const decisionNo = text(raw(colOf('decisionNo')));
      const decisionDate = dateValue(raw(colOf('decisionDate')));
      if (decisionNo !== undefined) body.decisionNo = decisionNo;
      if (decisionDate !== undefined) body.decisionDate = decisionDate;
      const recognisedAt = dateValue(raw(colOf('recognisedAt')));
      const publishedAt = dateValue(raw(colOf('publishedAt')));

      const parsed = schema.safeParse(body);
      if (!parsed.success) reportIssues(parsed.error, body);

      // Department: the column, or the caller's only department with import permission.
      const depCol = colOf('department');
      const depText = text(raw(depCol));
      let department: string | undefined;
      if (depText === undefined) {
        if (soleDepartment) department = soleDepartment;
        else problem(depCol, 'DEPARTMENT_REQUIRED', '请填写所属部门', 'the department is required');
      } else {
        department = departmentByName.get(depText);
        if (!department) problem(depCol, 'UNKNOWN_DEPARTMENT', `未知的部门“${depText}”`, `unknown department "${depText}"`);
        else if (!can(principal.perms, listObject(list.id), 'import', department)) {
          problem(depCol, 'DEPARTMENT_FORBIDDEN', `没有在“${depText}”导入本名单的权限`, `no import permission in department "${depText}"`);
          department = undefined;
        }
      }

      const subjectIn = parsed.success ? parsed.data.subject : undefined;
      let codeValid = true;
      if (subjectIn) {
        const codeCol = colOf('subject.code');
        if (!kindsAllowed.has(subjectIn.kind)) problem(colOf('subject.kind'), 'SUBJECT_KIND_NOT_ALLOWED', `本名单不适用于“${subjectKindLabels[subjectIn.kind]}”（可选：${kindOptions}）`, 'this list does not take subjects of this kind');
        const check = validateSubjectCode(subjectIn.kind, subjectIn.code, { today });
        if (!check.ok) {
          if (check.overridable && subjectIn.codeOverrideReason) codeValid = false;
          else problem(codeCol, check.code, check.overridable ? `${check.message}；如确认无误，请填写“代码校验例外原因”` : check.message, check.messageEn);
        } else subjectIn.code = check.value;
      }
      const dateCol = colOf('decisionDate');
      if (decisionDate && /^\d{4}-\d{2}-\d{2}$/.test(decisionDate) && !Number.isNaN(Date.parse(decisionDate)) && decisionDate > today) problem(dateCol, 'DATE_IN_FUTURE', '决定日期不能晚于今天', 'the decision date cannot be in the future');
      if (opts.as === 'published') {
        if (!decisionDate) problem(dateCol, 'REQUIRED', '按历史公示导入时，决定日期必填', 'the decision date is required for historical entries');
        const pubCol = colOf('publishedAt');
        const recCol = colOf('recognisedAt');
        for (const [col, v, required] of [
          [pubCol, publishedAt, true],
          [recCol, recognisedAt, false],
        ] as const) {
          if (v === undefined) {
            if (required) problem(col, 'REQUIRED', `按历史公示导入时，${col?.header}必填`, `${col?.header} is required for historical entries`);
          } else if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) problem(col, 'INVALID_DATE', `“${v}”不是有效日期（格式 YYYY-MM-DD）`, 'not a date');
          else if (v > today) problem(col, 'DATE_IN_FUTURE', `${col?.header}不能晚于今天`, 'the date cannot be in the future');
          else if (decisionDate && v < decisionDate) problem(col, 'DATE_BEFORE_DECISION', `${col?.header}不能早于决定日期`, 'the date cannot be before the decision date');
        }
      }
      if (problems.length || !parsed.success || !subjectIn || !department) return { problems };
      return {
        problems,
        valid: {
          row: r.row,
          subject: { kind: subjectIn.kind, code: subjectIn.code, name: subjectIn.name, codeValid, overrideReason: codeValid ? null : (subjectIn.codeOverrideReason ?? null) },
          department,
          fields: parsed.data.fields,
          decisionNo: parsed.data.decisionNo ?? null,
          decisionDate: parsed.data.decisionDate ?? null,
          recognisedAt: opts.as === 'published' ? (recognisedAt ?? decisionDate ?? null) : null,
          publishedAt: opts.as === 'published' ? (publishedAt ?? null) : null,
        },
      };

      function reportIssues(error: z.ZodError, input: Record<string, unknown>) {
        const details = issueDetails(error.issues);
        error.issues.forEach((issue, i) => {
          const col = columnOfPath(issue.path);
          if (col && bad.has(col)) return;
          let value: unknown = input;
          for (const k of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[k as string];
          const d = details[i];
          if (value === undefined && issue.code === 'invalid_type') {
            problem(col, 'REQUIRED', '必填，不能为空', 'required');
          } else if (issue.code === 'invalid_value' && col) {
            const options = col.target.kind === 'subject.kind' ? kindOptions : (col.options ?? ('field' in col.target ? col.target.field.options : undefined) ?? []).join('、');
            problem(col, 'UNKNOWN_OPTION', `“${String(value)}”不是可选值（可选：${options}）`, `"${String(value)}" is not one of the options`);
          } else if (issue.code === 'invalid_type' && col) {
            const expected = String((issue as { expected?: string }).expected ?? '');
            const what = { number: '数字', boolean: '“是”或“否”', string: '文本', array: `选项（用“${multiSeparator}”分隔）`, object: '文书' }[expected] ?? expected;
            problem(col, 'INVALID_TYPE', `“${String(value)}”不是${what}`, `"${String(value)}" is not a ${expected}`);
          } else {
            problem(col, issue.code.toUpperCase(), d?.message ?? issue.message, issue.message);
          }
        });
      }
    },
  };
}

/** States after which a subject is no longer "on the list" (a new entry may be imported). */
function terminalStates(list: CompiledList): string[] {
  return list.graph.states.filter((s) => s.terminal).map((s) => s.id);
}

/**
 * Checks that need the database and the other rows: a subject repeated in the
 * file (`seen` carries codes across batches when given), a subject already on
 * this list (not exited, repaired, revoked or withdrawn), a code registered as
 * another kind of subject. Returns the rows that pass and the problems found.
 */
export async function checkBatch(
  db: Db,
  list: CompiledList,
  columns: Column[],
  rows: ValidRow[],
  seen: Map<string, number> | undefined,
): Promise<{ valid: ValidRow[]; problems: Problem[] }> {
  if (!rows.length) return { valid: [], problems: [] };
  const codeHeader = columns.find((c) => c.target.kind === 'subject.code')?.header ?? '主体代码';
  const kindHeader = columns.find((c) => c.target.kind === 'subject.kind')?.header ?? '主体类型';
  const codes = [...new Set(rows.map((r) => r.subject.code))];
  const existing = await db.select({ code: subjects.code, kind: subjects.kind }).from(subjects).where(inArray(subjects.code, codes));
  const kindOf = new Map(existing.map((s) => [s.code, s.kind]));
  const onList = new Set(
    existing.length
      ? (
          await db
            .select({ code: subjects.code })
            .from(entries)
            .innerJoin(subjects, eq(subjects.id, entries.subjectId))
            .where(and(eq(entries.listId, list.id), inArray(subjects.code, [...kindOf.keys()]), notInArray(entries.status, terminalStates(list))))
        ).map((r) => r.code)
      : [],
  );
  const local = seen ?? new Map<string, number>();
  const valid: ValidRow[] = [];
  const problems: Problem[] = [];
  for (const r of rows) {
    const code = r.subject.code;
    const first = local.get(code);
    if (first !== undefined) {
      problems.push({ row: r.row, column: codeHeader, code: 'DUPLICATE_IN_FILE', message: `与第 ${first} 行主体代码重复`, messageEn: `same subject code as row ${first}` });
      continue;
    }
    local.set(code, r.row);
    const kind = kindOf.get(code);
    if (kind && kind !== r.subject.kind && kind !== 'individual_business' && r.subject.kind !== 'individual_business') {
      problems.push({ row: r.row, column: kindHeader, code: 'SUBJECT_KIND_MISMATCH', message: `代码 ${code} 已登记为“${subjectKindLabels[kind]}”`, messageEn: `code ${code} is registered as ${kind}` });
      continue;
    }
    if (onList.has(code)) {
      problems.push({ row: r.row, column: codeHeader, code: 'ALREADY_ON_LIST', message: '该主体已在本名单中（有未移出的条目）', messageEn: 'the subject is already on this list' });
      continue;
    }
    valid.push(r);
  }
  return { valid, problems };
}
