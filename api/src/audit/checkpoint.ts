/**
 * Checkpoints: a periodic snapshot of every chain's head, themselves chained.
 * A hash chain alone cannot show that its newest rows were deleted; a
 * checkpoint remembers that chain X had reached seq N with hash H, so a later
 * verification notices when row (X, N) is gone (truncated) or different.
 *
 * What is hashed (exactly):
 *
 *   heads = { [chain]: { seq, hash } }   // every chain's head at that moment
 *   hash  = lower-case hex SHA-256 of the UTF-8 bytes of
 *           (previous checkpoint's hash ?? '') + canonicalJson(heads)
 *
 * where "previous" is the checkpoint with the next lower id. Deleting the
 * newest checkpoints together with the chain tails after them cannot be seen
 * from inside the database: for that, copy each checkpoint hash somewhere else
 * (log shipping, a signed report, another system).
 *
 * Cost: one pass over the (chain, seq) index (DISTINCT ON, read backwards, no
 * sort) and a heads document of roughly 100 bytes per chain. Fine for tens of
 * thousands of chains hourly; with one chain per entry at millions of entries,
 * write checkpoints daily or move to incremental ones (see the report).
 */
import { desc, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditCheckpoints, auditLog } from '../db/schema.ts';
import type { Clock } from '../procedures/clock.ts';
import { canonicalJson } from './canonical.ts';
import { AUDIT_LOCK_NAMESPACE, sha256Hex } from './chain.ts';

export type ChainHeads = Record<string, { seq: number; hash: string }>;

export type WrittenCheckpoint = { id: number; hash: string; chains: number; at: Date };

/** Second int of the advisory lock that serialises checkpoint writers. */
const CHECKPOINT_LOCK_KEY = 0;

export function checkpointHash(prevHash: string | null, heads: ChainHeads): string {
  return sha256Hex((prevHash ?? '') + canonicalJson(heads));
}

/**
 * Snapshots every chain head into audit_checkpoints. Safe to call from
 * several processes at once: writers queue on an advisory lock, so the
 * checkpoint chain never forks.
 */
export async function writeCheckpoint(db: Db, clock: Clock): Promise<WrittenCheckpoint> {
  return db.transaction(async (tx) => {
    // A lock namespace of its own (chains use AUDIT_LOCK_NAMESPACE), so appends never wait for it.
    await tx.execute(
      sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_NAMESPACE + 1))}, ${sql.raw(String(CHECKPOINT_LOCK_KEY))})`,
    );
    const [last] = await tx
      .select({ hash: auditCheckpoints.hash })
      .from(auditCheckpoints)
      .orderBy(desc(auditCheckpoints.id))
      .limit(1);
    // ORDER BY chain DESC, seq DESC walks the unique (chain, seq) index backwards.
    const rows = await tx
      .selectDistinctOn([auditLog.chain], { chain: auditLog.chain, seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .orderBy(desc(auditLog.chain), desc(auditLog.seq));
    const heads: ChainHeads = {};
    for (const r of rows) heads[r.chain] = { seq: r.seq, hash: r.hash };
    const hash = checkpointHash(last?.hash ?? null, heads);
    const at = clock.now();
    const [row] = await tx.insert(auditCheckpoints).values({ heads, hash, at }).returning({ id: auditCheckpoints.id });
    if (!row) throw new Error('writeCheckpoint: insert returned no row');
    return { id: row.id, hash, chains: rows.length, at };
  });
}
