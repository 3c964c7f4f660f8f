import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.ts';

/** A flush whose completion the test controls: every call is recorded and waits for release(). */
function controlledFlush() {
  const calls: { records: number[]; release: () => void; fail: (e: unknown) => void }[] = [];
  const flush = (records: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      calls.push({ records: [...records], release: () => resolve(records.map((r) => r * 10)), fail: reject });
    });
  return { calls, flush };
}

/** Lets every settled promise callback run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

/** Tracks whether a promise has settled, without awaiting it. */
function watch<T>(p: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  p.then(
    (value) => Object.assign(state, { done: true, value }),
    (error) => Object.assign(state, { done: true, error }),
  );
  return state;
}

describe('group commit', () => {
  it('flushes a full batch at once, in submission order, and answers each record with its own result', async () => {
    const f = controlledFlush();
    // A wait no test run reaches: only the batch size triggers the flush.
    const gc = createGroupCommit({ flush: f.flush, maxBatch: 3, maxWaitMs: 60_000 });
    const answers = [1, 2, 3].map((n) => gc.submit(n));
    await settle();
    expect(f.calls.map((c) => c.records)).toEqual([[1, 2, 3]]);
    f.calls[0]!.release();
    expect(await Promise.all(answers)).toEqual([10, 20, 30]);
    expect(gc.stats()).toEqual({ submitted: 3, flushes: 1, failedFlushes: 0, largestBatch: 3 });
  });

  it('answers nobody before the flush holding its record has finished', async () => {
    const f = controlledFlush();
    const gc = createGroupCommit({ flush: f.flush, maxBatch: 2, maxWaitMs: 60_000 });
    const a = watch(gc.submit(1));
    const b = watch(gc.submit(2));
    await settle();
    expect(f.calls).toHaveLength(1);
    // The flush is running (the INSERT has not committed): nothing is answered.
    await settle();
    expect([a.done, b.done]).toEqual([false, false]);
    f.calls[0]!.release();
    await settle();
    expect([a, b]).toEqual([
      { done: true, value: 10 },
      { done: true, value: 20 },
    ]);
  });

  it('flushes a partial batch after the wait', async () => {
    const f = controlledFlush();
    const gc = createGroupCommit({ flush: f.flush, maxBatch: 100, maxWaitMs: 1 });
    const a = gc.submit(7);
    // Waits for the timer (however long the machine takes), not for a fixed time.
    while (!f.calls.length) await new Promise((r) => setTimeout(r, 1));
    expect(f.calls[0]!.records).toEqual([7]);
    f.calls[0]!.release();
    expect(await a).toBe(70);
  });

  it('keeps later records waiting while a flush runs, then flushes them together, in order', async () => {
    const f = controlledFlush();
    const gc = createGroupCommit({ flush: f.flush, maxBatch: 2, maxWaitMs: 60_000, maxInFlight: 1 });
    const answers = [1, 2, 3, 4, 5].map((n) => gc.submit(n));
    await settle();
    // One flush at a time: [1, 2] runs, 3..5 wait although [3, 4] is full.
    expect(f.calls.map((c) => c.records)).toEqual([[1, 2]]);
    f.calls[0]!.release();
    await settle();
    expect(f.calls.map((c) => c.records)).toEqual([[1, 2], [3, 4]]);
    f.calls[1]!.release();
    await settle();
    // 5 has waited for the previous flushes: it goes at once, without waiting for company.
    expect(f.calls.map((c) => c.records)).toEqual([[1, 2], [3, 4], [5]]);
    f.calls[2]!.release();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
  });

  it('rejects every record of a failed flush with its error, and only those', async () => {
    const f = controlledFlush();
    const gc = createGroupCommit({ flush: f.flush, maxBatch: 2, maxWaitMs: 60_000, maxInFlight: 2 });
    const first = [1, 2].map((n) => watch(gc.submit(n)));
    const second = [3, 4].map((n) => watch(gc.submit(n)));
    await settle();
    expect(f.calls).toHaveLength(2);
    const boom = new Error('insert failed');
    f.calls[0]!.fail(boom);
    f.calls[1]!.release();
    await settle();
    expect(first).toEqual([
      { done: true, error: boom },
      { done: true, error: boom },
    ]);
    expect(second).toEqual([
      { done: true, value: 30 },
      { done: true, value: 40 },
    ]);
    expect(gc.stats()).toMatchObject({ flushes: 2, failedFlushes: 1 });
  });

  it('rejects the batch when the flush answers the wrong number of results', async () => {
    const gc = createGroupCommit<number, number>({ flush: async () => [1], maxBatch: 2, maxWaitMs: 60_000 });
    const answers = [gc.submit(1), gc.submit(2)];
    for (const a of answers) await expect(a).rejects.toThrow(/1 results for 2 records/);
  });

  it('drain flushes what waits and resolves when every flush is done', async () => {
    const written: number[][] = [];
    const gc = createGroupCommit<number, number>({
      flush: async (records) => {
        written.push([...records]);
        return records.map((r) => -r);
      },
      maxBatch: 10,
      maxWaitMs: 60_000,
    });
    const answers = [1, 2, 3].map((n) => gc.submit(n));
    await gc.drain();
    expect(written).toEqual([[1, 2, 3]]);
    expect(await Promise.all(answers)).toEqual([-1, -2, -3]);
  });

  it('refuses nonsensical options', () => {
    const flush = async (r: readonly number[]) => [...r];
    expect(() => createGroupCommit({ flush, maxBatch: 0 })).toThrow(RangeError);
    expect(() => createGroupCommit({ flush, maxWaitMs: -1 })).toThrow(RangeError);
    expect(() => createGroupCommit({ flush, maxInFlight: 0 })).toThrow(RangeError);
  });
});
