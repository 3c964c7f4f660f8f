/**
 * Batch import and export over HTTP. The templates are downloaded, filled with
 * good and bad rows in xlsx and csv (UTF-8 with and without BOM, GBK), checked
 * (dry run: every problem with its row, column and reason), committed
 * all-or-nothing or valid rows only, and the database is compared before and
 * after. Bad files get their own 4xx and write nothing. Exports stream the list
 * view in the caller's scope, escape formulas and are logged.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../api/src/db/client.ts';
import { testDbKind } from '../../api/src/db/testing.ts';
import { IMPORT_COMMIT_LOCK_NAMESPACE } from '../../api/src/imports/jobs.ts';
import { createRng, makeResidentId, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';
import { as, dbDigest, morningOf, setClock } from '../support/procedure.ts';

const LIST = 'market-serious-illegal';
let t: TestApp;
const rng = createRng('imports');
const base = `/api/lists/${LIST}`;

beforeAll(async () => {
  t = await startTestApp(demoConfig);
  await setClock(t, morningOf('2026-11-02'));
  headers = (await template('csv').then((b) => Buffer.from(b).toString('utf8'))).replace(/^\uFEFF/, '').split('\r\n')[0]?.split(',') ?? [];
});
afterAll(() => t?.close());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
type Res = { status: number; body: any; headers: Headers };
type Row = Record<string, string>;

async function request(method: string, path: string, user: string, body?: FormData | object): Promise<Res> {
  const headers = new Headers(await as(t, user));
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers.set('content-type', 'application/json');
    payload = JSON.stringify(body);
  }
  const res = await t.app.request(path, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not json
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function upload(name: string, bytes: Uint8Array, user = 'scjg-operator', fields: Record<string, string> = {}): Promise<Res> {
  const form = new FormData();
  form.append('file', new File([Buffer.from(bytes)], name));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return request('POST', `${base}/imports`, user, form);
}

async function template(format: 'xlsx' | 'csv', user = 'scjg-operator'): Promise<Uint8Array> {
  const res = await t.app.request(`${base}/import-template?format=${format}`, { headers: await as(t, user) });
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

let headers: string[] = [];

/** A good row: a fresh company, every required field filled. */
function goodRow(i: number, over: Row = {}): Row {
  return {
    主体类型: '法人',
    主体名称: `导入测试${i}有限公司`,
    主体代码: makeUscc(rng),
    决定文书号: `市监罚〔2026〕${i}号`,
    决定日期: '2026-10-15',
    行政处罚决定书文号: `市监罚〔2026〕${i}号`,
    严重违法失信行为: `生产销售不合格产品，情节严重（${i}）`,
    违法行为类别: '食品安全',
    较重行政处罚种类: '较大数额罚没款、吊销许可证件',
    '罚没金额（元）': '50000.5',
    '行政处罚决定书（文号）': `市监罚〔2026〕${i}号`,
    '行政处罚决定书（日期）': '2026-10-15',
    '行政处罚决定书（标题）': '行政处罚决定书',
    主观故意: '是',
    ...over,
  };
}

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function csvText(rows: (Row | null)[], cols = headers): string {
  return [cols, ...rows.map((r) => cols.map((h) => r?.[h] ?? ''))].map((line) => line.map(quote).join(',')).join('\r\n');
}
function csvBytes(rows: (Row | null)[], encoding: 'utf-8' | 'utf-8-bom' | 'gbk', cols = headers): Uint8Array {
  const text = csvText(rows, cols);
  if (encoding === 'gbk') return new Uint8Array(iconv.encode(text, 'gbk'));
  return new Uint8Array(Buffer.concat([encoding === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]));
}

/** Fills the downloaded xlsx template: rows from row 2 (the example row is overwritten); null leaves a blank row. */
async function xlsxBytes(rows: (Row | null)[], edit?: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await template('xlsx')) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('导入数据');
  if (!ws) throw new Error('no data sheet');
  ws.spliceRows(2, 1);
  rows.forEach((r, i) => {
    const row = ws.getRow(i + 2);
    headers.forEach((h, k) => {
      row.getCell(k + 1).value = r?.[h] ?? null;
    });
    row.commit();
  });
  edit?.(ws);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const count = async (q: ReturnType<typeof sql>) => Number((await queryRows<{ n: number }>(t.db.db, q))[0]?.n ?? 0);
const entriesOf = (jobId: string) => count(sql`select count(*)::int as n from entry_events where action = 'import' and data->>'importJob' = ${jobId}`);
const problemsOf = (body: { problems: { row: number; column: string | null; code: string; message: string }[] }) =>
  body.problems.map((p) => [p.row, p.column, p.code]);

describe(`imports (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('serves templates generated from the list type: Chinese headers, an example row, drop-downs and a notes sheet (xlsx), the same headers in csv', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await template('xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['导入数据', '填写说明', '选项']);
    const ws = wb.getWorksheet('导入数据') as ExcelJS.Worksheet;
    expect((ws.getRow(1).values as unknown[]).slice(1).map(String)).toEqual(headers);
    const list = t.model.list(LIST);
    expect(headers.slice(0, 3)).toEqual(['主体类型', '主体名称', '主体代码']);
    for (const f of list?.fields ?? []) {
      if (f.type === 'document') expect(headers).toContain(`${f.label}（文号）`);
      else expect(headers).toContain(f.label);
    }
    expect(new Set(headers).size).toBe(headers.length);
    // the example row and the drop-down of the enum column
    expect(ws.getRow(2).getCell(1).value).toBe('法人');
    const catCol = headers.indexOf('违法行为类别') + 1;
    const validations = (ws as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations.model;
    const letter = String.fromCharCode(64 + catCol);
    const v = Object.entries(validations).find(([range]) => range.startsWith(`${letter}2`));
    expect(v?.[1].type).toBe('list');
    const notes = wb.getWorksheet('填写说明') as ExcelJS.Worksheet;
    expect(String(notes.getCell('C2').value)).toContain('可选');

    const csv = Buffer.from(await template('csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]?.split(',')).toEqual(headers);
    expect(lines[1]?.startsWith('法人,')).toBe(true);

    // every list type's template has unique headers
    for (const l of t.model.lists) {
      const res = await t.app.request(`/api/lists/${l.id}/import-template?format=csv`, { headers: await as(t, `${l.department}-operator`) });
      if (res.status !== 200) continue;
      const head = (await res.text()).replace(/^\uFEFF/, '').split('\r\n')[0]?.split(',') ?? [];
      expect(new Set(head).size, l.id).toBe(head.length);
    }
  });

  it('imports the unmodified templates: the example row is valid in both formats', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const res = await upload(`模板.${format}`, await template(format));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ status: 'validated', format, totalRows: 1, validRows: 1, problemCount: 0 });
    }
  });

  const existingCode = makeUscc(rng);
  beforeAll(async () => {
    // a subject already on the list, created through POST entries
    const res = await t.json('POST', `${base}/entries`, await t.login('scjg-operator'), {
      subject: { kind: 'legal_person', code: existingCode, name: '已在名单上的公司' },
      fields: {
        penalty_decision_no: '市监罚〔2026〕900号',
        violation: '已列入',
        category: '其他',
        heavier_penalties: ['吊销营业执照'],
        penalty_decision: { number: '市监罚〔2026〕900号', date: '2026-09-01', title: '行政处罚决定书' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  /** Rows 2..: good, bad checksum, missing required, wrong type, unknown enum, duplicate of row 2, already on the list, blank, good, bad date, unknown subject kind, bad boolean. */
  function mixedRows(): { rows: (Row | null)[]; expected: [number, string, string][]; good: number } {
    const r2 = goodRow(2);
    const code2 = r2.主体代码 ?? '';
    const badCode = `${code2.slice(0, 17)}${code2[17] === '0' ? '1' : '0'}`;
    const rows: (Row | null)[] = [
      r2,
      goodRow(3, { 主体代码: badCode }),
      goodRow(4, { 严重违法失信行为: '' }),
      goodRow(5, { '罚没金额（元）': '五万元' }),
      goodRow(6, { 违法行为类别: '不存在的类别' }),
      goodRow(7, { 主体代码: code2 }),
      goodRow(8, { 主体代码: existingCode }),
      null,
      goodRow(10),
      goodRow(11, { 决定日期: '2026-13-40' }),
      goodRow(12, { 主体类型: '个人' }),
      goodRow(13, { 主观故意: '也许' }),
    ];
    const expected: [number, string, string][] = [
      [3, '主体代码', 'BAD_CHECKSUM'],
      [4, '严重违法失信行为', 'REQUIRED'],
      [5, '罚没金额（元）', 'INVALID_TYPE'],
      [6, '违法行为类别', 'UNKNOWN_OPTION'],
      [7, '主体代码', 'DUPLICATE_IN_FILE'],
      [8, '主体代码', 'ALREADY_ON_LIST'],
      [11, '决定日期', 'INVALID_FORMAT'],
      [12, '主体类型', 'UNKNOWN_OPTION'],
      [13, '主观故意', 'INVALID_TYPE'],
    ];
    return { rows, expected, good: 2 };
  }

  for (const variant of ['xlsx', 'csv utf-8-bom', 'csv utf-8', 'csv gbk'] as const) {
    it(`checks a ${variant} file with good and bad rows: every problem with row, column and reason; nothing written until commit; all-or-nothing refuses; valid rows only imports the good rows`, async () => {
      const { rows, expected, good } = mixedRows();
      const bytes = variant === 'xlsx' ? await xlsxBytes(rows) : csvBytes(rows, variant.slice(4) as 'utf-8' | 'utf-8-bom' | 'gbk');
      const before = await dbDigest(t.db);
      const res = await upload(`名单.${variant === 'xlsx' ? 'xlsx' : 'csv'}`, bytes);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.encoding).toBe(variant === 'xlsx' ? null : variant.slice(4));
      expect(problemsOf(res.body)).toEqual(expected);
      for (const p of res.body.problems) expect(p.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(res.body.problems.find((p: { code: string }) => p.code === 'DUPLICATE_IN_FILE').message).toBe('与第 2 行主体代码重复');
      expect(res.body).toMatchObject({ totalRows: 11, validRows: good, problemCount: expected.length });
      expect(await dbDigest(t.db)).toEqual(before);

      const all = await request('POST', `${base}/imports/${res.body.id}/commit`, 'scjg-operator', { mode: 'all', wait: true });
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ status: 'failed', imported: 0, error: { code: 'IMPORT_HAS_PROBLEMS' } });
      expect(problemsOf(all.body)).toEqual(expected);
      expect(await dbDigest(t.db)).toEqual(before);
      // a failed job cannot be committed again
      const again = await request('POST', `${base}/imports/${res.body.id}/commit`, 'scjg-operator', { mode: 'valid', wait: true });
      expect(again.status).toBe(409);

      // the same file again, valid rows only
      const res2 = await upload(`名单.${variant === 'xlsx' ? 'xlsx' : 'csv'}`, bytes);
      const valid = await request('POST', `${base}/imports/${res2.body.id}/commit`, 'scjg-operator', { mode: 'valid', wait: true });
      expect(valid.body).toMatchObject({ status: 'committed', imported: good });
      expect(await entriesOf(res2.body.id)).toBe(good);
      const written = await queryRows<{ code: string; status: string; department: string; fields: Record<string, unknown>; decision_date: string }>(
        t.db.db,
        sql`select s.code, e.status, e.department, e.fields, e.decision_date::text from entries e join subjects s on s.id = e.subject_id
            join entry_events ev on ev.entry_id = e.id where ev.data->>'importJob' = ${res2.body.id} order by (ev.data->>'row')::int`,
      );
      expect(written.map((w) => w.code)).toEqual([rows[0]?.主体代码, rows[8]?.主体代码]);
      expect(written[0]).toMatchObject({ status: 'draft', department: 'scjg', decision_date: '2026-10-15' });
      expect(written[0]?.fields).toEqual({
        penalty_decision_no: '市监罚〔2026〕2号',
        violation: '生产销售不合格产品，情节严重（2）',
        category: '食品安全',
        heavier_penalties: ['较大数额罚没款', '吊销许可证件'],
        fine_amount: 50000.5,
        penalty_decision: { number: '市监罚〔2026〕2号', date: '2026-10-15', title: '行政处罚决定书' },
        intentional: true,
      });
      const audit = await queryRows<{ action: string; after: { rows?: number; sha256?: string; imported?: number } }>(t.db.db, sql`select action, after from audit_log where chain = ${`import:${res2.body.id}`} order by seq`);
      expect(audit.map((a) => a.action)).toEqual(['entry.import-batch', 'entry.import']);
      expect(audit[0]?.after.rows).toBe(good);
      expect(audit[0]?.after.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(audit[1]?.after.imported).toBe(good);

      // the same rows once more: now they are all on the list
      const res3 = await upload('again.csv', csvBytes([rows[0] as Row], 'utf-8'));
      expect(problemsOf(res3.body)).toEqual([[2, '主体代码', 'ALREADY_ON_LIST']]);
      // imported drafts are ordinary entries: visible in the list and editable
      const list = await t.json('GET', `${base}/entries?subjectCode=${rows[0]?.主体代码}`, await t.login('scjg-operator'));
      expect(list.body).toHaveLength(1);
      expect(list.body[0].status).toBe('draft');
    });
  }

  it('commits all-or-nothing in the background: the job reports progress and survives a reload (status by id)', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => goodRow(100 + i));
    const res = await upload('好数据.csv', csvBytes(rows, 'gbk'));
    expect(res.body).toMatchObject({ validRows: 30, problemCount: 0 });
    const started = await request('POST', `${base}/imports/${res.body.id}/commit`, 'scjg-operator', {});
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('committing');
    let job = started.body;
    for (let i = 0; i < 200 && job.status === 'committing'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = (await request('GET', `${base}/imports/${res.body.id}`, 'scjg-operator')).body;
    }
    expect(job).toMatchObject({ status: 'committed', imported: 30, progress: { written: 30, total: 30 } });
    expect(await entriesOf(res.body.id)).toBe(30);
    const recent = await request('GET', `${base}/imports`, 'scjg-operator');
    expect(recent.body[0]).toMatchObject({ id: res.body.id, status: 'committed' });
    expect(recent.body[0].problems).toBeUndefined();
    // another operator does not see the job
    expect((await request('GET', `${base}/imports/${res.body.id}`, 'zjj-operator')).status).toBe(403);
  });

  it('settles a commit whose process died: after the grace nothing is written and the job can be committed again; a commit still holding its lock is left alone', async () => {
    const res = await upload('中断.csv', csvBytes(Array.from({ length: 5 }, (_, i) => goodRow(300 + i)), 'utf-8'));
    const id: string = res.body.id;
    const job = () => request('GET', `${base}/imports/${id}`, 'scjg-operator');
    // What a process killed mid-commit leaves: the claim, and no transaction (its lock went with its connection).
    const claim = (msAgo: number) => t.db.db.execute(sql`update import_jobs set status = 'committing', mode = 'all', updated_at = ${new Date(t.clock.now().getTime() - msAgo).toISOString()}::timestamptz where id = ${id}`);
    await claim(30_000);
    expect((await job()).body.status).toBe('committing');
    expect((await request('POST', `${base}/imports/${id}/commit`, 'scjg-operator', { wait: true })).body.error.code).toBe('IMPORT_NOT_COMMITTABLE');

    await claim(61_000);
    if (testDbKind() === 'postgres') {
      // Another process's commit in progress (PGlite has one connection in one process: there every commit is in `live`).
      let locked!: () => void;
      let release!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const released = new Promise<void>((r) => (release = r));
      const holder = t.db.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(IMPORT_COMMIT_LOCK_NAMESPACE))}, hashtext(${id}))`);
        locked();
        await released;
      });
      await isLocked;
      expect((await job()).body.status).toBe('committing');
      release();
      await holder;
    }
    const settled = (await job()).body;
    expect(settled).toMatchObject({ status: 'validated', imported: 0, error: { code: 'IMPORT_INTERRUPTED' } });
    expect(await entriesOf(id)).toBe(0);
    const again = await request('POST', `${base}/imports/${id}/commit`, 'scjg-operator', { wait: true });
    expect(again.body).toMatchObject({ status: 'committed', imported: 5, error: null });
    expect(await entriesOf(id)).toBe(5);
  });

  it('reports formulas and huge cells as problems of their cells (xlsx)', async () => {
    const huge = '长'.repeat(t.model.platform.imports.max_cell_chars + 1);
    const bytes = await xlsxBytes([goodRow(200), goodRow(201, { 严重违法失信行为: huge })], (ws) => {
      ws.getRow(2).getCell(headers.indexOf('主体名称') + 1).value = { formula: 'CONCAT("A","B")', result: 'AB' } as ExcelJS.CellFormulaValue;
    });
    const res = await upload('公式.xlsx', bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(problemsOf(res.body)).toEqual([
      [2, '主体名称', 'FORMULA_NOT_ALLOWED'],
      [3, '严重违法失信行为', 'CELL_TOO_LARGE'],
    ]);
  });

  it('refuses bad files with a clear 4xx and writes nothing', async () => {
    const before = await dbDigest(t.db);
    const jobsBefore = await count(sql`select count(*)::int as n from import_jobs`);
    const refuse = async (name: string, bytes: Uint8Array, status: number, code: string) => {
      const res = await upload(name, bytes);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error).toEqual({ code, message: expect.stringMatching(/[\u4e00-\u9fa5]/), details: expect.any(Array) });
      return res;
    };
    await refuse('名单.txt', csvBytes([goodRow(300)], 'utf-8'), 415, 'IMPORT_FILE_TYPE');
    await refuse('名单.xlsx', csvBytes([goodRow(300)], 'utf-8'), 415, 'IMPORT_TYPE_MISMATCH');
    await refuse('名单.csv', await xlsxBytes([goodRow(300)]), 415, 'IMPORT_TYPE_MISMATCH');
    await refuse('名单.csv', new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3]), 415, 'IMPORT_TYPE_MISMATCH');
    await refuse('旧格式.xlsx', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 415, 'IMPORT_FILE_TYPE');
    const good = await xlsxBytes([goodRow(300)]);
    await refuse('损坏.xlsx', good.subarray(0, Math.floor(good.length / 2)), 422, 'IMPORT_XLSX_CORRUPT');
    await refuse('空.csv', new Uint8Array(), 422, 'IMPORT_EMPTY_FILE');
    await refuse('utf16.csv', new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvText([goodRow(300)]), 'utf16le')])), 422, 'IMPORT_ENCODING_UNSUPPORTED');
    const missing = await refuse('缺列.csv', csvBytes([goodRow(300)], 'utf-8', headers.filter((h) => h !== '违法行为类别' && h !== '主体代码').concat(['备注'])), 422, 'IMPORT_HEADERS_INVALID');
    expect(missing.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code])).toEqual([
      ['主体代码', 'MISSING_HEADER'],
      ['违法行为类别', 'MISSING_HEADER'],
      ['备注', 'UNKNOWN_HEADER'],
    ]);
    await refuse('引号.csv', Buffer.from(`${headers.join(',')}\r\n法人,"未闭合,${'x'.repeat(10)}\r\n`), 422, 'IMPORT_CSV_MALFORMED');
    await refuse(
      '合并.xlsx',
      await xlsxBytes([goodRow(300)], (ws) => ws.mergeCells('A1:B1')),
      422,
      'IMPORT_MERGED_HEADER',
    );
    // limits from platform.yaml (imports.max_rows, imports.max_size_mb), on an app whose config sets them low
    const dir = await mkdtemp(join(tmpdir(), 'import-limits-'));
    await cp(demoConfig, dir, { recursive: true });
    await writeFile(join(dir, 'platform.yaml'), `${await readFile(join(dir, 'platform.yaml'), 'utf8')}\nimports: { max_rows: 2, max_size_mb: 0.004 }\n`);
    const small = await startTestApp(dir);
    try {
      const send = async (name: string, bytes: Uint8Array) => {
        const form = new FormData();
        form.append('file', new File([Buffer.from(bytes)], name));
        const r = await small.app.request(`${base}/imports`, { method: 'POST', headers: await small.login('scjg-operator'), body: form });
        return { status: r.status, body: await r.json() };
      };
      const rows = await send('多行.csv', csvBytes([goodRow(301), goodRow(302), goodRow(303)], 'utf-8'));
      expect(rows).toMatchObject({ status: 413, body: { error: { code: 'IMPORT_TOO_MANY_ROWS' } } });
      const big = await send('大文件.csv', csvBytes(Array.from({ length: 20 }, (_, i) => goodRow(310 + i)), 'utf-8'));
      expect(big).toMatchObject({ status: 413, body: { error: { code: 'IMPORT_TOO_LARGE' } } });
      expect(await count(sql`select count(*)::int as n from import_jobs`)).toBe(jobsBefore);
    } finally {
      await small.close();
      await rm(dir, { recursive: true, force: true });
    }
    // no multipart, no file
    const plain = await request('POST', `${base}/imports`, 'scjg-operator', { file: 'x' });
    expect(plain.status).toBe(415);
    expect((await request('POST', `${base}/imports`, 'scjg-operator', new FormData())).status).toBe(422);
    expect(await dbDigest(t.db)).toEqual(before);
    expect(await count(sql`select count(*)::int as n from import_jobs`)).toBe(jobsBefore);
  });

  it('needs the import permission in the department, and the office permission for historical published entries', async () => {
    const bytes = csvBytes([goodRow(400)], 'utf-8');
    expect((await upload('a.csv', bytes, 'scjg-reviewer')).status).toBe(403);
    // an operator of another department cannot import into scjg
    expect((await upload('a.csv', bytes, 'zjj-operator')).status).toBe(403);
    // a district unit's operator may import only into the district unit
    const district = await upload('a.csv', csvBytes([goodRow(401, { 所属部门: '示例市市场监督管理局' })], 'utf-8'), 'scjg-dq-operator');
    expect(problemsOf(district.body)).toEqual([[2, '所属部门', 'DEPARTMENT_FORBIDDEN']]);
    const own = await upload('a.csv', csvBytes([goodRow(402, { 所属部门: 'zjj' })], 'utf-8'));
    expect(problemsOf(own.body)).toEqual([[2, '所属部门', 'DEPARTMENT_FORBIDDEN']]);
    expect((await upload('a.csv', bytes, 'scjg-operator', { as: 'published' })).status).toBe(403);
  });

  it('imports historical entries as published with their original dates for a user with the office permission', async () => {
    // an operator of scjg who also holds the office-admin role (import-historical)
    const admin = await t.login('admin');
    const created = await t.json('POST', '/api/users', admin, { username: 'history-clerk', displayName: '历史数据录入员', password: 'Hist@2026-ok', roles: [{ role: 'operator', department: 'scjg' }, { role: 'office-admin', department: '*' }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const rows = [goodRow(500, { 决定日期: '2025-03-01', 公示日期: '2025-03-10' }), goodRow(501, { 决定日期: '2025-05-01' })];
    const form = new FormData();
    form.append('file', new File([Buffer.from(csvBytes(rows, 'utf-8'))], 'history.csv'));
    form.append('as', 'published');
    const headersOf = new Headers(await t.login('history-clerk', 'Hist@2026-ok'));
    const res = await t.app.request(`${base}/imports`, { method: 'POST', headers: headersOf, body: form });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(problemsOf(body)).toEqual([[3, '公示日期', 'REQUIRED']]);
    const commit = await t.app.request(`${base}/imports/${body.id}/commit`, { method: 'POST', headers: { ...Object.fromEntries(headersOf), 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'valid', wait: true }) });
    expect((await commit.json()).imported).toBe(1);
    const [e] = await queryRows<{ status: string; published_at: Date; term_end: string; decision_date: string }>(
      t.db.db,
      sql`select e.status, e.published_at, e.term_end::text, e.decision_date::text from entries e join subjects s on s.id = e.subject_id where s.code = ${rows[0]?.主体代码}`,
    );
    expect(e).toMatchObject({ status: 'published', decision_date: '2025-03-01', term_end: '2028-03-01' });
    expect(new Date(e?.published_at as Date).toISOString()).toBe('2025-03-09T16:00:00.000Z');
  });

  it('accepts a natural person with a valid ID number and a checksum override with its reason', async () => {
    const id = makeResidentId(rng);
    const bad = `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;
    const code = makeUscc(rng);
    const badUscc = `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`;
    const res = await upload('persons.csv', csvBytes([goodRow(600, { 主体类型: '自然人', 主体名称: '张某', 主体代码: id }), goodRow(601, { 主体类型: '自然人', 主体名称: '李某', 主体代码: bad }), goodRow(602, { 主体代码: badUscc, 代码校验例外原因: '早期颁发的代码，经核实无误' })], 'utf-8'));
    expect(problemsOf(res.body)).toEqual([[3, '主体代码', 'BAD_CHECKSUM']]);
    const done = await request('POST', `${base}/imports/${res.body.id}/commit`, 'scjg-operator', { mode: 'valid', wait: true });
    expect(done.body.imported).toBe(2);
    const [s] = await queryRows<{ code_valid: boolean; override_reason: string }>(t.db.db, sql`select code_valid, override_reason from subjects where code = ${badUscc}`);
    expect(s).toEqual({ code_valid: false, override_reason: '早期颁发的代码，经核实无误' });
  });

  it('exports the list view in csv and xlsx: the caller’s scope and filters, formulas escaped, logged in the query-use log and the audit log', async () => {
    const evil = goodRow(700, { 严重违法失信行为: '=HYPERLINK("http://x","点我")', 主体名称: '+危险公司' });
    const res = await upload('evil.csv', csvBytes([evil], 'utf-8'));
    await request('POST', `${base}/imports/${res.body.id}/commit`, 'scjg-operator', { wait: true });
    // one entry of the east district unit, imported by its own operator (the department defaults to theirs)
    const dq = await upload('dq.csv', csvBytes([goodRow(701)], 'utf-8'), 'scjg-dq-operator');
    expect((await request('POST', `${base}/imports/${dq.body.id}/commit`, 'scjg-dq-operator', { wait: true })).body.imported).toBe(1);
    const total = await count(sql`select count(*)::int as n from entries where list_id = ${LIST}`);
    const logsBefore = await count(sql`select count(*)::int as n from query_log where matter = ${`export:${LIST}`}`);

    const csv = await t.app.request(`${base}/export?format=csv`, { headers: await as(t, 'scjg-operator') });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const text = (await csv.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]?.startsWith('主体类型,主体名称,主体代码')).toBe(true);
    expect(lines.length - 1).toBe(total - 1); // not the district unit's entry
    const line = lines.find((l) => l.includes(evil.主体代码 as string)) ?? '';
    expect(line).toContain(`'+危险公司`);
    expect(line).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`);

    const filtered = await t.app.request(`${base}/export?format=xlsx&subjectCode=${evil.主体代码}`, { headers: await as(t, 'scjg-operator') });
    expect(filtered.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await filtered.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(2).value).toBe('+危险公司'.replace(/^/, "'"));

    // the district unit's operator sees only the district's entry
    const other = await t.app.request(`${base}/export?format=csv`, { headers: await as(t, 'scjg-dq-operator') });
    expect(other.status).toBe(200);
    const dqLines = (await other.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(dqLines).toHaveLength(2);
    expect(dqLines[1]).toContain('东区市场监督管理局');
    expect((await t.app.request(`${base}/export`, { headers: await as(t, 'zjj-operator') })).status).toBe(403);
    // a reviewer has no export permission
    expect((await t.app.request(`${base}/export`, { headers: await as(t, 'scjg-reviewer') })).status).toBe(403);

    // the logs are written when each stream has ended
    for (let i = 0; i < 100 && (await count(sql`select count(*)::int as n from query_log where matter = ${`export:${LIST}`}`)) < logsBefore + 3; i++) await new Promise((r) => setTimeout(r, 10));
    const logs = await queryRows<{ result_count: number; purpose: string }>(t.db.db, sql`select result_count, purpose from query_log where matter = ${`export:${LIST}`} order by id`);
    expect(logs.length - logsBefore).toBe(3);
    expect(logs.slice(logsBefore).map((l) => l.result_count)).toEqual([total - 1, 1, 1]);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'entry.export'`)).toBe(3);
  });

  it('keeps backslashes, tabs, line breaks and a literal \\N in text cells exactly as written', async () => {
    const text = 'C:\\案卷\\N\t第1项\r\n第2项\n\\N';
    const row = goodRow(700, { 严重违法失信行为: text, 主体名称: '反斜杠\\测试\t有限公司' });
    const res = await upload('escapes.csv', csvBytes([row], 'utf-8'));
    expect(problemsOf(res.body)).toEqual([]);
    const done = await request('POST', `${base}/imports/${res.body.id}/commit`, 'scjg-operator', { mode: 'all', wait: true });
    expect(done.body.imported).toBe(1);
    const [e] = await queryRows<{ fields: Record<string, unknown>; name: string; decision_no: string; data: Record<string, unknown> }>(
      t.db.db,
      sql`select e.fields, s.name, e.decision_no, ev.data from entries e join subjects s on s.id = e.subject_id join entry_events ev on ev.entry_id = e.id where s.code = ${row.主体代码}`,
    );
    expect(Object.values(e?.fields ?? {})).toContain(text);
    expect(e?.name).toBe('反斜杠\\测试\t有限公司');
    expect(e?.decision_no).toBe('市监罚〔2026〕700号');
    expect(e?.data).toEqual({ importJob: res.body.id, row: 2, as: 'draft' });
  });
});
