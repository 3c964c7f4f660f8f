/**
 * Fuzzes every route of the route registry (app.routeTable) with generated
 * path parameters, query strings, bodies and headers: values near the route's
 * own OpenAPI schema and mutations of them, hostile strings (injection, path
 * traversal, broken encodings, 1 MB strings), broken JSON, wrong content
 * types, wrong and foreign ids, no or broken credentials and every demo role.
 *
 * For every request: never a 5xx; every 4xx is the one error shape
 * {error:{code,message,details}} as JSON; and a refused request changes no
 * table (a digest of every table of the schema before and after). The one
 * refusal that must write is a failed login: it counts the failure on the user
 * and appends an `auth.login-failed` audit record (lockout, 等保).
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompiledList } from '../../api/src/config/compile.ts';
import type { RouteEntry } from '../../api/src/http/router.ts';
import { queryRows } from '../../api/src/db/client.ts';
import { users } from '../../api/src/db/schema.ts';
import { createRng } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp } from '../support/app.ts';
import { actorFor, as, draftBody, entryIn, inputsFor, morningOf, setClock } from '../support/procedure.ts';
import { changedTables, tableDigest } from './support/digest.ts';
import { anyJson, brokenBody, hostileString, type JsonSchema, mutated, nearSchema, weirdContentType } from './support/inputs.ts';

const runsPerRoute = Number(process.env.FUZZ_RUNS ?? 20);
const rng = createRng('fuzz');
const t = await startTestApp(demoConfig);
afterAll(() => t.close());
await setClock(t, morningOf('2026-11-02'));
const model = t.model;
const list = model.list('market-serious-illegal') ?? (model.lists[0] as CompiledList);

// ------------------------------------------------------------------ real things to aim at

const draft = await entryIn(t, list, 'draft', rng);
const published = await entryIn(t, list, 'published', rng);
const reviewer = await as(t, actorFor(model, list, 'answer-objection'));
const objection = await t.json('POST', `${published.url}/objections`, reviewer, { content: '名称有误。' });
const repair = await t.json('POST', `${published.url}/repairs`, await as(t, actorFor(model, list, 'repair')), { application: { reason: '已整改。' }, materials: [] });
const form = new FormData();
form.append('file', new File([Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1')], '证据.pdf', { type: 'application/pdf' }));
form.append('kind', 'evidence');
const upload = await t.app.request(`${draft.url}/attachments`, { method: 'POST', headers: await as(t, actorFor(model, list, 'edit-draft')), body: form });
const attachment = (await upload.json()) as { id: string };
const admin = await as(t, 'admin');
const scratchUser = await t.json('POST', '/api/users', admin, { username: 'fuzz-scratch', displayName: '模糊测试', password: 'Initial#2026pw', roles: [] });
const scratchKey = await t.json('POST', '/api/api-keys', admin, { name: '模糊测试吊销', department: list.department });
const apiKey = await t.json('POST', '/api/api-keys', admin, { name: '模糊测试系统', department: list.department });
const check = await t.json('POST', '/api/check', { authorization: `Bearer ${apiKey.body.key}` }, { code: String((published.body as { subject?: { code?: string } }).subject?.code ?? ''), matter: model.platform.matters?.[0]?.id ?? 'x' });
const publicObjection = await t.json('POST', `/api/public/entries/${published.id}/objections`, {}, { content: '信息有误。', contact: { name: '张三', phone: '13800000000' } });
for (const [what, res] of Object.entries({ objection, repair, scratchUser, scratchKey, apiKey })) {
  if (res.status !== 201) throw new Error(`fixture ${what}: ${res.status} ${JSON.stringify(res.body)}`);
}
const plan = model.plans[0];
const revoked = await t.freshLogin('leader');
await t.json('POST', '/api/auth/logout', revoked);

/** Real values per path parameter name, beside the generated wrong ones. */
const realParams: Record<string, string[]> = {
  listId: [list.id, ...model.lists.filter((l) => l.id !== list.id).map((l) => l.id)],
  id: [draft.id, published.id, scratchUser.body.id, scratchKey.body.id, '00000000-0000-4000-8000-000000000000'],
  action: [...new Set(list.graph.transitions.map((tr) => tr.id))],
  objectionId: [objection.body.id],
  repairId: [repair.body.id],
  attachmentId: [attachment.id],
  decision: ['accept', 'refuse', 'reject'],
  doc: ['notice', 'decision'],
  department: model.departments.slice(0, 5).map((d) => d.code),
  indicator: model.assessment.indicators?.map((i: { id: string }) => i.id) ?? [],
  planId: plan ? [plan.id] : [],
  no: plan ? plan.tasks.slice(0, 3).map((task: { no: string | number }) => String(task.no)) : [],
  code: [String((published.body as { subject?: { code?: string } }).subject?.code ?? '')],
  checkId: check.status === 201 || check.status === 200 ? [String(check.body.checkId ?? check.body.id)] : [],
  trackingNo: publicObjection.status === 201 ? [String(publicObjection.body.trackingNo)] : [],
  asset: ['swagger-ui.css', 'swagger-ui-bundle.js', 'index.html'],
};

// ------------------------------------------------------------------ callers

const userIds = new Map<string, string>();
for (const u of await t.db.db.select({ id: users.id, username: users.username }).from(users)) userIds.set(u.username, u.id);
const roles = ['admin', 'leader', actorFor(model, list, 'create'), actorFor(model, list, 'publish'), 'sw-operator', 'scjg-dq-reviewer'].filter((u) => userIds.has(u));

type Caller = { kind: 'none' } | { kind: 'raw'; header: string } | { kind: 'user'; username: string } | { kind: 'apiKey' };
const caller: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'none' } as Caller) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46RGVtb0AxMjM0NTY=', `Bearer ${'A'.repeat(300)}`, 'Bearer cl_s_0000000000000000000000000000', 'Bearer ak_0000000000000000000000000', revoked.authorization ?? ''),
        fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
      )
      .map((header) => ({ kind: 'raw', header }) as Caller),
  },
  { weight: 5, arbitrary: fc.constantFrom(...roles).map((username) => ({ kind: 'user', username }) as Caller) },
  { weight: 1, arbitrary: fc.constant({ kind: 'apiKey' } as Caller) },
);

/**
 * The caller that holds what the route needs, so that aimed requests get past
 * authorization and reach validation and the handler.
 */
function aimedCallers(access: RouteEntry['access']): Caller[] {
  const user = (username: string): Caller => ({ kind: 'user', username });
  switch (access.kind) {
    case 'list':
      return [user(actorFor(model, list, access.action))];
    case 'transition':
      return [user(actorFor(model, list, 'create')), user(actorFor(model, list, 'publish'))];
    case 'global':
      if (['lookup', 'check', 'feedback'].includes(access.action)) return [{ kind: 'apiKey' }];
      if (access.action === 'report-progress') return [user(actorFor(model, list, 'create'))];
      return [user('admin')];
    default:
      return roles.map(user);
  }
}

/** A fresh session for every request, so that a fuzzed logout or password change never disturbs the next one. */
async function authHeader(c: Caller): Promise<string | undefined> {
  if (c.kind === 'none') return undefined;
  if (c.kind === 'raw') return c.header;
  if (c.kind === 'apiKey') return `Bearer ${apiKey.body.key}`;
  const { token } = await t.app.services.sessions.create(userIds.get(c.username) as string);
  return `Bearer ${token}`;
}

// ------------------------------------------------------------------ requests

const openapi = (await t.json('GET', '/api/openapi.json')).body as {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};
const components = openapi.components?.schemas ?? {};

/** Bodies of the routes whose OpenAPI schema is open (the list-type routes validate against the list's config). */
function seedBody(path: string): fc.Arbitrary<unknown> | undefined {
  const today = t.clock.today();
  if (path === '/api/lists/{listId}/entries') return fc.constant(draftBody(list, rng, today));
  if (path === '/api/lists/{listId}/entries/{id}') return fc.constant({ version: 1, fields: { violation: '更新后的失信行为。' } });
  if (path.endsWith('/actions/{action}'))
    return fc
      .tuple(fc.constantFrom(...(realParams.action as string[])), fc.integer({ min: 0, max: 6 }))
      .map(([a, version]) => ({ version, ...inputsFor(list, a, today, rng) }));
  if (path.endsWith('/objections')) return fc.constant({ content: '处罚决定已被撤销。' });
  if (path.endsWith('/answer')) return fc.constant({ version: 1, result: 'rejected', answer: '经核实信息无误。' });
  if (path.endsWith('/repairs')) return fc.constant({ application: { reason: '已整改。' }, materials: [] });
  if (path.endsWith('/{decision}')) return fc.constant({ version: 1 });
  return undefined;
}

type Req = { method: string; url: string; headers: Record<string, string>; body?: string | FormData; caller: Caller; describe: string };

const safeHeader = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');
function encodeParam(v: string, raw: boolean): string {
  if (raw) return v.replace(/[/?#]/g, '_') || '_';
  try {
    return encodeURIComponent(v) || '_';
  } catch {
    return '_';
  }
}

/**
 * A request to the route. Half are aimed: the real ids of the fixtures, a
 * caller holding the route's permission and a body near the valid one with
 * one thing wrong, so they reach the handler; the rest are scattershot.
 */
function requestArb(method: string, path: string, access: RouteEntry['access'] = { kind: 'authenticated' }): fc.Arbitrary<Req> {
  return fc.oneof(requestArbOf(method, path, access, true), requestArbOf(method, path, access, false));
}

function requestArbOf(method: string, path: string, access: RouteEntry['access'], aimed: boolean): fc.Arbitrary<Req> {
  const op = openapi.paths[path.replace(/\{(\w+)\}/g, '{$1}')]?.[method.toLowerCase()];
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const param = (name: string) =>
    aimed && realParams[name]?.length
      ? fc.constantFrom(...(realParams[name] as string[]).slice(0, name === 'id' ? 2 : 1))
      : fc.oneof(
      { weight: 4, arbitrary: realParams[name]?.length ? fc.constantFrom(...(realParams[name] as string[])) : fc.uuid() },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 2, arbitrary: hostileString },
    );
  const params = fc.tuple(...names.map(param), fc.boolean());
  const queryNames = (op?.parameters ?? []).filter((p) => p.in === 'query');
  const query = fc.array(
    fc.oneof(
      queryNames.length
        ? fc.constantFrom(...queryNames).chain((p) => fc.tuple(fc.constant(p.name), fc.oneof(nearSchema(p.schema ?? {}, components).map(String), hostileString)))
        : fc.tuple(hostileString, hostileString),
      fc.tuple(fc.constantFrom('_start', '_end', '_sort', '_order', 'q', 'format', 'department', 'status'), hostileString),
    ),
    { maxLength: 4 },
  );
  const content = op?.requestBody?.content ?? {};
  const jsonSchema = content['application/json']?.schema;
  const multipart = 'multipart/form-data' in content;
  const near = seedBody(path) ?? (jsonSchema ? nearSchema(jsonSchema, components) : undefined);
  const withBody = method !== 'GET' && method !== 'HEAD';
  const body: fc.Arbitrary<{ body?: string | FormData; type?: string; kind: string }> = !withBody
    ? fc.constant({ kind: 'none' })
    : aimed && near && !multipart
      ? fc.oneof(
          near.map((v) => ({ body: JSON.stringify(v), type: 'application/json', kind: 'aimed near' })),
          { weight: 3, arbitrary: near.chain(mutated).map((v) => ({ body: JSON.stringify(v) ?? 'null', type: 'application/json', kind: 'aimed mutated' })) },
        )
      : multipart
      ? fc.oneof(
          fc
            .tuple(fc.uint8Array({ maxLength: 2000 }), hostileString, fc.constantFrom('evidence', 'material', 'other', 'x'), fc.constantFrom('application/pdf', 'image/png', 'text/html', ''))
            .map(([bytes, name, kind, type]) => {
              const f = new FormData();
              f.append('file', new File([bytes], name.slice(0, 200) || 'f', { type }));
              f.append('kind', kind);
              return { body: f, kind: 'multipart' };
            }),
          fc.tuple(brokenBody, fc.constantFrom('multipart/form-data; boundary=xyz', 'multipart/form-data', 'application/json')).map(([b, type]) => ({ body: b, type, kind: 'broken multipart' })),
        )
      : fc.oneof(
          ...(near
            ? [
                { weight: 3, arbitrary: near.map((v) => ({ body: JSON.stringify(v), type: 'application/json', kind: 'near' })) },
                { weight: 4, arbitrary: near.chain(mutated).map((v) => ({ body: JSON.stringify(v) ?? 'null', type: 'application/json', kind: 'mutated' })) },
              ]
            : []),
          { weight: 1, arbitrary: anyJson.map((v) => ({ body: JSON.stringify(v) ?? 'null', type: 'application/json', kind: 'any json' })) },
          { weight: 2, arbitrary: fc.tuple(brokenBody, weirdContentType).map(([b, type]) => ({ body: b, type, kind: 'broken' })) },
          { weight: 1, arbitrary: fc.constant({ kind: 'no body' }) },
        );
  const extraHeaders = fc.record(
    {
      'accept-language': fc.oneof(fc.constantFrom('en', 'zh-CN', 'en-US,en;q=0.9', '*'), hostileString.map(safeHeader)),
      'idempotency-key': aimed ? fc.uuid() : fc.oneof(fc.uuid(), hostileString.map(safeHeader)),
      'x-request-id': hostileString.map(safeHeader),
      ...(aimed ? {} : { 'content-type': weirdContentType }),
    },
    { requiredKeys: [] },
  );
  const who = aimed ? fc.constantFrom(...aimedCallers(access)) : caller;
  return fc.tuple(params, query, body, extraHeaders, who).map(([p, q, b, extra, c]) => {
    const raw = p[p.length - 1] as boolean;
    let i = 0;
    const filled = path.replace(/\{\w+\}/g, () => encodeParam(String(p[i++]), raw));
    const qs = new URLSearchParams(q.map(([k, v]) => [k, v.slice(0, 2000)])).toString();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) headers[k] = v.slice(0, 500);
    if (b.type) headers['content-type'] = b.type;
    const url = qs ? `${filled}?${qs}` : filled;
    const shown = typeof b.body === 'string' ? b.body.slice(0, 300) : b.body ? '[multipart]' : '';
    return { method, url, headers, body: b.body, caller: c, describe: `${aimed ? 'aimed ' : ''}${method} ${url.slice(0, 300)} as ${JSON.stringify(c)} (${b.kind}) ${shown}` };
  });
}

// ------------------------------------------------------------------ the property

const stats = { requests: 0, byStatus: new Map<number, number>(), refusedUnchanged: 0 };
const loginPath = '/api/auth/login';

async function send(r: Req, routePath: string): Promise<void> {
  const auth = await authHeader(r.caller);
  const headers = { ...r.headers, ...(auth ? { authorization: safeHeader(auth) } : {}) };
  const before = await tableDigest(t.db);
  const last = (await queryRows<{ last: string }>(t.db.db, sql`select coalesce(max(id), 0)::text as last from audit_log`))[0]?.last ?? '0';
  const res = await t.app.request(r.url, { method: r.method, headers, body: r.body });
  const text = await res.text();
  stats.requests++;
  if (process.env.FUZZ_DEBUG) process.stdout.write(`${res.status} ${r.describe.slice(0, 200)} ${text.slice(0, 200)}\n`);
  stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
  expect(res.status, `${r.describe}\n→ ${res.status} ${text.slice(0, 500)}`).toBeLessThan(500);
  if (res.status < 400) return;
  expect(res.headers.get('content-type') ?? '', r.describe).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
  expect(Object.keys(body), r.describe).toEqual(['error']);
  expect(Object.keys(body.error ?? {}).sort(), r.describe).toEqual(['code', 'details', 'message']);
  expect(body.error?.code, r.describe).toMatch(/^[A-Z][A-Z0-9_]+$/);
  expect(typeof body.error?.message === 'string' && body.error.message.length > 0, r.describe).toBe(true);
  expect(Array.isArray(body.error?.details), r.describe).toBe(true);
  const changed = changedTables(before, await tableDigest(t.db));
  if (routePath === loginPath && (res.status === 401 || res.status === 429) && changed.length) {
    // a failed login (a locked account too) counts the failure and is audited, nothing else
    expect(changed.filter((n) => n !== 'users' && n !== 'audit_log'), r.describe).toEqual([]);
    const actions = await queryRows<{ action: string }>(t.db.db, sql`select distinct action from audit_log where id > ${last}::bigint`);
    expect(actions.map((a) => a.action).filter((a) => a.startsWith('auth.') && a !== 'auth.login-failed'), r.describe).toEqual([]);
    return;
  }
  expect(changed, `${r.describe}\n→ ${res.status} ${text.slice(0, 300)}: refused, yet these tables changed`).toEqual([]);
  stats.refusedUnchanged++;
}

describe('every route of the registry, fuzzed', () => {
  const routes = t.app.routeTable;
  it('the registry has routes and each has an OpenAPI operation', () => {
    expect(routes.length).toBeGreaterThan(40);
    // the API's description and reference page are not described in themselves
    for (const r of routes.filter((x) => !/^\/api\/(openapi\.json|docs)/.test(x.path))) {
      expect(openapi.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    }
  });

  for (const route of routes) {
    it(`${route.method} ${route.path}: no 5xx, one error shape, no change when refused`, async () => {
      await fc.assert(
        fc.asyncProperty(requestArb(route.method, route.path, route.access), (r) => send(r, route.path)),
        { numRuns: runsPerRoute, seed: Number(process.env.FUZZ_SEED ?? 20261102), endOnFailure: true },
      );
    });
  }

  it('other methods on every path, and paths next to them, answer 404/405 in the error shape', async () => {
    const paths = [...new Set(routes.map((r) => r.path))];
    const arb = fc.tuple(fc.constantFrom(...paths), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), fc.constantFrom('', '/', '/x', '/..', '/%2e%2e', '//'));
    await fc.assert(
      fc.asyncProperty(arb, async ([path, method, suffix]) => {
        if (routes.some((r) => r.path === path && r.method === method) && suffix === '') return;
        const req = fc.sample(requestArb(method, path), { numRuns: 1, seed: stats.requests })[0];
        if (!req) return;
        await send({ ...req, url: req.url.replace(/(\?|$)/, `${suffix}$1`) }, path);
      }),
      { numRuns: 100, seed: 7, endOnFailure: true },
    );
  });

  it('U+0000 in a body, a query or a path is 400 INVALID_CHARACTER, not a database error', async () => {
    const operator = { kind: 'user', username: actorFor(model, list, 'create') } as const;
    const reviewer = { kind: 'user', username: actorFor(model, list, 'answer-objection') } as const;
    const body = draftBody(list, rng, t.clock.today());
    const cases: [string, string, Caller, unknown][] = [
      ['POST', `/api/lists/${list.id}/entries`, operator, { ...body, subject: { ...body.subject, name: 'a\u0000b' } }],
      ['POST', `${published.url}/objections`, reviewer, { content: '\u0000' }],
      ['GET', `/api/lists/${list.id}/entries?q=${encodeURIComponent('a\u0000')}`, operator, undefined],
      ['GET', `/api/lists/${list.id}/entries/${encodeURIComponent('\u0000')}`, operator, undefined],
    ];
    for (const [method, url, who, b] of cases) {
      const auth = (await authHeader(who)) as string;
      const before = await tableDigest(t.db);
      const res = await t.app.request(url, { method, headers: { authorization: auth, ...(b ? { 'content-type': 'application/json' } : {}) }, body: b ? JSON.stringify(b) : undefined });
      const text = await res.text();
      expect(res.status, `${method} ${url}: ${text}`).toBeLessThan(500);
      expect(res.status).toBeGreaterThanOrEqual(400);
      if (method === 'POST') expect(JSON.parse(text).error.code).toBe('INVALID_CHARACTER');
      expect(changedTables(before, await tableDigest(t.db))).toEqual([]);
    }
  });

  it('counts what it sent', () => {
    const statuses = [...stats.byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
    process.stdout.write(`fuzz on ${t.db.kind}: ${stats.requests} requests over ${routes.length} routes (${runsPerRoute} per route), refused and unchanged ${stats.refusedUnchanged}; statuses ${statuses}\n`);
    expect(stats.requests).toBeGreaterThanOrEqual(routes.length * runsPerRoute);
    expect(stats.refusedUnchanged).toBeGreaterThan(0);
    // every request must not have been refused at the door: some reach the handlers
    expect([...stats.byStatus.keys()].some((s) => s < 300)).toBe(true);
  });
});
