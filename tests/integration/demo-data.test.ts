/**
 * Demo data on the demo config: every list type, every state of every
 * procedure graph, made through the engine's services so that events, due
 * dates and audit chains are consistent; a second run adds nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../api/src/audit/verify.ts';
import { queryRows } from '../../api/src/db/client.ts';
import { planAll, type PlanEnv } from '../../api/src/demo/plan.ts';
import { type SeedResult, seedDemoData } from '../../api/src/demo/seed.ts';
import { createRng } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let result: SeedResult;
let seconds = 0;
const logs: string[] = [];

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  const started = performance.now();
  result = await seedDemoData(t.app, t.db, { log: (m) => logs.push(m) });
  seconds = (performance.now() - started) / 1000;
}, 600_000);
afterAll(() => t?.close());

const rows = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => queryRows<T>(t.db.db, query);

describe('demo data', () => {
  it('fills every list type and every state of its procedure graph, with no step refused', async () => {
    process.stdout.write(`demo data on ${t.db.kind}: ${result.entries} entries in ${seconds.toFixed(1)} s\n${logs.join('\n')}\n`);
    expect(logs.filter((l) => /stopped at|skipped|no entry can reach/.test(l))).toEqual([]);
    expect(result.entries).toBeGreaterThanOrEqual(300);
    expect(result.entries).toBeLessThanOrEqual(500);
    const counted = await rows<{ list_id: string; status: string; n: number }>(sql`select list_id, status, count(*)::int as n from entries group by list_id, status`);
    expect(counted.reduce((s, r) => s + r.n, 0)).toBe(result.entries);
    for (const list of t.model.lists) {
      const states = result.byList[list.id] ?? {};
      for (const s of list.graph.states) expect({ list: list.id, state: s.id, present: (states[s.id] ?? 0) > 0 }).toEqual({ list: list.id, state: s.id, present: true });
      expect(Object.keys(states).every((s) => list.graph.states.some((x) => x.id === s))).toBe(true);
    }
  });

  it('has exits both early and at the end of the term, and requests in every state', async () => {
    const exits = await rows<{ reason: string }>(sql`select distinct split_part(exit_reason, ':', 1) as reason from entries where status = 'exited'`);
    expect(exits.map((r) => r.reason).sort()).toEqual(['early', 'expired']);
    const objections = await rows<{ status: string; result: string | null }>(sql`select distinct status, result from objections`);
    expect(objections.map((o) => `${o.status}:${o.result ?? ''}`).sort()).toEqual(['answered:corrected', 'answered:rejected', 'answered:upheld', 'received:']);
    const repairs = await rows<{ status: string }>(sql`select distinct status from repairs`);
    expect(repairs.map((r) => r.status)).toEqual(expect.arrayContaining(['applied', 'accepted', 'refused', 'approved', 'rejected']));
    const invalid = await rows<{ n: number }>(sql`select count(*)::int as n from subjects where not code_valid`);
    expect(invalid[0]?.n).toBe(0);
    const persons = await rows<{ n: number }>(sql`select count(*)::int as n from entries e join subjects s on s.id = e.subject_id where s.kind = 'natural_person'`);
    expect(persons[0]?.n).toBeGreaterThan(0);
  });

  it('gives every entry gap-free events in time order, each with its audit record', async () => {
    const gaps = await rows<{ entry_id: string }>(sql`
      select e.id as entry_id from entries e left join entry_events ev on ev.entry_id = e.id
      group by e.id having count(ev.id) = 0 or min(ev.seq) <> 1 or max(ev.seq) <> count(ev.id)`);
    expect(gaps).toEqual([]);
    const backwards = await rows<{ n: number }>(sql`
      select count(*)::int as n from entry_events a join entry_events b on b.entry_id = a.entry_id and b.seq = a.seq + 1 where b.at < a.at`);
    expect(backwards[0]?.n).toBe(0);
    const unaudited = await rows<{ entry_id: string }>(sql`
      select e.id as entry_id from entries e
      where (select count(*) from entry_events ev where ev.entry_id = e.id)
         <> (select count(*) from audit_log a where a.chain = 'entry:' || e.id::text)`);
    expect(unaudited).toEqual([]);
    const future = await rows<{ n: number }>(sql`select count(*)::int as n from entry_events where at > ${t.clock.now().toISOString()}::timestamptz`);
    expect(future[0]?.n).toBe(0);
    const audit = await verifyAudit(t.db.db);
    expect(audit.ok).toBe(true);
    expect(audit.records).toBeGreaterThan(result.entries * 3);
  });

  it('stores the due dates the states imply', async () => {
    const entries = await rows<{
      list_id: string;
      status: string;
      notice_end: string | null;
      publish_due: string | null;
      term_end: string | null;
      decision_date: string | null;
      published: boolean;
      exited_on: string | null;
      exit_reason: string | null;
      due: Record<string, string>;
    }>(sql`select list_id, status, notice_end::text, publish_due::text, term_end::text, decision_date::text, published_at is not null as published,
            (exited_at at time zone ${t.model.platform.timezone})::date::text as exited_on, exit_reason, due from entries`);
    const today = t.clock.today();
    for (const e of entries) {
      const list = t.model.list(e.list_id);
      if (!list) throw new Error(`unknown list ${e.list_id}`);
      const where = `${e.list_id} ${e.status}`;
      if (e.status === 'notified' && list.clocks.some((c) => c.id === 'notice_end')) expect(e.notice_end, where).toBeTruthy();
      if (['recognised', 'published', 'exited', 'repaired'].includes(e.status)) {
        expect(e.decision_date, where).toBeTruthy();
        expect(e.publish_due, where).toBeTruthy();
      }
      if (e.status === 'published') {
        expect(e.published, where).toBe(true);
        if (list.term !== 'none') {
          expect(e.term_end, where).toBeTruthy();
          expect(e.due.term_end, where).toBe(e.term_end);
          expect(e.term_end! >= today, `${where}: term ended ${e.term_end} but not expired`).toBe(true);
        }
      }
      if (['exited', 'repaired', 'revoked'].includes(e.status)) {
        expect(e.exited_on, where).toBeTruthy();
        expect(e.exit_reason, where).toBeTruthy();
      }
      if (e.status === 'exited' && e.exit_reason === 'expired') {
        expect(e.exited_on! > e.term_end!, where).toBe(true);
      }
    }
  });

  it('is deterministic for a seed and adds nothing the second time', async () => {
    const { model, calendar } = t.app.services.engine;
    const today = t.clock.today();
    const env: PlanEnv = {
      model,
      calendar,
      timeZone: model.platform.timezone,
      now: t.clock.now().getTime(),
      today,
      windowStart: calendar.addMonths(today, -18),
      departments: (l) => [l.department],
    };
    const plan = (seed: string) => JSON.stringify(planAll(env, createRng(seed), 200).plans.map((p) => [p.list.id, p.target, p.steps]));
    expect(plan('a')).toBe(plan('a'));
    expect(plan('a')).not.toBe(plan('b'));

    const before = await rows<{ n: number }>(sql`select count(*)::int as n from entries`);
    const again = await seedDemoData(t.app, t.db, {});
    expect(again).toEqual({ entries: 0, byList: {} });
    const after = await rows<{ n: number }>(sql`select count(*)::int as n from entries`);
    expect(after[0]?.n).toBe(before[0]?.n);
  });
});
