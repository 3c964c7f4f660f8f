/**
 * Operations over HTTP: readiness (database, migrations, config), request ids
 * and JSON request logs, the body size limit, security headers, the login rate
 * limit per username and address, and graceful shutdown of the real server.
 */
import { request as httpRequest } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/src/app.ts';
import { queryRows } from '../../api/src/db/client.ts';
import { startTestApp, type TestApp, fixtureConfig } from '../support/app.ts';
import { serverDatabase } from '../support/db.ts';
import { startServer } from '../support/server.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('GET /api/ready', () => {
  it('is ready with every migration applied, and 503 naming a migration that is not', async () => {
    const ok = await t.json('GET', '/api/ready');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'ready', checks: { database: true, migrations: true, config: true }, pendingMigrations: [], version: t.model.version });

    const [last] = await queryRows<{ id: number; hash: string; created_at: string }>(t.db.db, sql`select id, hash, created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    await t.db.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last!.id}`);
    try {
      const notReady = await t.json('GET', '/api/ready');
      expect(notReady.status).toBe(503);
      expect(notReady.body.status).toBe('not-ready');
      expect(notReady.body.checks).toEqual({ database: true, migrations: false, config: true });
      expect(notReady.body.pendingMigrations).toHaveLength(1);
      expect(notReady.body.pendingMigrations[0]).toMatch(/^\d{4}_/);
      // Health is about the process and the database only, and stays as it was.
      expect((await t.json('GET', '/api/health')).status).toBe(200);
    } finally {
      await t.db.db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last!.id}, ${last!.hash}, ${last!.created_at}::bigint)`);
    }
    expect((await t.json('GET', '/api/ready')).status).toBe(200);
  });
});

describe('request ids and logs', () => {
  it('answers with the caller’s request id, or a new one, and logs each API request as JSON', async () => {
    const lines: Record<string, unknown>[] = [];
    const app = await createApp(t.model, t.db, { clock: t.clock, log: (e) => lines.push(e) });
    try {
      const given = await app.request('/api/health', { headers: { 'x-request-id': 'lb-1234.abc' } });
      expect(given.headers.get('x-request-id')).toBe('lb-1234.abc');
      const fresh = await app.request('/api/meta');
      expect(fresh.status).toBe(401);
      const id = fresh.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const bad = await app.request('/api/health', { headers: { 'x-request-id': 'no spaces <allowed>' } });
      expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', requestId: 'lb-1234.abc', method: 'GET', path: '/api/health', status: 200 }));
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', requestId: id, path: '/api/meta', status: 401 }));
      expect(lines.every((l) => typeof l.ms === 'number')).toBe(true);
      expect(() => JSON.stringify(lines)).not.toThrow();
    } finally {
      await app.close();
    }
  });
});

describe('body size limit and security headers', () => {
  it('refuses a body over http.max_body_kb with 413 in the error shape, and writes nothing', async () => {
    const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(1100 * 1024) });
    const before = await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from audit_log`);
    const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, body: big });
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('1024 KB'), details: [] } });
    // Without a declared length the limit holds while reading.
    const stream = await t.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(stream.status).toBe(413);
    expect((await stream.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    const after = await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from audit_log`);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('sends security headers', async () => {
    const res = await t.app.request('/api/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('login rate limit', () => {
  const attempt = (username: string, password: string, address: string) =>
    t.json('POST', '/api/auth/login', { 'x-forwarded-for': address }, { username, password });

  it('answers 429 after the burst of failed attempts for one username and address, and only there', async () => {
    const { burst } = t.model.platform.security.login.rate_limit;
    for (let i = 0; i < burst; i++) expect((await attempt('ghost', `guess-${i}`, '198.51.100.1')).status).toBe(401);
    const limited = await attempt('ghost', 'guess-x', '198.51.100.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address, or another name from the same address, is not affected.
    expect((await attempt('ghost', 'guess-y', '198.51.100.2')).status).toBe(401);
    expect((await attempt('scjg-operator', 'Demo@123456', '198.51.100.1')).status).toBe(200);
  });

  it('does not count successful logins', async () => {
    const { burst } = t.model.platform.security.login.rate_limit;
    for (let i = 0; i < burst + 2; i++) expect((await attempt('scjg-reviewer', 'Demo@123456', '198.51.100.3')).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight after SIGTERM, then exits 0 with the database closed', { timeout: 120_000 }, async () => {
    const database = await serverDatabase();
    const server = await startServer({ CONFIG_DIR: fixtureConfig, DEMO_DATA: 'off', ...database.env });
    try {
      const { port } = new URL(server.url);
      const body = JSON.stringify({ username: 'admin', password: 'Demo@123456' });
      // A request whose body is still being sent when the signal arrives.
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'in-flight-1' } },
          (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        (async () => {
          // Wait until the server holds the connection, signal it, wait until it says so, then finish the body.
          await new Promise((r) => setTimeout(r, 200));
          server.process.kill('SIGTERM');
          while (!server.output().includes('"shutting down"')) await new Promise((r) => setTimeout(r, 50));
          req.end(body.slice(10));
        })().catch(reject);
      });
      const res = await response;
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).token).toEqual(expect.any(String));
      const code = await new Promise<number | null>((resolve) => {
        if (server.process.exitCode !== null) resolve(server.process.exitCode);
        else server.process.once('exit', resolve);
      });
      expect(code).toBe(0);
      const out = server.output();
      expect(out).toContain('"msg":"stopped"');
      const logged = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toContainEqual(expect.objectContaining({ msg: 'request', requestId: 'in-flight-1', path: '/api/auth/login', status: 200 }));
      // New connections are refused.
      await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
