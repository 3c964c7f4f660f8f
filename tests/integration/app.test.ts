import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../api/src/app.ts';
import type { DbHandle } from '../../api/src/db/client.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let db: DbHandle;
let app: App;

beforeAll(async () => {
  t = await startTestApp();
  db = t.db;
  app = t.app;
});
afterAll(() => t.close());

describe('createApp', () => {
  it('answers health with the database kind and config version', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', database: db.kind, databaseUp: true });
    expect(body.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('serves the compiled model as meta, to logged-in users only', async () => {
    expect((await app.request('/api/meta')).status).toBe(401);
    const res = await app.request('/api/meta', { headers: await t.login('scjg-operator') });
    expect(res.status).toBe(200);
    const meta = await res.json();
    expect(meta.permissions.lists.serious).toEqual({ create: ['scjg'] });
    expect(meta.permissions.domains).toEqual(['scjg']);
    expect(meta.departments.map((d: { code: string }) => d.code)).toEqual(['fgj', 'scjg', 'scjg-dq']);
    const list = meta.lists[0];
    expect(list).toMatchObject({ id: 'serious', name: '严重违法失信名单', kind: 'black', department: 'scjg', category: 'list' });
    expect(list.fields.map((f: { key: string }) => f.key)).toEqual(['violation', 'severity']);
    expect(list.procedure.states.map((s: { id: string }) => s.id)).toEqual([
      'draft', 'notified', 'recognised', 'published', 'withdrawn', 'exited', 'repaired', 'revoked',
    ]);
    expect(list.clocks.map((c: { id: string }) => c.id)).toContain('notice_end');
  });

  it('describes every registered route in the OpenAPI document', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    // The studio's preview is described as the list type /api/meta gives, down to the procedure graph.
    const preview = doc.components.schemas.ConfigLint.properties.preview;
    expect(JSON.stringify(preview)).toContain('"transitions"');
    const meta = JSON.stringify(doc.paths['/api/meta'].get.responses['200']);
    for (const key of ['"subjectKinds"', '"fullName"', '"legalBasis"', '"maxSizeMb"', '"domains"']) expect(meta).toContain(key);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const declared = app.routeTable.filter((r) => !r.path.startsWith('/api/docs') && r.path !== '/api/openapi.json');
    expect(documented.sort()).toEqual(declared.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('serves a browsable reference page without a CDN', async () => {
    const page = await app.request('/api/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/api/docs/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\/(?!json-schema)/);
    const js = await app.request('/api/docs/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await app.request('/api/docs/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('answers unknown API routes with the error shape, in Chinese or English', async () => {
    const zh = await app.request('/api/nope');
    expect(zh.status).toBe(404);
    expect(await zh.json()).toEqual({ error: { code: 'NOT_FOUND', message: '接口不存在', details: [] } });
    const en = await app.request('/api/nope', { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(await en.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such API route', details: [] } });
  });

  it('declares access for every route', () => {
    for (const r of app.routeTable) expect(['public', 'authenticated', 'list', 'transition', 'global']).toContain(r.access.kind);
    const publicRoutes = app.routeTable.filter((r) => r.access.kind === 'public').map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.sort()).toEqual([
      'GET /api/docs',
      'GET /api/docs/{asset}',
      'GET /api/health',
      'GET /api/openapi.json',
      'GET /api/public/entries',
      'GET /api/public/entries/{id}',
      'GET /api/public/platform',
      'GET /api/public/requests/{trackingNo}',
      'GET /api/ready',
      'POST /api/auth/login',
      'POST /api/public/entries/{id}/objections',
      'POST /api/public/entries/{id}/repairs',
    ]);
  });
});
