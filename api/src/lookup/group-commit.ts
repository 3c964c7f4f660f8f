/**
 * Group commit: records submitted by concurrent callers are written together,
 * one `flush` (one multi-row INSERT, one commit) per batch, and each caller's
 * promise settles only after the batch holding its record has been written.
 *
 * - A batch is flushed when it is full (`maxBatch`), or `maxWaitMs` after its
 *   first record arrived, whichever comes first. While `maxInFlight` flushes
 *   are running, new records wait and are flushed as soon as one finishes:
 *   under load the batches grow by themselves, idle there is at most
 *   `maxWaitMs` of extra latency.
 * - Records are flushed in the order they were submitted; `flush` must answer
 *   one result per record, in the order given (e.g. the ids RETURNING gives).
 * - If `flush` throws (or answers the wrong number of results), every record
 *   of that batch is rejected with the error: nobody is told "written" unless
 *   the write succeeded. Other batches are not affected.
 * - Flushes run in the async context the batcher was created in, not in the
 *   context of whichever request happened to open the batch (PGlite's
 *   transaction guard in db/client.ts looks at that context).
 */
import { AsyncResource } from 'node:async_hooks';

export type GroupCommitOptions<T, R> = {
  /** Writes the records durably and answers one result per record, in order. */
  flush: (records: readonly T[]) => Promise<readonly R[]>;
  /** Records per flush at most (default 64). */
  maxBatch?: number;
  /** How long the first record of a batch waits for company, in ms (default 2). */
  maxWaitMs?: number;
  /** Flushes running at once (default 1; a pool can take more). */
  maxInFlight?: number;
};

export type GroupCommitStats = { submitted: number; flushes: number; failedFlushes: number; largestBatch: number };

export type GroupCommit<T, R> = {
  /** Resolves with the record's result once its batch is written; rejects if that write failed. */
  submit(record: T): Promise<R>;
  /** Flushes what is waiting and resolves when every flush has finished (for shutdown and tests). */
  drain(): Promise<void>;
  stats(): GroupCommitStats;
};

type Waiting<T, R> = { record: T; resolve: (r: R) => void; reject: (e: unknown) => void };

export function createGroupCommit<T, R>(opts: GroupCommitOptions<T, R>): GroupCommit<T, R> {
  const maxBatch = opts.maxBatch ?? 64;
  const maxWaitMs = opts.maxWaitMs ?? 2;
  const maxInFlight = opts.maxInFlight ?? 1;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError('group commit: maxBatch must be an integer >= 1');
  if (!(maxWaitMs >= 0)) throw new RangeError('group commit: maxWaitMs must be >= 0');
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError('group commit: maxInFlight must be an integer >= 1');

  let pending: Waiting<T, R>[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** The wait of the oldest pending record is over: flush as soon as a slot is free. */
  let due = false;
  let inFlight = 0;
  const running = new Set<Promise<void>>();
  const stats: GroupCommitStats = { submitted: 0, flushes: 0, failedFlushes: 0, largestBatch: 0 };

  // Bound once, here: timers and flushes never run in a caller's async context.
  const onTimer = AsyncResource.bind(() => {
    timer = undefined;
    due = true;
    pump();
  });
  const start = AsyncResource.bind((batch: Waiting<T, R>[]) => {
    inFlight++;
    stats.flushes++;
    stats.largestBatch = Math.max(stats.largestBatch, batch.length);
    const done = (async () => {
      let results: readonly R[];
      try {
        results = await opts.flush(batch.map((w) => w.record));
        if (results.length !== batch.length) throw new Error(`group commit: flush answered ${results.length} results for ${batch.length} records`);
      } catch (err) {
        stats.failedFlushes++;
        for (const w of batch) w.reject(err);
        return;
      }
      batch.forEach((w, i) => w.resolve(results[i] as R));
    })().finally(() => {
      inFlight--;
      running.delete(done);
      // Records that arrived meanwhile have waited for this flush already.
      if (pending.length) due = true;
      pump();
    });
    running.add(done);
  });

  function pump(): void {
    while (inFlight < maxInFlight && pending.length && (due || pending.length >= maxBatch)) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      if (!pending.length) {
        due = false;
        if (timer) clearTimeout(timer);
        timer = undefined;
      }
      start(batch);
    }
    if (pending.length && !due && !timer) timer = setTimeout(onTimer, maxWaitMs);
  }

  return {
    submit(record) {
      stats.submitted++;
      return new Promise<R>((resolve, reject) => {
        pending.push({ record, resolve, reject });
        pump();
      });
    },
    async drain() {
      while (pending.length || running.size) {
        due = pending.length > 0;
        pump();
        await Promise.all([...running]);
      }
    },
    stats: () => ({ ...stats }),
  };
}
