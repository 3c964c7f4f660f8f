/**
 * Idempotency-Key over HTTP: a repeat of the same POST (same caller, route
 * and body) gets the first result and writes nothing more; the same key with
 * another body, route or caller is refused with 422 IDEMPOTENCY_KEY_REUSED and
 * leaves every written table as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledList } from '../../api/src/config/compile.ts';
import { createRng } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';
import { actorFor, as, dbDigest, draftBody, entryIn, inputsFor, morningOf, setClock } from '../support/procedure.ts';

let t: TestApp;
const rng = createRng('idempotency');
beforeAll(async () => {
  t = await startTestApp(demoConfig);
  await setClock(t, morningOf('2026-11-02'));
});
afterAll(() => t?.close());

const has = (list: CompiledList, id: string, from: string) => list.graph.transitions.some((tr) => tr.id === id && tr.from === from);
const racing = () => t.model.lists.find((l) => has(l, 'publish', 'recognised') && has(l, 'revoke', 'recognised')) as CompiledList;
const withObjections = () => t.model.lists.find((l) => l.objection !== false && has(l, 'publish', 'recognised')) as CompiledList;
let n = 0;
const freshKey = () => `idem-${Date.now()}-${++n}`;

async function post(user: string, path: string, body: unknown, key: string) {
  return t.json('POST', path, { ...(await as(t, user)), 'idempotency-key': key }, body);
}

/** The request is refused with IDEMPOTENCY_KEY_REUSED and no written table changes. */
async function refusedAsReuse(send: () => Promise<{ status: number; body: { error?: { code: string; message: string } } }>) {
  const before = await dbDigest(t.db);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  expect(res.body.error?.message).toMatch(/Idempotency-Key/);
  expect(await dbDigest(t.db)).toEqual(before);
}

describe(`Idempotency-Key checks the request (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('replays a created draft (201) for the same body, and refuses the key with another body', async () => {
    const list = racing();
    const operator = actorFor(t.model, list, 'create');
    const url = `/api/lists/${list.id}/entries`;
    const body = draftBody(list, rng, t.clock.today());
    const key = freshKey();
    const first = await post(operator, url, body, key);
    expect(first.status).toBe(201);
    const before = await dbDigest(t.db);
    // the same body with its keys in another order is the same request
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await post(operator, url, reordered, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await dbDigest(t.db), 'a replay writes nothing').toEqual(before);

    const other = draftBody(list, rng, t.clock.today());
    await refusedAsReuse(() => post(operator, url, other, key));
    // without the key the other body is simply a new draft
    expect((await t.json('POST', url, await as(t, operator), other)).status).toBe(201);
  });

  it('refuses the key of an action repeated with another body, on another route or by another caller', async () => {
    const list = racing();
    const e = await entryIn(t, list, 'recognised', rng);
    const reviewer = actorFor(t.model, list, 'publish');
    const key = freshKey();
    const first = await post(reviewer, `${e.url}/actions/publish`, { version: e.version }, key);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('published');
    const again = await post(reviewer, `${e.url}/actions/publish`, { version: e.version }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    await refusedAsReuse(() => post(reviewer, `${e.url}/actions/publish`, { version: e.version, comment: '再次提交' }, key));
    await refusedAsReuse(() => post(reviewer, `${e.url}/actions/revoke`, { version: e.version + 1, ...inputsFor(list, 'revoke', t.clock.today(), rng) }, key));
    // another caller (every demo role is held by one account, so another caller is on another route too)
    const other = t.model.lists.find((l) => actorFor(t.model, l, 'create') !== reviewer) as CompiledList;
    const otherCaller = actorFor(t.model, other, 'create');
    expect(otherCaller).not.toBe(reviewer);
    await refusedAsReuse(() => post(otherCaller, `/api/lists/${other.id}/entries`, draftBody(other, rng, t.clock.today()), key));
  });

  it('replays an objection filed twice and refuses the key for a different objection', async () => {
    const list = withObjections();
    const e = await entryIn(t, list, 'published', rng);
    const staff = actorFor(t.model, list, 'answer-objection');
    const key = freshKey();
    const url = `${e.url}/objections`;
    const first = await post(staff, url, { content: '信息有误。' }, key);
    expect(first.status).toBe(201);
    const again = await post(staff, url, { content: '信息有误。' }, key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    await refusedAsReuse(() => post(staff, url, { content: '另一项异议。' }, key));
    const listed = await t.json('GET', e.url, await as(t, staff));
    expect(listed.body.objections.filter((o: { id: string }) => o.id === first.body.id)).toHaveLength(1);
    expect(listed.body.objections).toHaveLength(1);
  });
});
