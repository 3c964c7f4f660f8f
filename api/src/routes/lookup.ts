/**
 * Lookups (应查尽查), check-before-act with feedback (联合奖惩) and the
 * query-use register (查询使用登记). The register is read-only through the
 * API: there is deliberately no PATCH, PUT or DELETE route for it.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, errorResponse, notFoundError, validationErrors } from '../http/schemas.ts';
import { CheckInput, checkSubject, FeedbackInput, type LookupDeps, listQueryLog, lookupSubject, QueryLogQuery, recordFeedback } from '../lookup/service.ts';
import { jsonBody } from '../portal/body.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const bodyErrors = {
  400: errorResponse('正文不是有效的 JSON / malformed JSON'),
  413: errorResponse('正文超过 64 KB / body too large'),
  415: errorResponse('正文须为 JSON / body must be JSON'),
};

function deps(c: Context<AppEnv>): LookupDeps {
  const handle = c.get('db');
  const services = c.get('services');
  return { db: handle.db, handle, model: c.get('model'), clock: services.clock, recorder: services.queryLog };
}

function principal(c: Context<AppEnv>) {
  const p = c.get('principal');
  if (!p) throw new Error('authenticated route without a principal');
  return p;
}

const measureShape = { id: z.string(), name: z.string(), kind: z.enum(['punishment', 'incentive']), legalBasis: z.array(z.string()), department: z.string() };
const Measure = z.looseObject({ ...measureShape, entries: z.array(z.looseObject({ entryId: z.string(), listName: z.string() })) }).openapi('ApplicableMeasure');
const LookupMeasure = z.looseObject({ ...measureShape, entryIds: z.array(z.string()) }).openapi('LookupMeasure');

const LookupResult = z
  .looseObject({
    queryId: z.number(),
    code: z.string(),
    subject: z.looseObject({ kind: z.string(), code: z.string(), name: z.string() }).nullable(),
    listed: z.boolean(),
    entries: z.array(z.looseObject({ id: z.string(), listId: z.string(), status: z.string() })),
    measures: z.array(LookupMeasure),
  })
  .openapi('LookupResult');

const CheckAnswer = z
  .looseObject({
    checkId: z.string(),
    code: z.string(),
    matter: z.object({ id: z.string(), name: z.string() }),
    listed: z.boolean(),
    punishments: z.array(Measure),
    incentives: z.array(Measure),
  })
  .openapi('CheckAnswer');

const QueryLogRecord = z
  .looseObject({ id: z.number(), at: z.string(), actor: z.looseObject({ kind: z.string() }), subjectCode: z.string(), purpose: z.string(), resultCount: z.number() })
  .openapi('QueryLogRecord');

export function registerLookupRoutes(app: AppRouter, r: Registrar): void {
  // '/api/check/*' matches '/api/check' itself too.
  app.use('/api/check/*', jsonBody());

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/subjects/{code}',
      summary: '查询信用主体（应查尽查；每次查询均登记查询事由）/ look up a subject: its entries and the measures that apply; every lookup is registered',
      access: { kind: 'global', action: 'lookup' },
      request: {
        params: z.object({ code: z.string().max(64).openapi({ description: '统一社会信用代码或居民身份证号码' }) }),
        query: z.object({
          purpose: z.string().max(1000).optional().openapi({ description: '查询事由，必填，2–200 字 / purpose, required' }),
          matter: z.string().max(64).optional().openapi({ description: '业务事项（platform.matters），只列该事项的措施' }),
        }),
      },
      responses: {
        200: { description: 'lookup', ...json(LookupResult) },
        ...authErrors,
        ...validationErrors,
        503: errorResponse('查询使用登记未能保存，不予提供结果 / the record could not be committed: no answer (LOOKUP_NOT_RECORDED)'),
      },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const { purpose, matter } = c.req.valid('query');
      return c.json(await lookupSubject(deps(c), principal(c), { code, purpose: purpose ?? '', matter }), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/query-log',
      summary: '查询使用登记（只读）/ the query-use register, read-only (simple-rest; x-total-count)',
      access: { kind: 'global', action: 'view-audit' },
      request: { query: QueryLogQuery },
      responses: { 200: { description: 'records', ...json(z.array(QueryLogRecord)) }, ...authErrors, ...validationErrors },
    }),
    async (c) => {
      const { rows, total } = await listQueryLog(deps(c), c.req.valid('query'), c.get('scope') ?? []);
      c.header('x-total-count', String(total));
      return c.json(rows, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/check',
      summary: '联合奖惩核查（业务系统办理前查询）/ check before acting: the punishments and incentives for a matter',
      access: { kind: 'global', action: 'check' },
      request: { body: { required: true, ...json(CheckInput) } },
      responses: { 200: { description: 'answer', ...json(CheckAnswer) }, ...authErrors, ...validationErrors, ...bodyErrors },
    }),
    async (c) => c.json(await checkSubject(deps(c), principal(c), c.req.valid('json')), 200),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/check/{checkId}/feedback',
      summary: '联合奖惩反馈：实际采取的措施 / report which of the answered measures were applied (once per check)',
      access: { kind: 'global', action: 'feedback' },
      request: { params: z.object({ checkId: z.string().max(64) }), body: { required: true, ...json(FeedbackInput) } },
      responses: {
        201: { description: 'recorded', ...json(z.looseObject({ id: z.string(), checkId: z.string(), measuresApplied: z.array(z.string()), outcome: z.string() })) },
        ...authErrors,
        ...notFoundError,
        ...conflictError,
        ...validationErrors,
        ...bodyErrors,
      },
    }),
    async (c) => c.json(await recordFeedback(deps(c), principal(c), c.req.valid('param').checkId, c.req.valid('json')), 201),
  );
}
