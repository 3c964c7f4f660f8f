/**
 * Refused requests: each gives its own status and error code in the one shape
 * {error:{code,message,details}}, and leaves the database as it was (row
 * counts and an md5 digest of entries, entry_events, audit_log, subjects,
 * objections, repairs, outbox and idempotency_keys, read with queryRows).
 * Generic over the demo config: every list type gets a wrong field, a field of
 * the wrong type, each required field missing, and the action errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledList } from '../../api/src/config/compile.ts';
import { loadRuntimeModel } from '../../api/src/config/compile.ts';
import { createRng } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';
import { actorFor, as, dbDigest, draftBody, entryIn, inputsFor, morningOf, setClock, wrongActorFor, wrongValueFor } from '../support/procedure.ts';

const model = await loadRuntimeModel(demoConfig);
const rng = createRng('errors');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(demoConfig);
  await setClock(t, morningOf('2026-11-02'));
});
afterAll(() => t?.close());

type Res = { status: number; body: { error?: { code: string; message: string; details: unknown[] } }; headers: Headers };

/** Sends the request, checks status, code and shape, and that no written table changed. */
async function refused(send: () => Promise<Res>, status: number, code: string): Promise<Res> {
  const before = await dbDigest(t.db);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type') ?? '').toMatch(/application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error).toEqual({ code, message: expect.any(String), details: expect.any(Array) });
  expect((res.body.error?.message ?? '').length).toBeGreaterThan(0);
  expect(await dbDigest(t.db), `${code}: the database changed`).toEqual(before);
  return res;
}

const paths = (res: Res) => ((res.body.error?.details ?? []) as { path?: string }[]).map((d) => d.path);
const raw = async (method: string, path: string, headers: Record<string, string>, body: string): Promise<Res> => {
  const res = await t.app.request(path, { method, headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
};

for (const list of model.lists) {
  describe(`${list.id}: refused requests leave no trace`, () => {
    const url = `/api/lists/${list.id}/entries`;
    const operator = () => as(t, actorFor(model, list, 'create'));

    it('refuses an undeclared field, a field of the wrong type and each missing required field (422 VALIDATION_FAILED)', async () => {
      const body = draftBody(list, rng, t.clock.today());
      const unknown = await refused(async () => t.json('POST', url, await operator(), { ...body, fields: { ...body.fields, colour: 'red' } }), 422, 'VALIDATION_FAILED');
      expect(unknown.body.error?.details[0]).toMatchObject({ path: 'fields', code: 'unrecognized_keys' });
      for (const f of list.fields) {
        const wrong = await refused(async () => t.json('POST', url, await operator(), { ...body, fields: { ...body.fields, [f.key]: wrongValueFor(f) } }), 422, 'VALIDATION_FAILED');
        expect(paths(wrong).some((p) => p?.startsWith(`fields.${f.key}`)), `${f.key} (${f.type}): ${JSON.stringify(wrong.body.error?.details)}`).toBe(true);
      }
      for (const f of list.fields.filter((x) => x.required)) {
        const { [f.key]: _gone, ...rest } = body.fields;
        const missing = await refused(async () => t.json('POST', url, await operator(), { ...body, fields: rest }), 422, 'VALIDATION_FAILED');
        expect(paths(missing)).toContain(`fields.${f.key}`);
      }
      const noSubject = await refused(async () => t.json('POST', url, await operator(), { fields: body.fields }), 422, 'VALIDATION_FAILED');
      expect(paths(noSubject)).toContain('subject');
    });

    it('answers each action error with its own code', async () => {
      const e = await entryIn(t, list, 'draft', rng);
      const reviewer = await as(t, actorFor(model, list, 'publish'));
      const withdrawer = await as(t, actorFor(model, list, 'withdraw'));
      const withdraw = inputsFor(list, 'withdraw', t.clock.today(), rng);

      await refused(async () => t.json('POST', `/api/lists/no-such-list/entries/${e.id}/actions/withdraw`, withdrawer, { version: 1, ...withdraw }), 404, 'LIST_NOT_FOUND');
      await refused(async () => t.json('POST', `/api/lists/no-such-list/entries`, withdrawer, draftBody(list, rng, t.clock.today())), 404, 'LIST_NOT_FOUND');
      await refused(async () => t.json('POST', `${e.url}/actions/no-such-action`, withdrawer, { version: 1 }), 404, 'UNKNOWN_ACTION');
      // an action of the engine that this list type does not have
      const absent = ['request-hearing', 'exit', 'repair', 'notify'].find((id) => !list.graph.transitions.some((tr) => tr.id === id));
      if (absent) await refused(async () => t.json('POST', `${e.url}/actions/${absent}`, withdrawer, { version: 1 }), 404, 'UNKNOWN_ACTION');
      // an action the list has, from another state
      const elsewhere = list.graph.transitions.find((tr) => tr.from !== 'draft' && tr.action !== 'system' && !list.graph.transitions.some((x) => x.id === tr.id && x.from === 'draft')) as (typeof list.graph.transitions)[number];
      const actor = await as(t, actorFor(model, list, elsewhere.action));
      await refused(async () => t.json('POST', `${e.url}/actions/${elsewhere.id}`, actor, { version: 1, ...inputsFor(list, elsewhere.id, t.clock.today(), rng) }), 409, 'ACTION_NOT_ALLOWED_IN_STATE');
      const stale = await refused(async () => t.json('POST', `${e.url}/actions/withdraw`, withdrawer, { version: 0, ...withdraw }), 409, 'VERSION_CONFLICT');
      expect(stale.body.error?.details[0]).toMatchObject({ path: 'version', current: 1 });
      await refused(async () => t.json('POST', `${e.url}/actions/withdraw`, withdrawer, { ...withdraw }), 422, 'VALIDATION_FAILED');
      const missing = await refused(async () => t.json('POST', `${e.url}/actions/withdraw`, withdrawer, { version: 1 }), 422, 'VALIDATION_FAILED');
      expect(paths(missing)).toEqual(['reason']);
      const wrong = await refused(async () => t.json('POST', `${e.url}/actions/withdraw`, withdrawer, { version: 1, reason: 42 }), 422, 'VALIDATION_FAILED');
      expect(paths(wrong)).toEqual(['reason']);
      const extra = await refused(async () => t.json('POST', `${e.url}/actions/withdraw`, withdrawer, { version: 1, ...withdraw, colour: 'red' }), 422, 'VALIDATION_FAILED');
      expect(extra.body.error?.details[0]).toMatchObject({ code: 'unrecognized_keys' });
      // malformed JSON: 400 (the code is checked once below, see 'malformed JSON')
      await refused(() => raw('POST', `${e.url}/actions/withdraw`, withdrawer, '{"version": 1, "reason": '), 400, expect.stringMatching(/^BAD_(JSON|REQUEST)$/) as unknown as string);
      await refused(() => raw('POST', url, withdrawer, '{not json'), 400, expect.stringMatching(/^BAD_(JSON|REQUEST)$/) as unknown as string);
      const array = await raw('POST', `${e.url}/actions/withdraw`, withdrawer, '[1, 2]');
      expect([400, 422]).toContain(array.status);
      const wrongRole = wrongActorFor(model, list, 'withdraw');
      if (wrongRole) await refused(async () => t.json('POST', `${e.url}/actions/withdraw`, await as(t, wrongRole), { version: 1, ...withdraw }), 403, 'FORBIDDEN');
      await refused(async () => t.json('POST', `${url}/00000000-0000-4000-8000-000000000000/actions/withdraw`, withdrawer, { version: 1, ...withdraw }), 404, 'ENTRY_NOT_FOUND');
      await refused(async () => t.json('POST', `${e.url}/actions/withdraw`, {}, { version: 1, ...withdraw }), 401, 'UNAUTHENTICATED');
      await refused(async () => t.json('POST', `${e.url}/actions/withdraw`, { ...withdrawer, 'idempotency-key': 'short' }, { version: 1, ...withdraw }), 422, 'BAD_IDEMPOTENCY_KEY');
      if (list.procedure.recognise === false) {
        await refused(async () => t.json('POST', `${e.url}/actions/publish`, reviewer, { version: 1 }), 422, 'DECISION_REQUIRED');
      }
      // and the entry is still the untouched draft
      const detail = await t.json('GET', e.url, withdrawer);
      expect(detail.body).toMatchObject({ status: 'draft', version: 1 });
      expect(detail.body.events.map((ev: { seq: number }) => ev.seq)).toEqual([1]);
    });
  });
}

describe('malformed JSON', () => {
  it('is answered with the API\'s own 400 BAD_JSON and its localised message, not the framework\'s BAD_REQUEST', async () => {
    const list = model.lists[0] as CompiledList;
    const e = await entryIn(t, list, 'draft', rng);
    const user = await as(t, actorFor(model, list, 'withdraw'));
    const res = await refused(() => raw('POST', `${e.url}/actions/withdraw`, user, '{"version": 1, "reason": '), 400, 'BAD_JSON');
    expect(res.body.error?.message).toBe('请求正文须为 JSON 对象');
    await refused(() => raw('POST', `${e.url}/actions/withdraw`, user, '[1, 2]'), 400, 'BAD_JSON');
  });
});

const firstList = (pred: (l: CompiledList) => boolean) => model.lists.find(pred) as CompiledList;

describe('dates that contradict the procedure are refused', () => {
  it('publish refuses a decision date in the future for a record type, as recognise and create do (422 DATE_IN_FUTURE)', async () => {
    const list = firstList((l) => l.procedure.recognise === false);
    const e = await entryIn(t, list, 'draft', rng);
    const reviewer = await as(t, actorFor(model, list, 'publish'));
    const tomorrow = t.app.services.engine.calendar.addDays(t.clock.today(), 30);
    await refused(async () => t.json('POST', `${e.url}/actions/publish`, reviewer, { version: 1, decisionNo: '决字〔2026〕9号', decisionDate: tomorrow }), 422, 'DATE_IN_FUTURE');
  });

  it('editing a draft refuses a decision date in the future, as creating it does (422 DATE_IN_FUTURE)', async () => {
    const list = firstList((l) => l.procedure.recognise === false);
    const e = await entryIn(t, list, 'draft', rng);
    const operator = await as(t, actorFor(model, list, 'edit-draft'));
    const future = t.app.services.engine.calendar.addDays(t.clock.today(), 30);
    const created = await t.json('POST', `/api/lists/${list.id}/entries`, operator, { ...draftBody(list, rng, t.clock.today()), decisionNo: '决字〔2026〕9号', decisionDate: future });
    expect(created.body.error?.code).toBe('DATE_IN_FUTURE');
    await refused(async () => t.json('PATCH', e.url, operator, { version: 1, decisionNo: '决字〔2026〕9号', decisionDate: future }), 422, 'DATE_IN_FUTURE');
  });

  it('recognise refuses a decision dated before the statement period it waits for is over (422)', async () => {
    const list = firstList((l) => l.procedure.notice !== false && l.procedure.recognise !== false);
    await setClock(t, morningOf('2026-11-02'));
    const e = await entryIn(t, list, 'notified', rng);
    const noticeEnd = e.body.due.notice_end as string;
    await setClock(t, morningOf(t.app.services.engine.calendar.addDays(noticeEnd, 1)));
    const reviewer = await as(t, actorFor(model, list, 'recognise'));
    // dated the day before the notice was served: the decision predates the prior notice
    const before = await dbDigest(t.db);
    const res = await t.json('POST', `${e.url}/actions/recognise`, reviewer, { version: e.version, decisionNo: '认字〔2026〕1号', decisionDate: '2026-11-01' });
    expect(res.status, `recognised with a decision dated 2026-11-01, before the notice of 2026-11-02 and its statement period ending ${noticeEnd}`).toBe(422);
    expect(await dbDigest(t.db)).toEqual(before);
  });
});
