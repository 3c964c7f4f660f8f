/**
 * Division-of-work plans (任务分工方案): the plans and their tasks with status
 * and latest progress, progress reports by the lead units, and the quarterly
 * bulletin (通报), JSON or Excel.
 *
 * Access: reading is open to every logged-in user (the plan and the bulletin
 * are circulated to all member units); API keys are refused. Filing a report
 * needs global 'report-progress' and, checked in plans/service.ts, membership
 * of one of the task's LEAD units (403 otherwise).
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { AppError } from '../http/errors.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, notFoundError, validationErrors } from '../http/schemas.ts';
import { fileHeaders, formText, multipart, readUpload, uploadErrors, uploadLimit } from '../http/upload.ts';
import { fileReport, filingUnit, findPlan, findTask, listPlans, type PlanDeps, planBulletin, planDetail, ReportInput, taskDetail } from '../plans/service.ts';
import { bulletinXlsx, XLSX_MIME, xlsxHeaders } from '../reports/xlsx.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const PlanParam = z.object({ planId: z.string().max(64) });
const TaskParam = PlanParam.extend({ no: z.string().max(32) });

const PlanSummary = z.looseObject({ id: z.string(), title: z.string(), tasks: z.number(), counts: z.looseObject({}) }).openapi('PlanSummary');
const Task = z.looseObject({ no: z.string(), deadline: z.string(), status: z.string(), latestReport: z.looseObject({}).nullable() }).openapi('PlanTask');
const PlanDetail = z.looseObject({ id: z.string(), title: z.string(), tasks: z.array(Task) }).openapi('PlanDetail');
const TaskFile = z.looseObject({ id: z.string(), filename: z.string(), mime: z.string(), size: z.number() }).openapi('PlanTaskFile');
const taskMultipart = {
  ...multipart,
  content: {
    'multipart/form-data': {
      schema: multipart.content['multipart/form-data'].schema.extend({
        department: z.string().max(64).optional().openapi({ description: '报送单位，仅当本人属于该任务的多个牵头单位时需要 / the lead unit, needed only when you belong to several' }),
      }),
    },
  },
};
const Bulletin = z.looseObject({ quarter: z.looseObject({ key: z.string() }), units: z.array(z.looseObject({ department: z.string() })) }).openapi('PlanBulletin');

function deps(c: Context<AppEnv>): PlanDeps {
  return { db: c.get('db').db, model: c.get('model'), clock: c.get('services').clock, attachments: c.get('services').attachments };
}

function usersOnly(c: Context<AppEnv>) {
  const p = c.get('principal');
  if (!p) throw new Error('authenticated route without a principal');
  if (p.kind !== 'user') throw new AppError(403, 'USERS_ONLY', '任务分工方案仅供登录用户查看，接口密钥不能访问', 'plans are for logged-in users, not API keys');
  return p;
}

export function registerPlanRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/plans',
      summary: '任务分工方案列表及各状态任务数 / division-of-work plans with task counts by status',
      access: { kind: 'authenticated' },
      responses: { 200: { description: 'plans', ...json(z.array(PlanSummary)) }, ...authErrors },
    }),
    async (c) => {
      usersOnly(c);
      return c.json(await listPlans(deps(c)), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/plans/{planId}',
      summary: '方案详情：各任务的牵头和配合单位、完成时限、状态和最新进展 / a plan’s tasks with units, deadline, status and latest report',
      access: { kind: 'authenticated' },
      request: { params: PlanParam, query: z.object({ department: z.string().max(64).optional().openapi({ description: '只列该单位牵头或配合的任务' }) }) },
      responses: { 200: { description: 'plan', ...json(PlanDetail) }, ...authErrors, ...notFoundError, ...validationErrors },
    }),
    async (c) => {
      usersOnly(c);
      return c.json(await planDetail(deps(c), c.req.valid('param').planId, c.req.valid('query').department), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/plans/{planId}/tasks/{no}',
      summary: '任务详情及全部进展报送记录 / one task with every progress report',
      access: { kind: 'authenticated' },
      request: { params: TaskParam },
      responses: { 200: { description: 'task', ...json(Task) }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      usersOnly(c);
      const { planId, no } = c.req.valid('param');
      return c.json(await taskDetail(deps(c), planId, no), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/plans/{planId}/tasks/{no}/reports',
      summary: '报送任务进展（仅限牵头单位）/ file a progress report on a task (lead units only)',
      access: { kind: 'global', action: 'report-progress' },
      request: { params: TaskParam, body: { required: true, ...json(ReportInput) } },
      responses: {
        201: { description: 'report', ...json(z.looseObject({ report: z.looseObject({ id: z.string() }), task: Task })) },
        ...authErrors,
        ...notFoundError,
        ...conflictError,
        ...validationErrors,
      },
    }),
    async (c) => {
      const principal = usersOnly(c);
      const { planId, no } = c.req.valid('param');
      return c.json(await fileReport(deps(c), principal, c.get('scope') ?? [], planId, no, c.req.valid('json')), 201);
    },
  );

  app.post('/api/plans/:planId/tasks/:no/attachments', uploadLimit);
  app.openapi(
    r.route({
      method: 'post',
      path: '/api/plans/{planId}/tasks/{no}/attachments',
      summary: '上传任务进展附件（仅限牵头单位），报送时以 attachmentId 引用 / upload a file for a task’s progress report (lead units only); reports refer to it by attachmentId',
      access: { kind: 'global', action: 'report-progress' },
      request: { params: TaskParam, body: taskMultipart },
      responses: { 201: { description: 'stored', ...json(TaskFile) }, ...uploadErrors },
    }),
    async (c) => {
      const principal = usersOnly(c);
      const { planId, no } = c.req.valid('param');
      const d = deps(c);
      const task = findTask(findPlan(d.model, planId), no);
      const u = await readUpload(c);
      const department = filingUnit(d.model, task, c.get('scope') ?? [], await formText(c, 'department'));
      const row = await d.db.transaction((tx) => d.attachments.attachToTask(tx, planId, task.no, u, { kind: 'user', id: principal.id, name: principal.name, department }));
      return c.json(row, 201);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/plans/{planId}/tasks/{no}/attachments/{attachmentId}',
      summary: '下载任务进展附件 / download a file of a task’s progress reports',
      access: { kind: 'authenticated' },
      request: { params: TaskParam.extend({ attachmentId: z.string().max(64) }) },
      responses: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      usersOnly(c);
      const { planId, no, attachmentId } = c.req.valid('param');
      const d = deps(c);
      const task = findTask(findPlan(d.model, planId), no);
      const row = await d.attachments.downloadTaskFile(d.db, planId, task.no, attachmentId);
      return c.body(new Uint8Array(row.content), 200, fileHeaders(row));
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/plans/{planId}/bulletin',
      summary: '季度通报：各单位任务状态和最新进展 / quarterly bulletin: each task’s status and latest report, by unit (format=xlsx for Excel)',
      access: { kind: 'authenticated' },
      request: {
        params: PlanParam,
        query: z.object({
          quarter: z.string().max(7).optional().openapi({ description: '季度 YYYY-Qn，缺省为当前季度', example: '2026-Q3' }),
          format: z.enum(['json', 'xlsx']).default('json'),
        }),
      },
      responses: {
        200: { description: 'bulletin', content: { 'application/json': { schema: Bulletin }, [XLSX_MIME]: { schema: z.string().openapi({ format: 'binary' }) } } },
        ...authErrors,
        ...notFoundError,
        ...validationErrors,
      },
    }),
    async (c) => {
      usersOnly(c);
      const { planId } = c.req.valid('param');
      const q = c.req.valid('query');
      const b = await planBulletin(deps(c), planId, q.quarter);
      if (q.format === 'xlsx') {
        return c.body((await bulletinXlsx(b)) as Uint8Array<ArrayBuffer>, 200, xlsxHeaders(`任务进展通报-${b.plan.id}-${b.quarter.key}.xlsx`, `bulletin-${b.plan.id}-${b.quarter.key}.xlsx`));
      }
      return c.json(b, 200);
    },
  );
}
