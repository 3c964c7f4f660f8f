/**
 * Division-of-work plans (任务分工方案): the tasks come from config/plans/*.yaml,
 * the progress reports (进展报送) from task_reports.
 *
 * Status of one lead unit on one task, as of a day D (today, or the end of a
 * bulletin's quarter):
 *   done         the unit filed a 'done' report on or before D
 *                (`late` when the first one came after the deadline)
 *   overdue      no 'done' report and the deadline is before D
 *   in-progress  reports, none 'done', deadline not passed
 *   not-started  no report, deadline not passed
 * Status of a task: done when every lead unit is done; overdue when the
 * deadline has passed and some lead unit is not done; in-progress when any
 * lead unit has reported; else not-started. Co-units (配合单位) support the
 * lead units and do not file reports of their own.
 *
 * Who files: the staff of a LEAD unit, i.e. a caller holding 'report-progress'
 * in that department. Office-wide grants ('*') count as the office department
 * only: the office files for itself, never on behalf of another unit.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import type { RuntimeModel } from '../config/compile.ts';
import type { Plan as PlanSchema, PlanTask as PlanTaskSchema } from '../config/schema.ts';
import { type Db, queryRows } from '../db/client.ts';
import type { AttachmentService } from '../attachments/service.ts';
import { taskReports } from '../db/schema.ts';
import type { Scope } from '../http/env.ts';
import { AppError, issueDetails } from '../http/errors.ts';
import type { Clock } from '../procedures/clock.ts';
import { officeDepartments } from '../reports/access.ts';
import { parsePeriod, periodContaining } from '../reports/period.ts';

export type Plan = z.infer<typeof PlanSchema>;
export type PlanTask = z.infer<typeof PlanTaskSchema>;
export type PlanDeps = { db: Db; model: RuntimeModel; clock: Clock; attachments: AttachmentService };

/** First int of the advisory lock taken while filing a report (two-int lock space, like the audit chains). */
export const TASK_REPORT_LOCK_NAMESPACE = 0x706c616e; // 'plan'

export const taskStatuses = ['done', 'in-progress', 'overdue', 'not-started'] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export const statusLabels: Record<TaskStatus, string> = { done: '已完成', 'in-progress': '推进中', overdue: '已逾期', 'not-started': '未启动' };

export type ReportView = {
  id: string;
  department: string;
  departmentName: string;
  text: string;
  percent: number;
  status: 'in-progress' | 'done';
  attachments: ReportAttachment[];
  reportedBy: string | null;
  reportedAt: string;
  /** Civil date of reportedAt in the platform time zone. */
  reportedOn: string;
};

export type UnitStatus = {
  department: string;
  name: string;
  status: TaskStatus;
  statusLabel: string;
  /** Done after the deadline. */
  late: boolean;
  doneOn: string | null;
  latestReport: ReportView | null;
};

export type TaskView = {
  no: string;
  title: string | null;
  text: string;
  lead: { department: string; name: string }[];
  co: { department: string; name: string }[];
  deadline: string;
  deadlineAssumed: boolean;
  deadlineNote: string | null;
  status: TaskStatus;
  statusLabel: string;
  latestReport: ReportView | null;
  units: UnitStatus[];
};

export function findPlan(model: RuntimeModel, planId: string): Plan {
  const plan = model.plans.find((p) => p.id === planId);
  if (!plan) throw new AppError(404, 'PLAN_NOT_FOUND', `任务分工方案“${planId}”不存在`, `unknown plan "${planId}"`);
  return plan;
}

export function findTask(plan: Plan, no: string): PlanTask {
  const task = plan.tasks.find((t) => t.no === no);
  if (!task) throw new AppError(404, 'TASK_NOT_FOUND', `方案“${plan.title}”没有第 ${no} 项任务`, `plan "${plan.id}" has no task "${no}"`);
  return task;
}

type ReportRow = {
  id: string;
  plan_id: string;
  task_no: string;
  department: string;
  text: string;
  percent: number;
  status: string;
  attachments: unknown[];
  reported_by: string | null;
  reported_at: string | Date;
  reported_on: string;
  done_on: string | null;
};

/**
 * The latest report of every (task, unit) of the plans, with the day of the
 * unit's first 'done' report, counting only reports filed before `asOfEnd`
 * (an instant). One query: DISTINCT ON over the (plan, task, time) index.
 */
async function latestReports(deps: PlanDeps, planIds: string[], asOf: string): Promise<Map<string, ReportRow>> {
  if (!planIds.length) return new Map();
  const tz = deps.clock.timeZone;
  const end = sql`((${asOf}::date + 1)::timestamp at time zone ${tz})`;
  const rows = await queryRows<ReportRow>(
    deps.db,
    sql`select distinct on (r.plan_id, r.task_no, r.department)
               r.id::text as id, r.plan_id, r.task_no, r.department, r.text, r.percent, r.status, r.attachments,
               u.display_name as reported_by, r.reported_at, ((r.reported_at at time zone ${tz})::date)::text as reported_on,
               (select ((min(d.reported_at) at time zone ${tz})::date)::text from task_reports d
                 where d.plan_id = r.plan_id and d.task_no = r.task_no and d.department = r.department
                   and d.status = 'done' and d.reported_at < ${end}) as done_on
          from task_reports r
          left join users u on u.id = r.reported_by
         where r.plan_id in (${sql.join(planIds.map((p) => sql`${p}`), sql`, `)}) and r.reported_at < ${end}
         order by r.plan_id, r.task_no, r.department, r.reported_at desc, r.id desc`,
  );
  return new Map(rows.map((r) => [`${r.plan_id}|${r.task_no}|${r.department}`, r]));
}

function reportView(model: RuntimeModel, r: ReportRow): ReportView {
  return {
    id: r.id,
    department: r.department,
    departmentName: model.department(r.department)?.name ?? r.department,
    text: r.text,
    percent: Number(r.percent),
    status: r.status as ReportView['status'],
    // stored as ReportInput validated them
    attachments: (r.attachments ?? []) as ReportAttachment[],
    reportedBy: r.reported_by,
    reportedAt: new Date(r.reported_at).toISOString(),
    reportedOn: r.reported_on,
  };
}

const unit = (model: RuntimeModel, code: string) => ({ department: code, name: model.department(code)?.name ?? code });

/** A task's status as of `asOf` (YYYY-MM-DD), from the latest reports. */
export function taskView(model: RuntimeModel, plan: Plan, task: PlanTask, latest: Map<string, ReportRow>, asOf: string): TaskView {
  const passed = task.deadline < asOf;
  const units: UnitStatus[] = task.lead.map((d) => {
    const r = latest.get(`${plan.id}|${task.no}|${d}`);
    const status: TaskStatus = r?.done_on ? 'done' : passed ? 'overdue' : r ? 'in-progress' : 'not-started';
    return {
      ...unit(model, d),
      status,
      statusLabel: statusLabels[status],
      late: !!r?.done_on && r.done_on > task.deadline,
      doneOn: r?.done_on ?? null,
      latestReport: r ? reportView(model, r) : null,
    };
  });
  const status: TaskStatus = units.every((u) => u.status === 'done')
    ? 'done'
    : passed
      ? 'overdue'
      : units.some((u) => u.latestReport)
        ? 'in-progress'
        : 'not-started';
  const latestReport = units
    .map((u) => u.latestReport)
    .filter((r): r is ReportView => r !== null)
    .sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : a.reportedAt > b.reportedAt ? -1 : 0))[0] ?? null;
  return {
    no: task.no,
    title: task.title ?? null,
    text: task.text,
    lead: task.lead.map((d) => unit(model, d)),
    co: task.co.map((d) => unit(model, d)),
    deadline: task.deadline,
    deadlineAssumed: task.deadline_assumed,
    deadlineNote: task.deadline_note ?? null,
    status,
    statusLabel: statusLabels[status],
    latestReport,
    units,
  };
}

const counts = (tasks: { status: TaskStatus }[]) => {
  const c: Record<TaskStatus, number> = { done: 0, 'in-progress': 0, overdue: 0, 'not-started': 0 };
  for (const t of tasks) c[t.status]++;
  return c;
};

export async function listPlans(deps: PlanDeps) {
  const { model, clock } = deps;
  const today = clock.today();
  const latest = await latestReports(deps, model.plans.map((p) => p.id), today);
  return model.plans.map((p) => {
    const tasks = p.tasks.map((t) => taskView(model, p, t, latest, today));
    return {
      id: p.id,
      title: p.title,
      issuedBy: p.issued_by,
      issuedOn: p.issued_on ?? null,
      source: p.source,
      tasks: p.tasks.length,
      counts: counts(tasks),
    };
  });
}

export async function planDetail(deps: PlanDeps, planId: string, department?: string) {
  const { model, clock } = deps;
  const plan = findPlan(model, planId);
  if (department && !model.department(department)) {
    throw new AppError(422, 'UNKNOWN_DEPARTMENT', `部门“${department}”不存在`, `unknown department "${department}"`, [{ path: 'department', message: '部门不存在' }]);
  }
  const today = clock.today();
  const latest = await latestReports(deps, [plan.id], today);
  const tasks = plan.tasks
    .filter((t) => !department || t.lead.includes(department) || t.co.includes(department))
    .map((t) => taskView(model, plan, t, latest, today));
  return {
    id: plan.id,
    title: plan.title,
    issuedBy: plan.issued_by,
    issuedOn: plan.issued_on ?? null,
    source: plan.source,
    unitMapping: plan.unit_mapping,
    asOf: today,
    counts: counts(tasks),
    tasks,
  };
}

/** One task with every report filed on it, newest first. */
export async function taskDetail(deps: PlanDeps, planId: string, no: string) {
  const { model, clock } = deps;
  const plan = findPlan(model, planId);
  const task = findTask(plan, no);
  const today = clock.today();
  const latest = await latestReports(deps, [plan.id], today);
  const tz = clock.timeZone;
  const history = await queryRows<ReportRow>(
    deps.db,
    sql`select r.id::text as id, r.plan_id, r.task_no, r.department, r.text, r.percent, r.status, r.attachments,
               u.display_name as reported_by, r.reported_at, ((r.reported_at at time zone ${tz})::date)::text as reported_on, null as done_on
          from task_reports r left join users u on u.id = r.reported_by
         where r.plan_id = ${plan.id} and r.task_no = ${task.no}
         order by r.reported_at desc, r.id desc`,
  );
  return { plan: { id: plan.id, title: plan.title }, ...taskView(model, plan, task, latest, today), reports: history.map((r) => reportView(model, r)) };
}

// ---------------------------------------------------------------- filing a report

const Attachment = z.strictObject({
  name: z.string().trim().min(1).max(200),
  // only web links: a javascript: or data: URL would run in the reader's browser
  url: z.url({ protocol: /^https?$/, message: '链接须以 http:// 或 https:// 开头' }).max(2000).optional(),
  attachmentId: z.uuid().optional(),
});
/** A file of a progress report: one uploaded to the task (attachmentId) or a web link (url). */
export type ReportAttachment = z.infer<typeof Attachment>;

export const ReportInput = z.strictObject({
  text: z.string().trim().min(2, { message: '请填写进展情况（至少 2 个字）' }).max(10_000),
  percent: z.number().int().min(0).max(100).optional(),
  status: z.enum(['in-progress', 'done']),
  attachments: z.array(Attachment).max(20).default([]),
  /** The lead unit reported for; needed only when the caller belongs to several lead units of the task. */
  department: z.string().trim().min(1).max(64).optional(),
});

/** The lead units of the task the caller may file for (see the file header). */
export function filingUnits(model: RuntimeModel, task: PlanTask, scope: Scope): string[] {
  const mine = scope === 'all' ? officeDepartments(model) : scope;
  return task.lead.filter((d) => mine.includes(d));
}

/** The lead unit the caller files for: the one asked for, or their only lead unit of the task (403 / 422 otherwise). */
export function filingUnit(model: RuntimeModel, task: PlanTask, scope: Scope, requested?: string): string {
  const units = filingUnits(model, task, scope);
  const leadNames = task.lead.map((d) => model.department(d)?.name ?? d).join('、');
  if (!units.length) {
    throw new AppError(403, 'NOT_LEAD_UNIT', `只有第 ${task.no} 项任务的牵头单位（${leadNames}）可以报送进展`, `only the lead units of task ${task.no} may file progress reports`);
  }
  if (requested) {
    if (!units.includes(requested)) {
      throw new AppError(403, 'NOT_LEAD_UNIT', `不能以“${model.department(requested)?.name ?? requested}”的名义报送：只能为本人所在的牵头单位报送`, `you may not file for "${requested}"`);
    }
    return requested;
  }
  if (units.length === 1) return units[0]!;
  throw new AppError(422, 'DEPARTMENT_REQUIRED', '您属于该任务的多个牵头单位，请指定报送单位 department', 'you belong to several lead units of this task; give `department`', [
    { path: 'department', message: `可选：${units.join('、')}` },
  ]);
}

export async function fileReport(deps: PlanDeps, principal: Principal, scope: Scope, planId: string, no: string, body: unknown) {
  const { model, clock, db } = deps;
  const plan = findPlan(model, planId);
  const task = findTask(plan, no);
  const parsed = ReportInput.safeParse(body);
  if (!parsed.success) throw new AppError(422, 'VALIDATION_FAILED', '提交的内容不符合要求', 'invalid request body', issueDetails(parsed.error.issues));
  const input = parsed.data;
  if (principal.kind !== 'user') throw new AppError(403, 'USERS_ONLY', '进展报送须由牵头单位工作人员登录后办理', 'progress reports are filed by logged-in staff');

  const department = filingUnit(model, task, scope, input.department);

  let percent = input.percent;
  if (input.status === 'done') {
    if (percent !== undefined && percent !== 100) throw new AppError(422, 'VALIDATION_FAILED', '报送“已完成”时完成进度应为 100%', 'a done report has percent 100', [{ path: 'percent', message: '应为 100' }]);
    percent = 100;
  } else if (percent === undefined) {
    throw new AppError(422, 'VALIDATION_FAILED', '请填写完成进度（0–100）', 'percent is required', [{ path: 'percent', message: '必填' }]);
  } else if (percent === 100) {
    throw new AppError(422, 'VALIDATION_FAILED', '完成进度为 100% 时请报送“已完成”', 'percent 100 means done', [{ path: 'percent', message: '推进中的进度应小于 100' }]);
  }

  const ids = input.attachments.map((a) => a.attachmentId).filter((x): x is string => !!x);
  const now = clock.now();
  const row = await db.transaction(async (tx) => {
    if (ids.length) {
      const found = await deps.attachments.taskFiles(tx, plan.id, task.no, ids);
      const missing = ids.filter((id) => !found.includes(id));
      if (missing.length) {
        throw new AppError(422, 'ATTACHMENT_NOT_FOUND', '附件不存在或不属于该任务，请先上传到本任务', 'attachment not found among this task’s files', missing.map((m) => ({ path: 'attachments', message: `附件 ${m} 不属于本任务` })));
      }
    }
    // Serialise reports on one (task, unit), so "already done" is decided on the latest state.
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(TASK_REPORT_LOCK_NAMESPACE))}, hashtext(${`${plan.id}:${task.no}:${department}`}))`);
    if (input.status === 'in-progress') {
      const [done] = await tx
        .select({ id: taskReports.id })
        .from(taskReports)
        .where(and(eq(taskReports.planId, plan.id), eq(taskReports.taskNo, task.no), eq(taskReports.department, department), eq(taskReports.status, 'done')))
        .limit(1);
      if (done) throw new AppError(409, 'TASK_ALREADY_DONE', '本单位已报送该任务完成，不能再报送推进中的进展（如需补充，请再次报送“已完成”）', 'this unit already reported the task done');
    }
    const [r] = await tx
      .insert(taskReports)
      .values({ planId: plan.id, taskNo: task.no, department, text: input.text, percent, status: input.status, attachments: input.attachments, reportedBy: principal.id, reportedAt: now })
      .returning();
    if (!r) throw new Error('insert returned no row');
    await appendAudit(tx, {
      chain: `plan:${plan.id}`,
      actor: { kind: 'user', id: principal.id, name: principal.name, department },
      action: 'plan.report',
      targetType: 'task_report',
      targetId: r.id,
      before: null,
      after: { planId: plan.id, taskNo: task.no, department, status: input.status, percent, text: input.text, attachments: input.attachments },
      at: now,
    });
    return r;
  });
  const today = clock.today();
  const latest = await latestReports(deps, [plan.id], today);
  const view = taskView(model, plan, task, latest, today);
  return {
    report: reportView(model, {
      id: row.id,
      plan_id: row.planId,
      task_no: row.taskNo,
      department: row.department,
      text: row.text,
      percent: row.percent,
      status: row.status,
      attachments: row.attachments,
      reported_by: principal.name,
      reported_at: row.reportedAt,
      reported_on: today,
      done_on: null,
    }),
    task: view,
  };
}

// ---------------------------------------------------------------- quarterly bulletin (通报)

export async function planBulletin(deps: PlanDeps, planId: string, quarter: string | undefined) {
  const { model, clock } = deps;
  const plan = findPlan(model, planId);
  const today = clock.today();
  const q = quarter ? parsePeriod(quarter, 'quarter') : periodContaining('quarter', today);
  if (q.kind !== 'quarter') throw new AppError(422, 'INVALID_QUARTER', `季度“${quarter}”格式错误，应为 2026-Q3`, `invalid quarter "${quarter}"; expected 2026-Q3`, [{ path: 'quarter', message: '格式应为 YYYY-Qn' }]);
  // The bulletin describes the state at the end of the quarter (or today, for the current one).
  const asOf = [q.last, today].sort()[0] as string;
  const latest = await latestReports(deps, [plan.id], asOf);
  const tz = clock.timeZone;
  const inQuarter = await queryRows<{ task_no: string; department: string; n: number }>(
    deps.db,
    sql`select task_no, department, count(*)::int as n from task_reports
         where plan_id = ${plan.id}
           and reported_at >= (${q.start}::timestamp at time zone ${tz}) and reported_at < (${q.end}::timestamp at time zone ${tz})
         group by 1, 2`,
  );
  const filed = new Map(inQuarter.map((r) => [`${r.task_no}|${r.department}`, Number(r.n)]));
  const views = plan.tasks.map((t) => taskView(model, plan, t, latest, asOf));

  type Line = {
    no: string;
    title: string | null;
    text: string;
    role: 'lead' | 'co';
    roleLabel: string;
    deadline: string;
    deadlineAssumed: boolean;
    status: TaskStatus;
    statusLabel: string;
    late: boolean;
    latestReport: ReportView | null;
    reportsInQuarter: number;
  };
  const codes = model.departments.map((d) => d.code).filter((d) => plan.tasks.some((t) => t.lead.includes(d) || t.co.includes(d)));
  const units = codes.map((d) => {
    const lines: Line[] = [];
    for (const v of views) {
      const u = v.units.find((x) => x.department === d);
      if (u) {
        lines.push({ no: v.no, title: v.title, text: v.text, role: 'lead', roleLabel: '牵头', deadline: v.deadline, deadlineAssumed: v.deadlineAssumed, status: u.status, statusLabel: u.statusLabel, late: u.late, latestReport: u.latestReport, reportsInQuarter: filed.get(`${v.no}|${d}`) ?? 0 });
      } else if (v.co.some((c) => c.department === d)) {
        lines.push({ no: v.no, title: v.title, text: v.text, role: 'co', roleLabel: '配合', deadline: v.deadline, deadlineAssumed: v.deadlineAssumed, status: v.status, statusLabel: v.statusLabel, late: false, latestReport: v.latestReport, reportsInQuarter: 0 });
      }
    }
    const lead = lines.filter((l) => l.role === 'lead');
    return { ...unit(model, d), counts: counts(lead), tasks: lines };
  });
  return {
    plan: { id: plan.id, title: plan.title, issuedBy: plan.issued_by },
    quarter: { key: q.key, label: q.label, start: q.start, last: q.last },
    asOf,
    counts: counts(views),
    tasks: views.map((v) => ({ no: v.no, title: v.title, deadline: v.deadline, deadlineAssumed: v.deadlineAssumed, status: v.status, statusLabel: v.statusLabel, latestReport: v.latestReport })),
    units,
  };
}
