/**
 * Issue 6: lookups by staff and business systems, the query-use register
 * (查询使用登记), check-before-act and its feedback (联合奖惩).
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checks, measuresApplied, queryLog } from '../../api/src/db/schema.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Record<string, string>;
let scjgOp: Record<string, string>;
let swOp: Record<string, string>;
let key: Record<string, string>;
let otherKey: Record<string, string>;
let keyId: string;
const rng = createRng('lookup-test');
const days = (n: number) => n * 86_400_000;

/** Company A: on market-serious-illegal (scjg, published), tax-credit-a (sw, published, red) and a scjg draft. */
const A = { code: makeUscc(rng), name: makeCompanyName(rng) };
const ids: { market: string; tax: string; draft: string } = { market: '', tax: '', draft: '' };
let seq = 0;

const M = '/api/lists/market-serious-illegal/entries';
const T = '/api/lists/tax-credit-a/entries';

function marketBody(subject: { code: string; name: string }) {
  return {
    subject: { kind: 'legal_person', ...subject },
    fields: {
      penalty_decision_no: `示市监罚〔2026〕${++seq}号`,
      violation: '生产销售不符合食品安全标准的食品，情节严重。',
      category: '食品安全',
      heavier_penalties: ['吊销许可证件'],
      penalty_decision: { number: `示市监罚〔2026〕${seq}号`, date: '2026-10-01', title: '行政处罚决定书' },
      intentional: true,
    },
  };
}

async function ok<T extends { status: number; body: unknown }>(p: Promise<T>, status = 200): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
}

const logCount = async () => (await t.db.db.select({ n: count() }).from(queryLog))[0]!.n;
const lastLog = async () => (await t.db.db.select().from(queryLog).orderBy(queryLog.id)).at(-1)!;
const lookup = (h: Record<string, string>, code: string, query = 'purpose=核查招标投标资格') => t.json('GET', `/api/subjects/${encodeURIComponent(code)}?${query}`, h);

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  admin = await t.login('admin');
  scjgOp = await t.login('scjg-operator');
  swOp = await t.login('sw-operator');
  const scjgRv = await t.login('scjg-reviewer');
  const swRv = await t.login('sw-reviewer');
  const k1 = await ok(t.json('POST', '/api/api-keys', admin, { name: '政府采购管理系统', department: 'czj' }), 201);
  key = { authorization: `Bearer ${k1.body.key}` };
  keyId = k1.body.id;
  const k2 = await ok(t.json('POST', '/api/api-keys', admin, { name: '行政审批系统', department: 'spj' }), 201);
  otherKey = { authorization: `Bearer ${k2.body.key}` };

  const market = await ok(t.json('POST', M, scjgOp, marketBody(A)), 201);
  ids.market = market.body.id;
  await ok(t.json('POST', `${M}/${ids.market}/actions/notify`, scjgOp, { version: 1, serviceMethod: '直接送达' }));
  await t.travel(days(10));
  await ok(t.json('POST', `${M}/${ids.market}/actions/recognise`, scjgRv, { version: 2, decisionNo: '示市监信认〔2026〕1号', decisionDate: t.clock.today() }));
  await ok(t.json('POST', `${M}/${ids.market}/actions/publish`, scjgRv, { version: 3 }));

  const tax = await ok(
    t.json('POST', T, swOp, { subject: { kind: 'legal_person', ...A }, fields: { evaluation_year: 2025, score: 95, rated_on: '2026-04-01', consecutive_years: 2 } }),
    201,
  );
  ids.tax = tax.body.id;
  await ok(t.json('POST', `${T}/${ids.tax}/actions/recognise`, swRv, { version: 1, decisionNo: '示税信〔2026〕1号', decisionDate: t.clock.today() }));
  await ok(t.json('POST', `${T}/${ids.tax}/actions/publish`, swRv, { version: 2 }));

  ids.draft = (await ok(t.json('POST', M, scjgOp, marketBody(A)), 201)).body.id;
});
afterAll(() => t.close());

describe('lookup by staff (应查尽查)', () => {
  it('shows published entries of every department, the own department’s drafts, and the measures that apply', async () => {
    const before = await logCount();
    const r = await ok(lookup(scjgOp, A.code));
    expect(r.body.subject).toMatchObject({ kind: 'legal_person', code: A.code, name: A.name, codeValid: true });
    expect(r.body.listed).toBe(true);
    const byId = new Map(r.body.entries.map((e: { id: string }) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual([ids.market, ids.tax, ids.draft].sort());
    expect(byId.get(ids.draft)).toMatchObject({ status: 'draft', inEffect: false, complete: true });
    // Another department's entry: its public fields only (the rating score is not public).
    expect(byId.get(ids.tax)).toMatchObject({ listId: 'tax-credit-a', department: 'sw', status: 'published', inEffect: true, complete: false });
    expect((byId.get(ids.tax) as { fields: Record<string, unknown> }).fields).toEqual({ evaluation_year: 2025, rated_on: '2026-04-01', consecutive_years: 2 });
    const measures = r.body.measures as { id: string; kind: string; legalBasis: string[]; department: string; entryIds: string[] }[];
    expect(measures.map((m) => m.id)).toEqual(expect.arrayContaining(['M-SAMR-LICENCE-REVIEW', 'M-GOV-PROCUREMENT-BAN', 'M-TAX-A-JOINT-INCENTIVE', 'M-GREEN-CHANNEL']));
    for (const m of measures) {
      expect(m.legalBasis.length).toBeGreaterThan(0);
      expect(m.department).toBeTruthy();
      // Only entries in effect carry measures: never the draft.
      expect(m.entryIds.length).toBeGreaterThan(0);
      expect(m.entryIds).not.toContain(ids.draft);
    }
    // Punishments come before incentives.
    const kinds = measures.map((m) => m.kind);
    expect(kinds.indexOf('incentive')).toBeGreaterThan(kinds.lastIndexOf('punishment'));

    expect(await logCount()).toBe(before + 1);
    const log = await lastLog();
    expect(log).toMatchObject({ actorApiKeyId: null, department: 'scjg', subjectCode: A.code, purpose: '核查招标投标资格', matter: null, resultCount: 3 });
    expect(log.actorUserId).toBeTruthy();
    expect(log.at.toISOString()).toBe(t.clock.now().toISOString());
    expect(r.body.queryId).toBe(log.id);
  });

  it('does not show another department’s unpublished entries', async () => {
    const r = await ok(lookup(swOp, A.code, 'purpose=税务稽查前核查'));
    expect(r.body.entries.map((e: { id: string }) => e.id).sort()).toEqual([ids.market, ids.tax].sort());
    const tax = r.body.entries.find((e: { id: string }) => e.id === ids.tax);
    expect(tax).toMatchObject({ complete: true, fields: { score: 95 } });
    expect(await lastLog()).toMatchObject({ department: 'sw', resultCount: 2, purpose: '税务稽查前核查' });
  });

  it('filters the measures by matter and records the matter; normalises the code', async () => {
    const r = await ok(lookup(scjgOp, `  ${A.code.toLowerCase()} `, 'purpose=政府采购资格审查&matter=gov-procurement'));
    expect(r.body.code).toBe(A.code);
    expect(r.body.matter).toEqual({ id: 'gov-procurement', name: '政府采购' });
    expect(r.body.measures.map((m: { id: string }) => m.id).sort()).toEqual(['M-GOV-PROCUREMENT-BAN', 'M-SAMR-LICENCE-REVIEW']);
    expect(await lastLog()).toMatchObject({ subjectCode: A.code, matter: 'gov-procurement', resultCount: 3 });
  });

  it('answers and records a lookup of a code that is on no list', async () => {
    const code = makeUscc(rng);
    const before = await logCount();
    const r = await ok(lookup(key, code, 'purpose=供应商资格审查'));
    expect(r.body).toMatchObject({ subject: null, listed: false, entries: [], measures: [] });
    expect(await logCount()).toBe(before + 1);
    expect(await lastLog()).toMatchObject({ actorUserId: null, actorApiKeyId: keyId, department: 'czj', subjectCode: code, resultCount: 0 });
  });

  it('finds a subject registered under a checksum override, and refuses other bad codes', async () => {
    const bad = `${A.code.slice(0, 17)}${A.code.endsWith('0') ? '1' : '0'}`;
    const other = makeUscc(rng);
    const otherBad = `${other.slice(0, 17)}${other.endsWith('0') ? '1' : '0'}`;
    await ok(t.json('POST', M, scjgOp, { ...marketBody({ code: bad, name: makeCompanyName(rng) }), subject: { kind: 'legal_person', code: bad, name: makeCompanyName(rng), codeOverrideReason: '早期登记代码，经核实无误' } }), 201);
    const r = await ok(lookup(scjgOp, bad));
    expect(r.body.subject).toMatchObject({ code: bad, codeValid: false });
    const before = await logCount();
    const refused = await lookup(scjgOp, otherBad);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'INVALID_SUBJECT_CODE' });
    expect(await logCount()).toBe(before);
  });

  it('refuses bad input with a clear 4xx and logs nothing', async () => {
    const before = await logCount();
    const cases: [string, Record<string, string>, string, number, string][] = [
      ['no purpose', scjgOp, `/api/subjects/${A.code}`, 422, 'PURPOSE_REQUIRED'],
      ['blank purpose', scjgOp, `/api/subjects/${A.code}?purpose=%20%20`, 422, 'PURPOSE_REQUIRED'],
      ['one character', scjgOp, `/api/subjects/${A.code}?purpose=查`, 422, 'PURPOSE_REQUIRED'],
      ['201 characters', scjgOp, `/api/subjects/${A.code}?purpose=${'查'.repeat(201)}`, 422, 'PURPOSE_REQUIRED'],
      ['short code', scjgOp, '/api/subjects/91110000?purpose=核查', 422, 'INVALID_SUBJECT_CODE'],
      ['bad characters', scjgOp, `/api/subjects/${encodeURIComponent("' or 1=1 --")}?purpose=核查`, 422, 'INVALID_SUBJECT_CODE'],
      ['bad ID birth date', scjgOp, '/api/subjects/110101199913450011?purpose=核查', 422, 'INVALID_SUBJECT_CODE'],
      ['unknown matter', scjgOp, `/api/subjects/${A.code}?purpose=核查&matter=space-travel`, 422, 'UNKNOWN_MATTER'],
      ['anonymous', {}, `/api/subjects/${A.code}?purpose=核查`, 401, 'UNAUTHENTICATED'],
    ];
    for (const [name, h, path, status, code] of cases) {
      const r = await t.json('GET', path, h);
      expect([name, r.status, r.body.error?.code]).toEqual([name, status, code]);
      expect(typeof r.body.error.message).toBe('string');
    }
    const en = await t.json('GET', `/api/subjects/${A.code}`, { ...scjgOp, 'accept-language': 'en' });
    expect(en.body.error.message).toMatch(/purpose/);
    expect(await logCount()).toBe(before);
  });
});

describe('the query-use register', () => {
  it('is listed for the office with filters and x-total-count, and for nobody else', async () => {
    const all = await ok(t.json('GET', '/api/query-log?_start=0&_end=100', admin));
    const total = Number(all.headers.get('x-total-count'));
    expect(total).toBe(await logCount());
    expect(all.body[0]).toMatchObject({ actor: { kind: expect.any(String) }, subjectCode: expect.any(String), purpose: expect.any(String) });
    // Newest first.
    expect(all.body[0].id).toBeGreaterThan(all.body.at(-1).id);

    const byCode = await ok(t.json('GET', `/api/query-log?subjectCode=${A.code.toLowerCase()}`, admin));
    expect(byCode.body.length).toBeGreaterThanOrEqual(3);
    expect(byCode.body.every((r: { subjectCode: string }) => r.subjectCode === A.code)).toBe(true);
    const byDept = await ok(t.json('GET', '/api/query-log?department=czj', admin));
    expect(byDept.body.length).toBeGreaterThan(0);
    expect(byDept.body.every((r: { department: string; actor: { kind: string; id: string; name: string } }) => r.department === 'czj' && r.actor.kind === 'api_key' && r.actor.name === '政府采购管理系统')).toBe(true);
    const byActor = await ok(t.json('GET', `/api/query-log?actor=${keyId}`, admin));
    expect(Number(byActor.headers.get('x-total-count'))).toBe(byDept.body.length);
    const today = t.clock.today();
    const inRange = await ok(t.json('GET', `/api/query-log?at_gte=${today}&at_lte=${today}`, admin));
    expect(Number(inRange.headers.get('x-total-count'))).toBe(total);
    const before = await ok(t.json('GET', '/api/query-log?at_lte=2026-01-01', admin));
    expect(before.body).toEqual([]);
    expect((await t.json('GET', '/api/query-log?at_gte=yesterday', admin)).status).toBe(422);

    for (const h of [scjgOp, swOp, await t.login('leader'), key]) expect((await t.json('GET', '/api/query-log', h)).status).toBe(403);
    expect((await t.json('GET', '/api/query-log', {})).status).toBe(401);
  });

  it('cannot be changed or deleted through the API', async () => {
    const [row] = await t.db.db.select().from(queryLog).orderBy(queryLog.id).limit(1);
    const n = await logCount();
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      for (const path of [`/api/query-log/${row!.id}`, '/api/query-log']) {
        const r = await t.json(method, path, admin, method === 'DELETE' ? undefined : { purpose: '篡改', resultCount: 0 });
        expect([404, 405]).toContain(r.status);
        expect(r.body.error.code).toBeTruthy();
      }
    }
    const [after] = await t.db.db.select().from(queryLog).where(eq(queryLog.id, row!.id));
    expect(after).toEqual(row);
    expect(await logCount()).toBe(n);
  });
});

describe('check before acting (联合奖惩)', () => {
  const checkCount = async () => (await t.db.db.select({ n: count() }).from(checks))[0]!.n;

  it('answers the punishments and incentives of a matter from published entries, with their basis, and records the check', async () => {
    const logsBefore = await logCount();
    const r = await ok(t.json('POST', '/api/check', key, { code: A.code, matter: 'admin-licensing' }));
    expect(r.body).toMatchObject({ code: A.code, matter: { id: 'admin-licensing', name: '行政许可' }, listed: true, subject: { code: A.code, name: A.name } });
    expect(r.body.punishments.map((m: { id: string }) => m.id).sort()).toEqual(['M-NO-COMMITMENT-APPROVAL', 'M-SAMR-LICENCE-REVIEW']);
    expect(r.body.incentives.map((m: { id: string }) => m.id).sort()).toEqual(['M-GREEN-CHANNEL', 'M-TAX-A-JOINT-INCENTIVE']);
    const samr = r.body.punishments.find((m: { id: string }) => m.id === 'M-SAMR-LICENCE-REVIEW');
    expect(samr.legalBasis[0]).toContain('市场监督管理严重违法失信名单管理办法');
    expect(samr.entries).toEqual([
      {
        entryId: ids.market,
        listId: 'market-serious-illegal',
        listName: '市场监督管理严重违法失信名单',
        listKind: 'black',
        department: 'scjg',
        departmentName: '示例市市场监督管理局',
        decisionNo: '示市监信认〔2026〕1号',
        decisionDate: expect.any(String),
        termEnd: expect.any(String),
      },
    ]);
    // The draft is never a basis, nor listed.
    expect(r.body.entries.map((e: { entryId: string }) => e.entryId).sort()).toEqual([ids.market, ids.tax].sort());

    const [row] = await t.db.db.select().from(checks).where(eq(checks.id, r.body.checkId));
    expect(row).toMatchObject({ apiKeyId: keyId, subjectCode: A.code, matter: 'admin-licensing' });
    expect((row!.result as { punishments: unknown[] }).punishments).toHaveLength(2);
    expect(await logCount()).toBe(logsBefore + 1);
    expect(await lastLog()).toMatchObject({ actorApiKeyId: keyId, department: 'czj', subjectCode: A.code, matter: 'admin-licensing', resultCount: 2 });
    expect((await lastLog()).purpose).toContain('行政许可');
  });

  it('takes feedback once, only with measures from that check’s answer, only from the key that checked', async () => {
    const c = await ok(t.json('POST', '/api/check', key, { code: A.code, matter: 'gov-procurement', purpose: '2026年第12号采购项目供应商资格审查' }));
    expect(await lastLog()).toMatchObject({ purpose: '2026年第12号采购项目供应商资格审查', matter: 'gov-procurement' });
    const url = `/api/check/${c.body.checkId}/feedback`;
    const foreign = await t.json('POST', url, key, { measuresApplied: ['M-GOV-PROCUREMENT-BAN', 'M-GREEN-CHANNEL'], outcome: '已限制参加本次采购' });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error).toMatchObject({ code: 'MEASURE_NOT_IN_CHECK', details: [{ path: 'measuresApplied.1', code: 'M-GREEN-CHANNEL' }] });
    expect((await t.json('POST', url, otherKey, { measuresApplied: [], outcome: '未采取措施' })).status).toBe(404);
    expect((await t.json('POST', url, scjgOp, { measuresApplied: [], outcome: '未采取措施' })).status).toBe(403);
    expect((await t.json('POST', '/api/check/00000000-0000-0000-0000-000000000000/feedback', key, { measuresApplied: [], outcome: 'x' })).status).toBe(404);
    expect((await t.json('POST', '/api/check/not-a-uuid/feedback', key, { measuresApplied: [], outcome: 'x' })).status).toBe(404);
    expect((await t.json('POST', url, key, { measuresApplied: ['M-GOV-PROCUREMENT-BAN', 'M-GOV-PROCUREMENT-BAN'], outcome: 'x' })).status).toBe(422);

    const done = await ok(t.json('POST', url, key, { measuresApplied: ['M-GOV-PROCUREMENT-BAN'], outcome: '依法限制其参加本次政府采购活动' }), 201);
    expect(done.body).toMatchObject({ checkId: c.body.checkId, measuresApplied: ['M-GOV-PROCUREMENT-BAN'], outcome: '依法限制其参加本次政府采购活动' });
    const again = await t.json('POST', url, key, { measuresApplied: [], outcome: '再次反馈' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('FEEDBACK_EXISTS');
    const rows = await t.db.db.select().from(measuresApplied).where(eq(measuresApplied.checkId, c.body.checkId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ measures: ['M-GOV-PROCUREMENT-BAN'], outcome: '依法限制其参加本次政府采购活动' });
  });

  it('stops answering measures once the entry is revoked', async () => {
    const rv = await t.login('scjg-reviewer');
    const detail = await ok(t.json('GET', `${M}/${ids.market}`, rv));
    await ok(
      t.json('POST', `${M}/${ids.market}/actions/revoke`, rv, {
        version: detail.body.version,
        document: { number: '示行复〔2026〕3号', date: t.clock.today(), title: '行政复议决定书' },
        reason: '处罚决定被复议机关撤销',
      }),
    );
    const r = await ok(t.json('POST', '/api/check', key, { code: A.code, matter: 'admin-licensing' }));
    expect(r.body.punishments).toEqual([]);
    expect(r.body.incentives.map((m: { id: string }) => m.id).sort()).toEqual(['M-GREEN-CHANNEL', 'M-TAX-A-JOINT-INCENTIVE']);
    expect(r.body.entries.map((e: { entryId: string }) => e.entryId)).toEqual([ids.tax]);
  });

  it('refuses bad requests with a clear 4xx, storing and logging nothing', async () => {
    const logs = await logCount();
    const stored = await checkCount();
    const raw = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      t.app.request('/api/check', { method: 'POST', headers: { ...key, ...headers }, body });
    const cases: [string, Response | Promise<Response>, number, string][] = [
      ['unknown matter', raw(JSON.stringify({ code: A.code, matter: 'space-travel' })), 422, 'UNKNOWN_MATTER'],
      ['invalid code', raw(JSON.stringify({ code: 'ABC', matter: 'bidding' })), 422, 'INVALID_SUBJECT_CODE'],
      ['injection in code', raw(JSON.stringify({ code: "' or 1=1 --", matter: 'bidding' })), 422, 'INVALID_SUBJECT_CODE'],
      ['missing matter', raw(JSON.stringify({ code: A.code })), 422, 'VALIDATION_FAILED'],
      ['unknown key', raw(JSON.stringify({ code: A.code, matter: 'bidding', extra: 1 })), 422, 'VALIDATION_FAILED'],
      ['malformed JSON', raw('{"code": "'), 400, 'BAD_JSON'],
      ['array body', raw('[]'), 400, 'BAD_JSON'],
      ['not JSON', raw('code=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['over 64 KB', raw(JSON.stringify({ code: A.code, matter: 'bidding', purpose: 'x'.repeat(70_000) })), 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [name, p, status, code] of cases) {
      const res = await p;
      const body = (await res.json()) as { error: { code: string } };
      expect([name, res.status, body.error.code]).toEqual([name, status, code]);
    }
    // A person (not a business system) may not check; anonymous callers are not let in.
    expect((await t.json('POST', '/api/check', scjgOp, { code: A.code, matter: 'bidding' })).status).toBe(403);
    expect((await t.json('POST', '/api/check', admin, { code: A.code, matter: 'bidding' })).status).toBe(403);
    expect((await t.json('POST', '/api/check', {}, { code: A.code, matter: 'bidding' })).status).toBe(401);
    expect(await logCount()).toBe(logs);
    expect(await checkCount()).toBe(stored);
  });
});
