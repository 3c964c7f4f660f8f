/**
 * Reports (issue 7) on a hand-built fixture: rows inserted straight into a
 * fresh database with known dates (config: api/src/reports/fixture), so that
 * every figure of the 2025-Q4 assessment can be checked by hand: value,
 * numerator, denominator, points, total and rank. Due dates are written as
 * literals and cross National Day 2025 (holiday 10-01..10-08, make-up working
 * days Sunday 09-28 and Saturday 10-11); instants are Beijing time, some
 * minutes from midnight, to prove the reports count civil days in
 * Asia/Shanghai, not in UTC.
 *
 * Expected 2025-Q4 figures (weights dp 20, ep 10, others 10):
 *
 *   dept     dp        ep        cc       obj      rep      exp       code     look      plan      total
 *   fgj      –  20     –  10     –* 10    –  10    –  10    –  10     –  10    –  10     –  10     100
 *   scjg     2/3 6.67  2/3 1.67  2/2 10   1/3 0    1/2 0    2/3 3.33  4/5 4    3/4 5     1/4 2.5   33.17
 *   scjg-dq  1/1 20    –  10     1/2 5    –  10    1/1 10   –  10     1/1 10   –  10     –  10     95
 *   yjj      –  20     –  10     0/1 0    1/1 10   –  10    –  10     –  10    1/3 0     1/1 10    80
 *   (– zero denominator: full points; * not in the catalogue)
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditLog, checks, entries, measuresApplied, objections, repairs, subjects, taskReports } from '../../api/src/db/schema.ts';
import { createCalendar } from '../../api/src/procedures/calendar.ts';
import { readWorkbook, sheetRows } from '../../api/src/reports/xlsx.ts';
import { createRng, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

const fixture = new URL('../../api/src/reports/fixture/', import.meta.url).pathname;
const rng = createRng('reports-test');

let t: TestApp;
let leader: Record<string, string>;
let admin: Record<string, string>;
const ids: Record<string, string> = {};

/** An instant in Beijing time. */
const bj = (s: string) => new Date(`${s}+08:00`);

async function subject(key: string, valid = true) {
  const [row] = await t.db.db
    .insert(subjects)
    .values({ kind: 'legal_person', code: makeUscc(rng), name: `测试企业${key}有限公司`, codeValid: valid, overrideReason: valid ? null : '早期代码，校验位错误' })
    .returning({ id: subjects.id });
  ids[key] = row!.id;
  return row!.id;
}

type EntryRow = {
  key: string;
  list: string;
  department: string;
  subject: string;
  status: string;
  created: string;
  decision?: string;
  publishDue?: string;
  published?: string;
  recognised?: string;
  termEnd?: string;
  exited?: string;
  exitReason?: string;
};

async function entry(e: EntryRow) {
  const [row] = await t.db.db
    .insert(entries)
    .values({
      listId: e.list,
      department: e.department,
      subjectId: ids[e.subject]!,
      status: e.status,
      fields: { decision_no: `${e.key}号` },
      decisionNo: e.decision ? `测决〔${e.key}〕` : null,
      decisionDate: e.decision ?? null,
      publishDue: e.publishDue ?? null,
      publishedAt: e.published ? bj(e.published) : null,
      recognisedAt: e.recognised ? bj(e.recognised) : null,
      termEnd: e.termEnd ?? null,
      exitedAt: e.exited ? bj(e.exited) : null,
      exitReason: e.exitReason ?? null,
      due: { ...(e.publishDue ? { publish_due: e.publishDue } : {}), ...(e.termEnd ? { term_end: e.termEnd } : {}) },
      configVersionCreated: t.model.version,
      createdAt: bj(e.created),
      updatedAt: bj(e.created),
    })
    .returning({ id: entries.id });
  ids[e.key] = row!.id;
}

async function seed() {
  for (const k of ['SA', 'SB', 'SC', 'SD', 'SE', 'SF', 'SG', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN']) await subject(k);
  await subject('SH', false);

  const rows: EntryRow[] = [
    // Double publicity (record types, 7 working days from the decision).
    { key: 'R1', list: 'penalty-rec', department: 'scjg', subject: 'SA', status: 'published', created: '2025-09-26T10:00:00', decision: '2025-09-26', publishDue: '2025-10-13', published: '2025-10-13T23:30:00' },
    { key: 'R2', list: 'penalty-rec', department: 'scjg', subject: 'SB', status: 'published', created: '2025-09-30T10:00:00', decision: '2025-09-30', publishDue: '2025-10-16', published: '2025-10-17T00:10:00' },
    { key: 'R3', list: 'licence-rec', department: 'scjg', subject: 'SC', status: 'published', created: '2025-11-03T10:00:00', decision: '2025-11-03', publishDue: '2025-11-12', published: '2025-11-05T09:00:00' },
    { key: 'R4', list: 'penalty-rec', department: 'scjg', subject: 'SD', status: 'published', created: '2025-12-29T10:00:00', decision: '2025-12-29', publishDue: '2026-01-08', published: '2026-01-05T09:00:00' },
    { key: 'R6', list: 'penalty-rec', department: 'scjg-dq', subject: 'SE', status: 'published', created: '2025-10-09T10:00:00', decision: '2025-10-09', publishDue: '2025-10-17', published: '2025-10-17T16:00:00' },
    { key: 'Y1', list: 'yjj-rec', department: 'yjj', subject: 'SF', status: 'published', created: '2025-08-25T10:00:00', decision: '2025-08-25', publishDue: '2025-09-03', published: '2025-09-01T09:00:00' },
    // The list type (5 working days to publish).
    { key: 'S1', list: 'serious', department: 'scjg', subject: 'SG', status: 'published', created: '2025-10-09T09:00:00', decision: '2025-10-09', recognised: '2025-10-09T10:00:00', publishDue: '2025-10-15', published: '2025-10-15T10:00:00', termEnd: '2028-10-09' },
    { key: 'S2', list: 'serious', department: 'scjg', subject: 'SH', status: 'recognised', created: '2025-11-20T09:00:00', decision: '2025-11-20', recognised: '2025-11-20T10:00:00', publishDue: '2025-11-27', termEnd: '2028-11-20' },
    { key: 'S3', list: 'serious', department: 'scjg', subject: 'SC', status: 'revoked', created: '2025-12-01T09:00:00', decision: '2025-12-01', recognised: '2025-12-01T10:00:00', publishDue: '2025-12-08', published: '2025-12-08T18:00:00', termEnd: '2028-12-01', exited: '2025-12-20T10:00:00', exitReason: 'revoked' },
    { key: 'S4', list: 'serious', department: 'scjg', subject: 'SI', status: 'revoked', created: '2025-11-03T09:00:00', decision: '2025-11-03', recognised: '2025-11-03T10:00:00', publishDue: '2025-11-10', exited: '2025-11-05T10:00:00', exitReason: 'revoked' },
    // Terms ending in 2025-Q4 (exit due the day after term_end).
    { key: 'E1', list: 'serious', department: 'scjg', subject: 'SJ', status: 'exited', created: '2022-10-10T09:00:00', decision: '2022-10-10', recognised: '2022-10-10T10:00:00', publishDue: '2022-10-17', published: '2022-10-12T10:00:00', termEnd: '2025-10-10', exited: '2025-10-11T00:05:00', exitReason: 'expired' },
    { key: 'E2', list: 'serious', department: 'scjg', subject: 'SK', status: 'exited', created: '2022-11-30T09:00:00', decision: '2022-11-30', recognised: '2022-11-30T10:00:00', publishDue: '2022-12-07', published: '2022-12-01T10:00:00', termEnd: '2025-11-30', exited: '2025-12-01T09:00:00', exitReason: 'expired' },
    { key: 'E3', list: 'serious', department: 'scjg', subject: 'SL', status: 'published', created: '2022-12-15T09:00:00', decision: '2022-12-15', recognised: '2022-12-15T10:00:00', publishDue: '2022-12-22', published: '2022-12-16T10:00:00', termEnd: '2025-12-15' },
    { key: 'E4', list: 'serious', department: 'scjg', subject: 'SM', status: 'exited', created: '2022-12-20T09:00:00', decision: '2022-12-20', recognised: '2022-12-20T10:00:00', publishDue: '2022-12-27', published: '2022-12-21T10:00:00', termEnd: '2025-12-20', exited: '2025-06-01T10:00:00', exitReason: 'early:corrected' },
    { key: 'E5', list: 'serious', department: 'scjg', subject: 'SN', status: 'published', created: '2022-12-31T09:00:00', decision: '2022-12-31', recognised: '2022-12-31T10:00:00', publishDue: '2023-01-09', published: '2023-01-03T10:00:00', termEnd: '2025-12-31' },
  ];
  for (const r of rows) await entry(r);

  const objection = async (key: string, on: string, received: string, due: string, answered?: string) => {
    const [o] = await t.db.db
      .insert(objections)
      .values({ entryId: ids[on]!, status: answered ? 'answered' : 'received', source: 'public', content: '信息有误', receivedAt: bj(received), dueAt: due, answeredAt: answered ? bj(answered) : null, result: answered ? 'rejected' : null })
      .returning({ id: objections.id });
    ids[key] = o!.id;
  };
  await objection('O1', 'S1', '2025-10-16T10:00:00', '2025-10-23', '2025-10-23T17:00:00');
  await objection('O2', 'S1', '2025-11-24T10:00:00', '2025-12-01', '2025-12-02T09:00:00');
  await objection('O3', 'R1', '2025-12-24T10:00:00', '2025-12-31');
  await objection('O4', 'R1', '2025-12-30T10:00:00', '2026-01-07');
  await objection('O5', 'Y1', '2025-10-09T10:00:00', '2025-10-16', '2025-10-16T23:59:59');

  const repair = async (key: string, on: string, status: string, applied: string, due: string, decided?: string) => {
    const [r] = await t.db.db
      .insert(repairs)
      .values({ entryId: ids[on]!, status, source: 'public', appliedAt: bj(applied), decideDue: due, decidedAt: decided ? bj(decided) : null })
      .returning({ id: repairs.id });
    ids[key] = r!.id;
  };
  await repair('P1', 'R1', 'approved', '2025-11-03T10:00:00', '2025-11-17', '2025-11-17T16:00:00');
  await repair('P2', 'R3', 'accepted', '2025-12-15T10:00:00', '2025-12-29');
  await repair('P3', 'R2', 'applied', '2025-12-22T10:00:00', '2026-01-06');
  await repair('P4', 'R6', 'refused', '2025-10-20T10:00:00', '2025-11-03', '2025-10-22T10:00:00');

  const key = async (k: string, department: string) => {
    const [row] = await t.db.db.insert(apiKeys).values({ name: `${department}业务系统`, department, keyHash: `hash-${k}`, prefix: `clk_${k}` }).returning({ id: apiKeys.id });
    ids[k] = row!.id;
  };
  await key('K1', 'scjg');
  await key('K2', 'yjj');
  const check = async (k: string, by: string, at: string, matter: string, feedback?: { at: string; measures: string[] }) => {
    const [c] = await t.db.db.insert(checks).values({ apiKeyId: ids[by]!, subjectCode: makeUscc(rng), matter, result: {}, at: bj(at) }).returning({ id: checks.id });
    ids[k] = c!.id;
    if (feedback) await t.db.db.insert(measuresApplied).values({ checkId: c!.id, measures: feedback.measures, outcome: '已限制', at: bj(feedback.at) });
  };
  const ban = ['M-PROCUREMENT-BAN'];
  await check('C1', 'K1', '2025-10-10T10:00:00', 'gov-procurement', { at: '2025-10-10T11:00:00', measures: ban });
  await check('C2', 'K1', '2025-11-11T10:00:00', 'gov-procurement', { at: '2025-11-11T11:00:00', measures: [...ban, 'M-OTHER'] });
  await check('C3', 'K1', '2025-12-12T10:00:00', 'gov-procurement', { at: '2025-12-12T11:00:00', measures: ban });
  await check('C4', 'K1', '2025-12-20T10:00:00', 'gov-procurement');
  await check('C5', 'K1', '2025-11-01T10:00:00', 'admin-licensing');
  await check('C6', 'K2', '2025-10-01T00:30:00', 'gov-procurement', { at: '2025-10-01T01:30:00', measures: ban });
  await check('C7', 'K2', '2025-11-15T10:00:00', 'gov-procurement');
  await check('C8', 'K2', '2025-12-01T10:00:00', 'gov-procurement');
  await check('C9', 'K2', '2026-01-01T00:30:00', 'gov-procurement', { at: '2026-01-01T01:30:00', measures: ban });

  const report = (no: string, department: string, status: 'done' | 'in-progress', at: string) =>
    t.db.db.insert(taskReports).values({ planId: 'p', taskNo: no, department, text: `第${no}项任务进展`, percent: status === 'done' ? 100 : 50, status, reportedAt: bj(at) });
  await report('1', 'scjg', 'done', '2025-10-30T10:00:00');
  await report('2', 'scjg', 'done', '2026-01-05T10:00:00');
  await report('2', 'yjj', 'done', '2025-12-31T23:00:00');
  await report('5', 'scjg', 'in-progress', '2025-12-01T10:00:00');
}

beforeAll(async () => {
  t = await startTestApp(fixture);
  await seed();
  leader = await t.login('leader');
  admin = await t.login('admin');
});
afterAll(() => t.close());

type Ind = { id: string; numerator: number; denominator: number; value: number | null; points: number; note: string | null; adjustment: number };
type Dept = { department: string; rank: number; computed: number; adjustment: number; total: number; indicators: Ind[]; adjustments: { points: number; reason: string; indicator: string | null }[] };

/** [numerator, denominator, value, points] per indicator, in config order: dp ep cc obj rep exp code look plan. */
const expected: Record<string, [number, number, number | null, number][]> = {
  fgj: [[0, 0, null, 20], [0, 0, null, 10], [0, 0, null, 10], [0, 0, null, 10], [0, 0, null, 10], [0, 0, null, 10], [0, 0, null, 10], [0, 0, null, 10], [0, 0, null, 10]],
  scjg: [[2, 3, 0.666667, 6.67], [2, 3, 0.666667, 1.67], [2, 2, 1, 10], [1, 3, 0.333333, 0], [1, 2, 0.5, 0], [2, 3, 0.666667, 3.33], [4, 5, 0.8, 4], [3, 4, 0.75, 5], [1, 4, 0.25, 2.5]],
  'scjg-dq': [[1, 1, 1, 20], [0, 0, null, 10], [1, 2, 0.5, 5], [0, 0, null, 10], [1, 1, 1, 10], [0, 0, null, 10], [1, 1, 1, 10], [0, 0, null, 10], [0, 0, null, 10]],
  yjj: [[0, 0, null, 20], [0, 0, null, 10], [0, 1, 0, 0], [1, 1, 1, 10], [0, 0, null, 10], [0, 0, null, 10], [0, 0, null, 10], [1, 3, 0.333333, 0], [1, 1, 1, 10]],
};
const indicatorIds = ['dp', 'ep', 'cc', 'obj', 'rep', 'exp', 'code', 'look', 'plan'];

const assessment = async (h: Record<string, string>, period = '2025-Q4') => t.json('GET', `/api/reports/assessment?period=${period}`, h);
const dept = (body: { departments: Dept[] }, code: string) => body.departments.find((d) => d.department === code)!;

describe('assessment', () => {
  it('stores due dates that cross National Day 2025 and its make-up days (the fixture’s literals)', () => {
    const cal = createCalendar(t.model.platform.calendar);
    expect(cal.describeDay('2025-09-28')).toMatchObject({ working: true, kind: 'make_up_workday' });
    expect(cal.describeDay('2025-10-11')).toMatchObject({ working: true, kind: 'make_up_workday' });
    expect(cal.isWorkingDay('2025-10-08')).toBe(false);
    // R1: 09-28 (Sun) 1, 09-29 2, 09-30 3, 10-09 4, 10-10 5, 10-11 (Sat) 6, 10-13 7.
    expect(cal.addWorkingDays('2025-09-26', 7)).toBe('2025-10-13');
    expect(cal.addWorkingDays('2025-09-30', 7)).toBe('2025-10-16');
    expect(cal.addWorkingDays('2025-10-09', 7)).toBe('2025-10-17');
    expect(cal.addWorkingDays('2025-11-03', 7)).toBe('2025-11-12');
    expect(cal.addWorkingDays('2025-10-09', 5)).toBe('2025-10-15');
    expect(cal.addWorkingDays('2025-11-20', 5)).toBe('2025-11-27');
    expect(cal.addWorkingDays('2025-10-16', 5)).toBe('2025-10-23');
    expect(cal.addWorkingDays('2025-11-24', 5)).toBe('2025-12-01');
    expect(cal.addWorkingDays('2025-11-03', 10)).toBe('2025-11-17');
    expect(cal.addWorkingDays('2025-10-20', 10)).toBe('2025-11-03');
  });

  it('computes every indicator of every department exactly: value, numerator, denominator, points', async () => {
    const res = await assessment(leader);
    expect(res.status).toBe(200);
    expect(res.body.period).toMatchObject({ key: '2025-Q4', kind: 'quarter', start: '2025-10-01', last: '2025-12-31', label: '2025年第4季度' });
    expect(res.body.indicators.map((i: { id: string }) => i.id)).toEqual(indicatorIds);
    expect(res.body.departments.map((d: Dept) => d.department).sort()).toEqual(['fgj', 'scjg', 'scjg-dq', 'yjj']);
    for (const [code, rows] of Object.entries(expected)) {
      const d = dept(res.body, code);
      const actual = d.indicators.map((i) => [i.numerator, i.denominator, i.value, i.points]);
      expect({ code, actual }).toEqual({ code, actual: rows });
      for (const i of d.indicators) expect(i.note === null).toBe(i.denominator > 0);
    }
    expect(dept(res.body, 'fgj').indicators.find((i: Ind) => i.id === 'cc')!.note).toBe('未列入公共信用信息目录，本项按满分计');
    expect(dept(res.body, 'yjj').indicators.find((i: Ind) => i.id === 'dp')!.note).toBe('本期无考核事项，按满分计');
  });

  it('adds the points up to totals and ranks them', async () => {
    const res = await assessment(leader);
    const totals = Object.fromEntries(res.body.departments.map((d: Dept) => [d.department, [d.computed, d.adjustment, d.total, d.rank]]));
    expect(totals).toEqual({ fgj: [100, 0, 100, 1], 'scjg-dq': [95, 0, 95, 2], yjj: [80, 0, 80, 3], scjg: [33.17, 0, 33.17, 4] });
    expect(res.body.ranking).toEqual([
      { rank: 1, department: 'fgj', name: '发改局', total: 100 },
      { rank: 2, department: 'scjg-dq', name: '东区市场监管局', total: 95 },
      { rank: 3, department: 'yjj', name: '应急管理局', total: 80 },
      { rank: 4, department: 'scjg', name: '市场监管局', total: 33.17 },
    ]);
  });

  it('drills down to the late and failing items behind a number', async () => {
    const items = async (d: string, i: string) => {
      const res = await t.json('GET', `/api/reports/assessment/${d}/${i}?period=2025-Q4`, leader);
      expect(res.status).toBe(200);
      return res.body;
    };
    const dp = await items('scjg', 'dp');
    expect(dp).toMatchObject({ numerator: 2, denominator: 3, value: 0.666667, points: 6.67, total: 1 });
    // Published 00:10 Beijing time on 10-17 (16:10 UTC on 10-16): one working day late.
    expect(dp.items).toEqual([
      {
        itemId: ids.R2, entryId: ids.R2, listId: 'penalty-rec', listName: '行政处罚信息', subjectName: '测试企业SB有限公司', subjectCode: expect.any(String),
        startDate: '2025-09-30', due: '2025-10-16', done: '2025-10-17', workingDaysLate: 1, status: 'late', statusLabel: '逾期办结', note: null,
      },
    ]);
    const ep = await items('scjg', 'ep');
    expect(ep.items.map((x: { entryId: string; due: string; done: string | null; status: string }) => [x.entryId, x.due, x.done, x.status])).toEqual([[ids.S2, '2025-11-27', null, 'overdue']]);
    const obj = await items('scjg', 'obj');
    expect(obj.items.map((x: { itemId: string; due: string; done: string | null; workingDaysLate: number }) => [x.itemId, x.due, x.done, x.workingDaysLate])).toEqual([
      [ids.O2, '2025-12-01', '2025-12-02', 1],
      // Not answered: counted until "today" (the test clock, 2026-11-02).
      [ids.O3, '2025-12-31', null, expect.any(Number)],
    ]);
    const rep = await items('scjg', 'rep');
    expect(rep.items.map((x: { itemId: string; status: string; note: string }) => [x.itemId, x.status, x.note])).toEqual([[ids.P2, 'overdue', 'accepted']]);
    const exp = await items('scjg', 'exp');
    expect(exp.items.map((x: { entryId: string; startDate: string; due: string; done: string | null }) => [x.entryId, x.startDate, x.due, x.done])).toEqual([[ids.E3, '2025-12-15', '2025-12-16', null]]);
    const cc = await items('yjj', 'cc');
    expect(cc.items.map((x: { itemId: string; listName: string; status: string }) => [x.itemId, x.listName, x.status])).toEqual([['yjj-rec', '行政处罚信息（应急）', 'missing']]);
    const ccDq = await items('scjg-dq', 'cc');
    expect(ccDq.items.map((x: { itemId: string }) => x.itemId)).toEqual(['licence-rec']);
    const code = await items('scjg', 'code');
    expect(code.items.map((x: { itemId: string; subjectName: string; note: string; status: string }) => [x.itemId, x.subjectName, x.note, x.status])).toEqual([[ids.SH, '测试企业SH有限公司', '早期代码，校验位错误', 'invalid']]);
    const look = await items('scjg', 'look');
    expect(look.items.map((x: { itemId: string; note: string; status: string }) => [x.itemId, x.note, x.status])).toEqual([[ids.C4, 'gov-procurement', 'no-feedback']]);
    const lookYjj = await items('yjj', 'look');
    expect(lookYjj.items.map((x: { itemId: string }) => x.itemId)).toEqual([ids.C7, ids.C8]);
    const plan = await items('scjg', 'plan');
    expect(plan.items.map((x: { itemId: string; due: string; done: string | null; listName: string }) => [x.itemId, x.due, x.done, x.listName])).toEqual([
      ['p#3', '2025-11-30', null, '测试市信用体系建设任务分工方案'],
      ['p#5', '2025-12-15', null, '测试市信用体系建设任务分工方案'],
      ['p#2', '2025-12-31', '2026-01-05', '测试市信用体系建设任务分工方案'],
    ]);
    expect((await items('fgj', 'dp')).items).toEqual([]);
    expect((await t.json('GET', '/api/reports/assessment/scjg/nope?period=2025-Q4', leader)).status).toBe(404);
    expect((await t.json('GET', '/api/reports/assessment/nope/dp?period=2025-Q4', leader)).status).toBe(404);
  });

  it('leaves out items still within their time limit in a current period', async () => {
    const saved = t.clock.now();
    t.clock.set(bj('2025-12-20T12:00:00'));
    try {
      const h = await t.freshLogin('leader');
      const d = dept((await assessment(h)).body, 'scjg');
      const pick = (id: string) => d.indicators.find((i) => i.id === id)!;
      // O3 (due 12-31) and P2 (due 12-29) are pending; E3 (exit due 12-16) is already late.
      expect([pick('obj').numerator, pick('obj').denominator]).toEqual([1, 2]);
      expect([pick('rep').numerator, pick('rep').denominator]).toEqual([1, 1]);
      expect([pick('exp').numerator, pick('exp').denominator]).toEqual([2, 3]);
      // Task 2 (deadline 12-31) has no done report from scjg yet: pending; tasks 3 and 5 are late.
      expect([pick('plan').numerator, pick('plan').denominator]).toEqual([1, 3]);
    } finally {
      t.clock.set(saved);
    }
  });

  it('rejects malformed periods', async () => {
    for (const p of ['2025-13', '2025Q4', '25', '2025-Q5']) {
      const res = await assessment(leader, p);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('INVALID_PERIOD');
    }
    // A month and a year are periods too.
    expect((await assessment(leader, '2025-10')).body.period).toMatchObject({ key: '2025-10', start: '2025-10-01', last: '2025-10-31' });
    expect((await assessment(leader, '2025')).body.period).toMatchObject({ key: '2025', start: '2025-01-01', last: '2025-12-31' });
    // Without a period: the current quarter of the clock (2026-11-02).
    expect((await t.json('GET', '/api/reports/assessment', leader)).body.period.key).toBe('2026-Q4');
  });
});

describe('adjustments (加减分)', () => {
  it('only the office records them, validated and audited', async () => {
    const body = { period: '2025-Q4', department: 'scjg-dq', points: 5, reason: '信用信息共享平台建设成效突出，经领导小组审定加分。' };
    expect((await t.json('POST', '/api/reports/adjustments', leader, body)).status).toBe(403);
    expect((await t.json('POST', '/api/reports/adjustments', await t.login('scjg-reviewer'), body)).status).toBe(403);
    expect((await t.json('POST', '/api/reports/adjustments', {}, body)).status).toBe(401);
    const bad = await t.json('POST', '/api/reports/adjustments', admin, { ...body, indicator: 'nope' });
    expect([bad.status, bad.body.error.code]).toEqual([422, 'UNKNOWN_INDICATOR']);
    expect((await t.json('POST', '/api/reports/adjustments', admin, { ...body, period: '2025-Q9' })).body.error.code).toBe('INVALID_PERIOD');
    expect((await t.json('POST', '/api/reports/adjustments', admin, { ...body, department: 'nope' })).body.error.code).toBe('UNKNOWN_DEPARTMENT');
    expect((await t.json('POST', '/api/reports/adjustments', admin, { ...body, points: 0 })).status).toBe(422);
    expect((await t.json('POST', '/api/reports/adjustments', admin, { ...body, reason: '' })).status).toBe(422);

    const created = await t.json('POST', '/api/reports/adjustments', admin, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ period: '2025-Q4', department: 'scjg-dq', indicator: null, points: 5, createdBy: '信用办管理员' });
    const onIndicator = await t.json('POST', '/api/reports/adjustments', admin, { period: '2025-q4', department: 'scjg', indicator: 'look', points: 2.5, reason: '业务系统反馈接口改造完成，酌情加分。' });
    expect(onIndicator.status).toBe(201);
    expect(onIndicator.body).toMatchObject({ period: '2025-Q4', indicator: 'look', indicatorName: '应查尽查反馈率', points: 2.5 });
    expect((await t.json('POST', '/api/reports/adjustments', admin, { period: '2025-Q4', department: 'yjj', points: -5, reason: '迟报季度工作总结，扣分。' })).status).toBe(201);

    const audit = await t.db.db.select().from(auditLog).where(eq(auditLog.chain, 'assessment:2025-Q4'));
    expect(audit.map((a) => [a.seq, a.action, (a.after as { department: string; points: number }).department, (a.after as { points: number }).points])).toEqual([
      [1, 'assessment.adjust', 'scjg-dq', 5],
      [2, 'assessment.adjust', 'scjg', 2.5],
      [3, 'assessment.adjust', 'yjj', -5],
    ]);
  });

  it('shows them beside the computed points; equal totals share a rank', async () => {
    const res = await assessment(leader);
    const totals = Object.fromEntries(res.body.departments.map((d: Dept) => [d.department, [d.computed, d.adjustment, d.total, d.rank]]));
    expect(totals).toEqual({ fgj: [100, 0, 100, 1], 'scjg-dq': [95, 5, 100, 1], yjj: [80, -5, 75, 3], scjg: [33.17, 2.5, 35.67, 4] });
    const scjg = dept(res.body, 'scjg');
    expect(scjg.indicators.find((i) => i.id === 'look')).toMatchObject({ points: 5, adjustment: 2.5 });
    expect(scjg.adjustments.map((a) => [a.indicator, a.points])).toEqual([['look', 2.5]]);
    expect(res.body.ranking.map((r: { department: string; rank: number; total: number }) => [r.department, r.rank, r.total])).toEqual([
      ['fgj', 1, 100],
      ['scjg-dq', 1, 100],
      ['yjj', 3, 75],
      ['scjg', 4, 35.67],
    ]);
    // Another period is untouched.
    expect(dept((await assessment(leader, '2025-12')).body, 'yjj').adjustment).toBe(0);
  });
});

describe('who sees what', () => {
  it('staff see their own department in full and the ranking; others’ items are forbidden', async () => {
    const op = await t.login('scjg-operator');
    const res = await assessment(op);
    expect(res.status).toBe(200);
    expect(res.body.departments.map((d: Dept) => d.department)).toEqual(['scjg']);
    expect(res.body.scope).toEqual(['scjg']);
    expect((await assessment(leader)).body.scope).toBe('all');
    expect(res.body.ranking.map((r: { department: string }) => r.department)).toEqual(['fgj', 'scjg-dq', 'yjj', 'scjg']);
    expect((await t.json('GET', '/api/reports/assessment/scjg/dp?period=2025-Q4', op)).status).toBe(200);
    expect((await t.json('GET', '/api/reports/assessment/yjj/dp?period=2025-Q4', op)).status).toBe(403);
    // A district unit is not its parent.
    expect((await t.json('GET', '/api/reports/assessment/scjg/dp?period=2025-Q4', await t.login('scjg-dq-reviewer'))).status).toBe(403);
    const two = await assessment(await t.login('two-units'));
    expect(two.body.departments.map((d: Dept) => d.department).sort()).toEqual(['scjg', 'yjj']);
    const stats = await t.json('GET', '/api/reports/statistics?from=2025-10&to=2025-12', op);
    expect(stats.body.departments).toEqual([{ code: 'scjg', name: '市场监管局' }]);
    expect((await t.json('GET', '/api/reports/statistics?from=2025-10&to=2025-12&department=yjj', op)).status).toBe(403);
    expect((await assessment(admin)).body.departments).toHaveLength(4);
    expect((await assessment({})).status).toBe(401);
  });

  it('refuses API keys', async () => {
    const key = await t.json('POST', '/api/api-keys', admin, { name: '政府采购系统', department: 'scjg' });
    const h = { authorization: `Bearer ${key.body.key}` };
    expect((await assessment(h)).status).toBe(403);
    expect((await t.json('GET', '/api/reports/statistics', h)).status).toBe(403);
  });
});

describe('statistics', () => {
  const zero = {
    added: 0, recognised: 0, published: 0, exited: 0, exitedExpired: 0, exitedTermEnd: 0, exitedEarly: 0, repaired: 0, revoked: 0,
    objectionsReceived: 0, objectionsAnswered: 0, repairsReceived: 0, repairsAnswered: 0, checks: 0, measuresApplied: 0, measureItems: 0,
  };
  const rows = [
    { month: '2025-10', department: 'scjg', name: '市场监管局', ...zero, added: 1, recognised: 1, published: 3, exited: 1, exitedExpired: 1, objectionsReceived: 1, objectionsAnswered: 1, checks: 1, measuresApplied: 1, measureItems: 1 },
    { month: '2025-10', department: 'scjg-dq', name: '东区市场监管局', ...zero, added: 1, published: 1, repairsReceived: 1, repairsAnswered: 1 },
    { month: '2025-10', department: 'yjj', name: '应急管理局', ...zero, objectionsReceived: 1, objectionsAnswered: 1, checks: 1, measuresApplied: 1, measureItems: 1 },
    { month: '2025-11', department: 'scjg', name: '市场监管局', ...zero, added: 3, recognised: 2, published: 1, exited: 1, revoked: 1, objectionsReceived: 1, repairsReceived: 1, repairsAnswered: 1, checks: 2, measuresApplied: 1, measureItems: 2 },
    { month: '2025-11', department: 'yjj', name: '应急管理局', ...zero, checks: 1 },
    { month: '2025-12', department: 'scjg', name: '市场监管局', ...zero, added: 2, recognised: 1, published: 1, exited: 2, exitedExpired: 1, revoked: 1, objectionsReceived: 2, objectionsAnswered: 1, repairsReceived: 2, checks: 2, measuresApplied: 1, measureItems: 1 },
    { month: '2025-12', department: 'yjj', name: '应急管理局', ...zero, checks: 1 },
  ];

  it('counts per month and department in Beijing time', async () => {
    const res = await t.json('GET', '/api/reports/statistics?from=2025-10&to=2025-12', leader);
    expect(res.status).toBe(200);
    expect(res.body.months).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(res.body.rows).toEqual(rows);
    expect(res.body.trend.map((m: { month: string; added: number; published: number; checks: number }) => [m.month, m.added, m.published, m.checks])).toEqual([
      ['2025-10', 2, 4, 2],
      ['2025-11', 3, 1, 3],
      ['2025-12', 2, 1, 3],
    ]);
    expect(res.body.total).toMatchObject({ added: 7, recognised: 4, published: 6, exited: 4, exitedExpired: 2, revoked: 2, objectionsReceived: 5, objectionsAnswered: 3, repairsReceived: 4, repairsAnswered: 2, checks: 8, measuresApplied: 4, measureItems: 5 });
    const scjg = await t.json('GET', '/api/reports/statistics?from=2025-10&to=2025-12&department=scjg', leader);
    expect(scjg.body.rows).toEqual(rows.filter((r) => r.department === 'scjg'));
    // The last 12 months by default.
    const trend = await t.json('GET', '/api/reports/statistics', leader);
    expect([trend.body.from, trend.body.to, trend.body.months.length]).toEqual(['2025-12', '2026-11', 12]);
    expect(trend.body.trend[0]).toMatchObject({ month: '2025-12', added: 2 });
    expect(trend.body.trend[1]).toMatchObject({ month: '2026-01', added: 0, published: 1, checks: 1, measuresApplied: 1 });
    expect((await t.json('GET', '/api/reports/statistics?from=2025-12&to=2025-10', leader)).status).toBe(422);
    expect((await t.json('GET', '/api/reports/statistics?from=2025-1', leader)).status).toBe(422);
  });
});

describe('Excel exports', () => {
  it('the assessment workbook holds the same figures as the JSON', async () => {
    const json = (await assessment(leader)).body;
    const res = await t.app.request('/api/reports/assessment?period=2025-Q4&format=xlsx', { headers: leader });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="assessment-2025-Q4.xlsx"; filename*=UTF-8''${encodeURIComponent('部门考核结果-2025-Q4.xlsx')}`,
    );
    const wb = await readWorkbook(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['考核得分', '总分排名', '指标明细', '加减分', '说明']);
    const scores = sheetRows(wb.getWorksheet('考核得分')!);
    expect(scores).toEqual(
      json.departments.map((d: Dept) => ({
        名次: d.rank,
        部门代码: d.department,
        部门: json.ranking.find((r: { department: string }) => r.department === d.department).name,
        ...Object.fromEntries(d.indicators.map((i, n) => [`${json.indicators[n].name}（${json.indicators[n].weight}分）`, i.points])),
        指标得分合计: d.computed,
        加减分: d.adjustment,
        总分: d.total,
      })),
    );
    expect(sheetRows(wb.getWorksheet('总分排名')!)).toEqual(json.ranking.map((r: { rank: number; department: string; name: string; total: number }) => ({ 名次: r.rank, 部门代码: r.department, 部门: r.name, 总分: r.total })));
    const detail = sheetRows(wb.getWorksheet('指标明细')!);
    expect(detail).toHaveLength(4 * 9);
    expect(detail.map((r) => [r.部门代码, r.指标编号, r.分子, r.分母, r.数值, r.得分, r.加减分])).toEqual(
      json.departments.flatMap((d: Dept) => d.indicators.map((i) => [d.department, i.id, i.numerator, i.denominator, i.value, i.points, i.adjustment])),
    );
    expect(sheetRows(wb.getWorksheet('加减分')!).map((r) => [r.部门代码, r.分值])).toEqual([
      ['scjg-dq', 5],
      ['yjj', -5],
      ['scjg', 2.5],
    ]);
  });

  it('the statistics workbook holds the same counts as the JSON', async () => {
    const json = (await t.json('GET', '/api/reports/statistics?from=2025-10&to=2025-12', leader)).body;
    const res = await t.app.request('/api/reports/statistics?from=2025-10&to=2025-12&format=xlsx', { headers: leader });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('filename="statistics-2025-10-2025-12.xlsx"');
    const wb = await readWorkbook(await res.arrayBuffer());
    const labels = json.labels as Record<string, string>;
    const keys = Object.keys(labels);
    expect(sheetRows(wb.getWorksheet('按月按部门')!)).toEqual(
      json.rows.map((r: Record<string, unknown>) => ({ 月份: r.month, 部门代码: r.department, 部门: r.name, ...Object.fromEntries(keys.map((k) => [labels[k], r[k]])) })),
    );
    expect(sheetRows(wb.getWorksheet('月度趋势')!)).toEqual(json.trend.map((r: Record<string, unknown>) => ({ 月份: r.month, ...Object.fromEntries(keys.map((k) => [labels[k], r[k]])) })));
  });
});

describe('the demo config', () => {
  it('assesses every department of config/assessment.yaml without error', async () => {
    const demo = await startTestApp(demoConfig);
    try {
      const res = await demo.json('GET', '/api/reports/assessment?period=2026-Q3', await demo.login('leader'));
      expect(res.status).toBe(200);
      expect(res.body.departments).toHaveLength(demo.model.departments.length);
      expect(res.body.indicators.map((i: { id: string }) => i.id)).toContain('plan-tasks');
      const xlsx = await demo.app.request('/api/reports/assessment?period=2026-Q3&format=xlsx', { headers: await demo.login('leader') });
      expect(xlsx.status).toBe(200);
    } finally {
      await demo.close();
    }
  });
});
