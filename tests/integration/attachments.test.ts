/**
 * Attachments over HTTP: upload (multipart) on an entry, an objection and a
 * repair application; list; download with its type and a UTF-8 Chinese file
 * name; delete only while the owner is editable. Types are read from the
 * content; bad or oversized uploads get their own 4xx and store nothing; the
 * row scope is the entry's; uploads and deletes are audited; files uploaded as
 * materials of a repair application satisfy the repair guard.
 */
import { sql } from 'drizzle-orm';
import { Document, Packer, Paragraph } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledList } from '../../api/src/config/compile.ts';
import { queryRows } from '../../api/src/db/client.ts';
import { createRng } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';
import { accounts, actorFor, as, dbDigest, entryIn, holds, holdsAnywhere, inputsFor, morningOf, setClock } from '../support/procedure.ts';

let t: TestApp;
const rng = createRng('attachments');
beforeAll(async () => {
  t = await startTestApp(demoConfig);
  await setClock(t, morningOf('2026-11-02'));
});
afterAll(() => t?.close());

const pdf = new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n', 'latin1'));
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const full = () => t.model.lists.find((l) => l.repair !== false && l.repair.requires.length > 0 && l.objection !== false) as CompiledList;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
type Res = { status: number; body: any; headers: Headers };

async function upload(url: string, user: string, file: { bytes: Uint8Array; name: string; type?: string } | undefined, fields: Record<string, string> = {}, key?: string): Promise<Res> {
  const form = new FormData();
  if (file) form.append('file', new File([Buffer.from(file.bytes)], file.name, { type: file.type ?? '' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const headers = { ...(await as(t, user)), ...(key ? { 'idempotency-key': key } : {}) };
  const res = await t.app.request(url, { method: 'POST', headers, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Every written table, the attachments included. */
async function digest() {
  const [row] = await queryRows<{ n: number; md5: string }>(t.db.db, sql`select count(*)::int as n, md5(coalesce(string_agg(a::text, '|' order by a::text), '')) as md5 from attachments a`);
  return { ...(await dbDigest(t.db)), attachments: row };
}

async function refused(send: () => Promise<Res>, status: number, code: string) {
  const before = await digest();
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error).toEqual({ code, message: expect.any(String), details: expect.any(Array) });
  expect(await digest(), `${code}: the database changed`).toEqual(before);
  return res;
}

const audits = (action: string, id: string) => queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from audit_log where action = ${action} and target_id = ${id}`).then((r) => Number(r[0]?.n));

describe(`attachments (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('uploads evidence to a draft, lists it, downloads it with its Chinese name, and deletes it while the entry is a draft', async () => {
    const list = full();
    const e = await entryIn(t, list, 'draft', rng);
    const operator = actorFor(t.model, list, 'edit-draft');
    const name = '现场检查笔录（2026）.pdf';
    const up = await upload(`${e.url}/attachments`, operator, { bytes: pdf, name, type: 'application/pdf' }, { kind: 'evidence' });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ ownerType: 'entry', ownerId: e.id, kind: 'evidence', filename: name, mime: 'application/pdf', size: pdf.byteLength });
    expect(up.body).not.toHaveProperty('content');
    expect(await audits('attachment.upload', up.body.id)).toBe(1);

    const listed = await t.json('GET', `${e.url}/attachments`, await as(t, operator));
    expect(listed.body.map((a: { id: string }) => a.id)).toEqual([up.body.id]);
    const down = await t.app.request(`${e.url}/attachments/${up.body.id}`, { headers: await as(t, operator) });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/pdf');
    expect(down.headers.get('content-disposition')).toBe(`attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    expect(down.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await down.arrayBuffer())).toEqual(pdf);

    const del = await t.app.request(`${e.url}/attachments/${up.body.id}`, { method: 'DELETE', headers: await as(t, operator) });
    expect(del.status).toBe(204);
    expect(await audits('attachment.delete', up.body.id)).toBe(1);
    expect((await t.json('GET', `${e.url}/attachments`, await as(t, operator))).body).toEqual([]);
  });

  it('refuses bad and oversized uploads with their own code and stores nothing', async () => {
    const list = full();
    const e = await entryIn(t, list, 'draft', rng);
    const op = actorFor(t.model, list, 'edit-draft');
    const url = `${e.url}/attachments`;
    const text = new Uint8Array(Buffer.from('这不是 PDF 文件'));
    await refused(() => upload(url, op, { bytes: text, name: '承诺书.pdf', type: 'application/pdf' }), 415, 'ATTACHMENT_TYPE_NOT_ALLOWED');
    await refused(() => upload(url, op, { bytes: new Uint8Array(Buffer.from('MZ\x90\x00', 'latin1')), name: 'setup.exe', type: 'application/x-msdownload' }), 415, 'ATTACHMENT_TYPE_NOT_ALLOWED');
    await refused(() => upload(url, op, { bytes: png, name: '承诺书.pdf', type: 'application/pdf' }), 415, 'ATTACHMENT_TYPE_MISMATCH');
    await refused(() => upload(url, op, { bytes: png, name: '截图.png', type: 'application/pdf' }), 415, 'ATTACHMENT_TYPE_MISMATCH');
    await refused(() => upload(url, op, { bytes: new Uint8Array(), name: '空.pdf', type: 'application/pdf' }), 422, 'EMPTY_FILE');
    await refused(() => upload(url, op, undefined, { kind: 'evidence' }), 422, 'VALIDATION_FAILED');
    await refused(() => upload(url, op, { bytes: pdf, name: '材料.pdf' }, { kind: 'material', materialType: 'no-such-material' }), 422, 'UNKNOWN_MATERIAL');
    await refused(async () => t.json('POST', url, await as(t, op), { file: 'x' }), 415, 'MULTIPART_REQUIRED');
    const max = t.model.platform.attachments.max_size_mb * 1024 * 1024;
    const big = new Uint8Array(max + 1);
    big.set(pdf);
    await refused(() => upload(url, op, { bytes: big, name: '扫描件.pdf', type: 'application/pdf' }), 413, 'ATTACHMENT_TOO_LARGE');
    const huge = new Uint8Array(max + 200_000);
    huge.set(pdf);
    await refused(() => upload(url, op, { bytes: huge, name: '扫描件.pdf', type: 'application/pdf' }), 413, 'ATTACHMENT_TOO_LARGE');
    // a Word file made by a real writer is recognised as docx
    const word = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('信用承诺书')] }] })));
    const ok = await upload(url, op, { bytes: word, name: '信用承诺书.docx', type: 'application/octet-stream' }, { kind: 'material', materialType: 'commitment-letter' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('replays a repeated upload with the same Idempotency-Key and refuses the key with other bytes', async () => {
    const list = full();
    const e = await entryIn(t, list, 'draft', rng);
    const op = actorFor(t.model, list, 'edit-draft');
    const url = `${e.url}/attachments`;
    const key = `upload-${e.id}`;
    const first = await upload(url, op, { bytes: pdf, name: '证据.pdf' }, { kind: 'evidence' }, key);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await upload(url, op, { bytes: pdf, name: '证据.pdf' }, { kind: 'evidence' }, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = new Uint8Array([...pdf, 0x0a]);
    await refused(() => upload(url, op, { bytes: other, name: '证据.pdf' }, { kind: 'evidence' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    const listed = await t.json('GET', url, await as(t, op));
    expect(listed.body.map((a: { id: string }) => a.id)).toEqual([first.body.id]);
    expect(await audits('attachment.upload', first.body.id)).toBe(1);
  });

  it('keeps the row scope of the entry: another department sees nothing (404) and writes nothing', async () => {
    const list = full();
    const e = await entryIn(t, list, 'draft', rng);
    const op = actorFor(t.model, list, 'edit-draft');
    const up = await upload(`${e.url}/attachments`, op, { bytes: pdf, name: '证据.pdf' }, { kind: 'evidence' });
    expect(up.status).toBe(201);
    const other = accounts(t.model).find((a) => holdsAnywhere(t.model, list, a, 'edit-draft') && !holds(t.model, list, a, 'view', list.department));
    expect(other, 'an operator of another department of this list').toBeDefined();
    const user = other?.username ?? '';
    await refused(() => upload(`${e.url}/attachments`, user, { bytes: pdf, name: '证据.pdf' }), 404, 'ENTRY_NOT_FOUND');
    expect((await t.json('GET', `${e.url}/attachments`, await as(t, user))).status).toBe(404);
    expect((await t.json('GET', `${e.url}/attachments/${up.body.id}`, await as(t, user))).status).toBe(404);
    await refused(async () => t.json('DELETE', `${e.url}/attachments/${up.body.id}`, await as(t, user)), 404, 'ENTRY_NOT_FOUND');
  });

  it('locks entry attachments after the draft, takes objection files while the objection is open, and counts repair materials uploaded to the application', async () => {
    const list = full();
    const repair = list.repair as Exclude<CompiledList['repair'], false>;
    const e = await entryIn(t, list, 'published', rng);
    const op = actorFor(t.model, list, 'edit-draft');
    const reviewer = actorFor(t.model, list, 'repair');
    const evidence = await upload(`${e.url}/attachments`, op, { bytes: pdf, name: '补充证据.pdf' }, { kind: 'evidence' });
    expect(evidence.status).toBe(201);
    await refused(async () => t.json('DELETE', `${e.url}/attachments/${evidence.body.id}`, await as(t, op)), 409, 'ATTACHMENT_LOCKED');

    const staff = actorFor(t.model, list, 'answer-objection');
    const objection = await t.json('POST', `${e.url}/objections`, await as(t, staff), { content: '信息有误。' });
    const ofile = await upload(`${e.url}/objections/${objection.body.id}/attachments`, staff, { bytes: png, name: '异议材料.png', type: 'image/png' }, { kind: 'evidence' });
    expect(ofile.status, JSON.stringify(ofile.body)).toBe(201);
    expect(ofile.body).toMatchObject({ ownerType: 'objection', ownerId: objection.body.id });
    const answered = await t.json('POST', `${e.url}/objections/${objection.body.id}/answer`, await as(t, staff), { version: 1, result: 'rejected', answer: '经核实无误。' });
    expect(answered.status).toBe(200);
    await refused(() => upload(`${e.url}/objections/${objection.body.id}/attachments`, staff, { bytes: pdf, name: '补充.pdf' }), 409, 'ATTACHMENTS_CLOSED');
    await refused(async () => t.json('DELETE', `${e.url}/attachments/${ofile.body.id}`, await as(t, staff)), 409, 'ATTACHMENT_LOCKED');

    // a material may refer to an attachment of this entry, never to a made-up one
    await refused(async () => t.json('POST', `${e.url}/repairs`, await as(t, reviewer), { application: { reason: '申请修复。' }, materials: [{ type: repair.requires[0], attachmentId: '00000000-0000-4000-8000-000000000000' }] }), 422, 'ATTACHMENT_NOT_FOUND');
    const app = await t.json('POST', `${e.url}/repairs`, await as(t, reviewer), { application: { reason: '申请修复。' }, materials: [] });
    expect(app.status).toBe(201);
    for (const type of repair.requires) {
      const m = await upload(`${e.url}/repairs/${app.body.id}/attachments`, reviewer, { bytes: pdf, name: `${type}.pdf` }, { kind: 'material', materialType: type });
      expect(m.status, JSON.stringify(m.body)).toBe(201);
    }
    expect((await t.json('POST', `${e.url}/repairs/${app.body.id}/accept`, await as(t, reviewer), { version: 1 })).status).toBe(200);
    const detail = await t.json('GET', e.url, await as(t, reviewer));
    const minEnd = detail.body.due.min_period_end as string | undefined;
    if (minEnd && minEnd > t.clock.today()) await setClock(t, morningOf(minEnd));
    const repaired = await t.json('POST', `${e.url}/actions/repair`, await as(t, reviewer), { version: detail.body.version, ...inputsFor(list, 'repair', t.clock.today(), rng, { repairId: app.body.id }) });
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(200);
    expect(repaired.body.status).toBe('repaired');
    const all = await t.json('GET', `${e.url}/attachments`, await as(t, reviewer));
    expect(all.body.map((a: { ownerType: string }) => a.ownerType).sort()).toEqual(['entry', 'objection', ...repair.requires.map(() => 'repair')].sort());
  });
});
