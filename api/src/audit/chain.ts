/**
 * The append-only, hash-chained audit log ("who did what cannot be silently
 * altered", domain principle 6).
 *
 * Chains. There is one hash chain per `chain` key (`entry:<uuid>`, `users`,
 * `api-keys`, `config`, `auth`, ...), so writes to different entries never
 * wait for each other. Within a chain, rows are numbered seq = 1, 2, 3, ...
 * without gaps; unique(chain, seq) backs that up in the database.
 *
 * What is hashed (exactly):
 *
 *   hash = lower-case hex SHA-256 of the UTF-8 bytes of
 *          (prev_hash ?? '') + canonicalJson({
 *            chain, seq, actor, action, targetType,
 *            targetId,   // null when absent
 *            before,     // null when absent
 *            after,      // null when absent
 *            at,         // at.toISOString(), e.g. "2026-03-31T02:00:00.000Z"
 *          })
 *
 *   prev_hash is the previous row's `hash` in the same chain (64 hex chars),
 *   or NULL (hashed as the empty string) for seq 1. `actor`, `before` and
 *   `after` are hashed as stored in jsonb: see canonical.ts (keys sorted,
 *   undefined dropped, Dates as ISO strings). Since the canonical JSON always
 *   starts with "{", the concatenation is unambiguous. The row's `id` is not
 *   hashed (it is allocated by a sequence and says nothing about the event).
 *
 * Locking. Before reading the chain head we take
 * `pg_advisory_xact_lock(AUDIT_LOCK_NAMESPACE, hashtext(chain))`, released at
 * COMMIT or ROLLBACK. Why not `SELECT ... ORDER BY seq DESC LIMIT 1 FOR UPDATE`:
 * (1) an empty chain has no row to lock, so two first appends would both pick
 * seq 1; (2) under READ COMMITTED a waiter on the old head wakes up once the
 * holder commits, re-checks *that* row and returns it, although a newer head now
 * exists: it would compute the same seq again and fail on unique(chain, seq).
 * The advisory lock has neither problem: the head is read by a statement that
 * starts after the lock was granted, so it sees the holder's committed row. A
 * hashtext collision between two chains only makes them wait for each other,
 * never breaks them. The two-int form lives in its own lock space, apart from
 * the single-bigint keys of migrations and jobs.
 *
 * Caveats for callers:
 * - Use the default READ COMMITTED isolation. Under REPEATABLE READ or
 *   SERIALIZABLE the transaction's snapshot may predate a concurrent append to
 *   the same chain, which then surfaces as a unique violation or serialisation
 *   failure: retry the transaction.
 * - A transaction that appends to several chains should append in a fixed
 *   order (e.g. sorted chain keys); otherwise two such transactions may
 *   deadlock (PostgreSQL detects it and aborts one).
 * - Append in the same transaction as the change it records: a rollback then
 *   leaves neither, and no seq is consumed (only the bigserial id, which may
 *   have gaps).
 */
import { createHash } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';
import { canonicalJson, toJsonValue } from './canonical.ts';

/** Who acted. `public` is an anonymous portal visitor. */
export type Actor = {
  kind: 'user' | 'api_key' | 'system' | 'public';
  id?: string;
  name?: string;
  department?: string;
};

export type AuditInput = {
  chain: string;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  at: Date;
};

export type AppendedAudit = { id: number; seq: number; hash: string };

/** The fields that go into a record's hash (see the file header). */
export type AuditHashContent = {
  chain: string;
  seq: number;
  actor: unknown;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  /** ISO 8601 with milliseconds, as Date#toISOString() writes it. */
  at: string;
};

/** First int of the advisory lock key of every chain; the second is hashtext(chain). */
export const AUDIT_LOCK_NAMESPACE = 0x61756469; // 'audi'

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** hash = sha256((prevHash ?? '') + canonicalJson(content)). */
export function auditRecordHash(prevHash: string | null, content: AuditHashContent): string {
  return sha256Hex((prevHash ?? '') + canonicalJson(content));
}

/**
 * Appends one record to its chain and returns its id, seq and hash. Pass the
 * transaction (`tx`) that makes the change being audited; given a plain `db`
 * it opens a transaction of its own (the lock lives only as long as one).
 */
export async function appendAudit(tx: Db, record: AuditInput): Promise<AppendedAudit> {
  if (!(tx instanceof PgTransaction)) {
    return tx.transaction((inner) => appendAudit(inner, record));
  }
  const { chain } = record;
  if (typeof chain !== 'string' || chain.length === 0) throw new TypeError('appendAudit: chain must be a non-empty string');
  if (!(record.at instanceof Date) || Number.isNaN(record.at.getTime())) {
    throw new TypeError('appendAudit: at must be a valid Date');
  }

  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_NAMESPACE))}, hashtext(${chain}))`);
  const [head] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.chain, chain))
    .orderBy(desc(auditLog.seq))
    .limit(1);

  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? null;
  // Hash exactly what jsonb will hold (JSON round trip), so verification of
  // the stored row reproduces it.
  const actor = toJsonValue(record.actor);
  const before = toJsonValue(record.before);
  const after = toJsonValue(record.after);
  const targetId = record.targetId ?? null;
  const hash = auditRecordHash(prevHash, {
    chain,
    seq,
    actor,
    action: record.action,
    targetType: record.targetType,
    targetId,
    before,
    after,
    at: record.at.toISOString(),
  });

  const [row] = await tx
    .insert(auditLog)
    .values({
      chain,
      seq,
      prevHash,
      hash,
      actor: actor as Record<string, unknown>,
      action: record.action,
      targetType: record.targetType,
      targetId,
      // SQL NULL rather than a jsonb 'null' when absent; both read back as null.
      before: before ?? null,
      after: after ?? null,
      at: record.at,
    })
    .returning({ id: auditLog.id });
  if (!row) throw new Error('appendAudit: insert returned no row');
  return { id: row.id, seq, hash };
}
