/**
 * Delivery status of the outbox for the office: messages by status and
 * endpoint (dead letters are status=dead), a summary per endpoint, and
 * requeueing a dead letter. Viewing needs view-audit, requeueing configure.
 */
import { z } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, type SQL } from 'drizzle-orm';
import { appendAudit } from '../audit/chain.ts';
import { outbox } from '../db/schema.ts';
import { AppError, notFound } from '../http/errors.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, ListQuery, notFoundError, validationErrors } from '../http/schemas.ts';
import { auditActor } from '../procedures/engine.ts';

const Status = z.enum(['pending', 'delivered', 'dead']);

const Message = z
  .object({
    id: z.number(),
    event: z.string(),
    entryId: z.string().nullable(),
    endpoint: z.string(),
    idempotencyKey: z.string(),
    status: z.string(),
    attempts: z.number(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
    payload: z.record(z.string(), z.unknown()),
  })
  .openapi('OutboxMessage');

const EndpointSummary = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string().nullable().describe('null for messages whose endpoint is no longer in the config'),
  enabled: z.boolean(),
  pending: z.number(),
  delivered: z.number(),
  dead: z.number(),
});

const sortable = { id: outbox.id, createdAt: outbox.createdAt, nextAttemptAt: outbox.nextAttemptAt, attempts: outbox.attempts, deliveredAt: outbox.deliveredAt } as const;

const view = (r: typeof outbox.$inferSelect): z.infer<typeof Message> => ({
  id: r.id,
  event: r.event,
  entryId: r.entryId,
  endpoint: r.endpoint,
  idempotencyKey: r.idempotencyKey,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt.toISOString(),
  lastError: r.lastError,
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  payload: r.payload,
});

export function registerOutboxRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/outbox',
      summary: '推送消息列表（含死信）/ outbox messages by status and endpoint (dead letters: status=dead)',
      access: { kind: 'global', action: 'view-audit' },
      request: {
        query: ListQuery.extend({
          status: Status.optional(),
          endpoint: z.string().max(64).optional(),
          entryId: z.uuid().optional(),
          _sort: z.enum(Object.keys(sortable) as [keyof typeof sortable]).optional(),
        }),
      },
      responses: { 200: { description: 'messages', content: { 'application/json': { schema: z.array(Message) } } }, ...authErrors, ...validationErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const db = c.get('db').db;
      const where: SQL[] = [];
      if (q.status) where.push(eq(outbox.status, q.status));
      if (q.endpoint) where.push(eq(outbox.endpoint, q.endpoint));
      if (q.entryId) where.push(eq(outbox.entryId, q.entryId));
      const cond = where.length ? and(...where) : undefined;
      const column = sortable[q._sort ?? 'id'];
      const order = q._order?.toLowerCase() === 'asc' ? asc(column) : desc(column);
      const limit = Math.min(200, Math.max(0, q._end - q._start));
      const [rows, [total]] = await Promise.all([
        db.select().from(outbox).where(cond).orderBy(order, desc(outbox.id)).limit(limit).offset(q._start),
        db.select({ n: count() }).from(outbox).where(cond),
      ]);
      c.header('x-total-count', String(total?.n ?? 0));
      c.header('access-control-expose-headers', 'x-total-count');
      return c.json(rows.map(view), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/outbox/summary',
      summary: '各推送地址的投递情况 / delivery counts per endpoint',
      access: { kind: 'global', action: 'view-audit' },
      responses: { 200: { description: 'per endpoint', content: { 'application/json': { schema: z.array(EndpointSummary) } } }, ...authErrors },
    }),
    async (c) => {
      const model = c.get('model');
      const counts = await c
        .get('db')
        .db.select({ endpoint: outbox.endpoint, status: outbox.status, n: count() })
        .from(outbox)
        .groupBy(outbox.endpoint, outbox.status);
      const byId = new Map<string, z.infer<typeof EndpointSummary>>();
      for (const ep of model.platform.outbox.endpoints) {
        byId.set(ep.id, { id: ep.id, name: ep.name, url: ep.url, enabled: ep.enabled, pending: 0, delivered: 0, dead: 0 });
      }
      for (const row of counts) {
        let s = byId.get(row.endpoint);
        if (!s) {
          s = { id: row.endpoint, name: row.endpoint, url: null, enabled: false, pending: 0, delivered: 0, dead: 0 };
          byId.set(row.endpoint, s);
        }
        if (row.status === 'pending' || row.status === 'delivered' || row.status === 'dead') s[row.status] += Number(row.n);
      }
      return c.json([...byId.values()], 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/outbox/{id}/requeue',
      summary: '重新投递死信 / requeue a dead letter: pending again, attempts from zero, due now',
      access: { kind: 'global', action: 'configure' },
      request: { params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }) },
      responses: {
        200: { description: 'requeued', content: { 'application/json': { schema: Message } } },
        ...authErrors,
        ...notFoundError,
        ...conflictError,
        ...validationErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const p = c.get('principal');
      if (!p) throw new Error('global route without a principal');
      const now = c.get('services').clock.now();
      const row = await c.get('db').db.transaction(async (tx) => {
        const [m] = await tx.select().from(outbox).where(eq(outbox.id, id)).for('update');
        if (!m) throw notFound('推送消息', 'outbox message');
        if (m.status !== 'dead') {
          throw new AppError(409, 'NOT_DEAD_LETTER', `只能重新投递死信（当前状态：${m.status}）`, `only dead letters can be requeued (status: ${m.status})`);
        }
        const [updated] = await tx.update(outbox).set({ status: 'pending', attempts: 0, nextAttemptAt: now }).where(eq(outbox.id, id)).returning();
        await appendAudit(tx, {
          chain: 'outbox',
          actor: auditActor({ principal: p }),
          action: 'outbox.requeue',
          targetType: 'outbox',
          targetId: String(id),
          before: { status: m.status, attempts: m.attempts, lastError: m.lastError },
          after: { status: 'pending', attempts: 0 },
          at: now,
        });
        return updated!;
      });
      return c.json(view(row), 200);
    },
  );
}
