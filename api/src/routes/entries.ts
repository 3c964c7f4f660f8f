/**
 * The generic entry API, one set of routes for every list type (Refine
 * simple-rest conventions), and the actions of the procedure engine.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { idempotent } from '../http/idempotency.ts';
import { listContext } from '../http/list-context.ts';
import { AppError } from '../http/errors.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, notFoundError, validationErrors } from '../http/schemas.ts';
import { EntryListQuery } from '../entries/service.ts';
import { performAction } from '../procedures/engine.ts';

const ListParam = z.object({ listId: z.string().max(64) });
const EntryParam = ListParam.extend({ id: z.string().max(64) });
const ActionParam = EntryParam.extend({ action: z.string().max(64) });
const Entry = z.looseObject({ id: z.string(), status: z.string(), version: z.number() }).openapi('Entry');
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const anyBody = { required: true, ...json(z.looseObject({})) };


async function readJson(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try {
    const body = await c.req.json();
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AppError(400, 'BAD_JSON', '请求正文须为 JSON 对象', 'the body must be a JSON object');
}

export function registerEntryRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/entries',
      summary: '名单条目列表 / entries of a list type (simple-rest; x-total-count)',
      access: { kind: 'list', action: 'view' },
      request: { params: ListParam, query: EntryListQuery },
      responses: { 200: { description: 'entries', ...json(z.array(Entry)) }, ...authErrors, ...notFoundError, ...validationErrors },
    }),
    async (c) => {
      const { list, scope } = listContext(c);
      const { rows, total } = await c.get('services').entries.list(list, c.req.valid('query'), scope);
      c.header('x-total-count', String(total));
      return c.json(rows, 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries',
      summary: '新建草稿 / create a draft',
      access: { kind: 'list', action: 'create' },
      request: { params: ListParam, body: anyBody },
      responses: { 201: { description: 'draft', ...json(Entry) }, ...authErrors, ...notFoundError, ...validationErrors, ...conflictError },
    }),
    async (c) => {
      const { list, principal } = listContext(c);
      const body = await readJson(c);
      const result = await idempotent(c, body, async (tx) => ({ status: 201 as const, body: await c.get('services').entries.create(list, body, principal, tx) }));
      return c.json(result.body as z.infer<typeof Entry>, result.status);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/entries/{id}',
      summary: '条目详情、历史、期限和可执行操作 / an entry with its history, due dates and open actions',
      access: { kind: 'list', action: 'view' },
      request: { params: EntryParam },
      responses: { 200: { description: 'entry', ...json(Entry) }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      return c.json(await c.get('services').entries.detail(list, c.req.valid('param').id, principal, scope), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'patch',
      path: '/api/lists/{listId}/entries/{id}',
      summary: '修改草稿 / edit a draft',
      access: { kind: 'list', action: 'edit-draft' },
      request: { params: EntryParam, body: anyBody },
      responses: { 200: { description: 'entry', ...json(Entry) }, ...authErrors, ...notFoundError, ...validationErrors, ...conflictError },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      return c.json(await c.get('services').entries.update(list, c.req.valid('param').id, await readJson(c), principal, scope), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'delete',
      path: '/api/lists/{listId}/entries/{id}',
      summary: '删除草稿 / delete a draft',
      access: { kind: 'list', action: 'edit-draft' },
      request: { params: EntryParam },
      responses: { 204: { description: 'deleted' }, ...authErrors, ...notFoundError, ...conflictError },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      await c.get('services').entries.remove(list, c.req.valid('param').id, principal, scope);
      return c.body(null, 204);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries/{id}/actions/{action}',
      summary: '办理操作（告知、认定、公示、移出……）/ take a procedure action; body {version, comment, ...inputs}; Idempotency-Key supported',
      access: { kind: 'transition' },
      request: { params: ActionParam, body: anyBody },
      responses: { 200: { description: 'entry', ...json(Entry) }, ...authErrors, ...notFoundError, ...validationErrors, ...conflictError },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      const { id, action } = c.req.valid('param');
      const body = await readJson(c);
      const s = c.get('services');
      const result = await idempotent(c, body, async (tx) => {
        await performAction(tx, s.engine, { list, entryId: id, transitionId: action, body, actor: { principal }, visible: scope });
        return { status: 200 as const, body: await s.entries.detail(list, id, principal, scope, tx) };
      });
      return c.json(result.body as z.infer<typeof Entry>, result.status);
    },
  );
}

/** Objections and repair applications filed by staff; the public portal files them too (source 'public'). */
export function registerRequestRoutes(app: AppRouter, r: Registrar): void {
  const ObjectionParam = EntryParam.extend({ objectionId: z.string().max(64) });
  const RepairParam = EntryParam.extend({ repairId: z.string().max(64), decision: z.enum(['accept', 'refuse', 'reject']) });
  const Row = z.looseObject({ id: z.string(), status: z.string() });
  const errors = { ...authErrors, ...notFoundError, ...validationErrors, ...conflictError };

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries/{id}/objections',
      summary: '登记异议 / record an objection against a published entry',
      access: { kind: 'list', action: 'answer-objection' },
      request: { params: EntryParam, body: anyBody },
      responses: { 201: { description: 'objection', ...json(Row) }, ...errors },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      const body = await readJson(c);
      const s = c.get('services');
      const result = await idempotent(c, body, async (tx) => ({ status: 201 as const, body: await s.requests.fileObjection(tx, list, c.req.valid('param').id, body, { principal }, scope) }));
      return c.json(result.body as z.infer<typeof Row>, result.status);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries/{id}/objections/{objectionId}/answer',
      summary: '答复异议（更正／维持／驳回）/ answer an objection',
      access: { kind: 'list', action: 'answer-objection' },
      request: { params: ObjectionParam, body: anyBody },
      responses: { 200: { description: 'objection', ...json(Row) }, ...errors },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      const { id, objectionId } = c.req.valid('param');
      const body = await readJson(c);
      const s = c.get('services');
      const result = await idempotent(c, body, async (tx) => ({ status: 200 as const, body: await s.requests.answerObjection(tx, list, id, objectionId, body, { principal }, scope) }));
      return c.json(result.body as z.infer<typeof Row>, result.status);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries/{id}/repairs',
      summary: '登记信用修复申请 / record a repair application',
      access: { kind: 'list', action: 'repair' },
      request: { params: EntryParam, body: anyBody },
      responses: { 201: { description: 'repair', ...json(Row) }, ...errors },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      const body = await readJson(c);
      const s = c.get('services');
      const result = await idempotent(c, body, async (tx) => ({ status: 201 as const, body: await s.requests.applyRepair(tx, list, c.req.valid('param').id, body, { principal }, scope) }));
      return c.json(result.body as z.infer<typeof Row>, result.status);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/entries/{id}/repairs/{repairId}/{decision}',
      summary: '受理／不予受理／不予修复 / accept, refuse or reject a repair application (approval is the entry action `repair`)',
      access: { kind: 'list', action: 'repair' },
      request: { params: RepairParam, body: anyBody },
      responses: { 200: { description: 'repair', ...json(Row) }, ...errors },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      const { id, repairId, decision } = c.req.valid('param');
      const body = await readJson(c);
      const s = c.get('services');
      const result = await idempotent(c, body, async (tx) => ({ status: 200 as const, body: await s.requests.decideRepair(tx, list, id, repairId, decision, body, { principal }, scope) }));
      return c.json(result.body as z.infer<typeof Row>, result.status);
    },
  );
}
