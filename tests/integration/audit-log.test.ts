/**
 * The audit log over HTTP: logins (success and every kind of failure), logouts
 * and config changes are recorded; the office searches by actor, target,
 * action and time; GET /api/audit/verify names the first tampered record.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordConfigVersion } from '../../api/src/config/store.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Record<string, string>;
const rng = createRng('audit-log');

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  admin = await t.login('admin');
});
afterAll(() => t?.close());

const search = async (query: string) => {
  const res = await t.json('GET', `/api/audit?${query}`, admin);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
};

describe('audit records', () => {
  it('records a login, each failed login with its reason and address, and a logout', async () => {
    const h = { 'x-forwarded-for': '203.0.113.7' };
    expect((await t.json('POST', '/api/auth/login', h, { username: 'sw-operator', password: 'wrong' })).status).toBe(401);
    expect((await t.json('POST', '/api/auth/login', h, { username: 'nobody-here', password: 'wrong' })).status).toBe(401);
    const ok = await t.json('POST', '/api/auth/login', h, { username: 'sw-operator', password: 'Demo@123456' });
    expect(ok.status).toBe(200);
    const bearer = { authorization: `Bearer ${ok.body.token}`, ...h };
    expect((await t.json('POST', '/api/auth/logout', bearer)).status).toBe(204);
    expect((await t.json('GET', '/api/auth/me', bearer)).status).toBe(401);

    const mine = await search(`actor=sw-operator&action=auth.&_order=asc`);
    expect(mine.body.map((r: { action: string }) => r.action)).toEqual(['auth.login-failed', 'auth.login', 'auth.logout']);
    expect(mine.body[0].after).toMatchObject({ reason: 'wrong-password', failures: 1, address: '203.0.113.7' });
    expect(mine.body[1].after).toMatchObject({ address: '203.0.113.7' });
    expect(mine.body[2]).toMatchObject({ targetType: 'user', actor: { kind: 'user', name: 'sw-operator' } });

    const unknown = await search('action=auth.login-failed&actorKind=public');
    expect(unknown.body).toHaveLength(1);
    expect(unknown.body[0]).toMatchObject({ chain: 'auth', targetId: null, after: { reason: 'unknown-user', username: 'nobody-here', address: '203.0.113.7' } });
    expect(JSON.stringify(unknown.body)).not.toContain('wrong');
  });

  it('records a disabled account trying to log in', async () => {
    const created = await t.json('POST', '/api/users', admin, { username: 'to-disable', displayName: '停用测试', password: 'Initial#2026pw', roles: [] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect((await t.json('PATCH', `/api/users/${id}`, admin, { disabled: true })).status).toBe(200);
    expect((await t.json('POST', '/api/auth/login', {}, { username: 'to-disable', password: 'Initial#2026pw' })).status).toBe(401);
    const rows = await search(`targetType=user&targetId=${id}&_order=asc`);
    expect(rows.body.map((r: { action: string }) => r.action)).toEqual(['user.create', 'user.update', 'auth.login-failed']);
    expect(rows.body[2].after).toMatchObject({ reason: 'disabled' });
  });

  it('records a change of the config version in force, once', async () => {
    await recordConfigVersion(t.db.db, t.model, 'startup', 'first start', t.clock);
    await recordConfigVersion(t.db.db, t.model, 'startup', 'same files again', t.clock);
    await recordConfigVersion(t.db.db, { ...t.model, version: 'feedfacefeedface' }, 'office', 'edited in the studio', t.clock);
    const rows = await search('action=config.activate&_order=asc');
    expect(rows.body.map((r: { targetId: string }) => r.targetId)).toEqual([t.model.version, 'feedfacefeedface']);
    expect(rows.body[0].before).toBeNull();
    expect(rows.body[1]).toMatchObject({ chain: 'config', before: { version: t.model.version }, after: { version: 'feedfacefeedface', author: 'office', reason: 'edited in the studio' } });
    await recordConfigVersion(t.db.db, t.model, 'startup', 'back', t.clock);
  });
});

describe('audit search', () => {
  it('finds an entry’s records by target, and narrows by time', async () => {
    const op = await t.login('scjg-operator');
    const created = await t.json('POST', '/api/lists/market-serious-illegal/entries', op, {
      subject: { kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) },
      fields: {
        penalty_decision_no: '示市监罚〔2026〕19号',
        violation: '严重违法行为。',
        category: '食品安全',
        heavier_penalties: ['吊销许可证件'],
        penalty_decision: { number: '示市监罚〔2026〕19号', date: '2026-10-01', title: '行政处罚决定书' },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const before = t.clock.now().toISOString();
    await t.travel(60_000);
    const mid = t.clock.now().toISOString();
    expect((await t.json('PATCH', `/api/lists/market-serious-illegal/entries/${id}`, op, { version: 1, fields: { violation: '改过的失信行为。' } })).status).toBe(200);

    const all = await search(`targetType=entry&targetId=${id}`);
    expect(all.headers.get('x-total-count')).toBe('2');
    expect(all.body.map((r: { action: string }) => r.action)).toEqual(['entry.edit-draft', 'entry.create']);
    expect(all.body[0].before.fields.violation).toBe('严重违法行为。');
    expect(all.body[0].after.fields.violation).toBe('改过的失信行为。');
    const early = await search(`targetId=${id}&to=${encodeURIComponent(mid)}`);
    expect(early.body.map((r: { action: string }) => r.action)).toEqual(['entry.create']);
    const late = await search(`targetId=${id}&from=${encodeURIComponent(mid)}`);
    expect(late.body.map((r: { action: string }) => r.action)).toEqual(['entry.edit-draft']);
    expect((await search(`targetId=${id}&to=${encodeURIComponent(before)}`)).body).toHaveLength(0);
    const page = await search(`targetId=${id}&_start=1&_end=2`);
    expect(page.body.map((r: { action: string }) => r.action)).toEqual(['entry.create']);
    // A wildcard character is matched literally.
    expect((await search('actor=%25')).body).toHaveLength(0);
  });

  it('refuses bad filters with 422', async () => {
    for (const q of ['from=yesterday', 'actorKind=robot', 'from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', `actor=${'x'.repeat(101)}`]) {
      const res = await t.json('GET', `/api/audit?${q}`, admin);
      expect(res.status, q).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('GET /api/audit/verify', () => {
  it('reports an intact chain, then names the first record altered in SQL', async () => {
    const ok = await t.json('GET', '/api/audit/verify', admin);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, problems: 0 });
    expect(ok.body.records).toBeGreaterThan(5);
    expect(ok.body.firstBroken).toBeUndefined();

    const target = await firstLogin();
    await t.db.db.execute(sql`update audit_log set after = '{"address":"forged"}'::jsonb where id = ${target.id}`);
    const broken = await t.json('GET', '/api/audit/verify', admin);
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ ok: false, problems: 1, firstBroken: { table: 'audit_log', id: Number(target.id), chain: target.chain, seq: target.seq, reason: 'hash-mismatch' } });
  });
});

async function firstLogin(): Promise<{ id: number; chain: string; seq: number }> {
  const res = await search('action=auth.login&_order=asc&_end=1');
  return { id: res.body[0].id, chain: res.body[0].chain, seq: res.body[0].seq };
}
