/**
 * The content of the two documents of the recognition procedure, as a neutral
 * structure that html.ts and docx.ts lay out:
 *
 * - the prior notice (列入……预先告知书): the facts, the reason and basis, the
 *   measures, the term, exit and repair rules, and the subject's rights
 *   (陈述申辩, 听证 where configured) — 国办发〔2020〕49号: "预先告知当事人作出
 *   决定的事由、依据和当事人依法享有的权利";
 * - the decision (列入……决定书): the facts, the course of the procedure, the
 *   reason and basis, the measures (失信惩戒措施提示), the term, removal
 *   conditions and procedure, repair, and the remedies (异议, 行政复议, 行政诉讼)
 *   — "载明作出决定的事由、依据、失信惩戒措施提示、移除条件和程序以及救济措施".
 *
 * Pure functions: everything comes from the config model and the entry (with
 * its events); nothing reads the clock or the database.
 */
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import { formatPeriod } from '../config/periods.ts';
import type { ClockStart, Field, Period } from '../config/schema.ts';
import { tierOf } from '../procedures/engine.ts';
import type { DocType } from './numbering.ts';

export type DocumentSection = { heading: string; paragraphs: string[] };

export type RenderedDocument = {
  kind: DocType;
  title: string;
  /** The document number; null when the entry has none (numbered before numbering existed). */
  number: string | null;
  /** The salutation line, e.g. "某某有限公司：". */
  addressee: string;
  /** Who the subject is: name, code, legal representative. */
  party: string[];
  /** The opening paragraph before the numbered sections. */
  preamble: string[];
  sections: DocumentSection[];
  footer: { issuer: string; date: string; notes: string[] };
};

export type DocumentEvent = { seq: number; action: string; data: Record<string, unknown>; at: string };

/** The parts of an entry (entryView, plus its events from detail) the documents use. */
export type DocumentEntry = {
  listId: string;
  department: string;
  subject: { kind: string; code: string; name: string };
  relatedPersons: Record<string, unknown>[];
  fields: Record<string, unknown>;
  decisionNo: string | null;
  decisionDate: string | null;
  noticeServedAt: string | null;
  due: Record<string, string>;
  events: readonly DocumentEvent[];
};

export type DocumentModel = Pick<RuntimeModel, 'platform' | 'measures' | 'department'>;

// ---------------------------------------------------------------------------
// small formatters

const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
export const chineseOrdinal = (i: number) => numerals[i] ?? String(i + 1);

/** 2026-11-02 → 2026年11月2日 */
export function chineseDate(iso: string | null | undefined): string {
  if (!iso) return '____年__月__日';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

const clockStartLabel: Record<ClockStart, string> = {
  created: '登记之日',
  notice_served: '预先告知书送达之日',
  decision: '认定决定作出之日',
  published: '公示之日',
  corrected: '更正之日',
  received: '收到之日',
  applied: '申请之日',
};

const money = (n: number) => n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A field value as it is written in a document; undefined when empty. */
export function formatFieldValue(f: Field, v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  switch (f.type) {
    case 'money':
      return typeof v === 'number' ? `${money(v)}${f.label.includes('元') ? '' : '元'}` : String(v);
    case 'number':
      return typeof v === 'number' ? v.toLocaleString('zh-CN') : String(v);
    case 'date':
      return chineseDate(String(v));
    case 'boolean':
      return v === true ? '是' : '否';
    case 'multi-enum':
      return Array.isArray(v) ? (v.length ? v.map(String).join('、') : undefined) : String(v);
    case 'document': {
      const d = v as { number?: string; date?: string; title?: string };
      const title = d.title ? `《${d.title.replace(/^《|》$/g, '')}》` : '';
      const tail = [d.number, d.date ? chineseDate(d.date) : undefined].filter(Boolean).join('，');
      return `${title}${tail ? `（${tail}）` : ''}` || undefined;
    }
    default:
      return String(v).trim() || undefined;
  }
}

const materialNames = (model: DocumentModel, ids: readonly string[]) =>
  ids.map((id) => model.platform.materials.find((m) => m.id === id)?.name ?? id).join('、');

const departmentName = (model: DocumentModel, code: string) => model.department(code)?.name ?? code;

const joinBasis = (basis: readonly string[]) => basis.join('、');

// ---------------------------------------------------------------------------
// what the events tell

export type ProcedureCourse = {
  notice?: { number: string | null; servedOn: string | null; method: string | null; seq: number };
  /** Statements with their answers, in order. */
  statements: { content: string; receivedOn: string | null; response?: { adopted: boolean; reason: string } }[];
  hearing?: { requestedOn: string | null; heldOn: string | null; summary: string | null };
  recognised?: { seq: number };
};

/** The course of the procedure, read from the entry's events. */
export function procedureCourse(entry: Pick<DocumentEntry, 'events' | 'noticeServedAt'>): ProcedureCourse {
  const course: ProcedureCourse = { statements: [] };
  const bySeq = new Map<number, ProcedureCourse['statements'][number]>();
  for (const ev of entry.events) {
    const d = ev.data ?? {};
    switch (ev.action) {
      case 'notify':
        course.notice = {
          number: typeof d.noticeNo === 'string' && d.noticeNo ? d.noticeNo : null,
          servedOn: (d.noticeServedAt as string | undefined) ?? entry.noticeServedAt ?? ev.at.slice(0, 10),
          method: (d.serviceMethod as string | undefined) ?? null,
          seq: ev.seq,
        };
        break;
      case 'record-statement': {
        const response = d.response as { adopted: boolean; reason: string } | undefined;
        if (typeof d.content === 'string' && d.content) {
          const s = { content: d.content, receivedOn: (d.receivedOn as string | undefined) ?? null, ...(response ? { response } : {}) };
          course.statements.push(s);
          bySeq.set(ev.seq, s);
        } else if (typeof d.answersSeq === 'number' && response) {
          const s = bySeq.get(d.answersSeq);
          if (s) s.response = response;
        }
        break;
      }
      case 'request-hearing':
        course.hearing = { requestedOn: (d.requestedOn as string | undefined) ?? ev.at.slice(0, 10), heldOn: null, summary: null };
        break;
      case 'close-hearing':
        course.hearing = { requestedOn: course.hearing?.requestedOn ?? null, heldOn: (d.heldOn as string) ?? null, summary: (d.summary as string) ?? null };
        break;
      case 'recognise':
        course.recognised = { seq: ev.seq };
        break;
    }
  }
  return course;
}

/** Which documents an entry has: a notice once notified, a decision once recognised (with a decision document). */
export function documentAvailability(list: CompiledList, entry: Pick<DocumentEntry, 'events' | 'noticeServedAt'>): Record<DocType, boolean> {
  const course = procedureCourse(entry);
  return {
    notice: list.procedure.notice !== false && course.notice !== undefined,
    decision: list.procedure.recognise !== false && list.procedure.recognise.decision_document && course.recognised !== undefined,
  };
}

// ---------------------------------------------------------------------------
// the shared parts

type Ctx = { model: DocumentModel; list: CompiledList; entry: DocumentEntry; you: string; kind: DocType };

function context(model: DocumentModel, list: CompiledList, entry: DocumentEntry, kind: DocType): Ctx {
  return { model, list, entry, kind, you: entry.subject.kind === 'natural_person' ? '你' : '你单位' };
}

const partyRoles = new Set<unknown>(['法定代表人', '主要负责人']);

function partyLines(entry: DocumentEntry): string[] {
  const s = entry.subject;
  const lines = [`当事人：${s.name}`];
  lines.push(s.kind === 'natural_person' ? `公民身份号码：${s.code}` : `统一社会信用代码：${s.code}`);
  for (const p of entry.relatedPersons) {
    if (typeof p.name === 'string' && partyRoles.has(p.role)) lines.push(`${String(p.role)}：${p.name}`);
  }
  return lines;
}

function factParagraphs(ctx: Ctx): string[] {
  const out: string[] = [];
  for (const f of ctx.list.fields) {
    if (!f.public && !f.required) continue;
    const v = formatFieldValue(f, ctx.entry.fields[f.key]);
    if (v !== undefined) out.push(`${f.label}：${v}`);
  }
  // 法定代表人 and 主要负责人 stand in the party lines already.
  const related = ctx.entry.relatedPersons.filter((p) => typeof p.role === 'string' && typeof p.name === 'string' && !partyRoles.has(p.role));
  if (related.length) out.push(`相关责任人员：${related.map((p) => `${String(p.name)}（${String(p.role)}）`).join('、')}`);
  return out;
}

function measureHeading(list: CompiledList, proposed: boolean): string {
  if (list.kind === 'red') return proposed ? '拟适用的守信激励措施' : '守信激励措施';
  if (list.kind === 'watch') return proposed ? '拟采取的管理措施' : '管理措施提示';
  return proposed ? '拟采取的失信惩戒措施' : '失信惩戒措施提示';
}

function measureParagraphs(ctx: Ctx): string[] {
  const { model, list, you } = ctx;
  const measures = list.measures.map((id) => model.measures.find((m) => m.id === id)).filter((m) => m !== undefined);
  if (!measures.length) return ['本名单未设定联合奖惩措施。'];
  const intro =
    list.kind === 'red'
      ? `列入后，${you}可依法依规享受以下激励措施：`
      : `列入后，有关部门将依法依规对${you}采取以下措施（以措施清单所列为限，不在清单规定以外增设）：`;
  return [
    intro,
    ...measures.map(
      (m, i) =>
        `（${chineseOrdinal(i)}）${m.name}。实施部门：${departmentName(model, m.department)}。${m.target ? `适用对象：${m.target}。` : ''}依据：${joinBasis(m.legal_basis)}。`,
    ),
  ];
}

function termParagraphs(ctx: Ctx): string[] {
  const { model, list, entry, kind } = ctx;
  const out: string[] = [];
  if (list.term === 'none') {
    out.push('本名单不设列入期限。');
  } else {
    const from = clockStartLabel[list.term.from];
    const tier = tierOf(model as RuntimeModel, list, entry.fields);
    const period: Period | undefined = tier?.max ?? list.term.default ?? list.term.max;
    if (kind === 'decision' && entry.due.term_end && entry.decisionDate && list.term.from === 'decision') {
      out.push(`列入期限自${chineseDate(entry.decisionDate)}起至${chineseDate(entry.due.term_end)}止${period ? `（${formatPeriod(period)}）` : ''}。`);
    } else if (kind === 'decision' && entry.due.term_end) {
      out.push(`列入期限至${chineseDate(entry.due.term_end)}届满${period ? `（自${from}起${formatPeriod(period)}）` : ''}。`);
    } else if (period) {
      out.push(`列入期限为${formatPeriod(period)}，自${from}起计算${tier ? `（失信程度为“${tier.name}”）` : ''}。`);
    }
    out.push(list.exit.on_term_end === 'automatic' ? '列入期限届满的，自动移出名单，停止公示和联合惩戒。' : '列入期限届满的，由本机关办理移出，停止公示和联合惩戒。');
  }
  for (const e of list.exit.early) {
    const date = kind === 'decision' ? ctx.entry.due[`early_exit_${e.id}`] : undefined;
    const materials = e.requires.length ? `，并提交${materialNames(model, e.requires)}` : '';
    out.push(`提前移出：符合“${e.label}”条件的，自${clockStartLabel[e.from]}起满${formatPeriod(e.after)}后${date ? `（即${chineseDate(date)}起）` : ''}，可以向本机关申请提前移出${materials}。本机关核实后作出是否移出的决定；符合条件的，移出名单并停止公示。`);
  }
  if (list.revoke !== false) {
    out.push(`列入所依据的行政行为被撤销、确认违法或者确认无效的，本机关将撤销列入决定，并在${formatPeriod(list.revoke.within)}内停止公示、更正相关信息。`);
  }
  return out;
}

function repairParagraphs(ctx: Ctx): string[] {
  const { model, list, entry, kind, you } = ctx;
  if (list.repair === false) return ['依照本名单的设立依据，列入信息不适用信用修复。'];
  const r = list.repair;
  const out: string[] = [];
  const tier = tierOf(model as RuntimeModel, list, entry.fields);
  const min = r.min_published ?? tier?.min;
  const date = kind === 'decision' ? entry.due.min_period_end : undefined;
  const when = min ? `自${clockStartLabel[r.from]}起满${formatPeriod(min)}后${date ? `（即${chineseDate(date)}起）` : ''}` : '';
  const materials = r.requires.length ? `，提交${materialNames(model, r.requires)}` : '';
  out.push(`${when}${when ? '，' : ''}${you}已纠正失信行为、履行相关义务、消除不良影响的，可以向本机关申请信用修复${materials}。信用修复不收取任何费用。`);
  out.push(`本机关自收到申请之日起${formatPeriod(r.accept_within)}内决定是否受理，受理后${formatPeriod(r.decide_within)}内作出决定；修复后停止公示、共享和惩戒措施，并当日同步至相关系统。`);
  if (r.not_repairable_when) {
    const f = list.fields.find((x) => x.key === r.not_repairable_when?.field);
    out.push(`${f ? `${f.label}为` : ''}“${r.not_repairable_when.in.join('”“')}”的，依规不予修复。`);
  }
  return out;
}

function basisSentence(list: CompiledList): string {
  return `依据${joinBasis(list.legal_basis)}`;
}

function issuerOf(model: DocumentModel, code: string): string {
  const d = model.department(code);
  return d?.full_name?.replace(/[（(][^）)]*[）)]$/, '') ?? d?.name ?? code;
}

const titleOf = (list: CompiledList, kind: DocType) => (kind === 'notice' ? `列入${list.name}预先告知书` : `列入${list.name}决定书`);

function numbered(sections: DocumentSection[]): DocumentSection[] {
  return sections.filter((s) => s.paragraphs.length).map((s, i) => ({ ...s, heading: `${chineseOrdinal(i)}、${s.heading}` }));
}

// ---------------------------------------------------------------------------
// the documents

/** The prior notice (预先告知书), dated the day it was served. */
export function renderNotice(model: DocumentModel, list: CompiledList, entry: DocumentEntry): RenderedDocument {
  const ctx = context(model, list, entry, 'notice');
  const { you } = ctx;
  const course = procedureCourse(entry);
  const notice = list.procedure.notice === false ? undefined : list.procedure.notice;
  const servedOn = course.notice?.servedOn ?? entry.noticeServedAt;
  const rights: string[] = [];
  if (notice) {
    const end = entry.due.notice_end;
    rights.push(
      `根据有关规定，${you}对上述拟作出的决定享有陈述、申辩的权利。${you}可以自收到本告知书之日起${formatPeriod(notice.statement_period)}内${end ? `（即${chineseDate(end)}前）` : ''}，向本机关提出书面陈述、申辩意见，并提交相关证据材料；逾期未提出的，视为放弃上述权利。`,
    );
    if (notice.hearing) {
      rights.push(`${you}有权要求举行听证。要求听证的，应当在上述期限内向本机关提出；本机关将依法组织听证。`);
    }
    rights.push(`本机关将对${you}提出的事实、理由和证据进行复核；${you}提出的事实、理由或者证据成立的，本机关予以采纳。`);
  }
  const next: string[] = [];
  if (list.procedure.recognise !== false) next.push(`上述期限届满后，本机关将依法作出是否列入的决定，并书面送达${you}。`);
  if (list.portal) next.push(`作出列入决定的，本机关将自${clockStartLabel[list.procedure.publish.from]}起${formatPeriod(list.procedure.publish.within)}内依法公示列入信息${entry.subject.kind === 'natural_person' && !list.personal_info.publish ? '（自然人的个人信息不予公开）' : ''}。`);
  return {
    kind: 'notice',
    title: titleOf(list, 'notice'),
    number: course.notice?.number ?? null,
    addressee: `${entry.subject.name}：`,
    party: partyLines(entry),
    preamble: [
      `本机关在依法履行职责中查明，${you}存在下列情形，拟将${you}列入${list.name}。现将拟作出决定的事实、理由、依据和${you}依法享有的权利告知如下：`,
    ],
    sections: numbered([
      { heading: '拟列入的事实', paragraphs: factParagraphs(ctx) },
      {
        heading: '理由和依据',
        paragraphs: [
          ...(list.description ? [list.description] : []),
          `${you}的上述行为符合列入${list.name}的情形。${basisSentence(list)}的规定，本机关拟将${you}列入${list.name}。`,
        ],
      },
      { heading: measureHeading(list, true), paragraphs: measureParagraphs(ctx) },
      { heading: '列入期限和移出条件', paragraphs: termParagraphs(ctx) },
      { heading: '信用修复', paragraphs: repairParagraphs(ctx) },
      { heading: `${you}依法享有的权利`, paragraphs: rights },
      { heading: '后续程序', paragraphs: next },
    ]),
    footer: { issuer: issuerOf(model, entry.department), date: chineseDate(servedOn), notes: ['（印章）', `送达方式：${course.notice?.method ?? '________'}`] },
  };
}

/** The decision (认定决定书), dated the decision date. */
export function renderDecision(model: DocumentModel, list: CompiledList, entry: DocumentEntry): RenderedDocument {
  const ctx = context(model, list, entry, 'decision');
  const { you } = ctx;
  const course = procedureCourse(entry);
  const preamble: string[] = [];
  if (course.notice) {
    const hearingRight = list.procedure.notice !== false && list.procedure.notice.hearing ? '和要求听证' : '';
    preamble.push(
      `本机关于${chineseDate(course.notice.servedOn)}向${you}送达了《${titleOf(list, 'notice')}》${course.notice.number ? `（${course.notice.number}）` : ''}，告知了拟作出列入决定的事实、理由、依据以及${you}依法享有的陈述、申辩${hearingRight}的权利。`,
    );
    if (course.statements.length) {
      for (const s of course.statements) {
        const answer = s.response ? `经复核，本机关${s.response.adopted ? '予以采纳' : '不予采纳'}，理由是：${s.response.reason}` : '';
        preamble.push(`${you}${s.receivedOn ? `于${chineseDate(s.receivedOn)}` : '在规定期限内'}提出陈述、申辩意见：${s.content}${answer ? `${/[。！？]$/.test(s.content) ? '' : '。'}${answer}` : ''}`);
      }
    } else {
      preamble.push(`${you}在规定期限内未提出陈述、申辩意见。`);
    }
    if (course.hearing?.heldOn) preamble.push(`本机关于${chineseDate(course.hearing.heldOn)}依法举行了听证。${course.hearing.summary ?? ''}`);
    else if (course.hearing) preamble.push(`${you}申请举行听证，本机关已依法处理。`);
  }
  preamble.push('经审查，本机关作出如下决定：');

  const remedies: string[] = [];
  if (list.objection !== false) {
    remedies.push(`${you}认为公示的列入信息存在错误、遗漏的，可以向本机关提出异议申请，本机关将在收到申请之日起${formatPeriod(list.objection.answer_within)}内核实并答复。`);
  }
  remedies.push(
    `${you}如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，也可以自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。`,
    '行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。',
  );
  const publication: string[] = [];
  if (list.portal) {
    const due = entry.due.publish_due;
    publication.push(
      `本机关将自${clockStartLabel[list.procedure.publish.from]}起${formatPeriod(list.procedure.publish.within)}内${due ? `（即${chineseDate(due)}前）` : ''}通过信用网站依法公示列入信息${entry.subject.kind === 'natural_person' && !list.personal_info.publish ? '；自然人的个人信息不予公开' : ''}。`,
    );
  }
  return {
    kind: 'decision',
    title: titleOf(list, 'decision'),
    number: entry.decisionNo,
    addressee: `${entry.subject.name}：`,
    party: partyLines(entry),
    preamble,
    sections: numbered([
      { heading: '认定的事实', paragraphs: factParagraphs(ctx) },
      {
        heading: '认定理由和依据',
        paragraphs: [
          ...(list.description ? [list.description] : []),
          `${you}的上述行为符合列入${list.name}的情形。${basisSentence(list)}的规定，本机关决定将${you}列入${list.name}。`,
        ],
      },
      { heading: measureHeading(list, false), paragraphs: measureParagraphs(ctx) },
      { heading: '列入期限、移出条件和程序', paragraphs: termParagraphs(ctx) },
      { heading: '信用修复', paragraphs: repairParagraphs(ctx) },
      { heading: '信息公示', paragraphs: publication },
      { heading: '救济途径', paragraphs: remedies },
    ]),
    footer: { issuer: issuerOf(model, entry.department), date: chineseDate(entry.decisionDate), notes: ['（印章）'] },
  };
}

export function renderDocument(model: DocumentModel, list: CompiledList, entry: DocumentEntry, kind: DocType): RenderedDocument {
  return kind === 'notice' ? renderNotice(model, list, entry) : renderDecision(model, list, entry);
}

/** The file name of a document without extension, e.g. 列入……决定书-某某有限公司. */
export function documentFileName(doc: RenderedDocument, subjectName: string): string {
  return `${doc.title}-${subjectName}`.replace(/[\\/:*?"<>|\r\n]/g, '_').slice(0, 120);
}
