/**
 * 版本历史: every change of the config in force, newest first, read from the audit chain `config`,
 * which is the record of who changed what and why: studio saves and rollbacks (`config.save`) and
 * versions put in force at start from CONFIG_DIR (`config.activate`). Versions are content-addressed,
 * so a rollback puts an earlier version in force again; in the history it is a row of its own, with
 * its author, time and reason.
 */
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { auditLog, configVersions } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { changedFiles, unifiedDiff } from './studio.ts';

export const HistoryKind = z.enum(['save', 'rollback', 'start']).describe('save：工作室保存；rollback：回退到较早的版本；start：启动时从配置目录载入');

export const HistoryRow = z.object({
  id: z.number().int().describe('历史记录号（审计链 config 中的序号）'),
  kind: HistoryKind,
  version: z.string().describe('这次生效的配置版本'),
  previous: z.string().nullable().describe('此前生效的配置版本'),
  author: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  active: z.boolean().describe('当前生效的记录（最新一条且其版本正在生效）'),
  changed: z.array(z.string()).describe('改动的文件'),
});
export const HistoryDetail = HistoryRow.extend({ diff: z.string() });
export type HistoryRow = z.infer<typeof HistoryRow>;

type Files = Record<string, string | null>;
type ConfigRecord = {
  seq: number;
  action: string;
  actor: Record<string, unknown>;
  before: { version?: string; files?: Files } | null;
  after: { version?: string; reason?: string; author?: string; rollback?: boolean; files?: Files | number } | null;
  at: Date;
};

const actions = ['config.save', 'config.activate'];

async function records(db: Db, where: SQL | undefined, limit: number): Promise<ConfigRecord[]> {
  const rows = await db
    .select({ seq: auditLog.seq, action: auditLog.action, actor: auditLog.actor, before: auditLog.before, after: auditLog.after, at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.chain, 'config'), inArray(auditLog.action, actions), where))
    .orderBy(desc(auditLog.seq))
    .limit(limit);
  return rows as ConfigRecord[];
}

const kindOf = (r: ConfigRecord): HistoryRow['kind'] => (r.action === 'config.activate' ? 'start' : r.after?.rollback ? 'rollback' : 'save');

/** A save records the files it touched, before and after; an activation at start only names the versions, whose files are in config_versions. */
async function touchedFiles(db: Db, r: ConfigRecord) {
  const after = r.after?.files;
  if (after && typeof after === 'object') {
    const before = r.before?.files ?? {};
    return Object.keys(after)
      .sort()
      .map((path) => ({ path, before: before[path] ?? null, after: after[path] ?? null }));
  }
  const versions = [r.before?.version, r.after?.version].filter((v): v is string => !!v);
  const rows = versions.length ? await db.select({ version: configVersions.version, files: configVersions.files }).from(configVersions).where(inArray(configVersions.version, versions)) : [];
  const filesOf = (v?: string) => rows.find((x) => x.version === v)?.files ?? {};
  return changedFiles(filesOf(r.after?.version), filesOf(r.before?.version));
}

async function activeVersion(db: Db): Promise<string | undefined> {
  const [row] = await db.select({ version: configVersions.version }).from(configVersions).where(eq(configVersions.active, true));
  return row?.version;
}

function toRow(r: ConfigRecord, changed: string[], active: boolean): HistoryRow {
  return {
    id: r.seq,
    kind: kindOf(r),
    version: r.after?.version ?? '',
    previous: r.before?.version ?? null,
    // Saves before the author was recorded name the actor by display name.
    author: r.after?.author ?? (typeof r.actor.name === 'string' ? r.actor.name : null),
    reason: r.after?.reason ?? null,
    createdAt: r.at.toISOString(),
    active,
    changed,
  };
}

export async function versionHistory(db: Db, limit = 50): Promise<HistoryRow[]> {
  const [rows, active] = await Promise.all([records(db, undefined, limit), activeVersion(db)]);
  const touched = await Promise.all(rows.map((r) => touchedFiles(db, r)));
  return rows.map((r, i) => toRow(r, (touched[i] ?? []).map((t) => t.path), i === 0 && r.after?.version === active));
}

export async function historyDetail(db: Db, id: number) {
  const [[r], [head], active] = await Promise.all([records(db, eq(auditLog.seq, id), 1), records(db, undefined, 1), activeVersion(db)]);
  if (!r) throw new AppError(404, 'NOT_FOUND', `配置版本历史中没有第 ${id} 条记录`, `no config history record ${id}`);
  const touched = await touchedFiles(db, r);
  // Only the newest change can be the one in force: an older row of the same version was superseded.
  const row = toRow(r, touched.map((t) => t.path), head?.seq === r.seq && r.after?.version === active);
  return { ...row, diff: unifiedDiff(touched) };
}
