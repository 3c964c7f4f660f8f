/**
 * The columns of an import file for one list type, generated from its fields:
 * the subject first, then the decision, then every declared field (a document
 * field takes three columns: number, date, title). Headers are the Chinese
 * labels; the same list drives templates, parsing and the export.
 */
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import type { Field } from '../config/schema.ts';
import { residentIdCheckChar, type SubjectKind, usccCheckChar } from '../subjects/codes.ts';

export type ColumnTarget =
  | { kind: 'subject.kind' }
  | { kind: 'subject.name' }
  | { kind: 'subject.code' }
  | { kind: 'subject.override' }
  | { kind: 'department' }
  | { kind: 'decisionNo' }
  | { kind: 'decisionDate' }
  | { kind: 'recognisedAt' }
  | { kind: 'publishedAt' }
  | { kind: 'field'; field: Field }
  | { kind: 'document'; field: Field; part: 'number' | 'date' | 'title' };

export type Column = {
  header: string;
  target: ColumnTarget;
  /** required in every row (for drafts; historical imports also need the dates) */
  required: boolean;
  /** the drop-down values, where the column has a closed set */
  options?: readonly string[];
  note: string;
  /** the example row's value */
  example: string;
};

export const subjectKindLabels: Record<SubjectKind, string> = {
  legal_person: '法人',
  other_org: '非法人组织',
  individual_business: '个体工商户',
  natural_person: '自然人',
};

export const booleanLabels = { yes: '是', no: '否' } as const;
export const multiSeparator = '、';

const docParts = { number: '文号', date: '日期', title: '标题' } as const;

function fieldNote(f: Field): string {
  switch (f.type) {
    case 'string':
    case 'text':
      return `文本，最多 ${f.max_length ?? (f.type === 'text' ? 20_000 : 500)} 字`;
    case 'number':
      return `数字${f.min !== undefined ? `，不小于 ${f.min}` : ''}${f.max !== undefined ? `，不大于 ${f.max}` : ''}`;
    case 'money':
      return `金额（元），最多两位小数${f.min ? `，不小于 ${f.min}` : ''}`;
    case 'date':
      return '日期，格式 YYYY-MM-DD';
    case 'boolean':
      return '填“是”或“否”';
    case 'enum':
      return `可选：${(f.options ?? []).join('、')}`;
    case 'multi-enum':
      return `可多选，用“${multiSeparator}”分隔：${(f.options ?? []).join('、')}`;
    case 'document':
      return '文书';
  }
}

function fieldExample(f: Field): string {
  switch (f.type) {
    case 'string':
      return `示例${f.label}`;
    case 'text':
      return `示例${f.label}（与决定书一致）`;
    case 'number':
      return String(f.min ?? 1);
    case 'money':
      return '10000.00';
    case 'date':
      return '2026-01-15';
    case 'boolean':
      return booleanLabels.no;
    case 'enum':
    case 'multi-enum':
      return f.options?.[0] ?? '';
    case 'document':
      return '';
  }
}

/** A valid example code for the example row (GB 32100 check character computed, not hard-coded). */
export const exampleUscc = `91310000MA1FL0001${usccCheckChar('91310000MA1FL0001')}`;

export const exampleResidentId = `11010519900307001${residentIdCheckChar('11010519900307001')}`;

export function importColumns(list: CompiledList, model: RuntimeModel): Column[] {
  const kinds = list.subject_kinds as SubjectKind[];
  const exampleKind: SubjectKind = kinds.includes('legal_person') ? 'legal_person' : (kinds[0] ?? 'legal_person');
  const exampleCode = exampleKind === 'natural_person' ? exampleResidentId : exampleUscc;
  const cols: Column[] = [
    {
      header: '主体类型',
      target: { kind: 'subject.kind' },
      required: true,
      options: kinds.map((k) => subjectKindLabels[k]),
      note: `可选：${kinds.map((k) => subjectKindLabels[k]).join('、')}`,
      example: subjectKindLabels[exampleKind],
    },
    { header: '主体名称', target: { kind: 'subject.name' }, required: true, note: '与证照或身份证件一致，最多 200 字', example: exampleKind === 'natural_person' ? '张三' : '示例科技有限公司' },
    { header: '主体代码', target: { kind: 'subject.code' }, required: true, note: '统一社会信用代码（GB 32100）或居民身份证号码（GB 11643），18 位', example: exampleCode },
    { header: '代码校验例外原因', target: { kind: 'subject.override' }, required: false, note: '仅当代码确实无误但校验码不符（早期代码）时填写，将记入审计', example: '' },
    {
      header: '所属部门',
      target: { kind: 'department' },
      required: false,
      options: model.departments.map((d) => d.name),
      note: '部门名称或代码；只在一个部门有导入权限时可不填',
      example: model.department(list.department)?.name ?? '',
    },
    { header: '决定文书号', target: { kind: 'decisionNo' }, required: false, note: '最多 100 字', example: '示〔2026〕1号' },
    { header: '决定日期', target: { kind: 'decisionDate' }, required: false, note: '日期，格式 YYYY-MM-DD；按历史公示导入时必填', example: '2026-01-15' },
    { header: '认定日期', target: { kind: 'recognisedAt' }, required: false, note: '仅按历史公示导入时使用，默认同决定日期', example: '' },
    { header: '公示日期', target: { kind: 'publishedAt' }, required: false, note: '仅按历史公示导入时使用，必填', example: '' },
  ];
  for (const f of list.fields) {
    if (f.type === 'document') {
      for (const part of ['number', 'date', 'title'] as const) {
        cols.push({
          header: `${f.label}（${docParts[part]}）`,
          target: { kind: 'document', field: f, part },
          required: !!f.required,
          note: part === 'date' ? '日期，格式 YYYY-MM-DD' : part === 'number' ? '文号，最多 100 字' : '标题，最多 200 字',
          example: part === 'date' ? '2026-01-10' : part === 'number' ? '示〔2026〕1号' : `${f.label}`,
        });
      }
      continue;
    }
    cols.push({
      header: f.label,
      target: { kind: 'field', field: f },
      required: !!f.required,
      ...(f.type === 'enum' || f.type === 'boolean' ? { options: f.type === 'boolean' ? [booleanLabels.yes, booleanLabels.no] : (f.options ?? []) } : {}),
      note: fieldNote(f) + (f.help ? `。${f.help}` : ''),
      example: fieldExample(f),
    });
  }
  return cols;
}
