import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../api/src/db/client.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const minutes = (n: number) => n * 60_000;

async function expect401(headers: Record<string, string>, code: string) {
  const res = await t.json('GET', '/api/auth/me', headers);
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.details).toEqual([]);
}

describe('authentication', () => {
  it('logs in, answers me, and stores only a hash of the token', async () => {
    const res = await t.json('POST', '/api/auth/login', {}, { username: 'scjg-operator', password: 'Demo@123456' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'scjg-operator', roles: [{ role: 'operator', department: 'scjg' }] });
    const token: string = res.body.token;
    const me = await t.json('GET', '/api/auth/me', { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('scjg-operator');
    const stored = await queryRows<{ token_hash: string }>(t.db.db, sql`select token_hash from sessions`);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((r) => r.token_hash === token || r.token_hash.includes(token.slice(4, 20)))).toBe(false);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const body of [
      { username: 'scjg-operator', password: 'wrong-password' },
      { username: 'nobody', password: 'Demo@123456' },
    ]) {
      const res = await t.json('POST', '/api/auth/login', {}, body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误', details: [] } });
    }
  });

  it('refuses a missing or malformed header and an unknown token', async () => {
    await expect401({}, 'UNAUTHENTICATED');
    await expect401({ authorization: 'Basic YWRtaW46YWRtaW4=' }, 'AUTH_MALFORMED');
    await expect401({ authorization: 'Bearer' }, 'AUTH_MALFORMED');
    await expect401({ authorization: 'Bearer cls_abc def' }, 'AUTH_MALFORMED');
    await expect401({ authorization: `Bearer cls_${'x'.repeat(43)}` }, 'TOKEN_INVALID');
  });

  it('revokes the token on logout', async () => {
    const h = await t.freshLogin('scjg-reviewer');
    expect((await t.json('POST', '/api/auth/logout', h)).status).toBe(204);
    await expect401(h, 'TOKEN_INVALID');
  });

  it('expires sessions after the idle timeout and the maximum age', async () => {
    const idle = await t.freshLogin('scjg-reviewer');
    t.clock.advance(minutes(31));
    await expect401(idle, 'SESSION_EXPIRED');

    const busy = await t.freshLogin('scjg-reviewer');
    for (let i = 0; i < 12 * 3; i++) {
      t.clock.advance(minutes(20));
      if (i < 35) expect((await t.json('GET', '/api/auth/me', busy)).status).toBe(200);
    }
    await expect401(busy, 'SESSION_EXPIRED');
  });

  it('locks an account after repeated failures, and unlocks it after the lock period', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await t.json('POST', '/api/auth/login', {}, { username: 'fgj-operator', password: 'bad' })).status).toBe(401);
    }
    const locked = await t.json('POST', '/api/auth/login', {}, { username: 'fgj-operator', password: 'Demo@123456' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    t.clock.advance(minutes(16));
    expect((await t.json('POST', '/api/auth/login', {}, { username: 'fgj-operator', password: 'Demo@123456' })).status).toBe(200);
  });

  it('ends the sessions of a disabled user and refuses their login', async () => {
    const admin = await t.freshLogin('admin');
    const victim = await t.freshLogin('scjg-dq-operator');
    const list = await t.json('GET', '/api/users?q=scjg-dq-operator', admin);
    const id = list.body[0].id;
    expect((await t.json('PATCH', `/api/users/${id}`, admin, { disabled: true })).status).toBe(200);
    const res = await t.json('GET', '/api/auth/me', victim);
    expect(res.status).toBe(401);
    expect(['TOKEN_INVALID', 'ACCOUNT_DISABLED']).toContain(res.body.error.code);
    const again = await t.json('POST', '/api/auth/login', {}, { username: 'scjg-dq-operator', password: 'Demo@123456' });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('ACCOUNT_DISABLED');
    expect((await t.json('PATCH', `/api/users/${id}`, admin, { disabled: false })).status).toBe(200);
  });

  it('changes one’s own password under the policy, refusing reuse', async () => {
    const h = await t.freshLogin('scjg-dq-reviewer');
    const weak = await t.json('POST', '/api/auth/password', h, { currentPassword: 'Demo@123456', newPassword: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('PASSWORD_POLICY');
    expect(weak.body.error.details.map((d: { code: string }) => d.code)).toEqual(['TOO_SHORT', 'TOO_FEW_CLASSES']);
    const wrong = await t.json('POST', '/api/auth/password', h, { currentPassword: 'nope', newPassword: 'Better#Pass2026' });
    expect(wrong.body.error.code).toBe('WRONG_PASSWORD');
    expect((await t.json('POST', '/api/auth/password', h, { currentPassword: 'Demo@123456', newPassword: 'Better#Pass2026' })).status).toBe(204);
    const reuse = await t.json('POST', '/api/auth/password', h, { currentPassword: 'Better#Pass2026', newPassword: 'Demo@123456' });
    expect(reuse.status).toBe(422);
    expect(reuse.body.error.details.map((d: { code: string }) => d.code)).toEqual(['REUSED']);
    expect((await t.json('POST', '/api/auth/login', {}, { username: 'scjg-dq-reviewer', password: 'Better#Pass2026' })).status).toBe(200);
  });
});

describe('user management', () => {
  it('lets the office admin create users with roles per department, and nobody else', async () => {
    const admin = await t.freshLogin('admin');
    const body = { username: 'zhang.wei', displayName: '张伟', password: 'Initial#2026pw', roles: [{ role: 'reviewer', department: 'scjg' }] };
    expect((await t.json('POST', '/api/users', await t.freshLogin('scjg-reviewer'), body)).status).toBe(403);
    const created = await t.json('POST', '/api/users', admin, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'zhang.wei', mustChangePassword: true, roles: body.roles });
    expect((await t.json('POST', '/api/users', admin, body)).body.error.code).toBe('USERNAME_TAKEN');
    const list = await t.json('GET', '/api/users?_start=0&_end=2&_sort=username', admin);
    expect(list.body).toHaveLength(2);
    expect(Number(list.headers.get('x-total-count'))).toBeGreaterThan(5);
  });

  it('refuses invalid role assignments with every reason', async () => {
    const admin = await t.freshLogin('admin');
    const res = await t.json('POST', '/api/users', admin, {
      username: 'li.na',
      displayName: '李娜',
      password: 'Initial#2026pw',
      roles: [
        { role: 'clerk', department: 'scjg' },
        { role: 'operator', department: '*' },
        { role: 'office-admin', department: 'scjg' },
        { role: 'business-system', department: '*' },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { code: string }) => d.code)).toEqual(['UNKNOWN_ROLE', 'UNKNOWN_DEPARTMENT', 'SCOPE_ALL', 'API_KEY_ROLE']);
    const users = await t.json('GET', '/api/users?q=li.na', admin);
    expect(users.body).toEqual([]);
  });

  it('applies a role change to the next request', async () => {
    const admin = await t.freshLogin('admin');
    const h = await t.freshLogin('scjg-dq-operator');
    const before = await t.json('GET', '/api/meta', h);
    expect(before.body.permissions.lists.serious).toEqual({ create: ['scjg-dq'] });
    const id = (await t.json('GET', '/api/users?q=scjg-dq-operator', admin)).body[0].id;
    await t.json('PATCH', `/api/users/${id}`, admin, { roles: [{ role: 'reviewer', department: 'scjg-dq' }] });
    const after = await t.json('GET', '/api/meta', h);
    expect(after.body.permissions.lists.serious).toEqual({ recognise: ['scjg-dq'] });
    expect((await t.json('GET', '/api/users', h)).status).toBe(403);
  });
});

describe('API keys', () => {
  it('shows a key once, authenticates with it, and refuses it after revocation', async () => {
    const admin = await t.freshLogin('admin');
    const created = await t.json('POST', '/api/api-keys', admin, { name: '政府采购管理系统', department: 'fgj' });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^clk_/);
    const listed = await t.json('GET', '/api/api-keys', admin);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    const h = { authorization: `Bearer ${key}` };
    const meta = await t.json('GET', '/api/meta', h);
    expect(meta.status).toBe(200);
    expect(meta.body.permissions.global).toEqual({ lookup: 'all', check: 'all' });
    expect(meta.body.permissions.lists).toEqual({});
    expect((await t.json('GET', '/api/users', h)).status).toBe(403);
    expect((await t.json('DELETE', `/api/api-keys/${created.body.id}`, admin)).status).toBe(200);
    await expect401(h, 'TOKEN_INVALID');
  });
});
