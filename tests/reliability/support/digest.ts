/**
 * A digest of every table of the public schema (row count and md5 of the rows
 * in a fixed order), read in one statement, to show that a refused request
 * changed nothing. Columns that only record that a credential was used are
 * left out (a session's last_seen_at, an API key's last_used_at): reading is
 * not a change of the data.
 */
import { sql } from 'drizzle-orm';
import { type DbHandle, queryRows } from '../../../api/src/db/client.ts';

const ignoredColumns: Record<string, string[]> = { sessions: ['last_seen_at'], api_keys: ['last_used_at'] };

export type TableDigest = Record<string, { rows: number; md5: string }>;

let tablesCache = new WeakMap<DbHandle, string[]>();

async function tables(db: DbHandle): Promise<string[]> {
  let t = tablesCache.get(db);
  if (!t) {
    const rows = await queryRows<{ name: string }>(
      db.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    t = rows.map((r) => r.name).filter((n) => /^[a-z_][a-z0-9_]*$/.test(n));
    tablesCache.set(db, t);
  }
  return t;
}

export function resetDigestCache(): void {
  tablesCache = new WeakMap();
}

export async function tableDigest(db: DbHandle): Promise<TableDigest> {
  const names = await tables(db);
  const parts = names.map((name) => {
    const drop = (ignoredColumns[name] ?? []).map((c) => ` - '${c}'`).join('');
    return `select '${name}' as name, count(*)::int as rows, md5(coalesce(string_agg((to_jsonb(t)${drop})::text, '|' order by (to_jsonb(t)${drop})::text), '')) as md5 from "${name}" t`;
  });
  const rows = await queryRows<{ name: string; rows: number; md5: string }>(db.db, sql.raw(parts.join(' union all ')));
  return Object.fromEntries(rows.map((r) => [r.name, { rows: Number(r.rows), md5: r.md5 }]));
}

/** The tables whose digest differs. */
export function changedTables(before: TableDigest, after: TableDigest): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n]?.md5 !== after[n]?.md5 || before[n]?.rows !== after[n]?.rows).sort();
}
