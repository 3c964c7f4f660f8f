import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZipEntry } from '../../api/src/documents/zip-reader.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let op: Record<string, string>;
let rv: Record<string, string>;
const rng = createRng('documents-test');
const L = '/api/lists/market-serious-illegal/entries';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const days = (n: number) => n * 86_400_000;

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  op = await t.login('scjg-operator');
  rv = await t.login('scjg-reviewer');
});
afterAll(() => t.close());

function draftBody(name = makeCompanyName(rng)) {
  return {
    subject: { kind: 'legal_person', code: makeUscc(rng), name },
    relatedPersons: [{ kind: 'natural_person', code: '110101199003070011', name: '张三', role: '法定代表人' }],
    fields: {
      penalty_decision_no: '示市监罚〔2026〕18号',
      violation: '生产销售不符合食品安全标准的食品，情节严重。',
      category: '食品安全',
      heavier_penalties: ['较大数额罚没款', '吊销许可证件'],
      fine_amount: 520000.5,
      penalty_decision: { number: '示市监罚〔2026〕18号', date: '2026-10-20', title: '行政处罚决定书' },
    },
  };
}

/** A raw request, for bodies that are not JSON. */
async function get(path: string, headers: Record<string, string>) {
  const res = await t.app.request(path, { headers });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('documents of market-serious-illegal', () => {
  it('numbers the notice and the decision per department and year, and serves both as HTML and docx', async () => {
    const name = `${makeCompanyName(rng)}<测试>`;
    const a = await t.json('POST', L, op, draftBody(name));
    const b = await t.json('POST', L, op, draftBody());
    expect(a.status).toBe(201);
    const url = `${L}/${a.body.id}`;

    // Nothing to download before the notice.
    const none = await t.json('GET', `${url}/documents/notice`, op);
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('DOCUMENT_NOT_AVAILABLE');

    const notified = await t.json('POST', `${url}/actions/notify`, op, { version: 1, serviceMethod: '直接送达' });
    expect(notified.status).toBe(200);
    const notifyEvent = notified.body.events.find((e: { action: string }) => e.action === 'notify');
    expect(notifyEvent.data.noticeNo).toBe('示市监信告〔2026〕1号');
    const second = await t.json('POST', `${L}/${b.body.id}/actions/notify`, op, { version: 1, serviceMethod: '邮寄送达' });
    expect(second.body.events.find((e: { action: string }) => e.action === 'notify').data.noticeNo).toBe('示市监信告〔2026〕2号');

    const noticeHtml = await get(`${url}/documents/notice`, op);
    expect(noticeHtml.status).toBe(200);
    expect(noticeHtml.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    const nh = text(noticeHtml.bytes);
    expect(nh).toContain('列入市场监督管理严重违法失信名单预先告知书');
    expect(nh).toContain('示市监信告〔2026〕1号');
    expect(nh).toContain(name.replace('<', '&lt;').replace('>', '&gt;'));
    expect(nh).not.toContain(name);
    expect(nh).toContain('陈述、申辩');
    expect(nh).toContain('听证');
    expect(nh).toContain('2026年11月9日前');
    expect((await t.json('GET', `${url}/documents/decision`, op)).body.error.code).toBe('DOCUMENT_NOT_AVAILABLE');

    await t.travel(days(10));
    const recognised = await t.json('POST', `${url}/actions/recognise`, rv, { version: 2, decisionDate: '2026-11-12' });
    expect(recognised.status).toBe(200);
    expect(recognised.body.decisionNo).toBe('示市监信认〔2026〕1号');

    const decisionHtml = await get(`${url}/documents/decision?format=html`, rv);
    expect(decisionHtml.status).toBe(200);
    const dh = text(decisionHtml.bytes);
    for (const part of ['示市监信认〔2026〕1号', '认定理由和依据', '国家市场监督管理总局令第44号', '失信惩戒措施提示', '依法限制参加政府采购活动', '2029年11月12日', '信用修复', '行政复议', '行政诉讼', '示例市市场监督管理局', '2026年11月12日']) {
      expect(dh).toContain(part);
    }

    const docx = await get(`${url}/documents/decision?format=docx`, op);
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toBe(DOCX);
    const disposition = docx.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(`列入市场监督管理严重违法失信名单决定书-${name.replace(/[<>]/g, '_')}.docx`);
    expect(Buffer.from(docx.bytes.subarray(0, 2)).toString('latin1')).toBe('PK');
    const xml = readZipEntry(docx.bytes, 'word/document.xml')?.toString('utf8') ?? '';
    expect(xml).toContain('示市监信认〔2026〕1号');
    expect(xml).toContain('六十日内依法申请行政复议');

    const noticeDocx = await get(`${url}/documents/notice?format=docx`, op);
    expect(noticeDocx.status).toBe(200);
    expect(readZipEntry(noticeDocx.bytes, 'word/document.xml')?.toString('utf8')).toContain('示市监信告〔2026〕1号');
  });

  it('keeps a typed decision number, and answers 404 to other departments, 403 without view, 422 for a bad doc or format', async () => {
    const created = await t.json('POST', L, op, draftBody());
    const url = `${L}/${created.body.id}`;
    await t.json('POST', `${url}/actions/notify`, op, { version: 1, serviceMethod: '直接送达', noticeNo: '示市监告〔2026〕99号' });
    await t.travel(days(10));
    const recognised = await t.json('POST', `${url}/actions/recognise`, rv, { version: 2, decisionNo: '示市监信认〔2026〕88号', decisionDate: t.clock.today() });
    expect(recognised.status).toBe(200);
    expect(recognised.body.decisionNo).toBe('示市监信认〔2026〕88号');
    expect(text((await get(`${url}/documents/notice`, op)).bytes)).toContain('示市监告〔2026〕99号');
    expect(text((await get(`${url}/documents/decision`, op)).bytes)).toContain('示市监信认〔2026〕88号');

    const district = await t.login('scjg-dq-operator');
    expect((await t.json('GET', `${url}/documents/decision`, district)).status).toBe(404);
    const other = await t.login('sw-operator');
    expect((await t.json('GET', `${url}/documents/decision`, other)).status).toBe(403);
    expect((await t.json('GET', `${url}/documents/decision`, {})).status).toBe(401);
    expect((await t.json('GET', `${url}/documents/penalty`, op)).status).toBe(422);
    expect((await t.json('GET', `${url}/documents/decision?format=pdf`, op)).status).toBe(422);
    expect((await t.json('GET', `${L}/00000000-0000-0000-0000-000000000000/documents/notice`, op)).status).toBe(404);

    // The next automatic decision number follows the last one taken, untouched by typed numbers.
    const next = await t.json('POST', L, op, draftBody());
    await t.json('POST', `${L}/${next.body.id}/actions/notify`, op, { version: 1, serviceMethod: '直接送达' });
    await t.travel(days(10));
    const r = await t.json('POST', `${L}/${next.body.id}/actions/recognise`, rv, { version: 2, decisionDate: t.clock.today() });
    expect(r.body.decisionNo).toBe('示市监信认〔2026〕2号');
  });
});
