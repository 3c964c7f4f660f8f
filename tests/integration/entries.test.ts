import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let op: Record<string, string>;
let rv: Record<string, string>;
const rng = createRng('entries-test');
const L = '/api/lists/market-serious-illegal/entries';

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  op = await t.login('scjg-operator');
  rv = await t.login('scjg-reviewer');
});
afterAll(() => t.close());

const days = (n: number) => n * 86_400_000;

function draftBody(code = makeUscc(rng)) {
  return {
    subject: { kind: 'legal_person', code, name: makeCompanyName(rng) },
    fields: {
      penalty_decision_no: '示市监罚〔2026〕18号',
      violation: '生产销售不符合食品安全标准的食品，情节严重。',
      category: '食品安全',
      heavier_penalties: ['较大数额罚没款', '吊销许可证件'],
      fine_amount: 520000.5,
      penalty_decision: { number: '示市监罚〔2026〕18号', date: '2026-10-20', title: '行政处罚决定书' },
      intentional: true,
    },
  };
}

describe('entries of market-serious-illegal', () => {
  it('walks draft → notify → recognise → publish with guards, and keeps other departments out', async () => {
    const created = await t.json('POST', L, op, draftBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', version: 1, department: 'scjg' });
    const id = created.body.id;
    const url = `${L}/${id}`;

    const notified = await t.json('POST', `${url}/actions/notify`, op, { version: 1, serviceMethod: '直接送达' });
    expect(notified.status).toBe(200);
    expect(notified.body.status).toBe('notified');
    // Served on Monday 2026-11-02; five working days later is Monday 2026-11-09.
    expect(notified.body.noticeServedAt).toBe('2026-11-02');
    expect(notified.body.due.notice_end).toBe('2026-11-09');

    const early = await t.json('POST', `${url}/actions/recognise`, rv, { version: 2, decisionNo: '示市监信认〔2026〕1号', decisionDate: '2026-11-02' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOTICE_PERIOD_NOT_OVER');

    const statement = await t.json('POST', `${url}/actions/record-statement`, op, { version: 2, content: '当事人称已整改。' });
    expect(statement.status).toBe(200);
    await t.travel(days(10));
    const unanswered = await t.json('POST', `${url}/actions/recognise`, rv, { version: 3, decisionNo: '示市监信认〔2026〕1号', decisionDate: '2026-11-12' });
    expect(unanswered.body.error.code).toBe('STATEMENTS_UNANSWERED');
    const answered = await t.json('POST', `${url}/actions/record-statement`, op, { version: 3, answersSeq: 3, adopted: false, answer: '整改不影响认定。' });
    expect(answered.status).toBe(200);

    expect((await t.json('POST', `${url}/actions/recognise`, op, { version: 4, decisionNo: 'x', decisionDate: '2026-11-12' })).status).toBe(403);
    const missing = await t.json('POST', `${url}/actions/recognise`, rv, { version: 4 });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['decisionDate']);
    const stale = await t.json('POST', `${url}/actions/recognise`, rv, { version: 3, decisionNo: '示市监信认〔2026〕1号', decisionDate: '2026-11-12' });
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');

    const recognised = await t.json('POST', `${url}/actions/recognise`, rv, { version: 4, decisionNo: '示市监信认〔2026〕1号', decisionDate: '2026-11-12' });
    expect(recognised.status).toBe(200);
    expect(recognised.body).toMatchObject({ status: 'recognised', decisionNo: '示市监信认〔2026〕1号' });
    expect(recognised.body.due).toMatchObject({ term_end: '2029-11-12', min_period_end: '2027-11-12' });

    const published = await t.json('POST', `${url}/actions/publish`, rv, { version: 5 });
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    expect(published.body.events.map((e: { action: string }) => e.action)).toEqual([
      'create', 'notify', 'record-statement', 'record-statement', 'recognise', 'publish',
    ]);
    expect(published.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);

    const other = await t.login('sw-operator');
    expect((await t.json('GET', url, other)).status).toBe(403);
    const district = await t.login('scjg-dq-operator');
    expect((await t.json('GET', url, district)).status).toBe(404);
    const listed = await t.json('GET', L, district);
    expect(listed.status).toBe(200);
    expect(listed.body.find((e: { id: string }) => e.id === id)).toBeUndefined();
    const own = await t.json('GET', `${L}?status=published`, op);
    expect(own.body.map((e: { id: string }) => e.id)).toContain(id);
  });

  it('refuses unknown fields, bad codes without an override, and takes an override with a reason', async () => {
    const body = draftBody();
    const unknown = await t.json('POST', L, op, { ...body, fields: { ...body.fields, colour: 'red' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0]).toMatchObject({ path: 'fields', code: 'unrecognized_keys' });
    const bad = { ...body, subject: { ...body.subject, code: `${body.subject.code.slice(0, 17)}${body.subject.code.endsWith('0') ? '1' : '0'}` } };
    const refused = await t.json('POST', L, op, bad);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('INVALID_SUBJECT_CODE');
    expect(refused.body.error.details[0]).toMatchObject({ path: 'subject.code', overridable: true });
    const accepted = await t.json('POST', L, op, { ...bad, subject: { ...bad.subject, codeOverrideReason: '早期登记代码，经核实无误' } });
    expect(accepted.status).toBe(201);
    expect(accepted.body.subject.codeValid).toBe(false);
  });
});
