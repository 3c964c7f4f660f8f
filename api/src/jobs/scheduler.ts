/**
 * The scheduler: exits entries whose term has ended and flags overdue work.
 * Idempotent, and run by one process at a time (a transaction-level advisory
 * lock: a second process that finds it taken skips the round).
 */
import { and, eq, inArray, lt, max, sql } from 'drizzle-orm';
import { writeCheckpoint } from '../audit/checkpoint.ts';
import { queryRows, type DbHandle } from '../db/client.ts';
import { auditCheckpoints, entries } from '../db/schema.ts';
import { type EngineDeps, performAction } from '../procedures/engine.ts';

const schedulerLock = 4_187_220_912;

export type JobResult = { ran: boolean; expired: number; overdueFlagged: number; overdueCleared: number };

export async function runScheduledJobs(deps: EngineDeps, handle: DbHandle): Promise<JobResult> {
  const today = deps.clock.today();
  const autoExpire = deps.model.lists.filter((l) => l.graph.transitions.some((t) => t.id === 'expire')).map((l) => l.id);
  return handle.db.transaction(async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${schedulerLock}) as ok`);
    if (!lock?.ok) return { ran: false, expired: 0, overdueFlagged: 0, overdueCleared: 0 };
    let expired = 0;
    if (autoExpire.length) {
      const due = await tx
        .select({ id: entries.id, listId: entries.listId })
        .from(entries)
        .where(and(eq(entries.status, 'published'), inArray(entries.listId, autoExpire), lt(entries.termEnd, today)))
        .for('update', { skipLocked: true });
      for (const row of due) {
        const list = deps.model.list(row.listId);
        if (!list) continue;
        await performAction(tx, deps, { list, entryId: row.id, transitionId: 'expire', body: {}, actor: { system: true }, visible: 'all' });
        expired++;
      }
    }
    // Overdue: publication late, an objection or repair past its time limit, or a term ended without exit.
    const overdue = sql`(
      (${entries.status} in ('draft', 'recognised') and ${entries.publishDue} < ${today})
      or (${entries.status} = 'published' and ${entries.termEnd} < ${today})
      or exists (select 1 from objections o where o.entry_id = ${entries.id} and o.status = 'received' and o.due_at < ${today})
      or exists (select 1 from repairs r where r.entry_id = ${entries.id}
                 and ((r.status = 'applied' and r.accept_due < ${today}) or (r.status = 'accepted' and r.decide_due < ${today}))))`;
    const flagged = await tx.update(entries).set({ overdue: true }).where(and(eq(entries.overdue, false), overdue)).returning({ id: entries.id });
    const cleared = await tx.update(entries).set({ overdue: false }).where(and(eq(entries.overdue, true), sql`not ${overdue}`)).returning({ id: entries.id });
    // A daily checkpoint of every audit chain head, so that a truncated chain shows.
    const [last] = await tx.select({ at: max(auditCheckpoints.at) }).from(auditCheckpoints);
    if (!last?.at || deps.clock.now().getTime() - last.at.getTime() > 86_400_000) await writeCheckpoint(tx, deps.clock);
    return { ran: true, expired, overdueFlagged: flagged.length, overdueCleared: cleared.length };
  });
}
