/**
 * Writing one batch of checked rows: subjects, entries and their first events
 * as three multi-row statements (rows travel as one jsonb parameter, which
 * both drivers pass the same way), and one audit record for the batch with a
 * SHA-256 digest of its rows. Runs inside the caller's transaction.
 *
 * On PostgreSQL, entries and entry_events go in with COPY FROM STDIN (text
 * format) on the transaction's own connection instead: the same rows and
 * values, several times faster (tests/bench/RESULTS.md). Subjects keep the
 * INSERT ... ON CONFLICT DO NOTHING, which COPY cannot express. PGlite keeps
 * the INSERTs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/chain.ts';
import { canonicalJson } from '../audit/canonical.ts';
import type { Principal } from '../auth/principal.ts';
import type { CompiledList } from '../config/compile.ts';
import { type Db, postgresClientOf, queryRows } from '../db/client.ts';
import { dueOnEntering, type EngineDeps } from '../procedures/engine.ts';
import type { ImportAs, ValidRow } from './validate.ts';

export type BatchContext = { deps: EngineDeps; list: CompiledList; principal: Principal; jobId: string; as: ImportAs; now: Date };

function dueOf(ctx: BatchContext, r: ValidRow) {
  const { deps, list } = ctx;
  let due: Record<string, string> = {};
  if (r.decisionDate && (ctx.as === 'published' || list.procedure.recognise === false)) due = dueOnEntering(deps, list, { fields: r.fields, due: {} }, 'decision', r.decisionDate);
  if (ctx.as === 'published' && r.publishedAt) due = { ...due, ...dueOnEntering(deps, list, { fields: r.fields, due }, 'published', r.publishedAt) };
  return due;
}

/** One value in COPY text format: NULL as \N; backslash, tab, newline and CR escaped. */
export function copyText(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] ?? c) : s;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

type CopyValue = string | number | boolean | null | undefined;
/** COPY `rows` into `table (columns)` on the transaction's connection, streamed in chunks. */
async function copyRows(client: NonNullable<ReturnType<typeof postgresClientOf>>, table: string, columns: string[], rows: CopyValue[][]) {
  const writable = await client.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  function* lines() {
    let chunk = '';
    for (const r of rows) {
      chunk += `${r.map(copyText).join('\t')}\n`;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(lines()), writable);
}

export async function writeBatch(tx: Db, ctx: BatchContext, rows: ValidRow[], batchNo: number): Promise<number> {
  if (!rows.length) return 0;
  const { list, principal, now } = ctx;
  const at = now.toISOString();
  const userId = principal.kind === 'user' ? principal.id : null;
  const subjectRows = rows.map((r) => ({ kind: r.subject.kind, code: r.subject.code, name: r.subject.name, code_valid: r.subject.codeValid, override_reason: r.subject.overrideReason }));
  await tx.execute(sql`
    insert into subjects (kind, code, name, code_valid, override_reason, created_at)
    select x.kind, x.code, x.name, x.code_valid, x.override_reason, ${at}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(subjectRows)}::jsonb) as x(kind text, code text, name text, code_valid boolean, override_reason text)
    on conflict (code) do nothing`);
  const ids = await queryRows<{ id: string; code: string }>(
    tx,
    sql`select id, code from subjects where code in (select jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.subject.code))}::jsonb))`,
  );
  const subjectId = new Map(ids.map((s) => [s.code, s.id]));
  const status = ctx.as === 'published' ? 'published' : list.graph.initial;
  const entryRows = rows.map((r) => {
    const due = dueOf(ctx, r);
    return {
      id: randomUUID(),
      row: r.row,
      department: r.department,
      subject_id: subjectId.get(r.subject.code),
      fields: r.fields,
      decision_no: r.decisionNo,
      decision_date: r.decisionDate,
      recognised_at: r.recognisedAt ? `${r.recognisedAt}T00:00:00+08:00` : null,
      published_at: r.publishedAt ? `${r.publishedAt}T00:00:00+08:00` : null,
      publish_due: due.publish_due ?? null,
      min_period_end: due.min_period_end ?? null,
      term_end: due.term_end ?? null,
      due,
    };
  });
  const recognisedVersion = ctx.as === 'published' ? ctx.deps.model.version : null;
  const pg = postgresClientOf(tx);
  if (pg) {
    await copyRows(
      pg,
      'entries',
      ['id', 'list_id', 'department', 'subject_id', 'status', 'version', 'fields', 'related_persons', 'decision_no', 'decision_date', 'recognised_at', 'published_at', 'publish_due', 'min_period_end', 'term_end', 'due', 'overdue', 'config_version_created', 'config_version_recognised', 'created_by', 'created_at', 'updated_at'],
      entryRows.map((e) => [e.id, list.id, e.department, e.subject_id, status, 1, JSON.stringify(e.fields), '[]', e.decision_no, e.decision_date, e.recognised_at, e.published_at, e.publish_due, e.min_period_end, e.term_end, JSON.stringify(e.due), false, ctx.deps.model.version, recognisedVersion, userId, at, at]),
    );
    await copyRows(
      pg,
      'entry_events',
      ['entry_id', 'seq', 'action', 'from_status', 'to_status', 'actor_user_id', 'actor_api_key_id', 'data', 'at'],
      entryRows.map((e) => [e.id, 1, 'import', null, status, userId, null, JSON.stringify({ importJob: ctx.jobId, row: e.row, as: ctx.as }), at]),
    );
  } else {
    await tx.execute(sql`
      insert into entries (id, list_id, department, subject_id, status, version, fields, related_persons, decision_no, decision_date,
        recognised_at, published_at, publish_due, min_period_end, term_end, due, overdue, config_version_created, config_version_recognised,
        created_by, created_at, updated_at)
      select x.id, ${list.id}, x.department, x.subject_id, ${status}, 1, x.fields, '[]'::jsonb, x.decision_no, x.decision_date,
        x.recognised_at, x.published_at, x.publish_due, x.min_period_end, x.term_end, x.due, false, ${ctx.deps.model.version}, ${recognisedVersion},
        ${userId}::uuid, ${at}::timestamptz, ${at}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(entryRows)}::jsonb) as x(id uuid, department text, subject_id uuid, fields jsonb, decision_no text,
        decision_date date, recognised_at timestamptz, published_at timestamptz, publish_due date, min_period_end date, term_end date, due jsonb)`);
    await tx.execute(sql`
      insert into entry_events (entry_id, seq, action, from_status, to_status, actor_user_id, actor_api_key_id, data, at)
      select x.id, 1, 'import', null, ${status}, ${userId}::uuid, null,
        jsonb_build_object('importJob', ${ctx.jobId}::text, 'row', x.row, 'as', ${ctx.as}::text), ${at}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(entryRows.map((e) => ({ id: e.id, row: e.row })))}::jsonb) as x(id uuid, row int)`);
  }
  const digest = createHash('sha256')
    .update(canonicalJson(entryRows.map((e, i) => ({ id: e.id, row: e.row, subject: rows[i]?.subject, department: e.department, fields: e.fields, decisionNo: e.decision_no, decisionDate: e.decision_date }))))
    .digest('hex');
  await appendAudit(tx, {
    chain: `import:${ctx.jobId}`,
    actor: { kind: principal.kind, id: principal.id, name: principal.name },
    action: 'entry.import-batch',
    targetType: 'import',
    targetId: ctx.jobId,
    before: null,
    after: { list: list.id, batch: batchNo, as: ctx.as, rows: rows.length, firstRow: rows[0]?.row, lastRow: rows.at(-1)?.row, firstEntry: entryRows[0]?.id, sha256: digest },
    at: now,
  });
  return rows.length;
}
