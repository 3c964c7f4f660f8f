/**
 * Issue 6: the lookup records' group commit, through HTTP. Concurrent lookups
 * share one multi-row INSERT; none is answered before the INSERT holding its
 * record has committed; if it fails, every lookup waiting on it answers 503
 * LOOKUP_NOT_RECORDED with no data, and nothing is registered.
 *
 * The batch size is what triggers a flush here (the wait is set far beyond
 * any test run), so batching is deterministic, not a matter of timing.
 */
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryLog, subjects } from '../../api/src/db/schema.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

const BATCH = 8;
let t: TestApp;
let op: Record<string, string>;
const rng = createRng('lookup-group-commit');
const known = { code: makeUscc(rng), name: makeCompanyName(rng) };

beforeAll(async () => {
  t = await startTestApp(demoConfig, undefined, { queryLog: { maxBatch: BATCH, maxWaitMs: 3_600_000 } });
  op = await t.login('scjg-operator');
  await t.db.db.insert(subjects).values({ kind: 'legal_person', code: known.code, name: known.name });
});
afterAll(() => t?.close());

const logCount = async () => (await t.db.db.select({ n: count() }).from(queryLog))[0]!.n;
const lookup = (purpose: string, code = known.code) => t.json('GET', `/api/subjects/${code}?purpose=${encodeURIComponent(purpose)}`, op);
/** Until `n` lookups have handed their record to the group commit (they then wait for the flush). */
async function submitted(n: number) {
  while (t.app.services.queryLog.stats().submitted < n) await new Promise((r) => setTimeout(r, 5));
}

describe(`lookup group commit (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('writes the records of concurrent lookups with one INSERT, each answer with its own record', async () => {
    const before = t.app.services.queryLog.stats();
    const purposes = Array.from({ length: BATCH }, (_, i) => `并发核查第${i + 1}号`);
    const answers = await Promise.all(purposes.map((p) => lookup(p)));
    expect(answers.map((a) => a.status)).toEqual(purposes.map(() => 200));
    const after = t.app.services.queryLog.stats();
    expect(after.flushes - before.flushes).toBe(1);
    expect(after.largestBatch).toBe(BATCH);
    // Each answer's queryId is the record written for that very lookup.
    const rows = await t.db.db.select().from(queryLog);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, a] of answers.entries()) {
      expect(a.body.subject).toMatchObject({ code: known.code, name: known.name });
      expect(byId.get(a.body.queryId)).toMatchObject({ subjectCode: known.code, purpose: purposes[i], resultCount: 0, department: 'scjg' });
    }
    expect(new Set(answers.map((a) => a.body.queryId)).size).toBe(BATCH);
  });

  it('answers no lookup before the INSERT holding its record has committed', async () => {
    const base = t.app.services.queryLog.stats().submitted;
    const rowsBefore = await logCount();
    const settled: number[] = [];
    const early = Array.from({ length: BATCH - 1 }, (_, i) =>
      lookup(`等待登记第${i + 1}号`).then((r) => {
        settled.push(i);
        return r;
      }),
    );
    await submitted(base + BATCH - 1);
    // Every read is done and its record handed over; the batch is not full, so nothing is written, nobody answered.
    expect(settled).toEqual([]);
    expect(await logCount()).toBe(rowsBefore);
    const last = await lookup('等待登记：凑满一批');
    const all = [...(await Promise.all(early)), last];
    expect(all.map((a) => a.status)).toEqual(all.map(() => 200));
    expect(await logCount()).toBe(rowsBefore + BATCH);
  });

  it('answers 503 LOOKUP_NOT_RECORDED, without data, to every lookup of a batch whose INSERT fails', async () => {
    // A trigger that refuses query_log rows: the INSERT fails as a full disk or a lost connection would.
    await t.db.db.execute(sql.raw(`create function gc_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`));
    await t.db.db.execute(sql.raw('create trigger gc_test_refuse before insert on query_log for each row execute function gc_test_refuse()'));
    const rowsBefore = await logCount();
    const failedBefore = t.app.services.queryLog.stats().failedFlushes;
    try {
      const answers = await Promise.all(Array.from({ length: BATCH }, (_, i) => lookup(`登记失败第${i + 1}号`)));
      for (const a of answers) {
        expect(a.status).toBe(503);
        expect(a.body).toEqual({ error: { code: 'LOOKUP_NOT_RECORDED', message: expect.stringMatching(/查询使用登记未能保存/), details: [] } });
        expect(JSON.stringify(a.body)).not.toContain(known.name);
      }
      expect(t.app.services.queryLog.stats().failedFlushes - failedBefore).toBe(1);
      expect(await logCount()).toBe(rowsBefore);
    } finally {
      await t.db.db.execute(sql.raw('drop trigger gc_test_refuse on query_log'));
      await t.db.db.execute(sql.raw('drop function gc_test_refuse()'));
    }
    // The next batch is written and answered as usual.
    const again = await Promise.all(Array.from({ length: BATCH }, (_, i) => lookup(`恢复后第${i + 1}号`)));
    expect(again.map((a) => a.status)).toEqual(again.map(() => 200));
    expect(await logCount()).toBe(rowsBefore + BATCH);
  });

  it('refused lookups (bad code, no purpose) hand nothing to the group commit', async () => {
    const before = t.app.services.queryLog.stats().submitted;
    expect((await lookup('x')).status).toBe(422);
    expect((await t.json('GET', `/api/subjects/${makeUscc(rng).slice(0, 17)}0?purpose=${encodeURIComponent('核查资格')}`, op)).status).toBe(422);
    expect(t.app.services.queryLog.stats().submitted).toBe(before);
  });
});
