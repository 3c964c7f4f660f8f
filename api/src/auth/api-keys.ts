/**
 * API keys for business systems (应查尽查 check-before-act): created by the office,
 * shown once, stored as a hash, limited to the actions of the api_key roles.
 */
import { desc, eq, isNull, and } from 'drizzle-orm';
import type { RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { apiKeys } from '../db/schema.ts';
import { apiKeySubject } from '../authz/policy.ts';
import { AppError, notFound } from '../http/errors.ts';
import type { EventBus } from '../http/events.ts';
import type { Clock } from '../procedures/clock.ts';
import { appendAudit } from '../audit/chain.ts';
import { apiKeyPrefix, hashToken, newToken } from './tokens.ts';

export type ApiKeyView = { id: string; name: string; department: string; prefix: string; createdAt: string; revokedAt: string | null; lastUsedAt: string | null };

const view = (k: typeof apiKeys.$inferSelect): ApiKeyView => ({
  id: k.id,
  name: k.name,
  department: k.department,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

export function createApiKeyService(model: RuntimeModel, db: Db, clock: Clock, events: EventBus) {
  const actions = [...new Set(model.roles.filter((r) => r.client === 'api_key').flatMap((r) => r.actions))];
  return {
    async list(): Promise<ApiKeyView[]> {
      return (await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt))).map(view);
    },
    async create(input: { name: string; department: string }, createdBy: string): Promise<ApiKeyView & { key: string }> {
      if (!model.department(input.department)) {
        throw new AppError(422, 'UNKNOWN_DEPARTMENT', `未知的部门“${input.department}”`, `unknown department "${input.department}"`, [{ path: 'department', message: '部门不存在' }]);
      }
      const key = newToken(apiKeyPrefix);
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(apiKeys)
          .values({ name: input.name, department: input.department, keyHash: hashToken(key), prefix: key.slice(0, 10), actions, createdBy, createdAt: now })
          .returning();
        if (!created) throw new Error('insert returned no row');
        await appendAudit(tx, { chain: `api-key:${created.id}`, actor: { kind: 'user', id: createdBy }, action: 'api-key.create', targetType: 'api_key', targetId: created.id, after: { name: input.name, department: input.department, prefix: created.prefix }, at: now });
        return created;
      });
      await events.publish({ type: 'subject-changed', subject: apiKeySubject(row.id) });
      return { ...view(row), key };
    },
    async revoke(id: string, by?: string): Promise<ApiKeyView> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('接口密钥', 'API key');
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const [revoked] = await tx.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning();
        if (!revoked) throw notFound('接口密钥', 'API key');
        await appendAudit(tx, { chain: `api-key:${id}`, actor: by ? { kind: 'user', id: by } : { kind: 'system' }, action: 'api-key.revoke', targetType: 'api_key', targetId: id, after: { revokedAt: now.toISOString() }, at: now });
        return revoked;
      });
      await events.publish({ type: 'subject-changed', subject: apiKeySubject(id) });
      return view(row);
    },
    /** The key's id and name when it is valid, else null. */
    async resolve(key: string): Promise<{ id: string; name: string } | null> {
      const [row] = await db.select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.keyHash, hashToken(key)));
      return row && !row.revokedAt ? { id: row.id, name: row.name } : null;
    },
  };
}
export type ApiKeyService = ReturnType<typeof createApiKeyService>;
