/**
 * Export of a list view (its filters and the caller's row scope, exactly as
 * the list endpoint applies them) to csv or xlsx, streamed in keyset-paged
 * batches so nothing is truncated and memory stays flat. The columns are the
 * import template's (an export can be edited and imported again) followed by
 * the entry's id, status and dates. Text that a spreadsheet would run as a
 * formula (= + - @, tab, CR first) gets a leading apostrophe. The export is
 * recorded in the query-use log and the audit log when the stream ends.
 */
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { and, asc, eq, gt } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { appendAudit } from '../audit/chain.ts';
import type { Principal } from '../auth/principal.ts';
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import type { Db } from '../db/client.ts';
import { type Entry, entries, queryLog, type Subject, subjects } from '../db/schema.ts';
import { type EntryListQuery, entryListWhere } from '../entries/service.ts';
import type { Scope } from '../http/env.ts';
import { civilDate } from '../procedures/clock.ts';
import { booleanLabels, type Column, importColumns, multiSeparator, subjectKindLabels } from '../imports/columns.ts';

export type ExportFormat = 'csv' | 'xlsx';

/** OWASP CSV injection: a cell a spreadsheet would evaluate is made text with a leading apostrophe. */
export function escapeFormula(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function cellOf(c: Column, e: Entry, s: Subject, model: RuntimeModel, tz: string): string | number | null {
  const t = c.target;
  switch (t.kind) {
    case 'subject.kind':
      return subjectKindLabels[s.kind];
    case 'subject.name':
      return s.name;
    case 'subject.code':
      return s.code;
    case 'subject.override':
      return s.overrideReason;
    case 'department':
      return model.department(e.department)?.name ?? e.department;
    case 'decisionNo':
      return e.decisionNo;
    case 'decisionDate':
      return e.decisionDate;
    case 'recognisedAt':
      return e.recognisedAt ? civilDate(e.recognisedAt, tz) : null;
    case 'publishedAt':
      return e.publishedAt ? civilDate(e.publishedAt, tz) : null;
    case 'document': {
      const doc = e.fields[t.field.key] as Record<string, unknown> | undefined;
      const v = doc?.[t.part];
      return v === undefined || v === null ? null : String(v);
    }
    case 'field': {
      const v = e.fields[t.field.key];
      if (v === undefined || v === null) return null;
      if (typeof v === 'boolean') return v ? booleanLabels.yes : booleanLabels.no;
      if (Array.isArray(v)) return v.join(multiSeparator);
      if (typeof v === 'number') return v;
      return String(v);
    }
  }
}

export type ExportRequest = { list: CompiledList; model: RuntimeModel; query: EntryListQuery; scope: Scope; principal: Principal; format: ExportFormat; now: () => Date };

/** Rows of the export (header first), read in batches by id. */
async function* exportRows(db: Db, r: ExportRequest, counter: { n: number }): AsyncGenerator<(string | number | null)[]> {
  const cols = importColumns(r.list, r.model);
  const tz = r.model.platform.timezone;
  const states = new Map(r.list.graph.states.map((s) => [s.id, s.label]));
  yield [...cols.map((c) => c.header), '条目编号', '状态', '登记时间'];
  const where = entryListWhere(r.list, r.query, r.scope);
  let after: string | undefined;
  for (;;) {
    const rows = await db
      .select({ e: entries, s: subjects })
      .from(entries)
      .innerJoin(subjects, eq(subjects.id, entries.subjectId))
      .where(and(where, after ? gt(entries.id, after) : undefined))
      .orderBy(asc(entries.id))
      .limit(1000);
    for (const { e, s } of rows) {
      counter.n += 1;
      const values = [...cols.map((c) => cellOf(c, e, s, r.model, tz)), e.id, states.get(e.status as never) ?? e.status, e.createdAt.toISOString()];
      yield values.map((v) => (typeof v === 'string' ? escapeFormula(v) : v));
    }
    if (rows.length < 1000) return;
    after = rows.at(-1)?.e.id;
  }
}

async function record(db: Db, r: ExportRequest, count: number, complete: boolean) {
  const now = r.now();
  const department = r.scope !== 'all' && r.scope.length === 1 ? r.scope[0] : null;
  const filters = Object.fromEntries(Object.entries(r.query).filter(([k, v]) => v !== undefined && !k.startsWith('_')));
  await db.transaction(async (tx) => {
    await tx.insert(queryLog).values({
      actorUserId: r.principal.kind === 'user' ? r.principal.id : null,
      actorApiKeyId: r.principal.kind === 'api_key' ? r.principal.id : null,
      department,
      subjectCode: '*',
      purpose: '导出名单条目',
      matter: `export:${r.list.id}`,
      resultCount: count,
      at: now,
    });
    await appendAudit(tx, {
      chain: 'exports',
      actor: { kind: r.principal.kind, id: r.principal.id, name: r.principal.name },
      action: 'entry.export',
      targetType: 'list',
      targetId: r.list.id,
      before: null,
      after: { format: r.format, rows: count, complete, filters, scope: r.scope },
      at: now,
    });
  });
}

/**
 * The export as a web stream. A finished export is logged before its last
 * bytes leave, so a client that has read the whole file can rely on the
 * query-use record being durable; an export cut off by the client is logged
 * when the stream closes.
 */
export function exportStream(db: Db, r: ExportRequest, log: (msg: string, err?: unknown) => void = () => {}): ReadableStream<Uint8Array> {
  const counter = { n: 0 };
  let recorded = false;
  const recordOnce = (complete: boolean) => {
    if (recorded) return Promise.resolve();
    recorded = true;
    return record(db, r, counter.n, complete);
  };
  async function* rowsThenRecord() {
    yield* exportRows(db, r, counter);
    await recordOnce(true);
  }
  let out: Readable;
  if (r.format === 'csv') {
    const source = Readable.from(rowsThenRecord());
    const csv = stringify({ bom: true, record_delimiter: '\r\n', cast: { number: (n) => String(n) } });
    source.on('error', (err) => csv.destroy(err));
    out = source.pipe(csv);
  } else {
    const pass = new PassThrough();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: pass, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('名单条目');
    (async () => {
      for await (const row of rowsThenRecord()) ws.addRow(row).commit();
      ws.commit();
      await wb.commit();
    })().catch((err) => pass.destroy(err));
    out = pass;
  }
  out.on('close', () => recordOnce(false).catch((err) => log('export log failed', err)));
  out.on('error', (err) => log('export failed', err));
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}
