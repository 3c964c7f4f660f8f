/**
 * Joint reward and punishment statistics (联合奖惩统计) per month and
 * department, the monthly report the office sends upwards (seed 004 item
 * 十: 按月报送联合奖惩统计数据). Months are civil months in the platform time
 * zone: objections, repairs, checks and feedback are bucketed with
 * date_trunc('month', at at time zone tz); entries (the big table) with
 * width_bucket between the month starts computed the same way, which gives
 * the same months without time zone arithmetic per row.
 *
 * Counted from the stored dates, by the month the act happened in:
 *   added          entries created (entries.created_at)
 *   recognised     entries recognised (recognised_at)
 *   published      entries first published (published_at)
 *   exited         entries that left the list (exited_at), by exit_reason:
 *                  expired (automatic at term end), term-end (manual at term
 *                  end), early (early exit, any condition), repaired (信用修复),
 *                  revoked (撤销认定); repaired and revoked are also shown as
 *                  their own columns. An exit undone by reinstatement no
 *                  longer counts (its exited_at is cleared).
 *   objections / repairs received and answered (received_at / answered_at,
 *                  applied_at / decided_at), by the entry's department
 *   checks         check-before-act requests by business systems, and
 *   measuresApplied / measureItems
 *                  their feedback (measures_applied): reports, and measures in
 *                  them, by the department of the business system's API key.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { RuntimeModel } from '../config/compile.ts';
import { queryRows } from '../db/client.ts';
import type { Scope } from '../http/env.ts';
import { AppError } from '../http/errors.ts';
import type { ReportDeps } from './assessment.ts';
import { addMonthKey, monthsBetween, parseMonth } from './period.ts';

export const counterKeys = [
  'added',
  'recognised',
  'published',
  'exited',
  'exitedExpired',
  'exitedTermEnd',
  'exitedEarly',
  'repaired',
  'revoked',
  'objectionsReceived',
  'objectionsAnswered',
  'repairsReceived',
  'repairsAnswered',
  'checks',
  'measuresApplied',
  'measureItems',
] as const;
export type CounterKey = (typeof counterKeys)[number];
export type Counters = Record<CounterKey, number>;

/** Chinese column headers, in the order of counterKeys. */
export const counterLabels: Record<CounterKey, string> = {
  added: '新增条目',
  recognised: '认定',
  published: '公示',
  exited: '移出合计',
  exitedExpired: '期满自动移出',
  exitedTermEnd: '期满办理移出',
  exitedEarly: '提前移出',
  repaired: '信用修复移出',
  revoked: '撤销认定',
  objectionsReceived: '异议受理',
  objectionsAnswered: '异议答复',
  repairsReceived: '修复申请受理',
  repairsAnswered: '修复申请办结',
  checks: '联合奖惩核查',
  measuresApplied: '措施实施反馈',
  measureItems: '反馈措施项数',
};

const zero = (): Counters => Object.fromEntries(counterKeys.map((k) => [k, 0])) as Counters;

export type StatisticsQuery = { from?: string | undefined; to?: string | undefined; department?: string | undefined };

export type StatisticsReport = {
  from: string;
  to: string;
  months: string[];
  departments: { code: string; name: string }[];
  /** One row per month and department with anything to count. */
  rows: ({ month: string; department: string; name: string } & Counters)[];
  /** Per month over the departments shown (the trend), every month present. */
  trend: ({ month: string } & Counters)[];
  /** Per department over the whole range, every department shown present. */
  byDepartment: ({ department: string; name: string } & Counters)[];
  total: Counters;
  labels: Record<CounterKey, string>;
};

export const MAX_MONTHS = 60;

function departmentsShown(model: RuntimeModel, scope: Scope, department: string | undefined): string[] {
  const all = model.departments.map((d) => d.code);
  const visible = scope === 'all' ? all : all.filter((d) => scope.includes(d));
  if (department === undefined || department === '') return visible;
  const wanted = department.split(',').map((d) => d.trim()).filter(Boolean);
  for (const d of wanted) {
    if (!model.department(d)) throw new AppError(422, 'UNKNOWN_DEPARTMENT', `部门“${d}”不存在`, `unknown department "${d}"`, [{ path: 'department', message: '部门不存在' }]);
    if (!visible.includes(d)) throw new AppError(403, 'FORBIDDEN', `没有权限查看部门“${d}”的统计`, `forbidden: statistics of department "${d}"`);
  }
  return visible.filter((d) => wanted.includes(d));
}

export async function statisticsReport(deps: ReportDeps, query: StatisticsQuery, scope: Scope): Promise<StatisticsReport> {
  const { model, clock } = deps;
  const tz = clock.timeZone;
  const to = query.to ? parseMonth(query.to, 'to') : clock.today().slice(0, 7);
  const from = query.from ? parseMonth(query.from, 'from') : addMonthKey(to, -11);
  if (from > to) throw new AppError(422, 'INVALID_RANGE', '起始月份不能晚于截止月份', '`from` is after `to`', [{ path: 'from', message: '不能晚于 to' }]);
  const months = monthsBetween(from, to);
  if (months.length > MAX_MONTHS) throw new AppError(422, 'RANGE_TOO_LONG', `统计区间最长 ${MAX_MONTHS} 个月`, `at most ${MAX_MONTHS} months`, [{ path: 'from', message: `最长 ${MAX_MONTHS} 个月` }]);
  const depts = departmentsShown(model, scope, query.department);

  const lo = sql`(${`${from}-01`}::timestamp at time zone ${tz})`;
  const hi = sql`(${`${addMonthKey(to, 1)}-01`}::timestamp at time zone ${tz})`;
  const month = (col: SQL) => sql`to_char(date_trunc('month', ${col} at time zone ${tz}), 'YYYY-MM')`;
  /** The start of every month shown and of the month after, as instants (Beijing midnight). */
  const bounds = sql`array[${sql.join([...months, addMonthKey(to, 1)].map((m) => sql`(${`${m}-01`}::timestamp at time zone ${tz})`), sql`, `)}]::timestamptz[]`;
  const inDepts = (col: SQL) => (depts.length ? sql`${col} in (${sql.join(depts.map((d) => sql`${d}`), sql`, `)})` : sql`false`);
  type Row = { month: string; department: string; kind: string; n: number; items?: number };

  const [entryRows, objectionRows, repairRows, checkRows] = await Promise.all([
    // One pass over entries: each row's four dates are put in month buckets (width_bucket over the
    // Beijing month starts, no per-row time zone arithmetic), rows are counted per bucket
    // combination, and only those few thousand groups are unfolded into (month, kind) counts.
    queryRows<Row & { bucket: number }>(
      deps.db,
      sql`select v.bucket, g.department, v.kind, sum(g.n)::int as n
            from (select e.department, e.exit_reason,
                         width_bucket(e.created_at, ${bounds}) as bc, width_bucket(e.recognised_at, ${bounds}) as br,
                         width_bucket(e.published_at, ${bounds}) as bp, width_bucket(e.exited_at, ${bounds}) as bx,
                         count(*) as n
                    from entries e
                   where e.created_at < ${hi} and ${inDepts(sql`e.department`)}
                   group by 1, 2, 3, 4, 5, 6) g
            cross join lateral (values ('added', g.bc), ('recognised', g.br), ('published', g.bp),
                                       ('exit:' || coalesce(g.exit_reason, ''), g.bx)) as v(kind, bucket)
           where v.bucket between 1 and ${months.length}
           group by 1, 2, 3`,
    ).then((rows) => rows.map((r) => ({ ...r, month: months[Number(r.bucket) - 1]! }))),
    queryRows<Row>(
      deps.db,
      sql`select ${month(sql`v.at`)} as month, e.department, v.kind, count(*)::int as n
            from objections o
            join entries e on e.id = o.entry_id
            cross join lateral (values ('objectionsReceived', o.received_at), ('objectionsAnswered', o.answered_at)) as v(kind, at)
           where v.at >= ${lo} and v.at < ${hi} and ${inDepts(sql`e.department`)}
           group by 1, 2, 3`,
    ),
    queryRows<Row>(
      deps.db,
      sql`select ${month(sql`v.at`)} as month, e.department, v.kind, count(*)::int as n
            from repairs r
            join entries e on e.id = r.entry_id
            cross join lateral (values ('repairsReceived', r.applied_at), ('repairsAnswered', r.decided_at)) as v(kind, at)
           where v.at >= ${lo} and v.at < ${hi} and ${inDepts(sql`e.department`)}
           group by 1, 2, 3`,
    ),
    queryRows<Row>(
      deps.db,
      sql`select ${month(sql`c.at`)} as month, k.department, 'checks' as kind, count(*)::int as n, 0 as items
            from checks c join api_keys k on k.id = c.api_key_id
           where c.at >= ${lo} and c.at < ${hi} and ${inDepts(sql`k.department`)}
           group by 1, 2
          union all
          select ${month(sql`m.at`)} as month, k.department, 'measuresApplied' as kind, count(*)::int as n,
                 coalesce(sum(cardinality(m.measures)), 0)::int as items
            from measures_applied m join checks c on c.id = m.check_id join api_keys k on k.id = c.api_key_id
           where m.at >= ${lo} and m.at < ${hi} and ${inDepts(sql`k.department`)}
           group by 1, 2`,
    ),
  ]);

  const cells = new Map<string, Counters>();
  const cell = (m: string, d: string) => {
    const key = `${m}|${d}`;
    let c = cells.get(key);
    if (!c) {
      c = zero();
      cells.set(key, c);
    }
    return c;
  };
  for (const r of [...entryRows, ...objectionRows, ...repairRows, ...checkRows]) {
    const c = cell(r.month, r.department);
    const n = Number(r.n);
    if (r.kind.startsWith('exit:')) {
      const reason = r.kind.slice(5);
      c.exited += n;
      if (reason === 'expired') c.exitedExpired += n;
      else if (reason === 'term-end') c.exitedTermEnd += n;
      else if (reason.startsWith('early')) c.exitedEarly += n;
      else if (reason === 'repaired') c.repaired += n;
      else if (reason === 'revoked') c.revoked += n;
    } else if (r.kind === 'measuresApplied') {
      c.measuresApplied += n;
      c.measureItems += Number(r.items ?? 0);
    } else {
      c[r.kind as CounterKey] += n;
    }
  }

  const name = (code: string) => model.department(code)?.name ?? code;
  const add = (into: Counters, c: Counters) => {
    for (const k of counterKeys) into[k] += c[k];
  };
  const rows: StatisticsReport['rows'] = [];
  const trend = months.map((m) => ({ month: m, ...zero() }));
  const byDepartment = depts.map((d) => ({ department: d, name: name(d), ...zero() }));
  const total = zero();
  for (const [i, m] of months.entries()) {
    for (const [j, d] of depts.entries()) {
      const c = cells.get(`${m}|${d}`);
      if (!c) continue;
      rows.push({ month: m, department: d, name: name(d), ...c });
      add(trend[i]!, c);
      add(byDepartment[j]!, c);
      add(total, c);
    }
  }
  return { from, to, months, departments: depts.map((d) => ({ code: d, name: name(d) })), rows, trend, byDepartment, total, labels: counterLabels };
}
