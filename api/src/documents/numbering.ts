/**
 * Gap-free document numbers per department, year and document type, e.g.
 * 示市监信告〔2026〕7号 (prior notice) and 示市监信认〔2026〕3号 (decision).
 *
 * The counter lives in `doc_sequences` and is advanced with one
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` inside the transaction of the
 * action that uses the number. The row stays locked until that transaction
 * ends: a concurrent action of the same department, year and type waits, and
 * a rolled-back action gives its number back. Numbers therefore have no gaps
 * (at the price of serialising numbered actions of one department and type).
 */
import { sql } from 'drizzle-orm';
import type { RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { docSequences } from '../db/schema.ts';

export const docTypes = ['notice', 'decision'] as const;
export type DocType = (typeof docTypes)[number];

/** The type word of the number: 信告 (信用 + 告知) and 信认 (信用 + 认定). */
export const docTypeWord: Record<DocType, string> = { notice: '信告', decision: '信认' };

/**
 * Advances and returns the counter of (department, year, type): 1 for the
 * first document of the year. Call it with the transaction of the action.
 */
export async function nextDocumentNumber(tx: Db, key: { department: string; year: number; docType: DocType }): Promise<number> {
  if (!Number.isInteger(key.year) || key.year < 1900 || key.year > 9999) throw new RangeError(`invalid document year ${key.year}`);
  const [row] = await tx
    .insert(docSequences)
    .values({ department: key.department, year: key.year, docType: key.docType, lastNo: 1 })
    .onConflictDoUpdate({
      target: [docSequences.department, docSequences.year, docSequences.docType],
      set: { lastNo: sql`${docSequences.lastNo} + 1` },
    })
    .returning({ lastNo: docSequences.lastNo });
  if (!row) throw new Error('doc_sequences upsert returned no row');
  return row.lastNo;
}

/** 示市监信认〔2026〕3号 */
export function formatDocNo(prefix: string, docType: DocType, year: number, n: number): string {
  return `${prefix}${docTypeWord[docType]}〔${year}〕${n}号`;
}

// ---------------------------------------------------------------------------
// The department's short prefix

/** Common short forms of department names (机关简称), applied to the core of the name. */
const shortForms: [string, string][] = [
  ['市场监督管理', '市监'],
  ['发展和改革', '发改'],
  ['人力资源和社会保障', '人社'],
  ['住房和城乡建设', '住建'],
  ['卫生健康', '卫健'],
  ['科学技术', '科技'],
  ['城市管理', '城管'],
  ['工业和信息化', '工信'],
  ['文化和旅游', '文旅'],
  ['文化旅游体育', '文旅体'],
  ['农业农村', '农业'],
  ['生态环境', '环'],
  ['交通运输', '交'],
  ['应急管理', '应急'],
  ['审批服务管理', '审批'],
  ['营商环境建设', '营商'],
  ['自然资源', '自然资源'],
  ['地方金融管理', '金融'],
  ['税务', '税'],
  ['财政', '财'],
  ['公安', '公'],
  ['教育', '教'],
  ['统计', '统'],
  ['商务', '商务'],
  ['司法', '司法'],
  ['民政', '民政'],
  ['大数据', '数据'],
  ['人民政府', '政办'],
  ['中级人民法', '中法'],
  ['人民检察', '检'],
  ['纪律检查', '纪'],
];

/** National bodies whose local office is named after them. */
const nationalBodies: [string, string][] = [
  ['国家金融监督管理总局', '金监'],
  ['中国人民银行', '人行'],
  ['国家税务总局', ''],
];

const orgSuffix = /(监管分局|委员会|办公室|分局|分行|中心|局|委|办|院|部|厅|处)$/;

/**
 * The prefix of a department's document numbers. A `doc_prefix` on the
 * department in departments.yaml wins (the config schema does not declare it
 * yet; see the report). Otherwise it is derived from the name:
 *
 * 1. the first character of the city (示例市 → 示);
 * 2. the department's full name (else its name), without parenthesised notes,
 *    without a leading 中共, and without the city name (示例市 / 示例);
 * 3. a national body at the start becomes its short form (中国人民银行 → 人行,
 *    国家金融监督管理总局 → 金监, 国家税务总局 → dropped: the 税务局 that follows names it);
 * 4. a district or county at the start keeps its first character (东区 → 东);
 * 5. the organisational suffix goes (局, 委员会, 办公室, 中心, 分局 …);
 * 6. the core becomes its common short form (市场监督管理 → 市监, 税务 → 税),
 *    else a name with 和 takes the first character of each part
 *    (发展和改革 → 发改), else its first two characters.
 *
 * 示例市市场监督管理局 → 示市监; 示例市东区市场监督管理局 → 示东市监;
 * 国家税务总局示例市税务局 → 示税; 示例市人力资源和社会保障局 → 示人社.
 * If nothing is left, the department code in capitals stands in.
 */
export function departmentDocPrefix(model: Pick<RuntimeModel, 'platform' | 'department'>, code: string): string {
  const dept = model.department(code) as ({ name: string; full_name?: string; doc_prefix?: string } | undefined);
  if (dept?.doc_prefix) return dept.doc_prefix;
  const city = model.platform.city;
  const cityChar = city.charAt(0);
  if (!dept) return `${cityChar}${code.toUpperCase()}`;
  let rest = (dept.full_name ?? dept.name).replace(/[（(][^）)]*[）)]/g, '').replace(/[\s　]+/g, '');
  rest = rest.replace(/^中共/, '');
  let national = '';
  for (const [body, short] of nationalBodies) {
    if (rest.startsWith(body)) {
      national = short;
      rest = rest.slice(body.length);
      break;
    }
  }
  const cityStem = city.replace(/[市县区]$/, '');
  if (rest.startsWith(city)) rest = rest.slice(city.length);
  else if (cityStem && rest.startsWith(cityStem)) rest = rest.slice(cityStem.length);
  // 市委网信办 → 网信办 once the city is gone.
  rest = rest.replace(/^委(?=.)/, '');
  let district = '';
  const d = /^(.{1,4}?)(区|县|旗)(?=.)/.exec(rest);
  if (d?.[1]) {
    district = d[1].charAt(0);
    rest = rest.slice(d[0].length);
  }
  let core = rest;
  for (let i = 0; i < 2 && orgSuffix.test(core); i++) core = core.replace(orgSuffix, '');
  let short = '';
  const known = shortForms.find(([full]) => core === full || core.startsWith(full));
  if (known) short = known[1];
  else if (core.includes('和')) short = core.split('和').map((p) => p.charAt(0)).join('');
  else short = core.slice(0, 2);
  const prefix = `${district}${national}${short}`;
  return prefix ? `${cityChar}${prefix}` : `${cityChar}${code.toUpperCase()}`;
}

export type AssignedNumber = { number: string; year: number; no: number; department: string; docType: DocType };

/**
 * Takes the next number of the entry's department for a document dated
 * `date` (YYYY-MM-DD; the year of the number is the year of the document) and
 * formats it. Call it inside the action's transaction.
 */
export async function assignNumber(
  tx: Db,
  model: Pick<RuntimeModel, 'platform' | 'department'>,
  req: { department: string; docType: DocType; date: string },
): Promise<AssignedNumber> {
  const year = Number(req.date.slice(0, 4));
  const no = await nextDocumentNumber(tx, { department: req.department, year, docType: req.docType });
  return { number: formatDocNo(departmentDocPrefix(model, req.department), req.docType, year, no), year, no, department: req.department, docType: req.docType };
}
