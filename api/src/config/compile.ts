/**
 * Config files → one immutable RuntimeModel, or the list of problems that stop it.
 * The model's version is a content hash of the files, so that the same files on
 * any process give the same version.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { buildProcedureGraph, type ProcedureGraph } from '../procedures/graph.ts';
import { formatIssue, type ConfigIssue } from './issues.ts';
import { groupFiles, lintConfig } from './lint.ts';
import { type ConfigFile, parseConfigFiles, readConfigDir } from './load.ts';
import type {
  AssessmentFile,
  Department,
  DemoUsersFile,
  ListType,
  Measure,
  Period,
  Plan,
  Platform,
  Role,
} from './schema.ts';

export type Clock = { id: string; label: string; labelEn: string; from: string; period: Period };

export type CompiledList = ListType & { graph: ProcedureGraph; clocks: Clock[] };

export type RuntimeModel = {
  readonly version: string;
  readonly files: readonly ConfigFile[];
  readonly platform: Platform;
  readonly departments: readonly z.infer<typeof Department>[];
  readonly roles: readonly z.infer<typeof Role>[];
  readonly measures: readonly z.infer<typeof Measure>[];
  readonly lists: readonly CompiledList[];
  readonly plans: readonly z.infer<typeof Plan>[];
  readonly assessment: z.infer<typeof AssessmentFile>;
  readonly demoUsers: z.infer<typeof DemoUsersFile> | null;
  readonly list: (id: string) => CompiledList | undefined;
  readonly department: (code: string) => z.infer<typeof Department> | undefined;
};

export type CompileResult = { ok: true; model: RuntimeModel; issues: [] } | { ok: false; issues: ConfigIssue[] };

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`配置有 ${issues.length} 个错误 / config has ${issues.length} error(s):\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function configVersion(files: readonly ConfigFile[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(f.path).update('\0').update(f.content).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function clocksOf(l: ListType): Clock[] {
  const clocks: Clock[] = [];
  const add = (id: string, label: string, labelEn: string, from: string, period: Period | undefined) => {
    if (period) clocks.push({ id, label, labelEn, from, period });
  };
  if (l.procedure.notice !== false) {
    add('notice_end', '陈述申辩期满', 'Statement period ends', l.procedure.notice.from, l.procedure.notice.statement_period);
  }
  add('publish_due', '公示期限', 'Publish by', l.procedure.publish.from, l.procedure.publish.within);
  if (l.term !== 'none') add('term_end', '列入期满', 'Term ends', l.term.from, l.term.default ?? l.term.max);
  if (l.repair !== false) {
    add('min_period_end', '可申请修复', 'Repair possible from', l.repair.from, l.repair.min_published);
    add('repair_accept_due', '修复受理期限', 'Accept repair by', 'applied', l.repair.accept_within);
    add('repair_decide_due', '修复决定期限', 'Decide repair by', 'applied', l.repair.decide_within);
  }
  for (const e of l.exit.early) add(`early_exit_${e.id}`, `可提前移出：${e.label}`, `Early exit: ${e.id}`, e.from, e.after);
  if (l.objection !== false) add('objection_due', '异议答复期限', 'Answer objection by', 'received', l.objection.answer_within);
  return clocks;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export type CompileOptions = { production?: boolean };

export function compileConfig(files: ConfigFile[], opts: CompileOptions = {}): CompileResult {
  const { parsed, issues } = parseConfigFiles(files);
  const set = groupFiles(parsed);
  issues.push(...lintConfig(set, { production: opts.production ?? false }));
  if (issues.length || !set.platform || !set.departments || !set.roles || !set.measures || !set.assessment) {
    return { ok: false, issues };
  }
  const lists: CompiledList[] = set.lists
    .map((f) => ({ ...f.data, graph: buildProcedureGraph(f.data), clocks: clocksOf(f.data) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const listById = new Map(lists.map((l) => [l.id, l]));
  const departments = set.departments.data.departments;
  const deptByCode = new Map(departments.map((d) => [d.code, d]));
  const model: RuntimeModel = {
    version: configVersion(files),
    files: files.map((f) => ({ ...f })),
    platform: set.platform.data,
    departments,
    roles: set.roles.data.roles,
    measures: set.measures.data.measures,
    lists,
    plans: set.plans.map((p) => p.data).sort((a, b) => a.id.localeCompare(b.id)),
    assessment: set.assessment.data,
    demoUsers: set.demoUsers?.data ?? null,
    list: (id) => listById.get(id),
    department: (code) => deptByCode.get(code),
  };
  return { ok: true, model: deepFreeze(model), issues: [] };
}

/** Reads and compiles a config directory; throws ConfigError with every problem. */
export async function loadRuntimeModel(dir: string, opts: CompileOptions = {}): Promise<RuntimeModel> {
  const result = compileConfig(await readConfigDir(dir), opts);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.model;
}
