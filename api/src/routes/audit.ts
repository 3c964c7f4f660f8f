/**
 * The audit log for the office (view-audit): search by actor, target, action
 * and time, and the chain verification of `pnpm audit:verify` over HTTP.
 */
import { z } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, gte, like, lt, or, type SQL, sql } from 'drizzle-orm';
import { verifyAudit } from '../audit/verify.ts';
import { auditLog } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, ListQuery, validationErrors } from '../http/schemas.ts';

const Record_ = z
  .object({
    id: z.number(),
    chain: z.string(),
    seq: z.number(),
    at: z.string(),
    actor: z.record(z.string(), z.unknown()),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    hash: z.string(),
  })
  .openapi('AuditRecord');

const Broken = z.object({
  table: z.enum(['audit_log', 'audit_checkpoints']),
  id: z.number(),
  chain: z.string().nullable(),
  seq: z.number().nullable(),
  reason: z.enum(['hash-mismatch', 'seq-gap', 'prev-mismatch', 'checkpoint-mismatch', 'truncated']),
});
const Verification = z
  .object({
    ok: z.boolean(),
    records: z.number(),
    chains: z.number(),
    checkpoints: z.number(),
    problems: z.number(),
    firstBroken: Broken.optional().describe('the first broken record (lowest id), or checkpoint when every record is sound'),
    checkedAt: z.string(),
  })
  .openapi('AuditVerification');

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export function registerAuditRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/audit',
      summary: '审计日志查询 / search the audit log by actor, target, action and time',
      access: { kind: 'global', action: 'view-audit' },
      request: {
        query: ListQuery.extend({
          actor: z.string().trim().min(1).max(100).optional().describe('actor id (exact) or name (contains)'),
          actorKind: z.enum(['user', 'api_key', 'system', 'public']).optional(),
          action: z.string().trim().min(1).max(100).optional().describe('exact action, or a prefix ending in "." (e.g. "auth.")'),
          targetType: z.string().trim().min(1).max(64).optional(),
          targetId: z.string().trim().min(1).max(100).optional(),
          chain: z.string().trim().min(1).max(200).optional(),
          from: z.iso.datetime({ offset: true }).optional().describe('at or after'),
          to: z.iso.datetime({ offset: true }).optional().describe('before'),
        }),
      },
      responses: { 200: { description: 'records, newest first', content: { 'application/json': { schema: z.array(Record_) } } }, ...authErrors, ...validationErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.from && q.to && new Date(q.from) >= new Date(q.to)) {
        throw new AppError(422, 'VALIDATION_FAILED', '开始时间须早于结束时间', 'from must be before to', [{ path: 'from', message: '开始时间须早于结束时间', messageEn: 'from must be before to' }]);
      }
      const where: SQL[] = [];
      if (q.actor) {
        where.push(or(sql`${auditLog.actor}->>'id' = ${q.actor}`, sql`${auditLog.actor}->>'name' ilike ${`%${escapeLike(q.actor)}%`}`) as SQL);
      }
      if (q.actorKind) where.push(sql`${auditLog.actor}->>'kind' = ${q.actorKind}`);
      if (q.action) where.push(q.action.endsWith('.') ? like(auditLog.action, `${escapeLike(q.action)}%`) : eq(auditLog.action, q.action));
      if (q.targetType) where.push(eq(auditLog.targetType, q.targetType));
      if (q.targetId) where.push(eq(auditLog.targetId, q.targetId));
      if (q.chain) where.push(eq(auditLog.chain, q.chain));
      if (q.from) where.push(gte(auditLog.at, new Date(q.from)));
      if (q.to) where.push(lt(auditLog.at, new Date(q.to)));
      const cond = where.length ? and(...where) : undefined;
      const limit = Math.min(200, Math.max(0, q._end - q._start));
      const db = c.get('db').db;
      const [rows, [total]] = await Promise.all([
        db
          .select({
            id: auditLog.id,
            chain: auditLog.chain,
            seq: auditLog.seq,
            at: auditLog.at,
            actor: auditLog.actor,
            action: auditLog.action,
            targetType: auditLog.targetType,
            targetId: auditLog.targetId,
            // as text: drizzle would parse a top-level JSON string twice (see audit/verify.ts)
            before: sql<string | null>`${auditLog.before}::text`,
            after: sql<string | null>`${auditLog.after}::text`,
            hash: auditLog.hash,
          })
          .from(auditLog)
          .where(cond)
          .orderBy(...(q._order?.toLowerCase() === 'asc' ? [asc(auditLog.at), asc(auditLog.id)] : [desc(auditLog.at), desc(auditLog.id)]))
          .limit(limit)
          .offset(q._start),
        db.select({ n: count() }).from(auditLog).where(cond),
      ]);
      c.header('x-total-count', String(total?.n ?? 0));
      return c.json(
        rows.map((row) => ({
          ...row,
          at: row.at.toISOString(),
          before: row.before === null ? null : (JSON.parse(row.before) as unknown),
          after: row.after === null ? null : (JSON.parse(row.after) as unknown),
        })),
        200,
      );
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/audit/verify',
      summary: '校验审计哈希链 / recompute every audit chain and checkpoint; names the first broken record',
      access: { kind: 'global', action: 'view-audit' },
      responses: { 200: { description: 'result (ok false when broken)', content: { 'application/json': { schema: Verification } } }, ...authErrors },
    }),
    async (c) => {
      const result = await verifyAudit(c.get('db').db);
      return c.json({ ...result, checkedAt: c.get('services').clock.now().toISOString() }, 200);
    },
  );
}
