/**
 * The config studio's service: read a list type's file, lint a proposed change
 * with the start-up compiler and linter plus the data safety rules, and save
 * it: a new row in config_versions (full content, author, reason), an audit
 * record, the YAML written atomically into CONFIG_DIR, and the new model put in
 * force here and announced to the other processes.
 *
 * A refused save changes nothing: no row, no file, no model.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { count, eq, sql } from 'drizzle-orm';
import { parseDocument } from 'yaml';
import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Db, DbHandle } from '../db/client.ts';
import { configVersions, entries } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { metaList } from '../meta/build.ts';
import type { MetaList } from '../meta/schema.ts';
import type { EventBus } from '../http/events.ts';
import type { Clock } from '../procedures/clock.ts';
import { compileConfig, type RuntimeModel } from './compile.ts';
import type { ConfigIssue } from './issues.ts';
import { type ConfigFile, parseConfigFiles } from './load.ts';
import { explainRemovals } from './removals.ts';
import { checkSafety } from './safety.ts';
import { ListType } from './schema.ts';
import { patchYaml, stringifyYaml } from './yaml-patch.ts';

/** How the running app lets the studio write and apply config (shared by every model generation). */
export type ConfigRuntime = {
  /** Where saves are mirrored; without it the studio reads and lints but does not save. */
  dir?: string;
  production: boolean;
  /** Puts a model in force in this process. */
  apply(model: RuntimeModel): Promise<void>;
};

export type StudioDeps = { db: DbHandle; model: RuntimeModel; clock: Clock; events: EventBus; runtime: ConfigRuntime };

/**
 * A change: one list type's file (`listId`), replaced by a form value or by YAML
 * text, or removed; or one of the other config files (`file`), replaced by YAML
 * text (plans may also be added and removed).
 */
export type ConfigChange = { listId?: string; file?: string; list?: Record<string, unknown>; content?: string; remove?: boolean };

/**
 * The config files besides list types that the studio edits as YAML.
 * demo-users.yaml holds passwords: it stays a file on the server.
 */
export const settingsFilePattern = /^(platform|departments|roles|measures|assessment)\.yaml$|^plans\/[a-z0-9][a-z0-9-]*\.ya?ml$/;
const isPlanFile = (path: string) => path.startsWith('plans/');

type Touched = { path: string; before: string | null; after: string | null };
type Proposal = { files: ConfigFile[]; touched: Touched[] };

/**
 * `content`: the proposed text of the file (what a form value becomes as YAML, so the studio's YAML
 * tab shows exactly what would be saved). `preview`: the list type as the admin would get it from
 * /api/meta after the save (entry form, columns, procedure graph), when the change compiles.
 */
export type LintResult = { ok: boolean; version: string | null; issues: ConfigIssue[]; diff: string; content: string | null; preview: { version: string; list: MetaList } | null };

/** First int of the advisory lock that serialises saves across processes (two-int space, like the audit chains). */
const CONFIG_LOCK_NAMESPACE = 0x636f6e66; // 'conf'

const listPath = (model: RuntimeModel, listId: string) =>
  model.files.find((f) => f.path === `lists/${listId}.yaml` || f.path === `lists/${listId}.yml`)?.path ?? `lists/${listId}.yaml`;

/** Top-level keys in the order of the schema (the order config/README.md documents), for new files. */
function ordered(value: Record<string, unknown>): Record<string, unknown> {
  const order = Object.keys(ListType.shape);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => rank(a) - rank(b)));
}

export function propose(model: RuntimeModel, change: ConfigChange): Proposal {
  if ((change.listId === undefined) === (change.file === undefined)) {
    throw new AppError(422, 'VALIDATION_FAILED', '请提供且只提供 listId（名单类型）或 file（其他配置文件）中的一项', 'give exactly one of listId or file');
  }
  const given = [change.list !== undefined, change.content !== undefined, change.remove === true].filter(Boolean).length;
  if (given !== 1) {
    throw new AppError(422, 'VALIDATION_FAILED', '请提供且只提供 list（表单内容）、content（YAML 文本）或 remove 中的一项', 'give exactly one of list, content or remove');
  }
  return change.file !== undefined ? proposeFile(model, change.file, change) : proposeList(model, change.listId ?? '', change);
}

function proposeList(model: RuntimeModel, listId: string, change: ConfigChange): Proposal {
  const path = listPath(model, listId);
  const existing = model.files.find((f) => f.path === path);
  let after: string | null;
  if (change.remove) {
    if (!existing) throw new AppError(404, 'NOT_FOUND', `名单类型“${listId}”不存在`, `list type "${listId}" not found`);
    after = null;
  } else if (change.content !== undefined) {
    after = change.content;
  } else {
    const value = ordered(change.list ?? {});
    after = existing ? patchYaml(existing.content, value) : stringifyYaml(value);
  }
  return replaced(model, path, after);
}

function proposeFile(model: RuntimeModel, path: string, change: ConfigChange): Proposal {
  if (!settingsFilePattern.test(path)) {
    throw new AppError(422, 'CONFIG_FILE_NOT_EDITABLE', `不能在配置工作室编辑“${path}”：名单类型用 listId 修改，demo-users.yaml 只能在服务器上修改`, `"${path}" cannot be edited here`, [{ path: 'file', message: '不可编辑的配置文件' }]);
  }
  const existing = model.files.find((f) => f.path === path);
  if (change.list !== undefined) throw new AppError(422, 'VALIDATION_FAILED', '该配置文件只能以 YAML 文本（content）修改', 'this file is edited as YAML text (content)');
  if (change.remove) {
    if (!isPlanFile(path)) throw new AppError(422, 'CONFIG_FILE_REQUIRED', `“${path}”是必需的配置文件，不能删除`, `"${path}" is required and cannot be removed`);
    if (!existing) throw new AppError(404, 'NOT_FOUND', `配置文件“${path}”不存在`, `config file "${path}" not found`);
    return replaced(model, path, null);
  }
  if (!existing && !isPlanFile(path)) throw new AppError(404, 'NOT_FOUND', `配置文件“${path}”不存在`, `config file "${path}" not found`);
  return replaced(model, path, change.content ?? '');
}

/** The model's files with `path` replaced by `after` (null: removed). */
function replaced(model: RuntimeModel, path: string, after: string | null): Proposal {
  const existing = model.files.find((f) => f.path === path);
  const files = model.files.filter((f) => f.path !== path);
  if (after !== null) files.push({ path, content: after });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, touched: [{ path, before: existing?.content ?? null, after }] };
}

/** The files the studio edits as YAML besides list types, with the version they belong to. */
export function settingsFiles(model: RuntimeModel) {
  return { version: model.version, files: model.files.filter((f) => settingsFilePattern.test(f.path)).map((f) => ({ path: f.path, content: f.content })) };
}

export function unifiedDiff(touched: readonly Touched[]): string {
  return touched
    .filter((t) => t.before !== t.after)
    .map((t) => createTwoFilesPatch(t.before === null ? '/dev/null' : `a/${t.path}`, t.after === null ? '/dev/null' : `b/${t.path}`, t.before ?? '', t.after ?? '', '', '', { context: 3 }).replace(/^=+\n/, ''))
    .join('');
}

async function check(db: Db, model: RuntimeModel, runtime: ConfigRuntime, proposal: Proposal): Promise<{ issues: ConfigIssue[]; next?: RuntimeModel }> {
  const compiled = compileConfig(proposal.files, { production: runtime.production });
  if (!compiled.ok) return { issues: explainRemovals(compiled.issues, model, proposal.files) };
  const parsed = new Map(parseConfigFiles(proposal.touched.flatMap((t) => (t.after === null ? [] : [{ path: t.path, content: t.after }]))).parsed.map((p) => [p.file, p]));
  const issues = await checkSafety(db, model, compiled.model, (listId) => {
    const file = listPath(model, listId);
    return { file, parsed: parsed.get(file) };
  });
  return { issues, next: compiled.model };
}

export async function lintChange(deps: StudioDeps, change: ConfigChange): Promise<LintResult> {
  const proposal = propose(deps.model, change);
  const { issues, next } = await check(deps.db.db, deps.model, deps.runtime, proposal);
  const compiled = next && change.listId !== undefined ? next.list(change.listId) : undefined;
  const list = compiled ? metaList(compiled) : undefined;
  const preview = next && list ? { version: next.version, list } : null;
  return {
    ok: issues.length === 0,
    version: issues.length ? null : (next?.version ?? null),
    issues,
    diff: unifiedDiff(proposal.touched),
    content: proposal.touched[0]?.after ?? null,
    preview,
  };
}

/** temp file + rename in the same directory: readers see the old file or the new one, never half of one. */
export async function writeAtomically(dir: string, path: string, content: string | null): Promise<void> {
  const full = join(dir, path);
  if (content === null) {
    await rm(full, { force: true });
    return;
  }
  await mkdir(dirname(full), { recursive: true });
  const temp = `${full}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { encoding: 'utf8', flush: true });
    await rename(temp, full);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const invalid = (issues: ConfigIssue[]) =>
  new AppError(
    422,
    'CONFIG_INVALID',
    `配置未保存：有 ${issues.length} 个问题需要先改正`,
    `config not saved: ${issues.length} problem(s) to fix first`,
    issues.map((i) => ({ path: [i.file, ...i.path].join('.'), code: i.code, message: i.message, messageEn: i.messageEn, file: i.file, keyPath: i.path, line: i.line ?? null })),
  );

const conflict = () =>
  new AppError(409, 'CONFIG_VERSION_CONFLICT', '配置已被他人修改，请重新加载后再保存', 'the config was changed meanwhile; reload and save again');

export type SaveInput = ConfigChange & { reason: string; baseVersion: string };

export function saveChange(deps: StudioDeps, input: SaveInput, by: Principal): Promise<{ version: string; diff: string }> {
  return saveProposal(deps, () => propose(deps.model, input), input, by);
}

/**
 * Rolling back is a new save of an earlier version's files, through the same lint and data rules.
 * The version row is content-addressed, so the earlier row becomes active again; the history
 * (config/history.ts) shows the rollback as a change of its own, with who rolled back and why.
 */
export async function restoreVersion(deps: StudioDeps, version: string, input: { reason: string; baseVersion: string }, by: Principal) {
  const [row] = await deps.db.db.select({ files: configVersions.files }).from(configVersions).where(eq(configVersions.version, version));
  if (!row) throw new AppError(404, 'NOT_FOUND', `配置版本“${version}”不存在`, `config version "${version}" not found`);
  const files = Object.entries(row.files)
    .map(([path, content]) => ({ path, content }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const current = Object.fromEntries(deps.model.files.map((f) => [f.path, f.content]));
  return saveProposal(deps, () => ({ files, touched: changedFiles(row.files, current) }), { ...input, rollback: true }, by);
}

async function saveProposal(deps: StudioDeps, make: () => Proposal, input: { reason: string; baseVersion: string; rollback?: boolean }, by: Principal): Promise<{ version: string; diff: string }> {
  const { db, model, runtime, clock } = deps;
  const dir = runtime.dir;
  if (!dir) throw new AppError(409, 'CONFIG_READ_ONLY', '本服务未配置配置目录（CONFIG_DIR），不能保存配置', 'no config directory: saving is off');
  if (input.baseVersion !== model.version) throw conflict();
  const proposal = make();
  const { issues, next } = await check(db.db, model, runtime, proposal);
  if (issues.length || !next) throw invalid(issues);
  if (next.version === model.version) {
    throw new AppError(422, 'CONFIG_UNCHANGED', '配置没有变化，无需保存', 'nothing changed');
  }
  // A file edited by hand since the model was loaded is not overwritten.
  for (const t of proposal.touched) {
    const onDisk = await readOrNull(join(dir, t.path));
    if (onDisk !== t.before && onDisk !== t.after) {
      throw new AppError(409, 'CONFIG_DISK_CHANGED', `配置文件 ${t.path} 已在服务器上被直接修改，请先重新加载配置`, `${t.path} was changed on disk; reload first`);
    }
  }
  const diff = unifiedDiff(proposal.touched);
  const author = by.username ?? by.name;
  let written = false;
  try {
    await db.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(CONFIG_LOCK_NAMESPACE))}, 0)`);
      const [active] = await tx.select({ version: configVersions.version }).from(configVersions).where(eq(configVersions.active, true));
      if (active && active.version !== model.version) throw conflict();
      // Entries may have been added since the lint: the data rules are checked again under the lock.
      const late = await checkSafety(tx, model, next, (listId) => ({ file: listPath(model, listId) }));
      if (late.length) throw invalid(late);
      await tx
        .insert(configVersions)
        .values({ version: next.version, files: Object.fromEntries(next.files.map((f) => [f.path, f.content])), author, reason: input.reason })
        .onConflictDoNothing();
      await tx.update(configVersions).set({ active: false }).where(sql`${configVersions.active} and ${configVersions.version} <> ${next.version}`);
      await tx.update(configVersions).set({ active: true }).where(eq(configVersions.version, next.version));
      await appendAudit(tx, {
        chain: 'config',
        actor: { kind: by.kind, id: by.id, name: by.name },
        action: 'config.save',
        targetType: 'config',
        targetId: next.version,
        before: { version: model.version, files: Object.fromEntries(proposal.touched.map((t) => [t.path, t.before])) },
        after: {
          version: next.version,
          reason: input.reason,
          author,
          ...(input.rollback ? { rollback: true } : {}),
          files: Object.fromEntries(proposal.touched.map((t) => [t.path, t.after])),
        },
        at: clock.now(),
      });
      // Last inside the transaction: a failed write rolls the version back.
      written = true;
      for (const t of proposal.touched) await writeAtomically(dir, t.path, t.after);
    });
  } catch (err) {
    if (written) for (const t of proposal.touched) await writeAtomically(dir, t.path, t.before).catch(() => undefined);
    throw err;
  }
  await runtime.apply(next);
  await deps.events.publish({ type: 'config-changed', version: next.version });
  return { version: next.version, diff };
}

export async function listTypes(db: Db, model: RuntimeModel) {
  const counts = new Map(
    (await db.select({ listId: entries.listId, n: count() }).from(entries).groupBy(entries.listId)).map((r) => [r.listId, Number(r.n)]),
  );
  return {
    version: model.version,
    departments: model.departments.map((d) => ({ code: d.code, name: d.name, nameEn: d.name_en ?? null, parent: d.parent ?? null, office: d.office })),
    lists: model.lists.map((l) => ({
      id: l.id,
      name: l.name,
      nameEn: l.name_en ?? null,
      kind: l.kind,
      category: l.category,
      department: l.department,
      status: l.status,
      file: listPath(model, l.id),
      entries: counts.get(l.id) ?? 0,
    })),
  };
}

export async function readListConfig(db: Db, model: RuntimeModel, listId: string) {
  const list = model.list(listId);
  const file = model.files.find((f) => f.path === listPath(model, listId));
  if (!list || !file) throw new AppError(404, 'NOT_FOUND', `名单类型“${listId}”不存在`, `list type "${listId}" not found`);
  const [row] = await db.select({ n: count() }).from(entries).where(eq(entries.listId, listId));
  return { version: model.version, listId, file: file.path, content: file.content, data: parseDocument(file.content).toJS() as Record<string, unknown>, entries: Number(row?.n ?? 0) };
}

/** The files that differ between two versions' contents, each with both sides. */
export function changedFiles(files: Record<string, string>, previous: Record<string, string>): Touched[] {
  const paths = [...new Set([...Object.keys(previous), ...Object.keys(files)])].sort();
  return paths
    .map((path) => ({ path, before: previous[path] ?? null, after: files[path] ?? null }))
    .filter((t) => t.before !== t.after);
}
