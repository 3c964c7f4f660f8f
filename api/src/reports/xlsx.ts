/**
 * Excel exports (exceljs) of the assessment, the statistics and the plan
 * bulletin: Chinese headers, one sheet per table, numbers as numbers (rates
 * as fractions with a percent format), and the rules on a sheet of their own
 * so a printed copy explains itself.
 */
import ExcelJS from 'exceljs';
import type { AssessmentReport } from './assessment.ts';
import { type CounterKey, counterKeys, counterLabels, type StatisticsReport } from './statistics.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Column = { header: string; key: string; width?: number; numFmt?: string };

function addSheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: Record<string, unknown>[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  for (const r of rows) ws.addRow(r);
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  columns.forEach((c, i) => {
    if (c.numFmt) ws.getColumn(i + 1).numFmt = c.numFmt;
  });
  return ws;
}

function workbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '信用名单管理平台';
  // A fixed timestamp keeps the file free of the process clock; the report says its own date.
  wb.created = new Date(0);
  wb.modified = new Date(0);
  return wb;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Reads a workbook back (used by the tests, which compare an export with the JSON). */
export async function readWorkbook(data: ArrayBuffer | Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  return wb;
}

/** A sheet as an array of objects keyed by its header row. */
export function sheetRows(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const headers: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    headers[col] = String(cell.value ?? '');
  });
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const o: Record<string, unknown> = {};
    headers.forEach((h, col) => {
      if (h) o[h] = row.getCell(col).value ?? null;
    });
    out.push(o);
  });
  return out;
}

// ---------------------------------------------------------------- assessment

export const assessmentHeaders = {
  rank: '名次',
  code: '部门代码',
  name: '部门',
  computed: '指标得分合计',
  adjustment: '加减分',
  total: '总分',
} as const;

export async function assessmentXlsx(report: AssessmentReport): Promise<Uint8Array> {
  const wb = workbook();
  const indicatorColumns: Column[] = report.indicators.map((i) => ({ header: `${i.name}（${i.weight}分）`, key: `i:${i.id}`, width: 16, numFmt: '0.00' }));
  addSheet(
    wb,
    '考核得分',
    [
      { header: assessmentHeaders.rank, key: 'rank', width: 6 },
      { header: assessmentHeaders.code, key: 'code', width: 10 },
      { header: assessmentHeaders.name, key: 'name', width: 28 },
      ...indicatorColumns,
      { header: assessmentHeaders.computed, key: 'computed', numFmt: '0.00' },
      { header: assessmentHeaders.adjustment, key: 'adjustment', numFmt: '0.00' },
      { header: assessmentHeaders.total, key: 'total', numFmt: '0.00' },
    ],
    report.departments.map((d) => ({
      rank: d.rank,
      code: d.department,
      name: d.name,
      computed: d.computed,
      adjustment: d.adjustment,
      total: d.total,
      ...Object.fromEntries(d.indicators.map((i) => [`i:${i.id}`, i.points])),
    })),
  );
  addSheet(
    wb,
    '总分排名',
    [
      { header: assessmentHeaders.rank, key: 'rank', width: 6 },
      { header: assessmentHeaders.code, key: 'department', width: 10 },
      { header: assessmentHeaders.name, key: 'name', width: 28 },
      { header: assessmentHeaders.total, key: 'total', numFmt: '0.00' },
    ],
    report.ranking,
  );
  addSheet(
    wb,
    '指标明细',
    [
      { header: '部门代码', key: 'code', width: 10 },
      { header: '部门', key: 'name', width: 28 },
      { header: '指标编号', key: 'id', width: 18 },
      { header: '指标', key: 'indicator', width: 30 },
      { header: '类别', key: 'group', width: 8 },
      { header: '权重', key: 'weight', width: 8 },
      { header: '分子', key: 'numerator', width: 8 },
      { header: '分母', key: 'denominator', width: 8 },
      { header: '数值', key: 'value', width: 10, numFmt: '0.00%' },
      { header: '得分', key: 'points', width: 10, numFmt: '0.00' },
      { header: '加减分', key: 'adjustment', width: 10, numFmt: '0.00' },
      { header: '说明', key: 'note', width: 30 },
    ],
    report.departments.flatMap((d) =>
      d.indicators.map((i) => ({
        code: d.department,
        name: d.name,
        id: i.id,
        indicator: i.name,
        group: i.group === 'common' ? '共性' : '个性',
        weight: i.weight,
        numerator: i.numerator,
        denominator: i.denominator,
        value: i.value,
        points: i.points,
        adjustment: i.adjustment,
        note: i.note,
      })),
    ),
  );
  addSheet(
    wb,
    '加减分',
    [
      { header: '部门代码', key: 'department', width: 10 },
      { header: '部门', key: 'name', width: 28 },
      { header: '指标', key: 'indicator', width: 30 },
      { header: '分值', key: 'points', width: 8, numFmt: '0.00' },
      { header: '理由', key: 'reason', width: 50 },
      { header: '登记人', key: 'createdBy', width: 14 },
      { header: '登记时间', key: 'createdAt', width: 24 },
    ],
    report.departments.flatMap((d) => d.adjustments.map((a) => ({ ...a, name: d.name, indicator: a.indicatorName ?? '（部门总分）' }))),
  );
  addSheet(
    wb,
    '说明',
    [
      { header: '项目', key: 'k', width: 24 },
      { header: '内容', key: 'v', width: 100 },
    ],
    [
      { k: '考核期间', v: `${report.period.label}（${report.period.start} 至 ${report.period.last}）` },
      { k: '统计截止日', v: report.asOf },
      { k: '满分', v: report.totalPoints },
      ...report.indicators.map((i) => ({ k: `${i.name}（${i.weight}分）`, v: [i.definition, ...i.notes].join(' ') })),
      ...report.rules.map((r, n) => ({ k: `规则${n + 1}`, v: r })),
    ],
  );
  return toBuffer(wb);
}

// ---------------------------------------------------------------- statistics

const counterColumns = (): Column[] => counterKeys.map((k: CounterKey) => ({ header: counterLabels[k], key: k, width: 12 }));

export async function statisticsXlsx(report: StatisticsReport): Promise<Uint8Array> {
  const wb = workbook();
  addSheet(wb, '按月按部门', [{ header: '月份', key: 'month', width: 10 }, { header: '部门代码', key: 'department', width: 10 }, { header: '部门', key: 'name', width: 28 }, ...counterColumns()], report.rows);
  addSheet(wb, '月度趋势', [{ header: '月份', key: 'month', width: 10 }, ...counterColumns()], report.trend);
  addSheet(wb, '部门合计', [{ header: '部门代码', key: 'department', width: 10 }, { header: '部门', key: 'name', width: 28 }, ...counterColumns()], [
    ...report.byDepartment,
    { department: '', name: '合计', ...report.total },
  ]);
  return toBuffer(wb);
}

// ---------------------------------------------------------------- plan bulletin

type Bulletin = {
  plan: { id: string; title: string; issuedBy: string };
  quarter: { key: string; label: string; start: string; last: string };
  asOf: string;
  counts: Record<string, number>;
  units: {
    department: string;
    name: string;
    counts: Record<string, number>;
    tasks: {
      no: string;
      title: string | null;
      text: string;
      roleLabel: string;
      deadline: string;
      deadlineAssumed: boolean;
      statusLabel: string;
      late: boolean;
      latestReport: { text: string; percent: number; reportedOn: string; departmentName: string } | null;
      reportsInQuarter: number;
    }[];
  }[];
};

export async function bulletinXlsx(b: Bulletin): Promise<Uint8Array> {
  const wb = workbook();
  addSheet(
    wb,
    '任务进展通报',
    [
      { header: '单位', key: 'unit', width: 26 },
      { header: '任务编号', key: 'no', width: 8 },
      { header: '任务', key: 'title', width: 40 },
      { header: '角色', key: 'role', width: 6 },
      { header: '完成时限', key: 'deadline', width: 12 },
      { header: '时限为设定', key: 'assumed', width: 10 },
      { header: '状态', key: 'status', width: 8 },
      { header: '逾期完成', key: 'late', width: 8 },
      { header: '最新进展', key: 'report', width: 60 },
      { header: '完成进度', key: 'percent', width: 8 },
      { header: '报送单位', key: 'by', width: 24 },
      { header: '报送日期', key: 'on', width: 12 },
      { header: '本季度报送次数', key: 'n', width: 12 },
    ],
    b.units.flatMap((u) =>
      u.tasks.map((t) => ({
        unit: u.name,
        no: t.no,
        title: t.title ?? t.text,
        role: t.roleLabel,
        deadline: t.deadline,
        assumed: t.deadlineAssumed ? '是' : '否',
        status: t.statusLabel,
        late: t.late ? '是' : '否',
        report: t.latestReport?.text ?? null,
        percent: t.latestReport?.percent ?? null,
        by: t.latestReport?.departmentName ?? null,
        on: t.latestReport?.reportedOn ?? null,
        n: t.reportsInQuarter,
      })),
    ),
  );
  addSheet(
    wb,
    '单位汇总',
    [
      { header: '单位', key: 'name', width: 26 },
      { header: '牵头任务', key: 'total', width: 10 },
      { header: '已完成', key: 'done', width: 8 },
      { header: '推进中', key: 'inProgress', width: 8 },
      { header: '已逾期', key: 'overdue', width: 8 },
      { header: '未启动', key: 'notStarted', width: 8 },
    ],
    b.units.map((u) => ({
      name: u.name,
      total: (u.counts.done ?? 0) + (u.counts['in-progress'] ?? 0) + (u.counts.overdue ?? 0) + (u.counts['not-started'] ?? 0),
      done: u.counts.done ?? 0,
      inProgress: u.counts['in-progress'] ?? 0,
      overdue: u.counts.overdue ?? 0,
      notStarted: u.counts['not-started'] ?? 0,
    })),
  );
  addSheet(
    wb,
    '说明',
    [
      { header: '项目', key: 'k', width: 16 },
      { header: '内容', key: 'v', width: 100 },
    ],
    [
      { k: '方案', v: `${b.plan.title}（${b.plan.issuedBy}）` },
      { k: '通报季度', v: `${b.quarter.label}（${b.quarter.start} 至 ${b.quarter.last}）` },
      { k: '状态截至', v: b.asOf },
    ],
  );
  return toBuffer(wb);
}

/** attachment; filename="<ascii>"; filename*=UTF-8''<RFC 5987 name> */
export function attachmentHeader(name: string, asciiName: string): string {
  const ascii = asciiName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function xlsxHeaders(name: string, asciiName: string): Record<string, string> {
  return { 'content-type': XLSX_MIME, 'content-disposition': attachmentHeader(name, asciiName), 'cache-control': 'private, no-store' };
}
