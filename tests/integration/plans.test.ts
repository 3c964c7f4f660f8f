/**
 * Division-of-work plans (issue 7): progress reports by lead units only,
 * statuses that follow the clock (overdue once the deadline has passed
 * without a done report), and the quarterly bulletin, JSON and Excel.
 * Config: api/src/reports/fixture (plan `p`, six tasks; deadlines in 2025-Q4,
 * 2026-Q1 and 2026-Q4).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../api/src/db/client.ts';
import { readWorkbook, sheetRows } from '../../api/src/reports/xlsx.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const fixture = new URL('../../api/src/reports/fixture/', import.meta.url).pathname;
let t: TestApp;

const bj = (s: string) => new Date(`${s}+08:00`);
/** Moves the clock forward to a Beijing time, logging every cached account in again. */
const at = (s: string) => t.travel(bj(s).getTime() - t.clock.now().getTime());
const as = (username: string) => t.login(username);
const file = async (username: string, no: string, body: Record<string, unknown>) => t.json('POST', `/api/plans/p/tasks/${no}/reports`, await as(username), body);
const statuses = (plan: { tasks: { no: string; status: string }[] }) => Object.fromEntries(plan.tasks.map((x) => [x.no, x.status]));

beforeAll(async () => {
  t = await startTestApp(fixture);
  t.clock.set(bj('2025-10-20T10:00:00'));
});
afterAll(() => t.close());

describe('plans', () => {
  it('lists the plans and their tasks, all not started at first', async () => {
    const list = await t.json('GET', '/api/plans', await as('scjg-operator'));
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { id: 'p', title: '测试市信用体系建设任务分工方案', issuedBy: '测试市人民政府办公室', issuedOn: '2025-09-01', source: '测试夹具', tasks: 6, counts: { done: 0, 'in-progress': 0, overdue: 0, 'not-started': 6 } },
    ]);
    const plan = await t.json('GET', '/api/plans/p', await as('leader'));
    expect(plan.body.tasks[1]).toMatchObject({
      no: '2',
      title: '归集信用信息',
      lead: [{ department: 'scjg', name: '市场监管局' }, { department: 'yjj', name: '应急管理局' }],
      co: [{ department: 'fgj', name: '发改局' }],
      deadline: '2025-12-31',
      deadlineAssumed: false,
      status: 'not-started',
      statusLabel: '未启动',
      latestReport: null,
    });
    expect(plan.body.tasks[3]).toMatchObject({ no: '4', deadlineAssumed: true, deadlineNote: '原文未规定时限。' });
    expect((await t.json('GET', '/api/plans/p?department=yjj', await as('leader'))).body.tasks.map((x: { no: string }) => x.no)).toEqual(['2', '4']);
    expect((await t.json('GET', '/api/plans/nope', await as('leader'))).status).toBe(404);
    expect((await t.json('GET', '/api/plans/p/tasks/99', await as('leader'))).status).toBe(404);
    expect((await t.json('GET', '/api/plans', {})).status).toBe(401);
  });

  it('lets only staff of a lead unit file a report', async () => {
    const body = { text: '已起草双公示制度初稿，正在征求意见。', percent: 40, status: 'in-progress' };
    const ok = await file('scjg-operator', '1', body);
    expect(ok.status).toBe(201);
    expect(ok.body.report).toMatchObject({ department: 'scjg', departmentName: '市场监管局', percent: 40, status: 'in-progress', reportedBy: '市场监管局经办人', reportedOn: '2025-10-20' });
    expect(ok.body.task).toMatchObject({ no: '1', status: 'in-progress', units: [{ department: 'scjg', status: 'in-progress', late: false }] });

    // Another department, a co-unit, a district unit of the lead, a leader without report-progress.
    for (const [user, no] of [['yjj-operator', '1'], ['fgj-operator', '2'], ['scjg-dq-operator', '1'], ['scjg-operator', '6']] as const) {
      const res = await file(user, no, body);
      expect({ user, no, status: res.status, code: res.body.error.code }).toEqual({ user, no, status: 403, code: 'NOT_LEAD_UNIT' });
    }
    expect((await file('leader', '1', body)).status).toBe(403);
    // The office files for itself (fgj leads task 6), never on behalf of another unit.
    expect((await file('admin', '6', { ...body, text: '已建立信用应用工作机制。', percent: 10 })).body.report).toMatchObject({ department: 'fgj' });
    expect((await file('admin', '1', body)).body.error.code).toBe('NOT_LEAD_UNIT');
    expect((await file('admin', '6', { ...body, department: 'scjg-dq' })).body.error.code).toBe('NOT_LEAD_UNIT');
    expect((await file('scjg-dq-reviewer', '6', { ...body, percent: 20 })).status).toBe(201);

    // A member of two lead units names the one reported for.
    const ambiguous = await file('two-units', '2', { ...body, percent: 30 });
    expect([ambiguous.status, ambiguous.body.error.code]).toEqual([422, 'DEPARTMENT_REQUIRED']);
    expect((await file('two-units', '2', { ...body, percent: 30, department: 'yjj' })).body.report).toMatchObject({ department: 'yjj', reportedBy: '两单位经办人' });
    expect((await file('two-units', '2', { ...body, department: 'fgj' })).body.error.code).toBe('NOT_LEAD_UNIT');
  });

  it('validates reports', async () => {
    const bad = async (body: Record<string, unknown>) => (await file('scjg-operator', '5', body)).status;
    expect(await bad({ text: '进展', status: 'in-progress' })).toBe(422); // percent missing
    expect(await bad({ text: '进展', status: 'in-progress', percent: 100 })).toBe(422);
    expect(await bad({ text: '进展', status: 'done', percent: 50 })).toBe(422);
    expect(await bad({ text: '', status: 'in-progress', percent: 10 })).toBe(422);
    expect(await bad({ text: '进展', status: 'finished', percent: 10 })).toBe(422);
    expect(await bad({ text: '进展', status: 'in-progress', percent: 10, attachments: [{ name: '方案.pdf', attachmentId: '00000000-0000-4000-8000-000000000000' }] })).toBe(422);
    expect(await bad({ text: '进展', status: 'in-progress', percent: 101 })).toBe(422);
  });

  it('marks a task done, then overdue ones as the clock passes their deadlines', async () => {
    await at('2025-10-30T10:00:00');
    const done = await file('scjg-operator', '1', { text: '双公示制度已印发实施。', status: 'done', attachments: [{ name: '制度文件.pdf', url: 'https://example.gov.cn/doc/1.pdf' }] });
    expect(done.status).toBe(201);
    expect(done.body.report).toMatchObject({ percent: 100, status: 'done', attachments: [{ name: '制度文件.pdf', url: 'https://example.gov.cn/doc/1.pdf' }] });
    expect(done.body.task).toMatchObject({ status: 'done', units: [{ department: 'scjg', status: 'done', late: false, doneOn: '2025-10-30' }] });
    const again = await file('scjg-operator', '1', { text: '补充说明。', status: 'in-progress', percent: 90 });
    expect([again.status, again.body.error.code]).toEqual([409, 'TASK_ALREADY_DONE']);

    await at('2025-11-05T10:00:00');
    expect((await file('scjg-operator', '5', { text: '修复机制已起草。', status: 'in-progress', percent: 50 })).status).toBe(201);
    expect(statuses((await t.json('GET', '/api/plans/p', await as('leader'))).body)).toEqual({ 1: 'done', 2: 'in-progress', 3: 'not-started', 4: 'not-started', 5: 'in-progress', 6: 'in-progress' });

    // Task 3 was due on 11-30: on that day it is still on time, the day after it is overdue.
    await at('2025-11-30T23:00:00');
    expect(statuses((await t.json('GET', '/api/plans/p', await as('leader'))).body)['3']).toBe('not-started');
    await at('2025-12-01T09:00:00');
    const plan = await t.json('GET', '/api/plans/p', await as('leader'));
    expect(statuses(plan.body)).toEqual({ 1: 'done', 2: 'in-progress', 3: 'overdue', 4: 'not-started', 5: 'in-progress', 6: 'in-progress' });
    expect(plan.body.counts).toEqual({ done: 1, 'in-progress': 3, overdue: 1, 'not-started': 1 });

    await at('2025-12-31T23:00:00');
    expect((await file('yjj-operator', '2', { text: '应急管理信用信息已全部归集。', status: 'done' })).status).toBe(201);
    await at('2026-01-05T10:00:00');
    const late = await file('scjg-operator', '2', { text: '市场监管信用信息已全部归集。', status: 'done' });
    expect(late.body.task).toMatchObject({
      status: 'done',
      units: [
        { department: 'scjg', status: 'done', late: true, doneOn: '2026-01-05' },
        { department: 'yjj', status: 'done', late: false, doneOn: '2025-12-31' },
      ],
    });
    expect(late.body.task.latestReport).toMatchObject({ department: 'scjg', text: '市场监管信用信息已全部归集。' });
    expect(statuses((await t.json('GET', '/api/plans/p', await as('scjg-operator'))).body)).toEqual({ 1: 'done', 2: 'done', 3: 'overdue', 4: 'not-started', 5: 'overdue', 6: 'in-progress' });
    expect((await t.json('GET', '/api/plans', await as('leader'))).body[0].counts).toEqual({ done: 2, 'in-progress': 1, overdue: 2, 'not-started': 1 });

    const history = await t.json('GET', '/api/plans/p/tasks/2', await as('leader'));
    expect(history.body.reports.map((r: { department: string; status: string; reportedOn: string }) => [r.department, r.status, r.reportedOn])).toEqual([
      ['scjg', 'done', '2026-01-05'],
      ['yjj', 'done', '2025-12-31'],
      ['yjj', 'in-progress', '2025-10-20'],
    ]);
  });
});

describe('quarterly bulletin (通报)', () => {
  it('groups each task’s status and latest report by unit, as at the end of the quarter', async () => {
    const res = await t.json('GET', '/api/plans/p/bulletin?quarter=2025-Q4', await as('scjg-operator'));
    expect(res.status).toBe(200);
    expect(res.body.quarter).toEqual({ key: '2025-Q4', label: '2025年第4季度', start: '2025-10-01', last: '2025-12-31' });
    expect(res.body.asOf).toBe('2025-12-31');
    // As at 12-31: scjg has not finished task 2 yet (it reported on 01-05), the deadline is that very day.
    expect(res.body.tasks.map((x: { no: string; status: string }) => [x.no, x.status])).toEqual([
      ['1', 'done'],
      ['2', 'in-progress'],
      ['3', 'overdue'],
      ['4', 'not-started'],
      ['5', 'overdue'],
      ['6', 'in-progress'],
    ]);
    const units = Object.fromEntries(
      res.body.units.map((u: { department: string; tasks: { no: string; role: string; status: string; reportsInQuarter: number; latestReport: { reportedOn: string } | null }[] }) => [
        u.department,
        u.tasks.map((x) => [x.no, x.role, x.status, x.reportsInQuarter, x.latestReport?.reportedOn ?? null]),
      ]),
    );
    expect(units).toEqual({
      fgj: [
        ['2', 'co', 'in-progress', 0, '2025-12-31'],
        ['6', 'lead', 'in-progress', 1, '2025-10-20'],
      ],
      scjg: [
        ['1', 'lead', 'done', 2, '2025-10-30'],
        ['2', 'lead', 'not-started', 0, null],
        ['3', 'lead', 'overdue', 0, null],
        ['5', 'lead', 'overdue', 1, '2025-11-05'],
        ['6', 'co', 'in-progress', 0, '2025-10-20'],
      ],
      'scjg-dq': [['6', 'lead', 'in-progress', 1, '2025-10-20']],
      yjj: [
        ['2', 'lead', 'done', 2, '2025-12-31'],
        ['4', 'lead', 'not-started', 0, null],
      ],
    });
    expect(res.body.units.find((u: { department: string }) => u.department === 'scjg').counts).toEqual({ done: 1, 'in-progress': 0, overdue: 2, 'not-started': 1 });

    // The current quarter is judged today (2026-01-05).
    const now = await t.json('GET', '/api/plans/p/bulletin', await as('leader'));
    expect([now.body.quarter.key, now.body.asOf]).toEqual(['2026-Q1', '2026-01-05']);
    expect(now.body.tasks.find((x: { no: string }) => x.no === '2').status).toBe('done');
    expect((await t.json('GET', '/api/plans/p/bulletin?quarter=2026-01', await as('leader'))).status).toBe(422);
  });

  it('exports the bulletin to Excel with the same content', async () => {
    const json = (await t.json('GET', '/api/plans/p/bulletin?quarter=2025-Q4', await as('leader'))).body;
    const res = await t.app.request('/api/plans/p/bulletin?quarter=2025-Q4&format=xlsx', { headers: await as('leader') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="bulletin-p-2025-Q4.xlsx"; filename*=UTF-8''${encodeURIComponent('任务进展通报-p-2025-Q4.xlsx')}`,
    );
    const wb = await readWorkbook(await res.arrayBuffer());
    const rows = sheetRows(wb.getWorksheet('任务进展通报')!);
    type Line = { no: string; title: string; roleLabel: string; deadline: string; statusLabel: string; latestReport: { text: string; percent: number } | null; reportsInQuarter: number };
    expect(rows.map((r) => [r.单位, r.任务编号, r.任务, r.角色, r.完成时限, r.状态, r.最新进展, r.完成进度, r.本季度报送次数])).toEqual(
      json.units.flatMap((u: { name: string; tasks: Line[] }) =>
        u.tasks.map((x) => [u.name, x.no, x.title, x.roleLabel, x.deadline, x.statusLabel, x.latestReport?.text ?? null, x.latestReport?.percent ?? null, x.reportsInQuarter]),
      ),
    );
    expect(sheetRows(wb.getWorksheet('单位汇总')!).map((r) => [r.单位, r.牵头任务, r.已完成, r.已逾期])).toEqual([
      ['发改局', 1, 0, 0],
      ['市场监管局', 4, 1, 2],
      ['东区市场监管局', 1, 0, 0],
      ['应急管理局', 2, 1, 0],
    ]);
  });

  it('refuses API keys', async () => {
    const key = await t.json('POST', '/api/api-keys', await as('admin'), { name: '审批系统', department: 'scjg' });
    const h = { authorization: `Bearer ${key.body.key}` };
    expect((await t.json('GET', '/api/plans', h)).status).toBe(403);
    expect((await t.json('GET', '/api/plans/p/bulletin', h)).status).toBe(403);
    expect((await t.json('POST', '/api/plans/p/tasks/1/reports', h, { text: '进展', status: 'done' })).status).toBe(403);
  });
});

describe('files of progress reports', () => {
  it('keeps the files of a report with its task: uploaded by a lead unit, referred to by id, downloaded intact', async () => {
    const pdf = Buffer.from('%PDF-1.7\n% 工作方案\n%%EOF\n', 'utf8');
    const upload = async (username: string, no: string, bytes: Buffer, name = '工作方案.pdf', type = 'application/pdf') => {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(bytes)], name, { type }));
      const res = await t.app.request(`/api/plans/p/tasks/${no}/attachments`, { method: 'POST', headers: await as(username), body: form });
      return { status: res.status, body: (await res.json()) as { id: string; filename: string; mime: string; size: number; error?: { code: string } } };
    };
    const up = await upload('scjg-operator', '5', pdf);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ filename: '工作方案.pdf', mime: 'application/pdf', size: pdf.byteLength });

    // Only a lead unit uploads; the file must be what it claims.
    expect((await upload('yjj-operator', '5', pdf)).body.error?.code).toBe('NOT_LEAD_UNIT');
    expect((await upload('scjg-operator', '5', Buffer.from('MZ not a pdf'))).status).toBe(415);
    expect((await upload('scjg-operator', '99', pdf)).status).toBe(404);
    const other = await upload('scjg-operator', '1', pdf, '另一任务.pdf');
    expect(other.status).toBe(201);

    // A report may point only at its own task's files, and links are web links only.
    const body = { text: '已印发工作方案。', percent: 20, status: 'in-progress' };
    const foreign = await file('scjg-operator', '5', { ...body, attachments: [{ name: '另一任务.pdf', attachmentId: other.body.id }] });
    expect([foreign.status, foreign.body.error.code]).toEqual([422, 'ATTACHMENT_NOT_FOUND']);
    expect((await file('scjg-operator', '5', { ...body, attachments: [{ name: '链接', url: 'javascript:alert(1)' }] })).status).toBe(422);
    const ok = await file('scjg-operator', '5', { ...body, attachments: [{ name: '工作方案.pdf', attachmentId: up.body.id }, { name: '政府网站', url: 'https://www.example.gov.cn/a.html' }] });
    expect(ok.status).toBe(201);
    expect(ok.body.report.attachments).toEqual([{ name: '工作方案.pdf', attachmentId: up.body.id }, { name: '政府网站', url: 'https://www.example.gov.cn/a.html' }]);

    // Every logged-in user reads the plan, so every one may open its files; only through their own task.
    const got = await t.app.request(`/api/plans/p/tasks/5/attachments/${up.body.id}`, { headers: await as('yjj-operator') });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await got.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await t.app.request(`/api/plans/p/tasks/1/attachments/${up.body.id}`, { headers: await as('leader') })).status).toBe(404);
    expect((await t.app.request(`/api/plans/p/tasks/5/attachments/${up.body.id}`)).status).toBe(401);

    const audit = await queryRows(t.db.db, sql`select action, actor->>'department' as department from audit_log where chain = 'plan:p' and target_id = ${up.body.id}`);
    expect(audit).toEqual([{ action: 'attachment.upload', department: 'scjg' }]);
  });
});
