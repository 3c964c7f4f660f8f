/**
 * Department assessment (监测考核): per department and period, each
 * indicator's value, numerator, denominator and points, the manual
 * adjustments (加减分) beside them, the total and the rank.
 *
 * Rules (shown in the report as `rules`):
 * - points = weight × share of the scoring rule, rounded to 2 decimals
 *   (scoring.ts); total = the sum of the rounded points plus every adjustment,
 *   so the figures printed add up. Totals are not clamped: bonus points may
 *   lift a total above total_points.
 * - zero denominator → full points and a note (nothing to assess is not a
 *   failure).
 * - ties share a rank (1, 1, 3).
 * - every department of departments.yaml is ranked.
 * - what counts in a period, and what is on time: indicators.ts.
 *
 * The SQL runs one aggregate per indicator (GROUP BY department), all at once;
 * JavaScript only scores the (department × indicator) numbers.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import type { RuntimeModel } from '../config/compile.ts';
import { formatPeriod } from '../config/periods.ts';
import { type Db, queryRows } from '../db/client.ts';
import { assessmentAdjustments, users } from '../db/schema.ts';
import type { Scope } from '../http/env.ts';
import { AppError, issueDetails } from '../http/errors.ts';
import type { Calendar } from '../procedures/calendar.ts';
import type { Clock } from '../procedures/clock.ts';
import { inScope } from './access.ts';
import { aggregate, DEFAULT_GRACE_DAYS, failing, type IndicatorConfig, indicatorLists, numberParam, type PopulationRow, type QueryContext } from './indicators.ts';
import { parsePeriod, type ReportPeriod } from './period.ts';
import { rank, round2, score } from './scoring.ts';

export type ReportDeps = { db: Db; model: RuntimeModel; clock: Clock; calendar: Calendar };

export const kindLabels: Record<IndicatorConfig['kind'], { zh: string; en: string }> = {
  'double-publicity-on-time': { zh: '双公示按时公示', en: 'Double publicity on time' },
  'entries-published-on-time': { zh: '名单信息按时公示', en: 'Entries published on time' },
  'catalogue-coverage': { zh: '目录覆盖（应归尽归）', en: 'Catalogue coverage' },
  'objections-answered-on-time': { zh: '异议按时答复', en: 'Objections answered on time' },
  'repairs-decided-on-time': { zh: '信用修复按时办结', en: 'Repairs decided on time' },
  'expired-exited-on-time': { zh: '期满按时移出', en: 'Expired entries exited on time' },
  'code-validity': { zh: '代码校验正确', en: 'Identifier validity' },
  'lookups-before-action': { zh: '核查后反馈（应查尽查）', en: 'Lookups before action' },
  'plan-tasks-on-time': { zh: '任务按期完成', en: 'Plan tasks on time' },
};

/** What the numerator and the denominator count, per kind (for readers and the export). */
export const kindDefinitions: Record<IndicatorConfig['kind'], string> = {
  'double-publicity-on-time': '按时公示的行政许可、行政处罚信息数 ÷ 本期应公示数（应公示日期在本期内）',
  'entries-published-on-time': '按时公示的名单条目数 ÷ 本期应公示数（应公示日期在本期内）',
  'catalogue-coverage': '本期有归集记录的目录信息类型数 ÷ 目录要求该部门归集的信息类型数',
  'objections-answered-on-time': '按时答复的异议数 ÷ 本期应答复数（答复期限在本期内）',
  'repairs-decided-on-time': '按时办结的信用修复申请数 ÷ 本期应办结数（办结期限在本期内）',
  'expired-exited-on-time': '期满后按时移出的条目数 ÷ 本期应移出数（期满日加宽限期在本期内）',
  'code-validity': '统一社会信用代码或身份证号码校验正确的主体数 ÷ 本期新录入条目涉及的主体数',
  'lookups-before-action': '已反馈措施实施情况的核查数 ÷ 本部门业务系统本期核查数',
  'plan-tasks-on-time': '按期报送完成的牵头任务数 ÷ 本期到期的牵头任务数',
};

export const assessmentRules = [
  '得分 = 权重 × 得分比例（线性：低于零分点得 0 分、达到满分点得满分，中间按比例；阶梯：取达到的最高档），保留两位小数。',
  '本期无考核事项（分母为 0）的指标按满分计，并注明“本期无考核事项”。',
  '事项按期限所在期间归属；期限未到且尚未办结的事项不计入；期限已过仍未办结的按逾期计。期限当日办结视为按时。',
  '总分 = 各指标得分之和 + 加减分；总分相同的部门名次相同。',
  '日期均按平台时区（北京时间）计算；工作日期限已在办理时按工作日历（含调休）计算并保存。',
];

export type IndicatorResult = {
  id: string;
  name: string;
  kind: IndicatorConfig['kind'];
  group: 'common' | 'specific';
  weight: number;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator (6 decimals); null when there is nothing to assess. */
  value: number | null;
  share: number;
  points: number;
  /** Sum of the adjustments made to this indicator. */
  adjustment: number;
  note: string | null;
};

export type AdjustmentView = {
  id: string;
  period: string;
  department: string;
  indicator: string | null;
  indicatorName: string | null;
  points: number;
  reason: string;
  createdBy: string | null;
  createdAt: string;
};

export type DepartmentResult = {
  department: string;
  name: string;
  rank: number;
  /** Sum of the indicators' points. */
  computed: number;
  /** Sum of all adjustments (per indicator and for the department as a whole). */
  adjustment: number;
  total: number;
  indicators: IndicatorResult[];
  adjustments: AdjustmentView[];
};

export type AssessmentReport = {
  period: Pick<ReportPeriod, 'key' | 'kind' | 'start' | 'last' | 'label'>;
  asOf: string;
  totalPoints: number;
  indicators: { id: string; name: string; nameEn: string | null; kind: string; kindLabel: string; definition: string; group: string; weight: number; scoring: unknown; params: unknown; notes: string[] }[];
  /** Departments in the caller's scope, with every figure, in rank order. */
  departments: DepartmentResult[];
  /** Every department's total and rank. */
  ranking: { rank: number; department: string; name: string; total: number }[];
  /** The departments whose details the caller sees: 'all', or their own. */
  scope: Scope;
  rules: string[];
};

function context(deps: ReportDeps, period: ReportPeriod): QueryContext {
  return { model: deps.model, timeZone: deps.clock.timeZone, today: deps.clock.today(), period };
}

/** Notes on an indicator's configuration, e.g. a list whose own publication period differs from params.working_days. */
function indicatorNotes(model: RuntimeModel, ind: IndicatorConfig): string[] {
  const notes: string[] = [];
  if (ind.kind === 'double-publicity-on-time' || ind.kind === 'entries-published-on-time') {
    const wd = ind.params.working_days;
    for (const id of indicatorLists(model, ind)) {
      const list = model.list(id);
      if (!list) continue;
      const within = list.procedure.publish.within;
      if (typeof wd === 'number' && within.working_days !== wd) {
        notes.push(`“${list.name}”的公示期限为${formatPeriod(within)}，与指标参数（${wd}个工作日）不一致；按该名单办理时保存的应公示日期计算。`);
      }
    }
  }
  if (ind.kind === 'expired-exited-on-time') {
    notes.push(`期满日后 ${numberParam(ind, 'grace_days', DEFAULT_GRACE_DAYS)} 日内移出视为按时。`);
  }
  return notes;
}

async function adjustmentsOf(deps: ReportDeps, period: string): Promise<AdjustmentView[]> {
  const rows = await deps.db
    .select({ a: assessmentAdjustments, by: users.displayName })
    .from(assessmentAdjustments)
    .leftJoin(users, eq(users.id, assessmentAdjustments.createdBy))
    .where(eq(assessmentAdjustments.period, period))
    .orderBy(asc(assessmentAdjustments.createdAt), asc(assessmentAdjustments.id));
  const names = new Map(deps.model.assessment.indicators.map((i) => [i.id, i.name]));
  return rows.map(({ a, by }) => ({
    id: a.id,
    period: a.period,
    department: a.department,
    indicator: a.indicator,
    indicatorName: a.indicator ? (names.get(a.indicator) ?? a.indicator) : null,
    points: Number(a.points),
    reason: a.reason,
    createdBy: by ?? null,
    createdAt: a.createdAt.toISOString(),
  }));
}

/** Numerator and denominator of every indicator for every department: one GROUP BY query per indicator, run together. */
export async function indicatorCounts(deps: ReportDeps, period: ReportPeriod): Promise<Map<string, Map<string, { num: number; den: number }>>> {
  const ctx = context(deps, period);
  const results = await Promise.all(
    deps.model.assessment.indicators.map((ind) => queryRows<{ department: string; num: number; den: number }>(deps.db, aggregate(ctx, ind))),
  );
  const out = new Map<string, Map<string, { num: number; den: number }>>();
  deps.model.assessment.indicators.forEach((ind, i) => {
    out.set(ind.id, new Map((results[i] ?? []).map((r) => [r.department, { num: Number(r.num), den: Number(r.den) }])));
  });
  return out;
}

export async function assessmentReport(deps: ReportDeps, periodKey: string, scope: Scope): Promise<AssessmentReport> {
  const { model } = deps;
  const period = parsePeriod(periodKey);
  const [counts, adjustments] = await Promise.all([indicatorCounts(deps, period), adjustmentsOf(deps, period.key)]);
  const catalogued = new Set(model.assessment.catalogue.map((c) => c.department));

  const all: DepartmentResult[] = model.departments.map((d) => {
    const own = adjustments.filter((a) => a.department === d.code);
    const indicators = model.assessment.indicators.map((ind): IndicatorResult => {
      const c = counts.get(ind.id)?.get(d.code) ?? { num: 0, den: 0 };
      const s = score(ind.scoring, ind.weight, c.num, c.den);
      let note: string | null = null;
      if (s.full) {
        note = ind.kind === 'catalogue-coverage' && !catalogued.has(d.code) ? '未列入公共信用信息目录，本项按满分计' : '本期无考核事项，按满分计';
      }
      return {
        id: ind.id,
        name: ind.name,
        kind: ind.kind,
        group: ind.group,
        weight: ind.weight,
        numerator: c.num,
        denominator: c.den,
        value: s.value,
        share: s.share,
        points: s.points,
        adjustment: round2(own.filter((a) => a.indicator === ind.id).reduce((n, a) => n + a.points, 0)),
        note,
      };
    });
    const computed = round2(indicators.reduce((n, i) => n + i.points, 0));
    const adjustment = round2(own.reduce((n, a) => n + a.points, 0));
    return { department: d.code, name: d.name, rank: 0, computed, adjustment, total: round2(computed + adjustment), indicators, adjustments: own };
  });
  const ranks = rank(all);
  for (const r of all) r.rank = ranks.get(r) ?? 0;
  const order = [...all].sort((a, b) => a.rank - b.rank || model.departments.findIndex((d) => d.code === a.department) - model.departments.findIndex((d) => d.code === b.department));

  return {
    period: { key: period.key, kind: period.kind, start: period.start, last: period.last, label: period.label },
    asOf: deps.clock.today(),
    totalPoints: model.assessment.total_points,
    indicators: model.assessment.indicators.map((ind) => ({
      id: ind.id,
      name: ind.name,
      nameEn: ind.name_en ?? null,
      kind: ind.kind,
      kindLabel: kindLabels[ind.kind].zh,
      definition: kindDefinitions[ind.kind],
      group: ind.group,
      weight: ind.weight,
      scoring: ind.scoring,
      params: ind.params,
      notes: indicatorNotes(model, ind),
    })),
    departments: order.filter((r) => inScope(scope, r.department)),
    ranking: order.map((r) => ({ rank: r.rank, department: r.department, name: r.name, total: r.total })),
    scope,
    rules: assessmentRules,
  };
}

// ---------------------------------------------------------------- drill-down

export const DRILL_LIMIT = 1000;

const itemStatus = (kind: IndicatorConfig['kind'], row: PopulationRow): { status: string; label: string } => {
  switch (kind) {
    case 'catalogue-coverage':
      return { status: 'missing', label: '本期未归集' };
    case 'code-validity':
      return { status: 'invalid', label: '代码校验未通过' };
    case 'lookups-before-action':
      return { status: 'no-feedback', label: '未反馈措施实施情况' };
    default:
      return row.done ? { status: 'late', label: '逾期办结' } : { status: 'overdue', label: '逾期未办结' };
  }
};

export type DrillItem = {
  itemId: string;
  entryId: string | null;
  listId: string | null;
  listName: string | null;
  subjectName: string | null;
  subjectCode: string | null;
  startDate: string | null;
  due: string | null;
  done: string | null;
  /** Working days after the due date (until done, or until today when not done); null without a due date. */
  workingDaysLate: number | null;
  status: string;
  statusLabel: string;
  note: string | null;
};

export async function assessmentItems(deps: ReportDeps, periodKey: string, department: string, indicatorId: string) {
  const { model, calendar } = deps;
  const period = parsePeriod(periodKey);
  const ind = model.assessment.indicators.find((i) => i.id === indicatorId);
  if (!ind) throw new AppError(404, 'INDICATOR_NOT_FOUND', `考核指标“${indicatorId}”不存在`, `unknown indicator "${indicatorId}"`);
  const dept = model.department(department);
  if (!dept) throw new AppError(404, 'DEPARTMENT_NOT_FOUND', `部门“${department}”不存在`, `unknown department "${department}"`);
  const ctx = context(deps, period);
  const [rows, counts] = await Promise.all([
    queryRows<PopulationRow & { total: number }>(deps.db, failing(ctx, ind, department, DRILL_LIMIT)),
    queryRows<{ department: string; num: number; den: number }>(deps.db, sql`select * from (${aggregate(ctx, ind)}) a where a.department = ${department}`),
  ]);
  const c = counts[0] ?? { num: 0, den: 0 };
  const s = score(ind.scoring, ind.weight, Number(c.num), Number(c.den));
  const today = ctx.today;
  const plans = new Map(model.plans.map((p) => [p.id, p.title]));
  const items: DrillItem[] = rows.map((r) => {
    const st = itemStatus(ind.kind, r);
    const listName = ind.kind === 'plan-tasks-on-time' ? (plans.get(r.list_id ?? '') ?? r.list_id) : r.list_id ? (model.list(r.list_id)?.name ?? r.list_id) : null;
    return {
      itemId: r.item_id,
      entryId: r.entry_id,
      listId: r.list_id,
      listName,
      subjectName: r.subject_name,
      subjectCode: r.subject_code,
      startDate: r.start_date,
      due: r.due,
      done: r.done,
      workingDaysLate: r.due ? calendar.workingDaysBetween(r.due, r.done ?? today) : null,
      status: st.status,
      statusLabel: st.label,
      note: r.note,
    };
  });
  return {
    period: { key: period.key, label: period.label, start: period.start, last: period.last },
    asOf: today,
    department: { code: dept.code, name: dept.name },
    indicator: { id: ind.id, name: ind.name, kind: ind.kind, definition: kindDefinitions[ind.kind], weight: ind.weight },
    numerator: Number(c.num),
    denominator: Number(c.den),
    value: s.value,
    points: s.points,
    /** Failing items in all (the list is cut at `limit`). */
    total: rows[0] ? Number(rows[0].total) : 0,
    limit: DRILL_LIMIT,
    items,
  };
}

// ---------------------------------------------------------------- adjustments

export const AdjustmentInput = z.strictObject({
  period: z.string().trim().min(4).max(7),
  department: z.string().trim().min(1).max(64),
  indicator: z.string().trim().min(1).max(64).nullable().optional(),
  points: z
    .number()
    .finite()
    .refine((n) => n !== 0, { message: '加减分不能为 0' })
    .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, { message: '最多保留两位小数' }),
  reason: z.string().trim().min(2, { message: '请填写加减分理由（至少 2 个字）' }).max(2000),
});

export async function addAdjustment(deps: ReportDeps, principal: Principal, body: unknown): Promise<AdjustmentView> {
  const { model, clock } = deps;
  const parsed = AdjustmentInput.safeParse(body);
  if (!parsed.success) throw new AppError(422, 'VALIDATION_FAILED', '提交的内容不符合要求', 'invalid request body', issueDetails(parsed.error.issues));
  const input = parsed.data;
  const period = parsePeriod(input.period, 'period');
  const dept = model.department(input.department);
  if (!dept) {
    throw new AppError(422, 'UNKNOWN_DEPARTMENT', `部门“${input.department}”不存在`, `unknown department "${input.department}"`, [{ path: 'department', message: '部门不存在' }]);
  }
  const ind = input.indicator ? model.assessment.indicators.find((i) => i.id === input.indicator) : undefined;
  if (input.indicator && !ind) {
    throw new AppError(422, 'UNKNOWN_INDICATOR', `考核指标“${input.indicator}”不存在`, `unknown indicator "${input.indicator}"`, [
      { path: 'indicator', message: `可选：${model.assessment.indicators.map((i) => i.id).join('、')}` },
    ]);
  }
  const limit = model.assessment.total_points;
  if (Math.abs(input.points) > limit) {
    throw new AppError(422, 'POINTS_OUT_OF_RANGE', `加减分不能超过总分 ${limit} 分`, `points must be within ±${limit}`, [{ path: 'points', message: `不超过 ±${limit}` }]);
  }
  const points = round2(input.points);
  const now = clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const [r] = await tx
      .insert(assessmentAdjustments)
      .values({ period: period.key, department: dept.code, indicator: ind?.id ?? null, points, reason: input.reason, createdBy: principal.id, createdAt: now })
      .returning();
    if (!r) throw new Error('insert returned no row');
    await appendAudit(tx, {
      chain: `assessment:${period.key}`,
      actor: { kind: 'user', id: principal.id, name: principal.name },
      action: 'assessment.adjust',
      targetType: 'assessment_adjustment',
      targetId: r.id,
      before: null,
      after: { period: period.key, department: dept.code, indicator: ind?.id ?? null, points, reason: input.reason },
      at: now,
    });
    return r;
  });
  return {
    id: row.id,
    period: row.period,
    department: row.department,
    indicator: row.indicator,
    indicatorName: ind?.name ?? null,
    points: Number(row.points),
    reason: row.reason,
    createdBy: principal.name,
    createdAt: row.createdAt.toISOString(),
  };
}
