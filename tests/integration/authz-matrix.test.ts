/**
 * Every route, called as every demo role on its own department's data and on
 * another department's, against a table of expected statuses written by hand
 * (not derived from the code that enforces them). A route missing from the
 * table fails the test.
 *
 * The list used is market-serious-illegal, owned by scjg. Callers:
 *   own      scjg-operator / scjg-reviewer: the entry's department
 *   district scjg-dq-operator / scjg-dq-reviewer: run the same list type in their own department (not the entry's)
 *   foreign  sw-operator: a department without this list type
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';

type Caller = 'anon' | 'admin' | 'leader' | 'opOwn' | 'rvOwn' | 'opDistrict' | 'rvDistrict' | 'opForeign' | 'apiKey';
const callers: Caller[] = ['anon', 'admin', 'leader', 'opOwn', 'rvOwn', 'opDistrict', 'rvDistrict', 'opForeign', 'apiKey'];
const usernames: Record<Exclude<Caller, 'anon' | 'apiKey'>, string> = {
  admin: 'admin',
  leader: 'leader',
  opOwn: 'scjg-operator',
  rvOwn: 'scjg-reviewer',
  opDistrict: 'scjg-dq-operator',
  rvDistrict: 'scjg-dq-reviewer',
  opForeign: 'sw-operator',
};

type Expected = Record<Caller, number>;
/** Columns in the order of `callers`. */
const row = (...s: number[]): Expected => Object.fromEntries(callers.map((c, i) => [c, s[i]])) as Expected;

let t: TestApp;
let apiKey: Record<string, string>;
const rng = createRng('authz-matrix');
const L = '/api/lists/market-serious-illegal/entries';
const pdfForm = () => {
  const form = new FormData();
  form.append('file', new File([Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1')], '证据.pdf', { type: 'application/pdf' }));
  form.append('kind', 'evidence');
  return form;
};
const uploadPdf = async (url: string, h: Record<string, string>) => (await t.app.request(url, { method: 'POST', headers: h, body: pdfForm() })).status;
const days = (n: number) => n * 86_400_000;
const IMP = '/api/lists/market-serious-illegal';
/** Uploads the list's csv template (its example row) as a dry run. */
async function uploadImport(h: Record<string, string>): Promise<number> {
  const tpl = await t.app.request(`${IMP}/import-template?format=csv`, { headers: await t.login('scjg-operator') });
  const text = (await tpl.text()).replace(new RegExp(makeUsccExample, 'g'), makeUscc(rng));
  const form = new FormData();
  form.append('file', new File([Buffer.from(text, 'utf8')], '导入.csv'));
  return (await t.app.request(`${IMP}/imports`, { method: 'POST', headers: h, body: form })).status;
}
const makeUsccExample = '91310000MA1FL0001.';
/** A checked import job of scjg-operator. */
async function importJob(): Promise<string> {
  const h = await t.login('scjg-operator');
  await uploadImport(h);
  const jobs = await t.json('GET', `${IMP}/imports`, h);
  return jobs.body[0].id;
}

let seq = 0;

async function headers(c: Caller): Promise<Record<string, string>> {
  if (c === 'anon') return {};
  if (c === 'apiKey') return apiKey;
  return t.login(usernames[c]);
}

function draftBody() {
  return {
    subject: { kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) },
    fields: {
      penalty_decision_no: '示市监罚〔2026〕9号',
      violation: '严重违法行为。',
      category: '食品安全',
      heavier_penalties: ['吊销许可证件'],
      penalty_decision: { number: '示市监罚〔2026〕9号', date: '2026-10-01', title: '行政处罚决定书' },
    },
  };
}

/** A scjg entry brought to a state by its own staff. */
async function entryIn(state: 'draft' | 'notified-over' | 'recognised' | 'published') {
  const op = await t.login('scjg-operator');
  const rv = await t.login('scjg-reviewer');
  const created = await t.json('POST', L, op, draftBody());
  const id = created.body.id as string;
  if (state === 'draft') return { id, version: 1 };
  await t.json('POST', `${L}/${id}/actions/notify`, op, { version: 1, serviceMethod: '直接送达' });
  await t.travel(days(10));
  if (state === 'notified-over') return { id, version: 2 };
  const rec = await t.json('POST', `${L}/${id}/actions/recognise`, rv, { version: 2, decisionNo: `示市监信认〔2026〕${++seq}号`, decisionDate: t.clock.today() });
  if (rec.status !== 200) throw new Error(JSON.stringify(rec.body));
  if (state === 'recognised') return { id, version: 3 };
  await t.json('POST', `${L}/${id}/actions/publish`, rv, { version: 3 });
  return { id, version: 4 };
}

type Case = { method: string; path: string; expected: Expected; call: (h: Record<string, string>, caller: Caller) => Promise<number> };

const cases: Case[] = [
  { method: 'GET', path: '/api/health', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200), call: async (h) => (await t.json('GET', '/api/health', h)).status },
  { method: 'GET', path: '/api/ready', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200), call: async (h) => (await t.json('GET', '/api/ready', h)).status },
  { method: 'GET', path: '/api/public/platform', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200), call: async (h) => (await t.json('GET', '/api/public/platform', h)).status },
  {
    method: 'POST',
    path: '/api/auth/login',
    expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    call: async (h) => (await t.json('POST', '/api/auth/login', h, { username: 'leader', password: 'Demo@123456' })).status,
  },
  { method: 'GET', path: '/api/meta', expected: row(401, 200, 200, 200, 200, 200, 200, 200, 200), call: async (h) => (await t.json('GET', '/api/meta', h)).status },
  { method: 'GET', path: '/api/auth/me', expected: row(401, 200, 200, 200, 200, 200, 200, 200, 403), call: async (h) => (await t.json('GET', '/api/auth/me', h)).status },
  {
    method: 'POST',
    path: '/api/auth/logout',
    expected: row(401, 204, 204, 204, 204, 204, 204, 204, 204),
    // A session of its own, so that logging out does not end the caller's shared one.
    call: async (h, c) => (await t.json('POST', '/api/auth/logout', c === 'anon' || c === 'apiKey' ? h : await t.freshLogin(usernames[c]))).status,
  },
  {
    method: 'POST',
    path: '/api/auth/password',
    // 422: allowed through, then refused for the wrong current password (nothing changes).
    expected: row(401, 422, 422, 422, 422, 422, 422, 422, 403),
    call: async (h) => (await t.json('POST', '/api/auth/password', h, { currentPassword: 'wrong', newPassword: 'Another#Pass2026' })).status,
  },
  { method: 'GET', path: '/api/users', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/users', h)).status },
  {
    method: 'POST',
    path: '/api/users',
    expected: row(401, 201, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('POST', '/api/users', h, { username: `u${++seq}`, displayName: '测试', password: 'Initial#2026pw', roles: [] })).status,
  },
  {
    method: 'GET',
    path: '/api/users/{id}',
    expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('GET', `/api/users/${await scratchUser()}`, h)).status,
  },
  {
    method: 'PATCH',
    path: '/api/users/{id}',
    expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('PATCH', `/api/users/${await scratchUser()}`, h, { displayName: '改名' })).status,
  },
  { method: 'GET', path: '/api/api-keys', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/api-keys', h)).status },
  {
    method: 'POST',
    path: '/api/api-keys',
    expected: row(401, 201, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('POST', '/api/api-keys', h, { name: '测试系统', department: 'czj' })).status,
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{id}',
    expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => {
      const admin = await t.login('admin');
      const key = await t.json('POST', '/api/api-keys', admin, { name: '待吊销', department: 'czj' });
      return (await t.json('DELETE', `/api/api-keys/${key.body.id}`, h)).status;
    },
  },
  { method: 'GET', path: '/api/lists/{listId}/entries', expected: row(401, 200, 200, 200, 200, 200, 200, 403, 403), call: async (h) => (await t.json('GET', L, h)).status },
  { method: 'POST', path: '/api/lists/{listId}/entries', expected: row(401, 403, 403, 201, 403, 201, 403, 403, 403), call: async (h) => (await t.json('POST', L, h, draftBody())).status },
  {
    method: 'GET',
    path: '/api/lists/{listId}/entries/{id}',
    expected: row(401, 200, 200, 200, 200, 404, 404, 403, 403),
    call: async (h) => (await t.json('GET', `${L}/${(await entryIn('draft')).id}`, h)).status,
  },
  {
    method: 'PATCH',
    path: '/api/lists/{listId}/entries/{id}',
    expected: row(401, 403, 403, 200, 403, 404, 403, 403, 403),
    call: async (h) => (await t.json('PATCH', `${L}/${(await entryIn('draft')).id}`, h, { version: 1, fields: { violation: '更新后的失信行为。' } })).status,
  },
  {
    method: 'DELETE',
    path: '/api/lists/{listId}/entries/{id}',
    expected: row(401, 403, 403, 204, 403, 404, 403, 403, 403),
    call: async (h) => (await t.json('DELETE', `${L}/${(await entryIn('draft')).id}`, h)).status,
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/actions/{action}',
    // notify: an operator's action on a draft.
    expected: row(401, 403, 403, 200, 403, 404, 403, 403, 403),
    call: async (h) => (await t.json('POST', `${L}/${(await entryIn('draft')).id}/actions/notify`, h, { version: 1, serviceMethod: '邮寄送达' })).status,
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/actions/{action}#recognise',
    // recognise: a reviewer's action; the own reviewer did not draft the entry.
    expected: row(401, 403, 403, 403, 200, 403, 404, 403, 403),
    call: async (h) => {
      const e = await entryIn('notified-over');
      return (await t.json('POST', `${L}/${e.id}/actions/recognise`, h, { version: e.version, decisionNo: `示市监信认〔2026〕${++seq}号`, decisionDate: t.clock.today() })).status;
    },
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/objections',
    expected: row(401, 403, 403, 403, 201, 403, 404, 403, 403),
    call: async (h) => (await t.json('POST', `${L}/${(await entryIn('published')).id}/objections`, h, { content: '处罚决定已被撤销。' })).status,
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/objections/{objectionId}/answer',
    expected: row(401, 403, 403, 403, 200, 403, 404, 403, 403),
    call: async (h) => {
      const e = await entryIn('published');
      const o = await t.json('POST', `${L}/${e.id}/objections`, await t.login('scjg-reviewer'), { content: '名称有误。' });
      return (await t.json('POST', `${L}/${e.id}/objections/${o.body.id}/answer`, h, { version: 1, result: 'rejected', answer: '经核实信息无误。' })).status;
    },
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/repairs',
    expected: row(401, 403, 403, 403, 201, 403, 404, 403, 403),
    call: async (h) => (await t.json('POST', `${L}/${(await entryIn('published')).id}/repairs`, h, { application: { reason: '已整改。' }, materials: [] })).status,
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/repairs/{repairId}/{decision}',
    expected: row(401, 403, 403, 403, 200, 403, 404, 403, 403),
    call: async (h) => {
      const e = await entryIn('published');
      const r = await t.json('POST', `${L}/${e.id}/repairs`, await t.login('scjg-reviewer'), { application: { reason: '已整改。' }, materials: [] });
      return (await t.json('POST', `${L}/${e.id}/repairs/${r.body.id}/accept`, h, { version: 1 })).status;
    },
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/attachments',
    expected: row(401, 403, 403, 201, 403, 404, 403, 403, 403),
    call: async (h) => uploadPdf(`${L}/${(await entryIn('draft')).id}/attachments`, h),
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/objections/{objectionId}/attachments',
    expected: row(401, 403, 403, 403, 201, 403, 404, 403, 403),
    call: async (h) => {
      const e = await entryIn('published');
      const o = await t.json('POST', `${L}/${e.id}/objections`, await t.login('scjg-reviewer'), { content: '名称有误。' });
      return uploadPdf(`${L}/${e.id}/objections/${o.body.id}/attachments`, h);
    },
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/entries/{id}/repairs/{repairId}/attachments',
    expected: row(401, 403, 403, 403, 201, 403, 404, 403, 403),
    call: async (h) => {
      const e = await entryIn('published');
      const r = await t.json('POST', `${L}/${e.id}/repairs`, await t.login('scjg-reviewer'), { application: { reason: '已整改。' }, materials: [] });
      return uploadPdf(`${L}/${e.id}/repairs/${r.body.id}/attachments`, h);
    },
  },
  {
    method: 'GET',
    path: '/api/lists/{listId}/entries/{id}/attachments',
    expected: row(401, 200, 200, 200, 200, 404, 404, 403, 403),
    call: async (h) => (await t.json('GET', `${L}/${(await entryIn('draft')).id}/attachments`, h)).status,
  },
  {
    method: 'GET',
    path: '/api/lists/{listId}/entries/{id}/attachments/{attachmentId}',
    expected: row(401, 200, 200, 200, 200, 404, 404, 403, 403),
    call: async (h) => {
      const url = `${L}/${(await entryIn('draft')).id}/attachments`;
      const a = await t.app.request(url, { method: 'POST', headers: await t.login('scjg-operator'), body: pdfForm() });
      return (await t.app.request(`${url}/${((await a.json()) as { id: string }).id}`, { headers: h })).status;
    },
  },
  {
    method: 'DELETE',
    path: '/api/lists/{listId}/entries/{id}/attachments/{attachmentId}',
    expected: row(401, 403, 403, 204, 403, 404, 404, 403, 403),
    call: async (h) => {
      const url = `${L}/${(await entryIn('draft')).id}/attachments`;
      const a = await t.app.request(url, { method: 'POST', headers: await t.login('scjg-operator'), body: pdfForm() });
      return (await t.app.request(`${url}/${((await a.json()) as { id: string }).id}`, { method: 'DELETE', headers: h })).status;
    },
  },
  {
    method: 'GET',
    path: '/api/lists/{listId}/entries/{id}/documents/{doc}',
    expected: row(401, 200, 200, 200, 200, 404, 404, 403, 403),
    call: async (h) => (await t.app.request(`${L}/${(await entryIn('recognised')).id}/documents/decision?format=docx`, { headers: h })).status,
  },
  {
    method: 'GET',
    path: '/api/lists/{listId}/import-template',
    expected: row(401, 403, 403, 200, 403, 200, 403, 403, 403),
    call: async (h) => (await t.app.request(`${IMP}/import-template?format=csv`, { headers: h })).status,
  },
  { method: 'POST', path: '/api/lists/{listId}/imports', expected: row(401, 403, 403, 201, 403, 201, 403, 403, 403), call: (h) => uploadImport(h) },
  { method: 'GET', path: '/api/lists/{listId}/imports', expected: row(401, 403, 403, 200, 403, 200, 403, 403, 403), call: async (h) => (await t.json('GET', `${IMP}/imports`, h)).status },
  {
    method: 'GET',
    path: '/api/lists/{listId}/imports/{jobId}',
    expected: row(401, 403, 403, 200, 403, 404, 403, 403, 403),
    call: async (h) => (await t.json('GET', `${IMP}/imports/${await importJob()}`, h)).status,
  },
  {
    method: 'POST',
    path: '/api/lists/{listId}/imports/{jobId}/commit',
    expected: row(401, 403, 403, 200, 403, 404, 403, 403, 403),
    call: async (h) => (await t.json('POST', `${IMP}/imports/${await importJob()}/commit`, h, { mode: 'valid', wait: true })).status,
  },
  { method: 'GET', path: '/api/lists/{listId}/export', expected: row(401, 403, 403, 200, 403, 200, 403, 403, 403), call: async (h) => (await t.app.request(`${IMP}/export?format=csv`, { headers: h })).status },
  { method: 'GET', path: '/api/reports/assessment', expected: row(401, 200, 200, 200, 200, 200, 200, 200, 403), call: async (h) => (await t.json('GET', '/api/reports/assessment?period=2026-Q3', h)).status },
  {
    method: 'GET',
    path: '/api/reports/assessment/{department}/{indicator}',
    // Staff see the items of their own department only.
    expected: row(401, 200, 200, 200, 200, 403, 403, 403, 403),
    call: async (h) => (await t.json('GET', '/api/reports/assessment/scjg/double-publicity?period=2026-Q3', h)).status,
  },
  {
    method: 'POST',
    path: '/api/reports/adjustments',
    expected: row(401, 201, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('POST', '/api/reports/adjustments', h, { period: '2026-Q3', department: 'scjg', points: 1, reason: '测试加分理由' })).status,
  },
  { method: 'GET', path: '/api/reports/statistics', expected: row(401, 200, 200, 200, 200, 200, 200, 200, 403), call: async (h) => (await t.json('GET', '/api/reports/statistics', h)).status },
  { method: 'GET', path: '/api/plans', expected: row(401, 200, 200, 200, 200, 200, 200, 200, 403), call: async (h) => (await t.json('GET', '/api/plans', h)).status },
  { method: 'GET', path: '/api/plans/{planId}', expected: row(401, 200, 200, 200, 200, 200, 200, 200, 403), call: async (h) => (await t.json('GET', '/api/plans/qtx-2022', h)).status },
  { method: 'GET', path: '/api/plans/{planId}/tasks/{no}', expected: row(401, 200, 200, 200, 200, 200, 200, 200, 403), call: async (h) => (await t.json('GET', '/api/plans/qtx-2022/tasks/9', h)).status },
  {
    method: 'GET',
    path: '/api/plans/{planId}/bulletin',
    expected: row(401, 200, 200, 200, 200, 200, 200, 200, 403),
    call: async (h) => (await t.json('GET', '/api/plans/qtx-2022/bulletin?quarter=2026-Q3', h)).status,
  },
  {
    method: 'POST',
    path: '/api/plans/{planId}/tasks/{no}/reports',
    // Task 9 of qtx-2022 is led by scjg among others: its staff and the office may report, nobody else.
    expected: row(401, 201, 403, 201, 201, 403, 403, 403, 403),
    call: async (h) => (await t.json('POST', '/api/plans/qtx-2022/tasks/9/reports', h, { text: '已开展相关工作。', percent: 10, status: 'in-progress' })).status,
  },
  {
    method: 'POST',
    path: '/api/plans/{planId}/tasks/{no}/attachments',
    // Same as filing a report: the lead units' staff and the office.
    expected: row(401, 201, 403, 201, 201, 403, 403, 403, 403),
    call: (h) => uploadPdf('/api/plans/qtx-2022/tasks/9/attachments', h),
  },
  {
    method: 'GET',
    path: '/api/plans/{planId}/tasks/{no}/attachments/{attachmentId}',
    expected: row(401, 200, 200, 200, 200, 200, 200, 200, 403),
    call: async (h) => {
      const up = await t.app.request('/api/plans/qtx-2022/tasks/9/attachments', { method: 'POST', headers: await t.login('scjg-operator'), body: pdfForm() });
      return (await t.app.request(`/api/plans/qtx-2022/tasks/9/attachments/${((await up.json()) as { id: string }).id}`, { headers: h })).status;
    },
  },
  {
    method: 'GET',
    path: '/api/subjects/{code}',
    // Every staff role and business systems may look subjects up (应查尽查); the lookup is logged.
    expected: row(401, 200, 200, 200, 200, 200, 200, 200, 200),
    call: async (h) => (await t.json('GET', `/api/subjects/${await publishedCode()}?purpose=${encodeURIComponent('行政许可审查')}`, h)).status,
  },
  { method: 'GET', path: '/api/query-log', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/query-log', h)).status },
  // Outbox and audit: the office only.
  { method: 'GET', path: '/api/outbox', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/outbox?status=dead', h)).status },
  { method: 'GET', path: '/api/outbox/summary', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/outbox/summary', h)).status },
  {
    method: 'POST',
    path: '/api/outbox/{id}/requeue',
    // No such message: the office gets as far as 404.
    expected: row(401, 404, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('POST', '/api/outbox/987654321/requeue', h)).status,
  },
  { method: 'GET', path: '/api/audit', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/audit?action=auth.', h)).status },
  { method: 'GET', path: '/api/audit/verify', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/audit/verify', h)).status },
  {
    method: 'POST',
    path: '/api/check',
    expected: row(401, 403, 403, 403, 403, 403, 403, 403, 200),
    call: async (h) => (await t.json('POST', '/api/check', h, { code: await publishedCode(), matter: 'gov-procurement' })).status,
  },
  {
    method: 'POST',
    path: '/api/check/{checkId}/feedback',
    expected: row(401, 403, 403, 403, 403, 403, 403, 403, 201),
    call: async (h) => {
      const check = await t.json('POST', '/api/check', apiKey, { code: await publishedCode(), matter: 'gov-procurement' });
      return (await t.json('POST', `/api/check/${check.body.checkId}/feedback`, h, { measuresApplied: [], outcome: '已按规定审查。' })).status;
    },
  },
  { method: 'GET', path: '/api/public/entries', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200), call: async (h) => (await t.json('GET', '/api/public/entries?q=%E5%85%AC%E5%8F%B8', h)).status },
  {
    method: 'GET',
    path: '/api/public/entries/{id}',
    expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    call: async (h) => (await t.json('GET', `/api/public/entries/${(await entryIn('published')).id}`, h)).status,
  },
  {
    method: 'POST',
    path: '/api/public/entries/{id}/objections',
    expected: row(201, 201, 201, 201, 201, 201, 201, 201, 201),
    call: async (h) => (await t.json('POST', `/api/public/entries/${(await entryIn('published')).id}/objections`, fromClient(h), { content: '信息有误。', contact: { name: '王先生', phone: '13800000000' } })).status,
  },
  {
    method: 'POST',
    path: '/api/public/entries/{id}/repairs',
    expected: row(201, 201, 201, 201, 201, 201, 201, 201, 201),
    call: async (h) => (await t.json('POST', `/api/public/entries/${(await entryIn('published')).id}/repairs`, fromClient(h), { application: { reason: '已整改完毕。', contact: { name: '王先生', phone: '13800000000' } }, materials: [] })).status,
  },
  {
    method: 'GET',
    path: '/api/public/requests/{trackingNo}',
    expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    call: async (h) => {
      const filed = await t.json('POST', `/api/public/entries/${(await entryIn('published')).id}/objections`, fromClient({}), { content: '信息有误。', contact: { name: '王先生', phone: '13800000000' } });
      return (await t.json('GET', `/api/public/requests/${filed.body.trackingNo}`, fromClient(h))).status;
    },
  },
  // Config studio: the office only (configure). This app has no config dir, so a save is refused after the check (409 CONFIG_READ_ONLY).
  { method: 'GET', path: '/api/config/lists', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/config/lists', h)).status },
  {
    method: 'GET',
    path: '/api/config/lists/{listId}',
    expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('GET', '/api/config/lists/market-serious-illegal', h)).status,
  },
  {
    method: 'POST',
    path: '/api/config/lint',
    expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('POST', '/api/config/lint', h, { listId: 'matrix-new', list: { id: 'matrix-new' } })).status,
  },
  {
    method: 'POST',
    path: '/api/config/save',
    expected: row(401, 409, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('POST', '/api/config/save', h, { listId: 'matrix-new', list: { id: 'matrix-new' }, reason: '矩阵测试', baseVersion: t.model.version })).status,
  },
  { method: 'GET', path: '/api/config/files', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/config/files', h)).status },
  { method: 'GET', path: '/api/config/history', expected: row(401, 200, 403, 403, 403, 403, 403, 403, 403), call: async (h) => (await t.json('GET', '/api/config/history', h)).status },
  {
    method: 'GET',
    path: '/api/config/history/{id}',
    // 404: allowed through; this app never recorded a change.
    expected: row(401, 404, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('GET', '/api/config/history/1', h)).status,
  },
  {
    method: 'POST',
    path: '/api/config/versions/{version}/restore',
    // 404: allowed through; this app never recorded a version.
    expected: row(401, 404, 403, 403, 403, 403, 403, 403, 403),
    call: async (h) => (await t.json('POST', `/api/config/versions/${t.model.version}/restore`, h, { reason: '矩阵测试', baseVersion: t.model.version })).status,
  },
  { method: 'GET', path: '/api/openapi.json', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200), call: async (h) => (await t.app.request('/api/openapi.json', { headers: h })).status },
  { method: 'GET', path: '/api/docs', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200), call: async (h) => (await t.app.request('/api/docs', { headers: h })).status },
  { method: 'GET', path: '/api/docs/{asset}', expected: row(200, 200, 200, 200, 200, 200, 200, 200, 200), call: async (h) => (await t.app.request('/api/docs/swagger-ui.css', { headers: h })).status },
];

let client = 0;
/** Each public filing from its own client address: the portal rate-limits filings per address, which is not what this table tests. */
const fromClient = (h: Record<string, string>) => ({ ...h, 'x-forwarded-for': `198.51.100.${++client % 250}` });

let published: string | undefined;
/** The subject code of a published entry, for lookups and checks. */
async function publishedCode(): Promise<string> {
  if (!published) {
    const e = await entryIn('published');
    published = (await t.json('GET', `${L}/${e.id}`, await t.login('scjg-operator'))).body.subject.code as string;
  }
  return published;
}

let scratch: string | undefined;
async function scratchUser(): Promise<string> {
  if (!scratch) {
    const res = await t.json('POST', '/api/users', await t.login('admin'), { username: 'scratch', displayName: '临时用户', password: 'Initial#2026pw', roles: [] });
    scratch = res.body.id as string;
  }
  return scratch;
}

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  const key = await t.json('POST', '/api/api-keys', await t.login('admin'), { name: '政府采购管理系统', department: 'czj' });
  apiKey = { authorization: `Bearer ${key.body.key}` };
});
afterAll(() => t.close());

describe('authorization matrix', () => {
  it('covers every route of the app', () => {
    const tested = new Set(cases.map((c) => `${c.method} ${c.path.split('#')[0]}`));
    const missing = t.app.routeTable.map((r) => `${r.method} ${r.path}`).filter((r) => !tested.has(r));
    expect(missing).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.method} ${c.path}`, c] as const))('%s answers each caller as the table says', { timeout: 120_000 }, async (_name, c) => {
    const actual: Partial<Expected> = {};
    for (const caller of callers) actual[caller] = await c.call(await headers(caller), caller);
    expect(actual).toEqual(c.expected);
  });
});
