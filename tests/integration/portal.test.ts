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
import { dbDigest } from '../support/procedure.ts';

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
    const queued = async () => (await ok(t.json('GET', `${P}?openRequest=objection&_end=100`, rv))).body.map((x: { id: string }) => x.id);
    expect(await queued()).toContain(e.requests!.id);

    const tracked = await ok(pub('GET', `/api/public/requests/${no.toLowerCase()}`));
    expect(tracked.body).toMatchObject({ trackingNo: no, type: 'objection', status: 'received', listName: '行政处罚信息（市场监管）', receivedAt: '2026-11-02', dueDate: filed.body.dueDate, result: null, answer: null });
    expect(JSON.stringify(tracked.body)).not.toMatch(/13800000000|李四|两万元|contact|content|entryId/);

    await ok(t.json('POST', `${P}/${e.requests!.id}/objections/${o.id}/answer`, rv, { version: 1, result: 'rejected', answer: '经核实，处罚金额登记无误。' }));
    expect(await queued()).not.toContain(e.requests!.id);
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
    const queued = async () => (await ok(t.json('GET', `${P}?openRequest=repair&_end=100`, rv))).body.map((x: { id: string }) => x.id);
    expect(await queued()).toContain(e.requests!.id);
    expect((await t.json('GET', `${P}?openRequest=appeal`, rv)).status).toBe(422);

    const again = await pub('POST', url, { application: { reason: '再次申请。', contact: { name: '王五', phone: '0631-1234567' } } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REPAIR_PENDING');

    await ok(t.json('POST', `${P}/${e.requests!.id}/repairs/${r.id}/accept`, rv, { version: 1 }));
    const tracked = await ok(pub('GET', `/api/public/requests/${filed.body.trackingNo}`));
    expect(tracked.body).toMatchObject({ type: 'repair', status: 'accepted', statusLabel: '已受理，正在审核', dueDate: r.decideDue });
    expect(await queued(), 'an accepted application still waits for its decision').toContain(e.requests!.id);
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
    const deps = (db: Db) => ({ db, model: t.model, clock: t.clock, requests: t.app.services.requests, attachments: t.app.services.attachments });
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

describe('filings from the public: their own actor kind, and files sent with them', () => {
  const pdf = new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n', 'latin1'));
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  type File_ = { bytes: Uint8Array; name: string; type?: string };
  /** A filing as multipart: `request` (JSON text) and `file` parts. */
  async function filing(url: string, request: unknown, files: File_[], address = nextAddress()) {
    const form = new FormData();
    if (request !== undefined) form.append('request', typeof request === 'string' ? request : JSON.stringify(request));
    for (const f of files) form.append('file', new File([Buffer.from(f.bytes)], f.name, { type: f.type ?? '' }));
    const res = await t.app.request(url, { method: 'POST', headers: { 'x-forwarded-for': address }, body: form });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  const audit = (action: string, entryId: string) =>
    queryRows<{ actor: Record<string, unknown> }>(t.db.db, sql`select actor from audit_log where action = ${action} and chain = ${`entry:${entryId}`} order by id`);
  const attachmentsOf = async (entryId: string) => (await ok(t.json('GET', `${P}/${entryId}/attachments`, rv))).body as Record<string, unknown>[];

  it('records a JSON filing as the public in the entry’s events and audit, not as a user or the system', async () => {
    const x = await penalty('示例市公众身份测试有限公司');
    const filed = await ok(pub('POST', `/api/public/entries/${x.id}/objections`, { content: '登记有误。', contact: { name: '孙八', phone: '13600000000' } }, '198.51.100.20'), 201);
    const staff = await ok(t.json('GET', `${P}/${x.id}`, rv));
    const event = staff.body.events.find((ev: { action: string }) => ev.action === 'objection-received');
    expect(event.actor).toEqual({ kind: 'public', userId: null, apiKeyId: null, name: '社会公众' });
    // The other events keep their kinds.
    expect(staff.body.events.find((ev: { action: string }) => ev.action === 'publish').actor).toMatchObject({ kind: 'user', name: expect.any(String) });
    expect(await audit('objection.receive', x.id)).toEqual([{ actor: { kind: 'public', name: '社会公众', address: '198.51.100.20' } }]);
    // In the department's queue (the entry's open objections) and on the tracking page.
    expect(staff.body.objections.find((o: { trackingNo: string }) => o.trackingNo === filed.body.trackingNo)).toMatchObject({ source: 'public', status: 'received' });
    expect((await ok(pub('GET', `/api/public/requests/${filed.body.trackingNo}`))).body).toMatchObject({ status: 'received', statusLabel: '已收到，正在核查' });
  });

  it('files an objection with evidence files (multipart) in one transaction; staff see the files on the objection', async () => {
    const x = await penalty('示例市异议附件测试有限公司');
    const filed = await filing(`/api/public/entries/${x.id}/objections`, { content: '附上缴款凭证。', contact: { name: '周九', phone: '13500000000' } }, [
      { bytes: pdf, name: '缴款凭证.pdf', type: 'application/pdf' },
      { bytes: png, name: '现场照片.png', type: 'image/png' },
    ]);
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ trackingNo: expect.stringMatching(/^YY/), type: 'objection', status: 'received' });
    const staff = await ok(t.json('GET', `${P}/${x.id}`, rv));
    const o = staff.body.objections.find((y: { trackingNo: string }) => y.trackingNo === filed.body.trackingNo);
    const files = (await attachmentsOf(x.id)).sort((a, b) => (String(a.mime) < String(b.mime) ? -1 : 1));
    expect(files.map((f) => [f.ownerType, f.ownerId, f.kind, f.filename, f.mime, f.createdBy])).toEqual([
      ['objection', o.id, 'evidence', '缴款凭证.pdf', 'application/pdf', null],
      ['objection', o.id, 'evidence', '现场照片.png', 'image/png', null],
    ]);
    expect((await audit('attachment.upload', x.id)).map((a) => a.actor.kind)).toEqual(['public', 'public']);
    const tracked = await ok(pub('GET', `/api/public/requests/${filed.body.trackingNo}`));
    expect(JSON.stringify(tracked.body)).not.toMatch(/缴款凭证|现场照片|attachment/);
  });

  it('files a repair application whose files are its materials (by index), which the department then accepts', async () => {
    const x = await penalty('示例市修复材料测试有限公司');
    const filed = await filing(
      `/api/public/entries/${x.id}/repairs`,
      {
        application: { reason: '已缴清罚款并完成整改。', contact: { name: '吴十', phone: '13400000000' } },
        materials: [
          { type: 'fulfilment-proof', note: '缴款凭证', file: 1 },
          { type: 'commitment-letter', file: 0 },
        ],
      },
      [
        { bytes: pdf, name: '信用承诺书.pdf', type: 'application/pdf' },
        { bytes: pdf, name: '履行证明.pdf', type: 'application/pdf' },
        { bytes: png, name: '其他.png', type: 'image/png' },
      ],
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const staff = await ok(t.json('GET', `${P}/${x.id}`, rv));
    const r = staff.body.repairs.find((y: { trackingNo: string }) => y.trackingNo === filed.body.trackingNo);
    expect(r).toMatchObject({ source: 'public', status: 'applied', materials: [{ type: 'fulfilment-proof', note: '缴款凭证' }, { type: 'commitment-letter' }] });
    const files = (await attachmentsOf(x.id)).sort((a, b) => (`${a.kind}${a.materialType}` < `${b.kind}${b.materialType}` ? -1 : 1));
    expect(files.map((f) => [f.ownerType, f.ownerId, f.kind, f.materialType, f.filename])).toEqual([
      ['repair', r.id, 'material', 'commitment-letter', '信用承诺书.pdf'],
      ['repair', r.id, 'material', 'fulfilment-proof', '履行证明.pdf'],
      ['repair', r.id, 'other', null, '其他.png'],
    ]);
    expect(staff.body.events.find((ev: { action: string }) => ev.action === 'repair-applied').actor.kind).toBe('public');
    // The department works it like any other: accept, then approve (the repair action needs the materials).
    await ok(t.json('POST', `${P}/${x.id}/repairs/${r.id}/accept`, rv, { version: 1 }));
    const tracked = await ok(pub('GET', `/api/public/requests/${filed.body.trackingNo}`));
    expect(tracked.body).toMatchObject({ type: 'repair', status: 'accepted' });
  });

  it('refuses bad files and bad forms with a clear 4xx and stores nothing', async () => {
    const x = await penalty('示例市附件拒收测试有限公司');
    const objection = { content: '有误。', contact: { name: '郑一', phone: '13300000000' } };
    const url = `/api/public/entries/${x.id}/objections`;
    const repairUrl = `/api/public/entries/${x.id}/repairs`;
    const repair = (materials: unknown[]) => ({ application: { reason: '已整改。', contact: { name: '郑一', phone: '13300000000' } }, materials });
    const big = new Uint8Array(t.model.platform.attachments.max_size_mb * 1024 * 1024 + 1);
    big.set(pdf);
    const cases: [string, () => Promise<{ status: number; body: { error: { code: string; message: string } } }>, number, string][] = [
      ['not an accepted type', () => filing(url, objection, [{ bytes: new TextEncoder().encode('MZ just text'), name: 'a.pdf', type: 'application/pdf' }]), 415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
      ['name and content disagree', () => filing(url, objection, [{ bytes: png, name: 'photo.pdf', type: 'application/pdf' }]), 415, 'ATTACHMENT_TYPE_MISMATCH'],
      ['empty file', () => filing(url, objection, [{ bytes: new Uint8Array(0), name: 'a.pdf' }]), 422, 'EMPTY_FILE'],
      ['too many files', () => filing(url, objection, Array.from({ length: 6 }, (_, i) => ({ bytes: pdf, name: `${i}.pdf` }))), 422, 'TOO_MANY_FILES'],
      ['over the size limit', () => filing(url, objection, [{ bytes: big, name: 'big.pdf' }]), 413, 'ATTACHMENT_TOO_LARGE'],
      ['no request field', () => filing(url, undefined, [{ bytes: pdf, name: 'a.pdf' }]), 422, 'VALIDATION_FAILED'],
      ['request is not JSON', () => filing(url, '{"content": ', [{ bytes: pdf, name: 'a.pdf' }]), 400, 'BAD_JSON'],
      ['invalid request', () => filing(url, { content: '有误。' }, [{ bytes: pdf, name: 'a.pdf' }]), 422, 'VALIDATION_FAILED'],
      ['material names a file not sent', () => filing(repairUrl, repair([{ type: 'commitment-letter', file: 1 }]), [{ bytes: pdf, name: 'a.pdf' }]), 422, 'VALIDATION_FAILED'],
      ['two materials, one file', () => filing(repairUrl, repair([{ type: 'commitment-letter', file: 0 }, { type: 'fulfilment-proof', file: 0 }]), [{ bytes: pdf, name: 'a.pdf' }]), 422, 'VALIDATION_FAILED'],
      ['pointing at a stored attachment', () => filing(repairUrl, repair([{ type: 'commitment-letter', attachmentId: '00000000-0000-0000-0000-000000000000' }]), []), 422, 'VALIDATION_FAILED'],
    ];
    for (const [name, send, status, code] of cases) {
      const before = await dbDigest(t.db);
      const res = await send();
      expect([name, res.status, res.body?.error?.code]).toEqual([name, status, code]);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await dbDigest(t.db), `${name}: the database changed`).toEqual(before);
    }
  });

  it('counts multipart filings against the same strict limit as JSON ones', async () => {
    const x = await penalty('示例市附件限流测试有限公司');
    const address = '203.0.113.30';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await filing(`/api/public/entries/${x.id}/objections`, { content: `第${i}次。`, contact: { name: '王二', phone: '13200000000' } }, [{ bytes: pdf, name: 'a.pdf' }], address)).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});
