/**
 * Recomputes every chain and checks every checkpoint.
 *
 * Rows are read in keyset batches ordered by (chain, seq), the unique index,
 * so memory stays flat at any table size. For each row, in this order:
 * - seq-gap:       seq is not 1 for the first row of a chain, or not previous seq + 1
 * - prev-mismatch: prev_hash is not the previous row's hash (NULL for the first row)
 * - hash-mismatch: hash is not sha256((prev_hash ?? '') + canonical content)
 * Then each checkpoint, in id order:
 * - checkpoint-mismatch: its hash is not sha256((previous checkpoint hash ?? '') + canonical heads),
 *   or a head (chain, seq) it names now has a different hash
 * - truncated: a head it names no longer exists (the chain's tail or the whole chain was deleted)
 *
 * jsonb columns are read as text and parsed here: drizzle's jsonb mapping
 * parses a top-level JSON string a second time ("123" would come back as 123),
 * which would make honest rows look tampered with.
 *
 * No snapshot is needed: appends during a run only add rows after a chain's
 * head and checkpoints only name rows that exist, so neither causes a false
 * alarm. Pass a transaction if you want a fixed snapshot anyway (on PGlite a
 * long transaction blocks every other query of the process).
 */
import { asc, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { auditCheckpoints, auditLog } from '../db/schema.ts';
import { auditRecordHash } from './chain.ts';
import { type ChainHeads, checkpointHash } from './checkpoint.ts';

export type RecordBreak = 'hash-mismatch' | 'seq-gap' | 'prev-mismatch';
export type CheckpointBreak = 'checkpoint-mismatch' | 'truncated';
export type BrokenReason = RecordBreak | CheckpointBreak;

export type BrokenAudit =
  | { table: 'audit_log'; id: number; chain: string; seq: number; reason: RecordBreak }
  /**
   * `id` is the checkpoint's id; `chain`/`seq` name the head that no longer
   * matches, or are null when the checkpoint's own hash or link is wrong.
   */
  | { table: 'audit_checkpoints'; id: number; chain: string | null; seq: number | null; reason: CheckpointBreak };

export type AuditVerification = {
  ok: boolean;
  /** audit_log rows checked. */
  records: number;
  /** distinct chains seen. */
  chains: number;
  /** checkpoints checked. */
  checkpoints: number;
  /** breaks found in total (records and checkpoint heads); 0 when ok. */
  problems: number;
  /**
   * The first break: the lowest audit_log id among broken records; only when
   * every record is sound, the lowest checkpoint id among broken checkpoints.
   */
  firstBroken?: BrokenAudit;
};

export type VerifyOptions = { batchSize?: number };

export async function verifyAudit(db: Db, opts: VerifyOptions = {}): Promise<AuditVerification> {
  const batchSize = opts.batchSize ?? 5000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('verifyAudit: batchSize must be a positive integer');

  let records = 0;
  let chains = 0;
  let problems = 0;
  let firstRecordBreak: Extract<BrokenAudit, { table: 'audit_log' }> | undefined;

  let prev: { chain: string; seq: number; hash: string } | undefined;
  for (;;) {
    const rows = await db
      .select({
        id: auditLog.id,
        chain: auditLog.chain,
        seq: auditLog.seq,
        prevHash: auditLog.prevHash,
        hash: auditLog.hash,
        actor: sql<string>`${auditLog.actor}::text`,
        action: auditLog.action,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        before: sql<string | null>`${auditLog.before}::text`,
        after: sql<string | null>`${auditLog.after}::text`,
        at: auditLog.at,
      })
      .from(auditLog)
      .where(prev ? sql`(${auditLog.chain}, ${auditLog.seq}) > (${prev.chain}, ${prev.seq})` : undefined)
      .orderBy(asc(auditLog.chain), asc(auditLog.seq))
      .limit(batchSize);

    for (const row of rows) {
      records++;
      const continues = prev !== undefined && prev.chain === row.chain;
      if (!continues) chains++;
      const expectedSeq = continues ? prev!.seq + 1 : 1;
      const expectedPrev = continues ? prev!.hash : null;

      let reason: RecordBreak | undefined;
      if (row.seq !== expectedSeq) reason = 'seq-gap';
      else if (row.prevHash !== expectedPrev) reason = 'prev-mismatch';
      else {
        const recomputed = auditRecordHash(row.prevHash, {
          chain: row.chain,
          seq: row.seq,
          actor: JSON.parse(row.actor) as unknown,
          action: row.action,
          targetType: row.targetType,
          targetId: row.targetId,
          before: parseJsonText(row.before),
          after: parseJsonText(row.after),
          at: row.at.toISOString(),
        });
        if (recomputed !== row.hash) reason = 'hash-mismatch';
      }
      if (reason) {
        problems++;
        if (!firstRecordBreak || row.id < firstRecordBreak.id) {
          firstRecordBreak = { table: 'audit_log', id: row.id, chain: row.chain, seq: row.seq, reason };
        }
      }
      // Go on from the row as stored, so one break is reported once, not for the rest of its chain.
      prev = { chain: row.chain, seq: row.seq, hash: row.hash };
    }
    if (rows.length < batchSize) break;
  }

  const cp = await verifyCheckpoints(db);
  problems += cp.problems;
  const firstBroken: BrokenAudit | undefined = firstRecordBreak ?? cp.firstBroken;
  return {
    ok: problems === 0,
    records,
    chains,
    checkpoints: cp.checkpoints,
    problems,
    ...(firstBroken ? { firstBroken } : {}),
  };
}

function parseJsonText(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

type CheckpointResult = {
  checkpoints: number;
  problems: number;
  firstBroken?: Extract<BrokenAudit, { table: 'audit_checkpoints' }>;
};

/** Heads documents can be large (one key per chain), so only a few are loaded at a time. */
const CHECKPOINT_BATCH = 20;

async function verifyCheckpoints(db: Db): Promise<CheckpointResult> {
  let checkpoints = 0;
  let problems = 0;
  let firstBroken: CheckpointResult['firstBroken'];
  const note = (b: NonNullable<CheckpointResult['firstBroken']>) => {
    problems++;
    if (!firstBroken || b.id < firstBroken.id || (b.id === firstBroken.id && b.chain === null)) firstBroken = b;
  };

  // 1. The checkpoint chain: each hash recomputed over the previous one and its heads.
  let prevHash: string | null = null;
  let lastId = 0;
  for (;;) {
    const rows = await db
      .select({ id: auditCheckpoints.id, hash: auditCheckpoints.hash, heads: sql<string>`${auditCheckpoints.heads}::text` })
      .from(auditCheckpoints)
      .where(gt(auditCheckpoints.id, lastId))
      .orderBy(asc(auditCheckpoints.id))
      .limit(CHECKPOINT_BATCH);
    for (const row of rows) {
      checkpoints++;
      const heads = JSON.parse(row.heads) as ChainHeads;
      if (checkpointHash(prevHash, heads) !== row.hash) {
        note({ table: 'audit_checkpoints', id: row.id, chain: null, seq: null, reason: 'checkpoint-mismatch' });
      }
      prevHash = row.hash;
      lastId = row.id;
    }
    if (rows.length < CHECKPOINT_BATCH) break;
  }
  if (checkpoints === 0) return { checkpoints, problems };

  // 2. Every head a checkpoint names must still be there with the same hash.
  //    One join in the database; only the first mismatch and the count come back.
  //    The CASEs keep a tampered heads document from aborting the query.
  const [bad] = await queryRows<{ id: number | string; chain: string; seq: string | null; actual: string | null; total: number | string }>(
    db,
    sql`
      select c.id, h.key as chain, h.value->>'seq' as seq, a.hash as actual, count(*) over () as total
      from audit_checkpoints c
      cross join lateral jsonb_each(case when jsonb_typeof(c.heads) = 'object' then c.heads else '{}'::jsonb end) h
      left join audit_log a
        on a.chain = h.key
       and a.seq = case when h.value->>'seq' ~ '^[0-9]{1,9}$' then (h.value->>'seq')::int end
      where a.hash is distinct from h.value->>'hash'
      order by c.id, h.key
      limit 1`,
  );
  if (bad) {
    const total = Number(bad.total);
    const seq = bad.seq !== null && /^[0-9]{1,9}$/.test(bad.seq) ? Number(bad.seq) : null;
    note({
      table: 'audit_checkpoints',
      id: Number(bad.id),
      chain: bad.chain,
      seq,
      reason: bad.actual === null ? 'truncated' : 'checkpoint-mismatch',
    });
    problems += total - 1;
  }
  return { checkpoints, problems, ...(firstBroken ? { firstBroken } : {}) };
}
