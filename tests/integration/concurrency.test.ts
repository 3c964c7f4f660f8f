/**
 * Conflicting actions fired at one entry at once. On PostgreSQL (a pool of 24
 * connections, so the requests really meet in the database) the row lock and
 * the version check must let exactly one through; on PGlite (one connection,
 * transactions serialised) the same assertions hold. Each entry's event log
 * and audit chain stay gap-free, and an Idempotency-Key makes a repeated POST
 * (sequential or concurrent) return the first result with one event.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledList } from '../../api/src/config/compile.ts';
import { queryRows } from '../../api/src/db/client.ts';
import type { DbHandle } from '../../api/src/db/client.ts';
import { runScheduledJobs } from '../../api/src/jobs/scheduler.ts';
import { createRng } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';
import { actorFor, as, correctionFor, entryIn, eventSeqs, inputsFor, isGapFree, materials, morningOf, setClock } from '../support/procedure.ts';
import { openWideTestDatabase } from '../support/wide-db.ts';

let t: TestApp;
let db: DbHandle;
const rng = createRng('concurrency');
const N = 20;

beforeAll(async () => {
  db = await openWideTestDatabase(N + 4);
  t = await startTestApp(demoConfig, db);
});
afterAll(async () => {
  await t?.close();
  await db?.close();
});

const has = (list: CompiledList, id: string, from: string) => list.graph.transitions.some((tr) => tr.id === id && tr.from === from);
const lists = () => t.model.lists;
/** A list whose recognised entries can be published or revoked: the two race each other. */
const racing = () => lists().find((l) => has(l, 'publish', 'recognised') && has(l, 'revoke', 'recognised')) as CompiledList;
/** A list with repair, objections and automatic expiry. */
const full = () => lists().find((l) => has(l, 'repair', 'published') && l.objection !== false && l.graph.transitions.some((tr) => tr.id === 'expire')) as CompiledList;

async function auditSeqs(entryId: string): Promise<number[]> {
  const rows = await queryRows<{ seq: number }>(t.db.db, sql`select seq from audit_log where chain = ${`entry:${entryId}`} order by seq`);
  return rows.map((r) => Number(r.seq));
}

async function countEvents(entryId: string, action: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from entry_events where entry_id = ${entryId} and action = ${action}`);
  return Number(row?.n ?? 0);
}

async function expectConsistent(entryId: string) {
  const seqs = await eventSeqs(t.db, entryId);
  expect(isGapFree(seqs), `event seqs ${seqs.join(',')}`).toBe(true);
  const audit = await auditSeqs(entryId);
  expect(isGapFree(audit), `audit seqs ${audit.join(',')}`).toBe(true);
  // every event but the creation is one transition or request record, each audited once
  expect(audit.length).toBe(seqs.length);
  return seqs;
}

const post = async (user: string, path: string, body: unknown, headers: Record<string, string> = {}) => t.json('POST', path, { ...(await as(t, user)), ...headers }, body);
const codes = (rs: { status: number; body: { error?: { code: string } } }[]) => rs.map((r) => (r.status < 300 ? r.status : `${r.status} ${r.body.error?.code}`));

describe(`${N} conflicting actions at once (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it(`lets exactly one of ${N} parallel publishes with the same version through`, async () => {
    await setClock(t, morningOf('2026-11-02'));
    const list = racing();
    const e = await entryIn(t, list, 'recognised', rng);
    const reviewer = actorFor(t.model, list, 'publish');
    const before = (await expectConsistent(e.id)).length;
    const results = await Promise.all(Array.from({ length: N }, () => post(reviewer, `${e.url}/actions/publish`, { version: e.version })));
    const won = results.filter((r) => r.status === 200);
    expect(won.length, codes(results).join(' ')).toBe(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(['VERSION_CONFLICT', 'ACTION_NOT_ALLOWED_IN_STATE']).toContain(r.body.error.code);
    }
    expect(won[0]?.body).toMatchObject({ status: 'published', version: e.version + 1 });
    const seqs = await expectConsistent(e.id);
    expect(seqs.length).toBe(before + 1);
    expect(await countEvents(e.id, 'publish')).toBe(1);
    const [outbox] = await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from outbox where entry_id = ${e.id} and event = 'published'`);
    expect(Number(outbox?.n)).toBe(t.model.platform.outbox.endpoints.filter((ep) => (ep.events as string[]).includes('published')).length);
  });

  it(`lets exactly one of ${N / 2} publishes and ${N / 2} revocations through`, async () => {
    const list = racing();
    const e = await entryIn(t, list, 'recognised', rng);
    const publisher = actorFor(t.model, list, 'publish');
    const revoker = actorFor(t.model, list, 'revoke');
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        i % 2 ? post(publisher, `${e.url}/actions/publish`, { version: e.version }) : post(revoker, `${e.url}/actions/revoke`, { version: e.version, ...inputsFor(list, 'revoke', t.clock.today(), rng) }),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won.length, codes(results).join(' ')).toBe(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(['VERSION_CONFLICT', 'ACTION_NOT_ALLOWED_IN_STATE']).toContain(r.body.error.code);
    }
    const final = won[0]?.body.status;
    expect(['published', 'revoked']).toContain(final);
    await expectConsistent(e.id);
    expect((await countEvents(e.id, 'publish')) + (await countEvents(e.id, 'revoke'))).toBe(1);
  });

  it('serialises racing actions that carry the version each one read last (only the first of a chain wins per version)', async () => {
    // Every request reads the entry, then acts: a realistic client. Each version can be used once.
    const list = full();
    const e = await entryIn(t, list, 'published', rng);
    const corrector = actorFor(t.model, list, 'correct');
    const results = await Promise.all(
      Array.from({ length: N }, async () => {
        const read = await t.json('GET', e.url, await as(t, corrector));
        return post(corrector, `${e.url}/actions/correct`, { version: read.body.version, ...inputsFor(list, 'correct', t.clock.today(), rng, { fields: correctionFor(list, read.body.fields, rng, t.clock.today()) }) });
      }),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.status !== 200)) expect(`${r.status} ${r.body.error.code}`).toBe('409 VERSION_CONFLICT');
    const versions = won.map((r) => r.body.version as number).sort((a, b) => a - b);
    expect(new Set(versions).size).toBe(versions.length); // no version was produced twice
    const seqs = await expectConsistent(e.id);
    expect(await countEvents(e.id, 'correct')).toBe(won.length);
    const detail = await t.json('GET', e.url, await as(t, corrector));
    expect(detail.body.version).toBe(e.version + won.length);
    expect(seqs.length).toBe(detail.body.events.length);
  });

  it(`keeps the event log gap-free under ${N} parallel objections, and admits one of ${N} parallel repair applications`, async () => {
    const list = full();
    const e = await entryIn(t, list, 'published', rng);
    const reviewer = actorFor(t.model, list, 'answer-objection');
    const before = (await expectConsistent(e.id)).length;
    const filed = await Promise.all(Array.from({ length: N }, (_, i) => post(reviewer, `${e.url}/objections`, { content: `异议 ${i}` })));
    expect(filed.map((r) => r.status)).toEqual(Array(N).fill(201));
    expect((await expectConsistent(e.id)).length).toBe(before + N);

    const repairer = actorFor(t.model, list, 'repair');
    const requires = list.repair === false ? [] : list.repair.requires;
    const applied = await Promise.all(Array.from({ length: N }, () => post(repairer, `${e.url}/repairs`, { application: { reason: '申请修复。' }, materials: materials(requires) })));
    expect(applied.filter((r) => r.status === 201).length, codes(applied).join(' ')).toBe(1);
    for (const r of applied.filter((x) => x.status !== 201)) expect(`${r.status} ${r.body.error.code}`).toBe('409 REPAIR_PENDING');
    const [rows] = await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from repairs where entry_id = ${e.id}`);
    expect(Number(rows?.n)).toBe(1);

    // the answers race too: each objection is answered once
    const objectionId = filed[0]?.body.id;
    const answers = await Promise.all(Array.from({ length: N }, () => post(reviewer, `${e.url}/objections/${objectionId}/answer`, { version: 1, result: 'upheld', answer: '维持。' })));
    expect(answers.filter((r) => r.status === 200).length).toBe(1);
    for (const r of answers.filter((x) => x.status !== 200)) expect(['409 VERSION_CONFLICT', '409 ALREADY_ANSWERED']).toContain(`${r.status} ${r.body.error.code}`);
    expect((await expectConsistent(e.id)).length).toBe(before + N + 2);
  });

  it('expires each entry once when scheduler runs race each other and a revocation', async () => {
    const list = full();
    await setClock(t, morningOf('2027-03-01'));
    const entries = [];
    for (let i = 0; i < 4; i++) entries.push(await entryIn(t, list, 'published', rng));
    const termEnd = entries[0]?.body.due.term_end as string;
    await setClock(t, morningOf(t.app.services.engine.calendar.addDays(termEnd, 1)));
    const target = entries[0] as (typeof entries)[number];
    const revoker = actorFor(t.model, list, 'revoke');
    const [a, b, c, revoked] = await Promise.all([
      runScheduledJobs(t.app.services.engine, t.db),
      runScheduledJobs(t.app.services.engine, t.db),
      runScheduledJobs(t.app.services.engine, t.db),
      post(revoker, `${target.url}/actions/revoke`, { version: target.version, ...inputsFor(list, 'revoke', t.clock.today(), rng) }),
    ]);
    const ends = [];
    for (const e of entries) {
      const rows = await queryRows<{ action: string }>(t.db.db, sql`select action from entry_events where entry_id = ${e.id} and action in ('expire', 'revoke')`);
      expect(rows.length, `${e.id} left once`).toBe(1);
      ends.push(rows[0]?.action);
      await expectConsistent(e.id);
    }
    const expired = ends.filter((x) => x === 'expire').length;
    expect((a?.expired ?? 0) + (b?.expired ?? 0) + (c?.expired ?? 0)).toBeGreaterThanOrEqual(expired);
    if (revoked.status === 200) expect(ends[0]).toBe('revoke');
    else {
      expect(`${revoked.status} ${revoked.body.error.code}`).toMatch(/^409 (VERSION_CONFLICT|ACTION_NOT_ALLOWED_IN_STATE)$/);
      expect(ends[0]).toBe('expire');
    }
    expect([a, b, c].some((r) => r?.ran)).toBe(true);
  });
});

describe('document numbers under concurrency', () => {
  /** The serial number in 示市监信认〔2026〕3号. */
  const serial = (no: string) => Number(/〔\d{4}〕(\d+)号$/.exec(no)?.[1]);
  const consecutive = (ns: number[]) => [...ns].sort((a, b) => a - b).every((n, i, all) => i === 0 || n === (all[i - 1] as number) + 1);

  it(`numbers ${N} parallel notices and ${N} parallel decisions of one department without gaps or duplicates`, async () => {
    const list = lists().find((l) => l.procedure.notice !== false && l.procedure.recognise !== false && l.procedure.recognise.decision_document) as CompiledList;
    await setClock(t, morningOf('2027-06-01'));
    const drafts = [];
    for (let i = 0; i < N; i++) drafts.push(await entryIn(t, list, 'draft', rng));
    const notifier = actorFor(t.model, list, 'notify');
    const notified = await Promise.all(drafts.map((e) => post(notifier, `${e.url}/actions/notify`, { version: 1, serviceMethod: '直接送达' })));
    expect(codes(notified)).toEqual(Array(N).fill(200));
    const notices = notified.map((r) => r.body.events.at(-1).data.noticeNo as string);
    expect(new Set(notices).size, notices.join(' ')).toBe(N);
    expect(consecutive(notices.map(serial)), notices.join(' ')).toBe(true);

    const noticeEnd = notified[0]?.body.due.notice_end as string;
    await setClock(t, morningOf(t.app.services.engine.calendar.addDays(noticeEnd, 1)));
    const reviewer = actorFor(t.model, list, 'recognise');
    const decided = await Promise.all(drafts.map((e) => post(reviewer, `${e.url}/actions/recognise`, { version: 2, decisionDate: t.clock.today() })));
    expect(codes(decided)).toEqual(Array(N).fill(200));
    const numbers = decided.map((r) => r.body.decisionNo as string);
    expect(new Set(numbers).size, numbers.join(' ')).toBe(N);
    expect(consecutive(numbers.map(serial)), numbers.join(' ')).toBe(true);
    for (const e of drafts) await expectConsistent(e.id);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first result of a repeated POST and creates one event; a failed attempt leaves the key free', async () => {
    const list = racing();
    const e = await entryIn(t, list, 'recognised', rng);
    const reviewer = actorFor(t.model, list, 'publish');
    const key = { 'idempotency-key': `publish-${e.id}` };

    const stale = await post(reviewer, `${e.url}/actions/publish`, { version: e.version - 1 }, key);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const first = await post(reviewer, `${e.url}/actions/publish`, { version: e.version }, key);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('published');
    const again = await post(reviewer, `${e.url}/actions/publish`, { version: e.version }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // the same key with another body is another request: refused, not replayed
    const retried = await post(reviewer, `${e.url}/actions/publish`, { version: e.version + 5 }, key);
    expect(retried.status).toBe(422);
    expect(retried.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countEvents(e.id, 'publish')).toBe(1);
    await expectConsistent(e.id);

    const elsewhere = await post(reviewer, `${e.url}/actions/revoke`, { version: e.version + 1, ...inputsFor(list, 'revoke', t.clock.today(), rng) }, key);
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countEvents(e.id, 'revoke')).toBe(0);
    const bad = await post(reviewer, `${e.url}/actions/revoke`, { version: e.version + 1 }, { 'idempotency-key': 'x' });
    expect(bad.body.error.code).toBe('BAD_IDEMPOTENCY_KEY');
  });

  it(`returns the first result to ${N} concurrent repeats of one POST and creates one event`, async () => {
    const list = racing();
    const e = await entryIn(t, list, 'recognised', rng);
    const reviewer = actorFor(t.model, list, 'publish');
    const key = { 'idempotency-key': `concurrent-${e.id}` };
    const results = await Promise.all(Array.from({ length: N }, () => post(reviewer, `${e.url}/actions/publish`, { version: e.version }, key)));
    expect(codes(results)).toEqual(Array(N).fill(200));
    for (const r of results) expect(r.body).toEqual(results[0]?.body);
    expect(results[0]?.body).toMatchObject({ status: 'published', version: e.version + 1 });
    expect(await countEvents(e.id, 'publish')).toBe(1);
    await expectConsistent(e.id);
    const [row] = await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from idempotency_keys where key = ${key['idempotency-key']}`);
    expect(Number(row?.n)).toBe(1);
  });
});
