/**
 * Idempotency-Key for POSTs that change state. The key is claimed inside the
 * transaction of the change, so a repeat (even a concurrent one) gets the
 * first result and a failed attempt leaves the key free. A repeat must be the
 * same request: the key is stored with a digest of the canonical request
 * (caller, method, path, body), and the same key with anything else is
 * refused with 422 IDEMPOTENCY_KEY_REUSED, changing nothing. Keys are global,
 * not per caller: a key another caller used is refused too (clients send
 * random keys, so a clash is a client bug, never a reason to replay).
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { canonicalJson } from '../audit/canonical.ts';
import type { Db } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema.ts';
import type { AppEnv } from './env.ts';
import { AppError } from './errors.ts';

export type Replayable<S extends 200 | 201> = { status: S; body: unknown };

const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/** sha256 of the canonical request; `body` is the parsed JSON, or for uploads a digest of the raw bytes. */
export function requestDigest(scope: string, method: string, path: string, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ scope, method, path, body })).digest('hex');
}

export async function idempotent<S extends 200 | 201>(c: Context<AppEnv>, body: unknown, fn: (tx: Db) => Promise<Replayable<S>>): Promise<Replayable<S>> {
  const key = c.req.header('idempotency-key');
  const db = c.get('db').db;
  if (key === undefined) return db.transaction(fn);
  if (!KEY.test(key)) {
    throw new AppError(422, 'BAD_IDEMPOTENCY_KEY', 'Idempotency-Key 须为 8–100 位字母、数字或 _.:-', 'invalid Idempotency-Key', [{ path: 'Idempotency-Key', message: '格式错误', messageEn: 'bad format' }]);
  }
  const scope = c.get('principal')?.subject ?? 'anonymous';
  const method = c.req.method;
  const path = c.req.path;
  const digest = requestDigest(scope, method, path, body);
  return db.transaction(async (tx) => {
    const now = c.get('services').clock.now();
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ key, scope, method, path, digest, status: 0, body: null, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (!claimed.length) {
      // The first request has committed (a concurrent one waited on the key's row lock).
      const [prev] = await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
      if (!prev || prev.digest !== digest) {
        throw new AppError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          '该 Idempotency-Key 已用于另一个请求（调用方、地址或正文不同），本次请求未执行',
          'the Idempotency-Key was used for another request (caller, path or body differ); nothing was done',
          [{ path: 'Idempotency-Key', message: '请为新请求使用新的 Idempotency-Key', messageEn: 'use a new Idempotency-Key for a new request' }],
        );
      }
      return { status: prev.status as S, body: prev.body };
    }
    const result = await fn(tx);
    await tx.update(idempotencyKeys).set({ status: result.status, body: result.body as object }).where(eq(idempotencyKeys.key, key));
    return result;
  });
}
