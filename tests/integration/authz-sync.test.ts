/**
 * Role changes and disabled accounts reach every API process without a restart.
 *
 * On PostgreSQL (TEST_DB=postgres) two app instances run on one throwaway
 * database, each with its own DbHandle (own pool, own LISTEN connection), as two
 * API processes would. A change made through instance A must show on instance
 * B, which only hears of it through LISTEN/NOTIFY.
 *
 * PGlite is a single connection inside one process, so there the two apps share
 * one handle; the change still travels through PGlite's own LISTEN/NOTIFY to
 * the second app's event bus.
 *
 * Each instance has its own manual clock that never moves, so neither the
 * session cache (5 s) nor anything else expires by itself: B can only catch up
 * through the event bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../api/src/db/client.ts';
import { openTestDatabase, testAdminUrl, testDbKind } from '../../api/src/db/testing.ts';
import { fixtureConfig, startTestApp, type TestApp } from '../support/app.ts';

/** Bounded wait: asks every `everyMs` until `done` holds or `timeoutMs` passes; returns the last answer. */
async function pollUntil<T>(ask: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000, everyMs = 20): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await ask();
    const ms = Date.now() - started;
    if (done(value) || ms >= timeoutMs) return { value, ms };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const kind = testDbKind();
let handleA: DbHandle;
let handleB: DbHandle;
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  handleA = await openTestDatabase(kind);
  if (handleA.kind === 'postgres') {
    // The same throwaway database, reached through a second pool: a second process.
    const url = new URL(testAdminUrl());
    url.pathname = `/${handleA.client.options.database}`;
    handleB = await openDatabase({ databaseUrl: url.toString(), maxConnections: 4 });
  } else {
    handleB = handleA;
  }
  // A seeds the demo accounts of the fixture config; B finds them and seeds nothing.
  a = await startTestApp(fixtureConfig, handleA);
  b = await startTestApp(fixtureConfig, handleB);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  if (handleB && handleB !== handleA) await handleB.close();
  // Closing A drops the throwaway database.
  await handleA?.close();
});

describe(`authorization changes reach a second app instance (${kind})`, () => {
  it('runs on separate handles on PostgreSQL, on one shared handle on PGlite', () => {
    if (kind === 'postgres') expect(handleB).not.toBe(handleA);
    else expect(handleB).toBe(handleA);
    expect(b.app).not.toBe(a.app);
    expect(b.app.services.authz).not.toBe(a.app.services.authz);
  });

  it('shows a role change made on A in the permission matrix on B', async () => {
    const admin = await a.login('admin');
    const user = await a.login('scjg-operator');
    const authzB = b.app.services.authz;

    // B has resolved (and cached) the user's permissions before the change.
    const before = await b.json('GET', '/api/meta', user);
    expect(before.status).toBe(200);
    expect(before.body.permissions).toEqual({ lists: { serious: { create: ['scjg'] } }, global: {}, domains: ['scjg'] });

    const found = await a.json('GET', '/api/users?q=scjg-operator', admin);
    expect(found.status).toBe(200);
    const id: string = found.body[0].id;
    const roles = [
      { role: 'reviewer', department: 'scjg-dq' },
      { role: 'operator', department: 'fgj' },
    ];
    const patched = await a.json('PATCH', `/api/users/${id}`, admin, { roles });
    expect(patched.status).toBe(200);
    expect(patched.body.roles).toEqual(expect.arrayContaining(roles));

    const expected = { lists: { serious: { recognise: ['scjg-dq'] } }, global: {}, domains: expect.arrayContaining(['scjg-dq', 'fgj']) };
    // A applies its own change before answering.
    expect((await a.json('GET', '/api/meta', user)).body.permissions).toEqual(expected);

    const seen = await pollUntil(
      () => b.json('GET', '/api/meta', user),
      (res) => res.status === 200 && res.body.permissions.lists.serious?.recognise !== undefined,
    );
    expect(seen.value.status).toBe(200);
    expect(seen.value.body.permissions).toEqual(expected);
    expect(seen.ms).toBeLessThan(5_000);
    // Same instance, same authorization service: no restart, no rebuild.
    expect(b.app.services.authz).toBe(authzB);
    expect(await authzB.assignments(`u:${id}`)).toEqual(expect.arrayContaining(roles));

    // Taking every role away shows too.
    expect((await a.json('PATCH', `/api/users/${id}`, admin, { roles: [] })).status).toBe(200);
    const emptied = await pollUntil(
      () => b.json('GET', '/api/meta', user),
      (res) => res.status === 200 && Object.keys(res.body.permissions.lists).length === 0,
    );
    expect(emptied.value.body.permissions).toEqual({ lists: {}, global: {}, domains: [] });
  });

  it('refuses on B the token of a user disabled on A', async () => {
    const admin = await a.login('admin');
    // Logged in through B; the session lives in the database, so A's change concerns it.
    const user = await b.login('scjg-reviewer');
    expect((await a.json('GET', '/api/auth/me', user)).status).toBe(200);
    // B has the session in its cache.
    expect((await b.json('GET', '/api/auth/me', user)).status).toBe(200);

    const found = await a.json('GET', '/api/users?q=scjg-reviewer', admin);
    const id: string = found.body[0].id;
    const patched = await a.json('PATCH', `/api/users/${id}`, admin, { disabled: true });
    expect(patched.status).toBe(200);
    expect(patched.body.disabled).toBe(true);
    expect((await a.json('GET', '/api/auth/me', user)).status).toBe(401);

    const seen = await pollUntil(
      () => b.json('GET', '/api/auth/me', user),
      (res) => res.status === 401,
    );
    expect(seen.value.status).toBe(401);
    expect(seen.value.body.error.code).toMatch(/^(TOKEN_INVALID|ACCOUNT_DISABLED)$/);
    // Logging in again is refused on both.
    for (const t of [a, b]) {
      const res = await t.json('POST', '/api/auth/login', {}, { username: 'scjg-reviewer', password: 'Demo@123456' });
      expect(res.status).toBe(401);
    }
  });
});
