/**
 * Issue 6: the public portal. Search and detail of published entries,
 * objections and repair applications from the public with a tracking number
 * (they land in the department's work queue), the rate limit, bad input.
 */
import { count, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../api/src/db/client.ts';
import { objections, repairs } from '../../api/src/db/schema.ts';
import { containsPattern, PortalSearchQuery, searchEntries } from '../../api/src/portal/service.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let op: Record<string, string>;
let rv: Record<string, string>;
const rng = createRng('portal-test');
const P = '/api/lists/admin-penalty-scjg/entries';
let seq = 0;
let ip = 0;
const nextAddress = () => {
  ip++;
  return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
};

/** A request from the public; each from its own address unless one is given (the rate limit is per address). */
async function pub(method: string, path: string, body?: unknown, address = nextAddress()) {
  return t.json(method, path, { 'x-forwarded-for': address }, body);
}

async function ok<R extends { status: number; body: unknown }>(p: Promise<R>, status = 200): Promise<R> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
}

/** An administrative penalty of market regulation (双公示, no notice): created, and published unless `draft`. */
async function penalty(name: string, opts: { draft?: boolean; code?: string } = {}) {
  const code = opts.code ?? makeUscc(rng);
  const n = ++seq;
  const created = await ok(
    t.json('POST', P, op, {
      subject: { kind: 'legal_person', code, name },
      fields: {
        decision_no: `示市监罚〔2026〕${n}号`,
        case_name: `${name}销售不合格产品案`,
        violation: '销售不符合保障人体健康标准的产品。',
        penalty_basis: '《中华人民共和国产品质量法》第四十九条',
        penalty_kinds: ['罚款', '没收违法所得'],
        fine_amount: 30000,
        severity: '一般',
        decision_document: { number: `示市监罚〔2026〕${n}号`, date: '2026-10-30', title: '内部案卷-不公开' },
      },
    }),
    201,
  );
  const id = created.body.id as string;
  if (!opts.draft) await ok(t.json('POST', `${P}/${id}/actions/publish`, rv, { version: 1, decisionNo: `示市监罚〔2026〕${n}号`, decisionDate: '2026-10-30' }));
  return { id, code, name };
}

const names = {
  percent: '示例市百分百100%纯净水有限公司',
  underscore: '示例市A_B商贸有限公司',
  backslash: '示例市反斜杠\\测试有限公司',
};
const e: Record<string, { id: string; code: string; name: string }> = {};

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  op = await t.login('scjg-operator');
  rv = await t.login('scjg-reviewer');
  e.percent = await penalty(names.percent);
  e.underscore = await penalty(names.underscore);
  e.backslash = await penalty(names.backslash);
  e.plain = await penalty(makeCompanyName(rng));
  e.requests = await penalty('示例市公众申请测试有限公司');
  e.draft = await penalty('示例市草稿状态有限公司', { draft: true });
  // A red list without repair.
  const sw = await t.login('sw-operator');
  const swRv = await t.login('sw-reviewer');
  const code = makeUscc(rng);
  const tax = await ok(t.json('POST', '/api/lists/tax-credit-a/entries', sw, { subject: { kind: 'legal_person', code, name: '示例市纳税信用A级有限公司' }, fields: { evaluation_year: 2025, score: 96, rated_on: '2026-04-01' } }), 201);
  await ok(t.json('POST', `/api/lists/tax-credit-a/entries/${tax.body.id}/actions/recognise`, swRv, { version: 1, decisionNo: '示税信〔2026〕8号', decisionDate: '2026-10-30' }));
  await ok(t.json('POST', `/api/lists/tax-credit-a/entries/${tax.body.id}/actions/publish`, swRv, { version: 2 }));
  e.tax = { id: tax.body.id, code, name: '示例市纳税信用A级有限公司' };
});
afterAll(() => t.close());

const topKeys = ['accepts', 'decisionDate', 'decisionNo', 'department', 'fields', 'id', 'list', 'personalInfoBasis', 'publishedAt', 'relatedPersons', 'subject', 'termEnd'];

describe('search and detail', () => {
  it('finds published entries by part of the name or the exact code, with paging and x-total-count', async () => {
    const all = await ok(pub('GET', '/api/public/entries?_start=0&_end=100'));
    expect(Number(all.headers.get('x-total-count'))).toBe(6);
    expect(all.body.map((x: { id: string }) => x.id).sort()).toEqual([e.percent, e.underscore, e.backslash, e.plain, e.requests, e.tax].map((x) => x!.id).sort());
    const page = await ok(pub('GET', '/api/public/entries?_start=2&_end=4'));
    expect(page.body).toHaveLength(2);
    expect(Number(page.headers.get('x-total-count'))).toBe(6);

    const part = await ok(pub('GET', `/api/public/entries?q=${encodeURIComponent('公众申请')}`));
    expect(part.body.map((x: { id: string }) => x.id)).toEqual([e.requests!.id]);
    const byCode = await ok(pub('GET', `/api/public/entries?q=${e.plain!.code.toLowerCase()}`));
    expect(byCode.body.map((x: { id: string }) => x.id)).toEqual([e.plain!.id]);
    // Part of a code is not a search by code.
    expect((await ok(pub('GET', `/api/public/entries?q=${e.plain!.code.slice(0, 10)}`))).body).toEqual([]);
    // Drafts are not found.
    expect((await ok(pub('GET', `/api/public/entries?q=${encodeURIComponent('草稿状态')}`))).body).toEqual([]);
  });

  it('takes wildcards, quotes and backslashes literally', async () => {
    const search = async (q: string) => (await ok(pub('GET', `/api/public/entries?q=${encodeURIComponent(q)}`))).body.map((x: { subject: { name: string } }) => x.subject.name);
    expect(await search('%')).toEqual([names.percent]);
    expect(await search('100%纯')).toEqual([names.percent]);
    expect(await search('_')).toEqual([names.underscore]);
    expect(await search('A_B')).toEqual([names.underscore]);
    expect(await search('\\')).toEqual([names.backslash]);
    expect(await search("' or 1=1 --")).toEqual([]);
    expect(await search("'; drop table entries; --")).toEqual([]);
    expect(await search('%%')).toEqual([]);
    const long = await pub('GET', `/api/public/entries?q=${'x'.repeat(101)}`);
    expect(long.status).toBe(422);
    expect(long.body.error.code).toBe('VALIDATION_FAILED');
    expect((await pub('GET', '/api/public/entries?_start=-1')).status).toBe(422);
    // The public pages through the first 10,000 results only.
    expect((await pub('GET', '/api/public/entries?_start=10001')).status).toBe(422);
  });

  it('shows the public fields only, through one projection', async () => {
    const d = await ok(pub('GET', `/api/public/entries/${e.plain!.id}`));
    expect(Object.keys(d.body).sort()).toEqual(topKeys);
    expect(d.body.subject).toEqual({ kind: 'legal_person', kindLabel: '法人', name: e.plain!.name, code: e.plain!.code, desensitised: false });
    expect(d.body.list).toMatchObject({ id: 'admin-penalty-scjg', name: '行政处罚信息（市场监管）', kind: 'black', category: 'record' });
    expect(d.body.department).toEqual({ code: 'scjg', name: '示例市市场监督管理局' });
    expect(d.body.fields.map((f: { key: string }) => f.key)).toEqual(['decision_no', 'case_name', 'violation', 'penalty_basis', 'penalty_kinds', 'fine_amount', 'severity']);
    expect(JSON.stringify(d.body)).not.toContain('内部案卷');
    expect(d.body.accepts).toEqual({ objection: true, repair: true, repairMaterials: [{ id: 'fulfilment-proof', name: '履行义务证明' }, { id: 'commitment-letter', name: '信用承诺书' }] });
    // The list view is the same projection.
    const listed = (await ok(pub('GET', `/api/public/entries?q=${e.plain!.code}`))).body[0];
    expect(listed).toEqual(d.body);
    expect(JSON.stringify(listed)).not.toMatch(/"(status|version|due|createdBy|events|overdue|configVersion\w*)"/);
  });

  it('answers 404 for drafts, unknown and malformed ids, and hides an entry at once when it is revoked', async () => {
    for (const id of [e.draft!.id, '00000000-0000-0000-0000-000000000000', 'not-a-uuid', "1' or '1'='1"]) {
      const r = await pub('GET', `/api/public/entries/${encodeURIComponent(id)}`);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('ENTRY_NOT_FOUND');
    }
    const victim = await penalty('示例市即将撤销有限公司');
    await ok(pub('GET', `/api/public/entries/${victim.id}`));
    await ok(
      t.json('POST', `${P}/${victim.id}/actions/revoke`, rv, { version: 2, document: { number: '示行复〔2026〕9号', date: '2026-11-02', title: '行政复议决定书' }, reason: '处罚决定被撤销' }),
    );
    expect((await pub('GET', `/api/public/entries/${victim.id}`)).status).toBe(404);
    expect((await ok(pub('GET', `/api/public/entries?q=${victim.code}`))).body).toEqual([]);
  });
});

describe('objections and repair applications from the public', () => {
  const objectionCount = async () => (await t.db.db.select({ n: count() }).from(objections))[0]!.n;
  const repairCount = async () => (await t.db.db.select({ n: count() }).from(repairs))[0]!.n;

  it('files an objection, lands it in the department’s queue and tracks it to the answer', async () => {
    const url = `/api/public/entries/${e.requests!.id}/objections`;
    const filed = await ok(pub('POST', url, { content: '处罚金额登记有误，应为两万元。', contact: { name: '李四', phone: '13800000000' } }), 201);
    expect(filed.body).toEqual({ trackingNo: expect.stringMatching(/^YY20261102[0-9A-F]{8}$/), type: 'objection', status: 'received', statusLabel: '已收到，正在核查', receivedAt: '2026-11-02', dueDate: expect.any(String) });
    const no = filed.body.trackingNo;

    // An ordinary objection of the department, marked as coming from the public.
    const staff = await ok(t.json('GET', `${P}/${e.requests!.id}`, rv));
    const o = staff.body.objections.find((x: { trackingNo: string }) => x.trackingNo === no);
    expect(o).toMatchObject({ source: 'public', status: 'received', content: '处罚金额登记有误，应为两万元。' });

    const tracked = await ok(pub('GET', `/api/public/requests/${no.toLowerCase()}`));
    expect(tracked.body).toMatchObject({ trackingNo: no, type: 'objection', status: 'received', listName: '行政处罚信息（市场监管）', receivedAt: '2026-11-02', dueDate: filed.body.dueDate, result: null, answer: null });
    expect(JSON.stringify(tracked.body)).not.toMatch(/13800000000|李四|两万元|contact|content|entryId/);

    await ok(t.json('POST', `${P}/${e.requests!.id}/objections/${o.id}/answer`, rv, { version: 1, result: 'rejected', answer: '经核实，处罚金额登记无误。' }));
    const answered = await ok(pub('GET', `/api/public/requests/${no}`));
    expect(answered.body).toMatchObject({ status: 'answered', statusLabel: '已答复', result: 'rejected', answer: '经核实，处罚金额登记无误。', dueDate: null, answeredAt: '2026-11-02' });
  });

  it('files a repair application, lands it in the queue and tracks it', async () => {
    const url = `/api/public/entries/${e.requests!.id}/repairs`;
    const unknownMaterial = await pub('POST', url, { application: { reason: '已缴清罚款。', contact: { name: '王五', phone: '0631-1234567' } }, materials: [{ type: 'bribe' }] });
    expect(unknownMaterial.status).toBe(422);
    expect(unknownMaterial.body.error).toMatchObject({ code: 'UNKNOWN_MATERIAL', details: [{ path: 'materials.0.type' }] });
    const pointer = await pub('POST', url, { application: { reason: '已缴清罚款。', contact: { name: '王五', phone: '0631-1234567' } }, materials: [{ type: 'commitment-letter', attachmentId: '00000000-0000-0000-0000-000000000000' }] });
    expect(pointer.status).toBe(422);

    const filed = await ok(
      pub('POST', url, { application: { reason: '已缴清罚款并完成整改。', contact: { name: '王五', phone: '0631-1234567' } }, materials: [{ type: 'fulfilment-proof', note: '缴款凭证' }, { type: 'commitment-letter' }] }),
      201,
    );
    expect(filed.body).toMatchObject({ trackingNo: expect.stringMatching(/^XF20261102[0-9A-F]{8}$/), type: 'repair', status: 'applied', statusLabel: '已提交，待受理' });
    const staff = await ok(t.json('GET', `${P}/${e.requests!.id}`, rv));
    const r = staff.body.repairs.find((x: { trackingNo: string }) => x.trackingNo === filed.body.trackingNo);
    expect(r).toMatchObject({ source: 'public', status: 'applied' });

    const again = await pub('POST', url, { application: { reason: '再次申请。', contact: { name: '王五', phone: '0631-1234567' } } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REPAIR_PENDING');

    await ok(t.json('POST', `${P}/${e.requests!.id}/repairs/${r.id}/accept`, rv, { version: 1 }));
    const tracked = await ok(pub('GET', `/api/public/requests/${filed.body.trackingNo}`));
    expect(tracked.body).toMatchObject({ type: 'repair', status: 'accepted', statusLabel: '已受理，正在审核', dueDate: r.decideDue });
    expect(JSON.stringify(tracked.body)).not.toMatch(/0631|王五|缴款凭证|materials/);
  });

  it('refuses what a list does not take, and unknown or hidden entries', async () => {
    const repair = { application: { reason: '申请修复。', contact: { name: '赵六', phone: '13900000000' } } };
    const tax = await pub('POST', `/api/public/entries/${e.tax!.id}/repairs`, repair);
    expect(tax.status).toBe(409);
    expect(tax.body.error.code).toBe('NOT_REPAIRABLE');
    for (const id of [e.draft!.id, '00000000-0000-0000-0000-000000000000', 'x']) {
      expect((await pub('POST', `/api/public/entries/${id}/repairs`, repair)).status).toBe(404);
      expect((await pub('POST', `/api/public/entries/${id}/objections`, { content: '有误', contact: { name: '赵六', phone: '13900000000' } })).status).toBe(404);
    }
    expect((await pub('GET', '/api/public/requests/YY20261102ABCDEF01')).status).toBe(404);
    const bad = await pub('GET', `/api/public/requests/${encodeURIComponent("YY' or 1=1")}`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('INVALID_TRACKING_NO');
  });

  it('refuses bad bodies with a clear 4xx and stores nothing', async () => {
    const before = [await objectionCount(), await repairCount()];
    const url = `/api/public/entries/${e.requests!.id}/objections`;
    const raw = (body: string, type = 'application/json') => t.app.request(url, { method: 'POST', headers: { 'content-type': type, 'x-forwarded-for': nextAddress() }, body });
    const cases: [string, Response | Promise<Response>, number, string][] = [
      ['no contact', raw(JSON.stringify({ content: '有误' })), 422, 'VALIDATION_FAILED'],
      ['bad phone', raw(JSON.stringify({ content: '有误', contact: { name: '甲', phone: 'call me' } })), 422, 'VALIDATION_FAILED'],
      ['unknown key', raw(JSON.stringify({ content: '有误', contact: { name: '甲', phone: '13800000000' }, status: 'answered' })), 422, 'VALIDATION_FAILED'],
      ['empty content', raw(JSON.stringify({ content: '   ', contact: { name: '甲', phone: '13800000000' } })), 422, 'VALIDATION_FAILED'],
      ['malformed JSON', raw('{"content": '), 400, 'BAD_JSON'],
      ['not JSON', raw('content=x', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['over 64 KB', raw(JSON.stringify({ content: '长'.repeat(30_000), contact: { name: '甲', phone: '13800000000' } })), 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [name, p, status, code] of cases) {
      const res = await p;
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect([name, res.status, body.error.code]).toEqual([name, status, code]);
      expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect([await objectionCount(), await repairCount()]).toEqual(before);
  });
});

describe('rate limit', () => {
  it('answers 429 in the error shape with Retry-After once a client’s reads are spent, per client address', async () => {
    const address = '203.0.113.7';
    let limited: Awaited<ReturnType<typeof pub>> | undefined;
    let allowed = 0;
    for (let i = 0; i < 300 && !limited; i++) {
      const r = await pub('GET', '/api/public/entries?_end=1', undefined, `${address}, 10.0.0.1`);
      if (r.status === 429) limited = r;
      else allowed++;
    }
    // A burst of 60, plus what refilled (1 per second) while the loop ran.
    expect(allowed).toBeGreaterThanOrEqual(60);
    expect(limited).toBeDefined();
    expect(limited!.body.error).toMatchObject({ code: 'RATE_LIMITED', details: [] });
    expect(limited!.body.error.message).toMatch(/请求过于频繁/);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another client is not affected; the same one is limited on every public read.
    expect((await pub('GET', '/api/public/entries?_end=1', undefined, '203.0.113.8')).status).toBe(200);
    expect((await pub('GET', `/api/public/entries/${e.plain!.id}`, undefined, address)).status).toBe(429);
    expect((await pub('GET', '/api/public/requests/YY20261102ABCDEF01', undefined, address)).status).toBe(429);
  });

  it('limits objections and repair applications much more strictly', async () => {
    const address = '203.0.113.9';
    const url = `/api/public/entries/${e.plain!.id}/objections`;
    const body = { content: '信息有误。', contact: { name: '钱七', phone: '13700000000' } };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await pub('POST', url, body, address)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const en = await t.json('POST', url, { 'x-forwarded-for': address, 'accept-language': 'en' }, body);
    expect(en.status).toBe(429);
    expect(en.body.error.message).toMatch(/too many requests/);
  });
});

describe('the portal page', () => {
  it('is a static Chinese page with its script from the same origin', async () => {
    const page = await t.app.request('/portal');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('公示信息查询');
    expect(html).toContain('<script src="/portal/page.js"></script>');
    const js = await t.app.request('/portal/page.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const code = await js.text();
    expect(code).toContain('/api/public/entries');
    expect(code).not.toContain('innerHTML');
  });
});

describe('the portal indexes (migration 0005)', () => {
  /** Runs `fn` in a transaction in which the planner may not scan tables sequentially, so the indexes answer. */
  async function forced<T>(fn: (tx: Db) => Promise<T>, settings = ['enable_seqscan']): Promise<T> {
    let result: T | undefined;
    await t.db.db.transaction(async (tx) => {
      for (const s of settings) await tx.execute(sql.raw(`set local ${s} = off`));
      result = await fn(tx);
    });
    return result as T;
  }
  const plan = async (tx: Db, query: SQL) => (await queryRows<{ 'QUERY PLAN': string }>(tx, sql`explain ${query}`)).map((r) => r['QUERY PLAN']).join('\n');

  it('exist: pg_trgm, the published-entries btrees and the trigram GIN on subject names', async () => {
    const ext = await queryRows<{ extname: string }>(t.db.db, sql`select extname from pg_extension where extname = 'pg_trgm'`);
    expect(ext).toEqual([{ extname: 'pg_trgm' }]);
    const idx = await queryRows<{ indexname: string; indexdef: string }>(
      t.db.db,
      sql`select indexname, indexdef from pg_indexes where indexname in ('entries_published_idx', 'entries_published_subject_idx', 'subjects_name_trgm_idx') order by indexname`,
    );
    expect(idx.map((i) => i.indexname)).toEqual(['entries_published_idx', 'entries_published_subject_idx', 'subjects_name_trgm_idx']);
    expect(idx[0]!.indexdef).toMatch(/published_at DESC NULLS LAST, id DESC\).*WHERE \(status = 'published'::text\)/);
    expect(idx[2]!.indexdef).toMatch(/USING gin \(name gin_trgm_ops\)/);
  });

  it('the trigram index answers contains-searches with wildcards taken literally', async () => {
    const expected: [string, string[]][] = [
      ['%', [names.percent]],
      ['100%纯', [names.percent]],
      ['_', [names.underscore]],
      ['A_B', [names.underscore]],
      ['\\', [names.backslash]],
      ['%%', []],
      ['公众申请', ['示例市公众申请测试有限公司']],
      ["' or 1=1 --", []],
    ];
    for (const [q, want] of expected) {
      const query = sql`select name from subjects where name ilike ${containsPattern(q)} order by name`;
      // Neither a sequential scan nor a plain index scan: only a bitmap scan of the trigram index can answer.
      const got = await forced(async (tx) => {
        expect(await plan(tx, query)).toContain('subjects_name_trgm_idx');
        return (await queryRows<{ name: string }>(tx, query)).map((r) => r.name);
      }, ['enable_seqscan', 'enable_indexscan']);
      expect([q, got]).toEqual([q, want]);
    }
  });

  it('the portal search answers the same with the planner held to the indexes', async () => {
    const deps = (db: Db) => ({ db, model: t.model, clock: t.clock, requests: t.app.services.requests });
    const queries = ['', '%', '_', 'A_B', '\\', '公众申请', e.plain!.code, e.plain!.code.toLowerCase(), '草稿状态', "'; drop table entries; --"];
    for (const q of queries) {
      const input = PortalSearchQuery.parse({ q, _start: 0, _end: 50 });
      const free = await searchEntries(deps(t.db.db), input);
      const held = await forced((tx) => searchEntries(deps(tx), input));
      expect([q, held]).toEqual([q, free]);
    }
    const page = await forced((tx) => searchEntries(deps(tx), PortalSearchQuery.parse({ _start: 2, _end: 4 })));
    const all = await searchEntries(deps(t.db.db), PortalSearchQuery.parse({ _start: 0, _end: 50 }));
    expect(page.rows.map((r) => r.id)).toEqual(all.rows.slice(2, 4).map((r) => r.id));
  });
});
