/**
 * Reports for leaders, the office and the departments: the department
 * assessment (监测考核) with its drill-down and manual adjustments, and the
 * joint reward and punishment statistics (联合奖惩统计). JSON, or Excel with
 * `?format=xlsx`.
 *
 * Access: the read routes are `authenticated` and narrowed by
 * reports/access.ts: holders of 'view-reports' (leaders, the office) see
 * every department; other staff see their own department's figures and items
 * plus the ranking (totals only); API keys are refused. Adjustments are the
 * office's: global 'configure'.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, notFoundError, validationErrors } from '../http/schemas.ts';
import { forbiddenDepartment, inScope, reportScope } from '../reports/access.ts';
import { AdjustmentInput, addAdjustment, assessmentItems, assessmentReport, type ReportDeps } from '../reports/assessment.ts';
import { periodContaining } from '../reports/period.ts';
import { statisticsReport } from '../reports/statistics.ts';
import { assessmentXlsx, statisticsXlsx, XLSX_MIME, xlsxHeaders } from '../reports/xlsx.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const jsonOrXlsx = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema }, [XLSX_MIME]: { schema: z.string().openapi({ format: 'binary' }) } },
});

const Format = z.enum(['json', 'xlsx']).default('json').openapi({ description: 'json（默认）或 xlsx（Excel 导出）' });
const PeriodParam = z
  .string()
  .max(10)
  .optional()
  .openapi({ description: '考核期间：2026（年）、2026-Q3（季度）或 2026-07（月）；缺省为 assessment.default_period 的当前期间', example: '2026-Q3' });

const Assessment = z
  .looseObject({
    period: z.looseObject({ key: z.string(), label: z.string() }),
    departments: z.array(z.looseObject({ department: z.string(), rank: z.number(), total: z.number() })),
    ranking: z.array(z.looseObject({ rank: z.number(), department: z.string(), total: z.number() })),
  })
  .openapi('AssessmentReport');
const AssessmentItems = z.looseObject({ numerator: z.number(), denominator: z.number(), items: z.array(z.looseObject({ itemId: z.string() })) }).openapi('AssessmentItems');
const Adjustment = z.looseObject({ id: z.string(), period: z.string(), department: z.string(), points: z.number(), reason: z.string() }).openapi('AssessmentAdjustment');
const Statistics = z.looseObject({ from: z.string(), to: z.string(), rows: z.array(z.looseObject({ month: z.string(), department: z.string() })) }).openapi('StatisticsReport');

export function reportDeps(c: Context<AppEnv>): ReportDeps {
  const s = c.get('services');
  return { db: c.get('db').db, model: c.get('model'), clock: s.clock, calendar: s.engine.calendar };
}

function periodOf(c: Context<AppEnv>, period: string | undefined): string {
  if (period) return period;
  return periodContaining(c.get('model').assessment.default_period, c.get('services').clock.today()).key;
}

export function registerReportRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/reports/assessment',
      summary: '部门考核结果：各指标数值、得分、加减分、总分和名次 / department assessment: indicators, points, adjustments, totals and ranks (format=xlsx for Excel)',
      access: { kind: 'authenticated' },
      request: { query: z.object({ period: PeriodParam, format: Format }) },
      responses: { 200: { description: 'assessment', ...jsonOrXlsx(Assessment) }, ...authErrors, ...validationErrors },
    }),
    async (c) => {
      const deps = reportDeps(c);
      const scope = reportScope(deps.model, c.get('principal'));
      const q = c.req.valid('query');
      const report = await assessmentReport(deps, periodOf(c, q.period), scope);
      if (q.format === 'xlsx') {
        return c.body(await assessmentXlsx(report) as Uint8Array<ArrayBuffer>, 200, xlsxHeaders(`部门考核结果-${report.period.key}.xlsx`, `assessment-${report.period.key}.xlsx`));
      }
      return c.json(report, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/reports/assessment/{department}/{indicator}',
      summary: '考核明细：某部门某指标逾期或未达标的事项 / the late or failing items behind one department’s indicator',
      access: { kind: 'authenticated' },
      request: {
        params: z.object({ department: z.string().max(64), indicator: z.string().max(64) }),
        query: z.object({ period: PeriodParam }),
      },
      responses: { 200: { description: 'items', ...json(AssessmentItems) }, ...authErrors, ...notFoundError, ...validationErrors },
    }),
    async (c) => {
      const deps = reportDeps(c);
      const scope = reportScope(deps.model, c.get('principal'));
      const { department, indicator } = c.req.valid('param');
      if (deps.model.department(department) && !inScope(scope, department)) throw forbiddenDepartment(department);
      return c.json(await assessmentItems(deps, periodOf(c, c.req.valid('query').period), department, indicator), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/reports/adjustments',
      summary: '登记考核加减分（信用办；记入审计日志）/ record a manual score adjustment (the office; audited)',
      access: { kind: 'global', action: 'configure' },
      request: { body: { required: true, ...json(AdjustmentInput) } },
      responses: { 201: { description: 'adjustment', ...json(Adjustment) }, ...authErrors, ...validationErrors },
    }),
    async (c) => {
      const principal = c.get('principal');
      if (!principal) throw new Error('global route without a principal');
      return c.json(await addAdjustment(reportDeps(c), principal, c.req.valid('json')), 201);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/reports/statistics',
      summary: '联合奖惩统计：按月、按部门的新增、认定、公示、移出、修复、撤销、异议、修复申请和措施反馈 / monthly statistics per department (format=xlsx for Excel)',
      access: { kind: 'authenticated' },
      request: {
        query: z.object({
          from: z.string().max(7).optional().openapi({ description: '起始月份 YYYY-MM，缺省为截止月份前 11 个月', example: '2025-12' }),
          to: z.string().max(7).optional().openapi({ description: '截止月份 YYYY-MM，缺省为当月', example: '2026-11' }),
          department: z.string().max(500).optional().openapi({ description: '部门代码，可用逗号分隔多个；缺省为可查看的全部部门' }),
          format: Format,
        }),
      },
      responses: { 200: { description: 'statistics', ...jsonOrXlsx(Statistics) }, ...authErrors, ...validationErrors },
    }),
    async (c) => {
      const deps = reportDeps(c);
      const scope = reportScope(deps.model, c.get('principal'));
      const q = c.req.valid('query');
      const report = await statisticsReport(deps, q, scope);
      if (q.format === 'xlsx') {
        return c.body(await statisticsXlsx(report) as Uint8Array<ArrayBuffer>, 200, xlsxHeaders(`联合奖惩统计-${report.from}至${report.to}.xlsx`, `statistics-${report.from}-${report.to}.xlsx`));
      }
      return c.json(report, 200);
    },
  );
}
