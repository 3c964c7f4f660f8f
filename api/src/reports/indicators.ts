/**
 * The nine indicator kinds of config/assessment.yaml as SQL. Each kind is ONE
 * population query: the items that count for a department in the period, each
 * with `ok` (on time / valid / covered). The score reads
 *
 *   select department, count(*) filter (where ok), count(*) … group by department
 *
 * over it, and the drill-down reads the same population where not ok, so the
 * number and the items behind it can never disagree. Nothing is looped over in
 * JavaScript: due dates were computed by the working-day calendar when each
 * state was entered and stored (procedures/), so a report only compares a
 * stored due date with the civil date (platform time zone) of the act.
 *
 * Which items belong to a period ("due in the period"): an item counts in the
 * period that contains its due date. An item due in the period that is not
 * done yet counts (as late) only once its due date has passed (due < today);
 * before that it is pending and left out, so a current period is not marked
 * down for work that is still within its time limit. Due dates are inclusive:
 * an act on the due date is on time.
 *
 *   double-publicity-on-time     record types (category 'record', or the
 *                                indicator's `lists`): publish_due in the
 *                                period; on time when published on or before
 *                                publish_due. `params.working_days` documents
 *                                the rule; the due date itself comes from the
 *                                record type's procedure.publish.within.
 *   entries-published-on-time    the same over list types (category 'list').
 *   catalogue-coverage           (应归尽归) each (department, record type) pair
 *                                of assessment.catalogue; covered when the
 *                                department published at least one record of
 *                                that type in the period.
 *   objections-answered-on-time  objections with due_at in the period; on time
 *                                when answered on or before due_at.
 *   repairs-decided-on-time      repair applications with decide_due in the
 *                                period; on time when decided (approved,
 *                                rejected or refused) on or before decide_due.
 *   expired-exited-on-time       published entries still on the list after
 *                                term_end whose exit was due (term_end +
 *                                params.grace_days, default 1 day) in the
 *                                period; on time when exited on or before that
 *                                day. Entries that left before term_end (early
 *                                exit, repair, revocation) are not counted.
 *   code-validity                distinct subjects of the entries a department
 *                                recorded (created) in the period; ok when the
 *                                code passes its checksum (subjects.code_valid).
 *   lookups-before-action        (应查尽查) checks by business systems whose API
 *                                key belongs to the department, in the period
 *                                (optionally only params.matters); ok when the
 *                                system reported back (measures_applied).
 *   plan-tasks-on-time           tasks of params.plans (default every plan)
 *                                whose lead units include the department, with
 *                                the deadline in the period; on time when the
 *                                department filed a 'done' report on or before
 *                                the deadline.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { RuntimeModel } from '../config/compile.ts';
import type { Indicator, indicatorKinds } from '../config/schema.ts';
import type { ReportPeriod } from './period.ts';

export type IndicatorConfig = z.infer<typeof Indicator>;
export type IndicatorKind = (typeof indicatorKinds)[number];

export type QueryContext = {
  model: RuntimeModel;
  timeZone: string;
  /** Today in the platform time zone: pending items are judged against it. */
  today: string;
  period: ReportPeriod;
};

/**
 * Columns of every population row:
 *   department, item_id, entry_id, list_id, subject_name, subject_code,
 *   start_date (decision, receipt, application …), due, done, note, ok
 */
export type PopulationRow = {
  department: string;
  item_id: string;
  entry_id: string | null;
  list_id: string | null;
  subject_name: string | null;
  subject_code: string | null;
  start_date: string | null;
  due: string | null;
  done: string | null;
  note: string | null;
  ok: boolean;
};

const texts = (values: readonly string[]) =>
  values.length ? sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]` : sql`array[]::text[]`;
const inList = (column: SQL, values: readonly string[]) =>
  values.length ? sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})` : sql`false`;

/** An instant: midnight at the start of a civil date in the platform time zone. */
const instant = (ctx: QueryContext, date: string) => sql`(${date}::timestamp at time zone ${ctx.timeZone})`;
/** The civil date (platform time zone) of a timestamptz column, as a date. */
const civil = (ctx: QueryContext, column: SQL) => sql`(${column} at time zone ${ctx.timeZone})::date`;
const civilText = (ctx: QueryContext, column: SQL) => sql`((${column} at time zone ${ctx.timeZone})::date)::text`;

function stringParam(ind: IndicatorConfig, key: string): string[] | undefined {
  const v = ind.params[key];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [String(v)];
}

export function numberParam(ind: IndicatorConfig, key: string, fallback: number): number {
  const v = ind.params[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}

/** The list types an indicator covers: its `lists`, else every list type of the kind's category. */
export function indicatorLists(model: RuntimeModel, ind: IndicatorConfig): string[] {
  if (ind.lists?.length) return [...ind.lists];
  if (ind.kind === 'double-publicity-on-time') return model.lists.filter((l) => l.category === 'record').map((l) => l.id);
  if (ind.kind === 'entries-published-on-time') return model.lists.filter((l) => l.category === 'list').map((l) => l.id);
  return model.lists.map((l) => l.id);
}

/** Only filter by list when the indicator restricts it: a filter over every list would only cost time. */
function listFilter(model: RuntimeModel, ind: IndicatorConfig, column: SQL): SQL {
  if (!ind.lists?.length && !['double-publicity-on-time', 'entries-published-on-time'].includes(ind.kind)) return sql`true`;
  return inList(column, indicatorLists(model, ind));
}

export const DEFAULT_GRACE_DAYS = 1;

export function planTasksOf(model: RuntimeModel, ind: IndicatorConfig) {
  const ids = stringParam(ind, 'plans');
  const plans = ids ? model.plans.filter((p) => ids.includes(p.id)) : model.plans;
  return plans.flatMap((p) => p.tasks.flatMap((t) => t.lead.map((department) => ({ planId: p.id, no: t.no, department, deadline: t.deadline, title: t.title ?? t.text.slice(0, 40) }))));
}

/** The population query of an indicator (see the file header). */
export function population(ctx: QueryContext, ind: IndicatorConfig): SQL {
  const { period, today } = ctx;
  switch (ind.kind) {
    case 'double-publicity-on-time':
    case 'entries-published-on-time':
      return sql`
        select e.department, e.id::text as item_id, e.id::text as entry_id, e.list_id,
               s.name as subject_name, s.code as subject_code,
               e.decision_date::text as start_date, e.publish_due::text as due,
               ${civilText(ctx, sql`e.published_at`)} as done, null::text as note,
               (e.published_at is not null and ${civil(ctx, sql`e.published_at`)} <= e.publish_due) as ok
          from entries e
          left join subjects s on s.id = e.subject_id
         where ${listFilter(ctx.model, ind, sql`e.list_id`)}
           and e.publish_due >= ${period.start}::date and e.publish_due < ${period.end}::date
           and (e.published_at is not null or (e.status not in ('withdrawn', 'revoked') and e.publish_due < ${today}::date))`;

    case 'catalogue-coverage': {
      const pairs = ctx.model.assessment.catalogue.flatMap((c) => c.record_types.map((t) => [c.department, t] as const));
      return sql`
        select c.department, c.record_type as item_id, null::text as entry_id, c.record_type as list_id,
               null::text as subject_name, null::text as subject_code, null::text as start_date, null::text as due,
               null::text as done, null::text as note,
               exists (select 1 from entries e
                        where e.list_id = c.record_type and e.department = c.department
                          and e.published_at >= ${instant(ctx, period.start)} and e.published_at < ${instant(ctx, period.end)}) as ok
          from unnest(${texts(pairs.map((p) => p[0]))}, ${texts(pairs.map((p) => p[1]))}) as c(department, record_type)`;
    }

    case 'objections-answered-on-time':
      return sql`
        select e.department, o.id::text as item_id, e.id::text as entry_id, e.list_id,
               s.name as subject_name, s.code as subject_code,
               ${civilText(ctx, sql`o.received_at`)} as start_date, o.due_at::text as due,
               ${civilText(ctx, sql`o.answered_at`)} as done, o.result as note,
               (o.answered_at is not null and ${civil(ctx, sql`o.answered_at`)} <= o.due_at) as ok
          from objections o
          join entries e on e.id = o.entry_id
          left join subjects s on s.id = e.subject_id
         where o.due_at >= ${period.start}::date and o.due_at < ${period.end}::date
           and (o.answered_at is not null or o.due_at < ${today}::date)
           and ${listFilter(ctx.model, ind, sql`e.list_id`)}`;

    case 'repairs-decided-on-time':
      return sql`
        select e.department, r.id::text as item_id, e.id::text as entry_id, e.list_id,
               s.name as subject_name, s.code as subject_code,
               ${civilText(ctx, sql`r.applied_at`)} as start_date, r.decide_due::text as due,
               ${civilText(ctx, sql`r.decided_at`)} as done, r.status as note,
               (r.decided_at is not null and ${civil(ctx, sql`r.decided_at`)} <= r.decide_due) as ok
          from repairs r
          join entries e on e.id = r.entry_id
          left join subjects s on s.id = e.subject_id
         where r.decide_due >= ${period.start}::date and r.decide_due < ${period.end}::date
           and (r.decided_at is not null or r.decide_due < ${today}::date)
           and ${listFilter(ctx.model, ind, sql`e.list_id`)}`;

    case 'expired-exited-on-time': {
      const grace = Math.max(0, Math.round(numberParam(ind, 'grace_days', DEFAULT_GRACE_DAYS)));
      return sql`
        select e.department, e.id::text as item_id, e.id::text as entry_id, e.list_id,
               s.name as subject_name, s.code as subject_code,
               e.term_end::text as start_date, (e.term_end + ${grace}::int)::text as due,
               ${civilText(ctx, sql`e.exited_at`)} as done, e.exit_reason as note,
               (e.exited_at is not null and ${civil(ctx, sql`e.exited_at`)} <= e.term_end + ${grace}::int) as ok
          from entries e
          left join subjects s on s.id = e.subject_id
         where e.term_end >= ${period.start}::date - ${grace}::int and e.term_end < ${period.end}::date - ${grace}::int
           and e.published_at is not null
           and ((e.exited_at is not null and ${civil(ctx, sql`e.exited_at`)} > e.term_end)
                or (e.exited_at is null and e.status = 'published' and e.term_end + ${grace}::int < ${today}::date))
           and ${listFilter(ctx.model, ind, sql`e.list_id`)}`;
    }

    case 'code-validity':
      // `bad` joins only the (few) subjects whose code failed its checksum, through the
      // partial index subjects_invalid_code_idx; `s` (names, for the drill-down) is a
      // left join on the primary key, which the planner drops from the aggregate.
      return sql`
        select x.department, x.subject_id::text as item_id, x.entry_id, x.list_id,
               s.name as subject_name, s.code as subject_code, x.start_date, null::text as due, null::text as done,
               s.override_reason as note, (bad.id is null) as ok
          from (select e.department, e.subject_id, min(e.id::text) as entry_id, min(e.list_id) as list_id,
                       min(${civilText(ctx, sql`e.created_at`)}) as start_date
                  from entries e
                 where e.created_at >= ${instant(ctx, period.start)} and e.created_at < ${instant(ctx, period.end)}
                   and ${listFilter(ctx.model, ind, sql`e.list_id`)}
                 group by e.department, e.subject_id) x
          left join subjects bad on bad.id = x.subject_id and not bad.code_valid
          left join subjects s on s.id = x.subject_id`;

    case 'lookups-before-action': {
      const matters = stringParam(ind, 'matters');
      return sql`
        select k.department, c.id::text as item_id, null::text as entry_id, null::text as list_id,
               null::text as subject_name, c.subject_code, ${civilText(ctx, sql`c.at`)} as start_date, null::text as due,
               (select ${civilText(ctx, sql`min(m.at)`)} from measures_applied m where m.check_id = c.id) as done,
               c.matter as note,
               exists (select 1 from measures_applied m where m.check_id = c.id) as ok
          from checks c
          join api_keys k on k.id = c.api_key_id
         where c.at >= ${instant(ctx, period.start)} and c.at < ${instant(ctx, period.end)}
           and ${matters ? inList(sql`c.matter`, matters) : sql`true`}`;
    }

    case 'plan-tasks-on-time': {
      const tasks = planTasksOf(ctx.model, ind);
      // Reports count as of today (the end of today in the platform time zone).
      const untilToday = sql`r.reported_at < ((${today}::date + 1)::timestamp at time zone ${ctx.timeZone})`;
      const done = (cond: SQL) => sql`exists (select 1 from task_reports r
                      where r.plan_id = t.plan_id and r.task_no = t.task_no and r.department = t.department
                        and r.status = 'done' and ${untilToday} and ${cond})`;
      return sql`
        select t.department, t.plan_id || '#' || t.task_no as item_id, null::text as entry_id, t.plan_id as list_id,
               t.title as subject_name, t.task_no as subject_code, null::text as start_date, t.deadline::text as due,
               (select ${civilText(ctx, sql`min(r.reported_at)`)} from task_reports r
                 where r.plan_id = t.plan_id and r.task_no = t.task_no and r.department = t.department and r.status = 'done'
                   and ${untilToday}) as done,
               null::text as note,
               ${done(sql`${civil(ctx, sql`r.reported_at`)} <= t.deadline`)} as ok
          from (select plan_id, task_no, department, deadline::date as deadline, title
                  from unnest(${texts(tasks.map((t) => t.planId))}, ${texts(tasks.map((t) => t.no))}, ${texts(tasks.map((t) => t.department))},
                              ${texts(tasks.map((t) => t.deadline))}, ${texts(tasks.map((t) => t.title))})
                       as u(plan_id, task_no, department, deadline, title)) t
         where t.deadline >= ${period.start}::date and t.deadline < ${period.end}::date
           and (t.deadline < ${today}::date or ${done(sql`true`)})`;
    }
  }
}

/** Numerator and denominator per department. */
export function aggregate(ctx: QueryContext, ind: IndicatorConfig): SQL {
  return sql`select p.department, (count(*) filter (where p.ok))::int as num, count(*)::int as den
               from (${population(ctx, ind)}) p
              group by p.department`;
}

/** The failing items of one department, worst first (earliest due), at most `limit`. */
export function failing(ctx: QueryContext, ind: IndicatorConfig, department: string, limit: number): SQL {
  return sql`select p.*, count(*) over ()::int as total
               from (${population(ctx, ind)}) p
              where p.department = ${department} and not p.ok
              order by p.due nulls last, p.start_date nulls last, p.item_id
              limit ${limit}`;
}
