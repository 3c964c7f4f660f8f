import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledList, loadRuntimeModel, type RuntimeModel } from '../config/compile.ts';
import { documentDocx } from './docx.ts';
import { documentHtml, escapeHtml } from './html.ts';
import { chineseDate, type DocumentEntry, documentAvailability, type RenderedDocument, renderDecision, renderNotice } from './render.ts';
import { readZipEntry, zipEntryNames } from './zip-reader.ts';

const demoConfig = fileURLToPath(new URL('../../../config/', import.meta.url));
let model: RuntimeModel;
let market: CompiledList;

beforeAll(async () => {
  model = await loadRuntimeModel(demoConfig);
  market = model.list('market-serious-illegal') as CompiledList;
});

const text = (d: RenderedDocument) => [d.title, d.number ?? '', ...d.party, d.addressee, ...d.preamble, ...d.sections.flatMap((s) => [s.heading, ...s.paragraphs]), d.footer.issuer, d.footer.date].join('\n');
const section = (d: RenderedDocument, heading: string) => {
  const s = d.sections.find((x) => x.heading.includes(heading));
  if (!s) throw new Error(`no section "${heading}" in ${d.sections.map((x) => x.heading).join(' | ')}`);
  return s.paragraphs.join('\n');
};

function marketEntry(over: Partial<DocumentEntry> = {}): DocumentEntry {
  return {
    listId: 'market-serious-illegal',
    department: 'scjg',
    subject: { kind: 'legal_person', code: '91110000MA01ABCD1X', name: '示例<食品>有限公司' },
    relatedPersons: [{ role: '法定代表人', name: '张三', kind: 'natural_person', code: '110101199003070011' }],
    fields: {
      penalty_decision_no: '示市监罚〔2026〕18号',
      violation: '生产销售不符合食品安全标准的食品，情节严重。',
      category: '食品安全',
      heavier_penalties: ['较大数额罚没款', '吊销许可证件'],
      fine_amount: 520000.5,
      penalty_decision: { number: '示市监罚〔2026〕18号', date: '2026-10-20', title: '行政处罚决定书' },
      intentional: true,
    },
    decisionNo: null,
    decisionDate: null,
    noticeServedAt: '2026-11-02',
    due: { notice_end: '2026-11-09' },
    events: [
      { seq: 1, action: 'create', data: {}, at: '2026-11-02T02:00:00.000Z' },
      { seq: 2, action: 'notify', data: { serviceMethod: '直接送达', noticeNo: '示市监信告〔2026〕1号' }, at: '2026-11-02T02:00:00.000Z' },
    ],
    ...over,
  };
}

function recognisedEntry(): DocumentEntry {
  const e = marketEntry();
  return {
    ...e,
    decisionNo: '示市监信认〔2026〕3号',
    decisionDate: '2026-11-12',
    due: { ...e.due, term_end: '2029-11-12', min_period_end: '2027-11-12', publish_due: '2026-12-10', 'early_exit_corrected-one-year': '2027-11-12' },
    events: [
      ...e.events,
      { seq: 3, action: 'record-statement', data: { content: '当事人称已整改。' }, at: '2026-11-05T02:00:00.000Z' },
      { seq: 4, action: 'record-statement', data: { answersSeq: 3, response: { adopted: false, reason: '整改不影响认定。' } }, at: '2026-11-10T02:00:00.000Z' },
      { seq: 5, action: 'recognise', data: { decisionDate: '2026-11-12' }, at: '2026-11-12T02:00:00.000Z' },
    ],
  };
}

describe('prior notice', () => {
  it('states the facts, reason, basis, measures, exit and repair rules and the rights', () => {
    const d = renderNotice(model, market, marketEntry());
    expect(d.title).toBe('列入市场监督管理严重违法失信名单预先告知书');
    expect(d.number).toBe('示市监信告〔2026〕1号');
    expect(d.addressee).toBe('示例<食品>有限公司：');
    expect(d.party).toEqual(['当事人：示例<食品>有限公司', '统一社会信用代码：91110000MA01ABCD1X', '法定代表人：张三']);
    const facts = section(d, '事实');
    expect(facts).toContain('严重违法失信行为：生产销售不符合食品安全标准的食品，情节严重。');
    expect(facts).toContain('较重行政处罚种类：较大数额罚没款、吊销许可证件');
    expect(facts).toContain('罚没金额（元）：520,000.50');
    expect(facts).toContain('行政处罚决定书：《行政处罚决定书》（示市监罚〔2026〕18号，2026年10月20日）');
    expect(facts).not.toContain('主观故意'); // neither public nor required
    const basis = section(d, '理由和依据');
    for (const b of market.legal_basis) expect(basis).toContain(b);
    const measures = section(d, '拟采取的失信惩戒措施');
    for (const id of market.measures) {
      const m = model.measures.find((x) => x.id === id);
      expect(measures).toContain(m?.name);
      for (const b of m?.legal_basis ?? []) expect(measures).toContain(b);
    }
    const exit = section(d, '列入期限和移出条件');
    expect(exit).toContain('列入期限为3年，自认定决定作出之日起计算');
    expect(exit).toContain('列入满1年，已履行处罚义务、纠正失信行为并作出信用承诺');
    expect(exit).toContain('纠正失信行为证明、信用承诺书、履行义务证明');
    expect(exit).toContain('3个工作日内停止公示');
    const repair = section(d, '信用修复');
    expect(repair).toContain('满1年');
    expect(repair).toContain('不收取任何费用');
    const rights = section(d, '依法享有的权利');
    expect(rights).toContain('陈述、申辩');
    expect(rights).toContain('5个工作日内（即2026年11月9日前）');
    expect(rights).toContain('听证');
    expect(d.footer).toMatchObject({ issuer: '示例市市场监督管理局', date: '2026年11月2日' });
    expect(d.sections.map((s) => s.heading.slice(0, 2))).toEqual(['一、', '二、', '三、', '四、', '五、', '六、', '七、']);
  });

  it('leaves out the hearing where the list has none, and addresses a natural person as 你', () => {
    const wage = model.list('wage-arrears') as CompiledList;
    const entry = marketEntry({ listId: 'wage-arrears', subject: { kind: 'natural_person', code: '110101199003070011', name: '李四' }, relatedPersons: [], fields: {} });
    const d = renderNotice(model, wage, entry);
    expect(d.party[1]).toBe('公民身份号码：110101199003070011');
    expect(section(d, '你依法享有的权利')).not.toContain('听证');
    expect(text(d)).not.toContain('你单位');
  });
});

describe('decision', () => {
  it('states the reason, basis, measures, term, removal conditions and procedure, repair and remedies', () => {
    const d = renderDecision(model, market, recognisedEntry());
    expect(d.title).toBe('列入市场监督管理严重违法失信名单决定书');
    expect(d.number).toBe('示市监信认〔2026〕3号');
    const pre = d.preamble.join('\n');
    expect(pre).toContain('2026年11月2日向你单位送达了《列入市场监督管理严重违法失信名单预先告知书》（示市监信告〔2026〕1号）');
    expect(pre).toContain('陈述、申辩和要求听证的权利');
    expect(pre).toContain('当事人称已整改。经复核，本机关不予采纳，理由是：整改不影响认定。');
    const basis = section(d, '认定理由和依据');
    expect(basis).toContain('本机关决定将你单位列入市场监督管理严重违法失信名单');
    for (const b of market.legal_basis) expect(basis).toContain(b);
    expect(section(d, '失信惩戒措施提示')).toContain('依法限制参加政府采购活动');
    const exit = section(d, '移出条件和程序');
    expect(exit).toContain('列入期限自2026年11月12日起至2029年11月12日止（3年）');
    expect(exit).toContain('自动移出');
    expect(exit).toContain('即2027年11月12日起');
    expect(section(d, '信用修复')).toContain('即2027年11月12日起');
    expect(section(d, '信息公示')).toContain('2026年12月10日前');
    const remedies = section(d, '救济途径');
    expect(remedies).toContain('六十日内依法申请行政复议');
    expect(remedies).toContain('六个月内依法向人民法院提起行政诉讼');
    expect(remedies).toContain('异议');
    expect(d.footer.date).toBe('2026年11月12日');
  });

  it('says so when no statement was made, and when a list is not repairable', () => {
    const entry = { ...recognisedEntry(), events: recognisedEntry().events.filter((e) => e.action !== 'record-statement') };
    expect(renderDecision(model, market, entry).preamble.join('')).toContain('在规定期限内未提出陈述、申辩意见');
    const red = model.list('admin-licence-scjg') as CompiledList;
    expect(section(renderDecision(model, red, { ...entry, listId: red.id, fields: {} }), '信用修复')).toContain('不适用信用修复');
  });

  it('is available once recognised, the notice once notified', () => {
    expect(documentAvailability(market, { ...marketEntry(), events: [] })).toEqual({ notice: false, decision: false });
    expect(documentAvailability(market, marketEntry())).toEqual({ notice: true, decision: false });
    expect(documentAvailability(market, recognisedEntry())).toEqual({ notice: true, decision: true });
    const record = model.list('admin-penalty-scjg') as CompiledList;
    expect(documentAvailability(record, recognisedEntry())).toEqual({ notice: false, decision: false });
  });

  it('formats dates without leading zeros', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
    expect(chineseDate(null)).toBe('____年__月__日');
  });
});

describe('layouts', () => {
  it('HTML: an escaped A4 page with every part of the document', () => {
    const d = renderDecision(model, market, recognisedEntry());
    const html = documentHtml(d);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain('@media print');
    expect(html).toContain('示例&lt;食品&gt;有限公司');
    expect(html).not.toContain('示例<食品>');
    expect(html).not.toMatch(/<script/i);
    for (const s of d.sections) expect(html).toContain(escapeHtml(s.heading));
    expect(html).toContain('示市监信认〔2026〕3号');
  });

  it('docx: a zip whose word/document.xml carries the number and the text', async () => {
    const d = renderDecision(model, market, recognisedEntry());
    const buf = await documentDocx(d);
    expect(buf.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zipEntryNames(buf)).toContain('word/document.xml');
    const xml = readZipEntry(buf, 'word/document.xml')?.toString('utf8') ?? '';
    expect(xml).toContain('示市监信认〔2026〕3号');
    expect(xml).toContain('列入市场监督管理严重违法失信名单决定书');
    expect(xml).toContain('示例&lt;食品&gt;有限公司');
    expect(xml).toContain('六十日内依法申请行政复议');
  });
});
