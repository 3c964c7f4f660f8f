/**
 * Changes the config studio refuses because they would strand data: the linter
 * checks a config on its own, these rules check it against the entries the
 * database already holds under the config in force.
 *
 *   LIST_HAS_ENTRIES         a list type with entries is removed (retire it instead: status: retired)
 *   LIST_DEPARTMENT_CHANGED  the owning department of a list type with entries changes
 *   STATE_IN_USE             a procedure step is turned off while entries are in its state
 *   FIELD_IN_USE             a field that holds data in some entry is removed
 *   FIELD_TYPE_CHANGED       a field that holds data changes its type
 *   OPTION_IN_USE            an option of an enum field that entries hold is removed
 *   OPEN_OBJECTIONS          objections are turned off while some are unanswered
 *   OPEN_REPAIRS             repair is turned off while applications are pending
 *   DEPARTMENT_IN_USE        a department with entries, role grants or API keys is deleted
 *   ROLE_IN_USE              a role granted to users is deleted
 *
 * Allowed: labels, new fields, new list types, periods (they apply to clocks
 * started afterwards; stored due dates stay), permissions, measures, retiring.
 */
import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { stateLabel } from '../procedures/graph.ts';
import type { Db } from '../db/client.ts';
import { apiKeys, entries, objections, repairs, userRoles } from '../db/schema.ts';
import type { CompiledList, RuntimeModel } from './compile.ts';
import type { ConfigIssue, SafetyCode } from './issues.ts';
import { locate, type ParsedFile } from './load.ts';

/** Where a list type's issues point: its file in the proposed config (for line numbers) or just its path. */
export type ListFileOf = (listId: string) => { file: string; parsed?: ParsedFile };

const filled = (key: string) => sql`coalesce(jsonb_typeof(${entries.fields} -> ${key}), 'null') <> 'null'`;

async function countWhere(db: Db, listId: string, where?: ReturnType<typeof sql>): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(entries)
    .where(where ? and(eq(entries.listId, listId), where) : eq(entries.listId, listId));
  return Number(row?.n ?? 0);
}

export async function checkSafety(db: Db, before: RuntimeModel, after: RuntimeModel, fileOf: ListFileOf): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const report = (listId: string, path: (string | number)[], code: SafetyCode, message: string, messageEn: string) => {
    const { file, parsed } = fileOf(listId);
    issues.push({ code, file, path, message, messageEn, ...(parsed ? locate(parsed.doc, parsed.lines, path) : {}) });
  };

  for (const old of before.lists) {
    const next = after.list(old.id);
    const total = await countWhere(db, old.id);
    if (!next) {
      if (total > 0) {
        report(old.id, [], 'LIST_HAS_ENTRIES', `名单类型“${old.name}”已有 ${total} 条条目，不能删除；请改为停用（status: retired）：不再新增条目，已有条目按原规则办结`, `list type "${old.id}" has ${total} entries and cannot be removed; retire it instead (status: retired)`);
      }
      continue;
    }
    if (total === 0) continue;
    if (next.department !== old.department) {
      report(old.id, ['department'], 'LIST_DEPARTMENT_CHANGED', `名单类型“${old.name}”已有 ${total} 条条目，不能更改所属部门（${old.department} → ${next.department}）`, `list type "${old.id}" has entries; its department cannot change`);
    }
    await checkStates(db, old, next, report);
    await checkFields(db, old, next, report);
    await checkRequests(db, old, next, report);
  }
  issues.push(...(await checkDepartments(db, before, after)), ...(await checkRoles(db, before, after)));
  return issues;
}

const n = (rows: { n: number }[]) => Number(rows[0]?.n ?? 0);

async function checkDepartments(db: Db, before: RuntimeModel, after: RuntimeModel): Promise<ConfigIssue[]> {
  const kept = new Set(after.departments.map((d) => d.code));
  const issues: ConfigIssue[] = [];
  for (const d of before.departments.filter((x) => !kept.has(x.code))) {
    const uses = [
      [n(await db.select({ n: count() }).from(entries).where(eq(entries.department, d.code))), '条名单条目', 'entries'],
      [n(await db.select({ n: count() }).from(userRoles).where(eq(userRoles.department, d.code))), '个用户角色授权', 'role grants'],
      [n(await db.select({ n: count() }).from(apiKeys).where(and(eq(apiKeys.department, d.code), isNull(apiKeys.revokedAt)))), '个接口密钥', 'API keys'],
    ] as const;
    const used = uses.filter(([k]) => k > 0);
    if (!used.length) continue;
    issues.push({
      code: 'DEPARTMENT_IN_USE',
      file: 'departments.yaml',
      path: ['departments'],
      message: `部门“${d.name}”（${d.code}）仍有 ${used.map(([k, zh]) => `${k} ${zh}`).join('、')}，不能删除；可修改名称，或先移交其数据和授权`,
      messageEn: `department "${d.code}" still has ${used.map(([k, , en]) => `${k} ${en}`).join(', ')} and cannot be deleted`,
    });
  }
  return issues;
}

async function checkRoles(db: Db, before: RuntimeModel, after: RuntimeModel): Promise<ConfigIssue[]> {
  const kept = new Set(after.roles.map((r) => r.id));
  const issues: ConfigIssue[] = [];
  for (const r of before.roles.filter((x) => !kept.has(x.id))) {
    const grants = n(await db.select({ n: count() }).from(userRoles).where(eq(userRoles.role, r.id)));
    if (!grants) continue;
    issues.push({
      code: 'ROLE_IN_USE',
      file: 'roles.yaml',
      path: ['roles'],
      message: `角色“${r.name}”（${r.id}）已授予 ${grants} 个用户，不能删除；请先在用户管理中收回该角色`,
      messageEn: `role "${r.id}" is granted to ${grants} user(s) and cannot be deleted`,
    });
  }
  return issues;
}

type Report = (listId: string, path: (string | number)[], code: SafetyCode, message: string, messageEn: string) => void;

async function checkStates(db: Db, old: CompiledList, next: CompiledList, report: Report): Promise<void> {
  const kept = new Set(next.graph.states.map((s) => s.id));
  const used = await db
    .select({ status: entries.status, n: count() })
    .from(entries)
    .where(eq(entries.listId, old.id))
    .groupBy(entries.status);
  for (const { status, n } of used) {
    if (kept.has(status as never)) continue;
    const label = stateLabel(status as never);
    report(old.id, ['procedure'], 'STATE_IN_USE', `有 ${n} 条条目处于“${label}”（${status}）状态，不能关闭这一环节；待这些条目办结后再修改`, `${n} entries are in state "${status}", which this change removes`);
  }
}

async function checkFields(db: Db, old: CompiledList, next: CompiledList, report: Report): Promise<void> {
  const nextIndex = new Map(next.fields.map((f, i) => [f.key, i]));
  for (const field of old.fields) {
    const i = nextIndex.get(field.key);
    const now = i === undefined ? undefined : next.fields[i];
    if (!now) {
      const n = await countWhere(db, old.id, filled(field.key));
      if (n > 0) {
        report(old.id, ['fields'], 'FIELD_IN_USE', `字段“${field.label}”（${field.key}）在 ${n} 条条目中有数据，不能删除`, `field "${field.key}" holds data in ${n} entries and cannot be removed`);
      }
      continue;
    }
    if (now.type !== field.type) {
      const n = await countWhere(db, old.id, filled(field.key));
      if (n > 0) {
        report(old.id, ['fields', i as number, 'type'], 'FIELD_TYPE_CHANGED', `字段“${field.label}”（${field.key}）在 ${n} 条条目中有数据，不能把类型从 ${field.type} 改为 ${now.type}`, `field "${field.key}" holds data in ${n} entries; its type cannot change from ${field.type} to ${now.type}`);
      }
      continue;
    }
    if ((field.type === 'enum' || field.type === 'multi-enum') && field.options) {
      const removed = field.options.filter((o) => !(now.options ?? []).includes(o));
      for (const option of removed) {
        const holds =
          field.type === 'enum'
            ? sql`${entries.fields} ->> ${field.key} = ${option}`
            : sql`jsonb_typeof(${entries.fields} -> ${field.key}) = 'array' and (${entries.fields} -> ${field.key}) @> ${JSON.stringify([option])}::jsonb`;
        const n = await countWhere(db, old.id, holds);
        if (n > 0) {
          report(old.id, ['fields', i as number, 'options'], 'OPTION_IN_USE', `字段“${field.label}”的选项“${option}”已被 ${n} 条条目使用，不能删除`, `option "${option}" of field "${field.key}" is used by ${n} entries`);
        }
      }
    }
  }
}

async function checkRequests(db: Db, old: CompiledList, next: CompiledList, report: Report): Promise<void> {
  if (old.objection !== false && next.objection === false) {
    const [row] = await db
      .select({ n: count() })
      .from(objections)
      .innerJoin(entries, eq(entries.id, objections.entryId))
      .where(and(eq(entries.listId, old.id), isNull(objections.answeredAt)));
    const n = Number(row?.n ?? 0);
    if (n > 0) report(old.id, ['objection'], 'OPEN_OBJECTIONS', `还有 ${n} 件异议未答复，不能关闭异议处理`, `${n} objections are unanswered`);
  }
  if (old.repair !== false && next.repair === false) {
    const [row] = await db
      .select({ n: count() })
      .from(repairs)
      .innerJoin(entries, eq(entries.id, repairs.entryId))
      .where(and(eq(entries.listId, old.id), inArray(repairs.status, ['applied', 'accepted'])));
    const n = Number(row?.n ?? 0);
    if (n > 0) report(old.id, ['repair'], 'OPEN_REPAIRS', `还有 ${n} 件修复申请未办结，不能关闭信用修复`, `${n} repair applications are pending`);
  }
}
