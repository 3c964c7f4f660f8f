/**
 * Rules that span files or need more than a shape: references, duplicates,
 * periods, personal information and the procedure graph. Each problem names the
 * file and key path it comes from.
 */
import { buildProcedureGraph, checkGraph, stateLabel } from '../procedures/graph.ts';
import type { ConfigIssue, IssueCode } from './issues.ts';
import { locate, type ParsedFile } from './load.ts';
import { approxDays, formatPeriod } from './periods.ts';
import type { Period } from './schema.ts';

export type ConfigSet = {
  platform?: ParsedFile<'platform'>;
  departments?: ParsedFile<'departments'>;
  roles?: ParsedFile<'roles'>;
  measures?: ParsedFile<'measures'>;
  assessment?: ParsedFile<'assessment'>;
  demoUsers?: ParsedFile<'demoUsers'>;
  lists: ParsedFile<'list'>[];
  plans: ParsedFile<'plan'>[];
};

export function groupFiles(parsed: ParsedFile[]): ConfigSet {
  const set: ConfigSet = { lists: [], plans: [] };
  for (const f of parsed) {
    if (f.kind === 'list') set.lists.push(f as ParsedFile<'list'>);
    else if (f.kind === 'plan') set.plans.push(f as ParsedFile<'plan'>);
    else (set as Record<string, unknown>)[f.kind] = f;
  }
  return set;
}

export type LintOptions = { production: boolean };

export function lintConfig(set: ConfigSet, opts: LintOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const report = (f: ParsedFile, path: (string | number)[], code: IssueCode, message: string, messageEn: string) =>
    issues.push({ code, file: f.file, path, message, messageEn, ...locate(f.doc, f.lines, path) });

  const unique = <T>(f: ParsedFile, items: T[], id: (t: T) => string, base: (string | number)[], key: string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const value = id(item);
      if (seen.has(value)) {
        report(f, [...base, i, key], 'DUPLICATE_ID', `${what}“${value}”重复（第 ${(seen.get(value) ?? 0) + 1} 项已使用）`, `duplicate ${what} id "${value}"`);
      } else seen.set(value, i);
    });
    return new Set(seen.keys());
  };

  const departments = set.departments
    ? unique(set.departments, set.departments.data.departments, (d) => d.code, ['departments'], 'code', '部门编码')
    : new Set<string>();
  const roles = set.roles ? unique(set.roles, set.roles.data.roles, (r) => r.id, ['roles'], 'id', '角色') : new Set<string>();
  const measures = set.measures
    ? unique(set.measures, set.measures.data.measures, (m) => m.id, ['measures'], 'id', '措施')
    : new Set<string>();
  const materials = set.platform
    ? unique(set.platform, set.platform.data.materials, (m) => m.id, ['materials'], 'id', '材料')
    : new Set<string>();
  const matters = set.platform
    ? unique(set.platform, set.platform.data.matters, (m) => m.id, ['matters'], 'id', '业务事项')
    : new Set<string>();
  const regimes = new Map((set.platform?.data.publication_regimes ?? []).map((r) => [r.id, r]));

  const refDept = (f: ParsedFile, path: (string | number)[], code: string | undefined) => {
    if (code !== undefined && code !== '*' && !departments.has(code)) {
      report(f, path, 'UNKNOWN_DEPARTMENT', `未知的部门编码“${code}”（见 departments.yaml）`, `unknown department "${code}"`);
    }
  };
  const refRole = (f: ParsedFile, path: (string | number)[], id: string) => {
    if (!roles.has(id)) report(f, path, 'UNKNOWN_ROLE', `未知的角色“${id}”（见 roles.yaml）`, `unknown role "${id}"`);
  };
  const refMaterial = (f: ParsedFile, path: (string | number)[], id: string) => {
    if (!materials.has(id)) {
      report(f, path, 'UNKNOWN_MATERIAL', `未知的材料“${id}”（见 platform.yaml 的 materials）`, `unknown material "${id}"`);
    }
  };

  // Departments: parents exist, no cycles, exactly one office.
  if (set.departments) {
    const f = set.departments;
    const list = f.data.departments;
    const parentOf = new Map(list.map((d) => [d.code, d.parent]));
    list.forEach((d, i) => {
      refDept(f, ['departments', i, 'parent'], d.parent);
      const seen = new Set<string>([d.code]);
      let p = d.parent;
      while (p !== undefined) {
        if (seen.has(p)) {
          report(f, ['departments', i, 'parent'], 'DEPARTMENT_CYCLE', `部门“${d.code}”的上级关系形成了循环`, `department "${d.code}" has a parent cycle`);
          break;
        }
        seen.add(p);
        p = parentOf.get(p);
      }
    });
    const offices = list.filter((d) => d.office).length;
    if (offices !== 1) {
      report(f, ['departments'], 'OFFICE_COUNT', `必须有且只有一个信用办所在部门（office: true），现有 ${offices} 个`, `exactly one department must be the office (office: true); found ${offices}`);
    }
  }

  // Measures: department and matters exist.
  if (set.measures) {
    const f = set.measures;
    f.data.measures.forEach((m, i) => {
      refDept(f, ['measures', i, 'department'], m.department);
      m.matters.forEach((mt, j) => {
        if (!matters.has(mt)) {
          report(f, ['measures', i, 'matters', j], 'UNKNOWN_MATTER', `未知的业务事项“${mt}”（见 platform.yaml 的 matters）`, `unknown matter "${mt}"`);
        }
      });
    });
  }

  // Publication regimes: tier periods consistent.
  if (set.platform) {
    const f = set.platform;
    f.data.publication_regimes.forEach((r, i) => {
      unique(f, r.tiers, (t) => t.id, ['publication_regimes', i, 'tiers'], 'id', '公示档次');
      r.tiers.forEach((tier, j) => {
        if (tier.min && approxDays(tier.min) > approxDays(tier.max)) {
          report(f, ['publication_regimes', i, 'tiers', j, 'min'], 'PERIOD_MIN_ABOVE_MAX', `最短期限（${formatPeriod(tier.min)}）长于最长期限（${formatPeriod(tier.max)}）`, 'minimum period is longer than the maximum');
        }
      });
    });
  }

  // Roles: api-key roles only hold actions a business system may take.
  if (set.roles) {
    const f = set.roles;
    f.data.roles.forEach((r, i) => {
      if (r.client !== 'api_key') return;
      r.actions.forEach((a, j) => {
        if (!['lookup', 'check', 'feedback'].includes(a)) {
          report(f, ['roles', i, 'actions', j], 'ROLE_CLIENT_MISMATCH', `业务系统角色只能拥有查询（lookup、check）和反馈（feedback）权限，不能拥有“${a}”`, `an api_key role may only hold lookup, check and feedback, not "${a}"`);
        }
      });
    });
  }
  const apiKeyRoles = new Set((set.roles?.data.roles ?? []).filter((r) => r.client === 'api_key').map((r) => r.id));

  // List types.
  const listIds = new Map<string, ParsedFile<'list'>>();
  for (const f of set.lists) {
    const l = f.data;
    const expected = f.file.replace(/^lists\//, '').replace(/\.ya?ml$/, '');
    if (l.id !== expected) {
      report(f, ['id'], 'ID_FILE_MISMATCH', `名单类型 id“${l.id}”应与文件名“${expected}”一致`, `list id "${l.id}" must match the file name "${expected}"`);
    }
    if (listIds.has(l.id)) {
      report(f, ['id'], 'DUPLICATE_ID', `名单类型 id“${l.id}”重复（${listIds.get(l.id)?.file} 已使用）`, `duplicate list id "${l.id}"`);
    } else listIds.set(l.id, f);
    refDept(f, ['department'], l.department);

    unique(f, l.fields, (fd) => fd.key, ['fields'], 'key', '字段');
    l.fields.forEach((fd, i) => {
      if ((fd.type === 'enum' || fd.type === 'multi-enum') && !fd.options?.length) {
        report(f, ['fields', i, 'options'], 'ENUM_WITHOUT_OPTIONS', `枚举字段“${fd.key}”必须列出可选值（options）`, `enum field "${fd.key}" needs options`);
      }
      if (fd.min !== undefined && fd.max !== undefined && fd.min > fd.max) {
        report(f, ['fields', i, 'min'], 'PERIOD_MIN_ABOVE_MAX', `字段“${fd.key}”的最小值大于最大值`, `field "${fd.key}" has min above max`);
      }
    });
    const fieldByKey = new Map(l.fields.map((fd) => [fd.key, fd]));

    l.measures.forEach((m, i) => {
      if (!measures.has(m)) report(f, ['measures', i], 'UNKNOWN_MEASURE', `未知的措施“${m}”（见 measures.yaml）`, `unknown measure "${m}"`);
    });
    for (const [action, roleIds] of Object.entries(l.permissions)) {
      (roleIds ?? []).forEach((r, i) => {
        refRole(f, ['permissions', action, i], r);
        if (apiKeyRoles.has(r)) {
          report(f, ['permissions', action, i], 'ROLE_CLIENT_MISMATCH', `业务系统角色“${r}”不能办理名单业务（${action}）`, `api_key role "${r}" cannot take list action "${action}"`);
        }
      });
    }

    // Periods.
    const minMax = (path: (string | number)[], min: Period | undefined, max: Period | undefined) => {
      if (min && max && approxDays(min) > approxDays(max)) {
        report(f, path, 'PERIOD_MIN_ABOVE_MAX', `最短期限（${formatPeriod(min)}）长于最长期限（${formatPeriod(max)}）`, 'minimum period is longer than the maximum');
      }
    };
    let longestTerm: Period | undefined;
    if (l.term !== 'none') {
      const term = l.term;
      minMax(['term', 'min'], term.min, term.max);
      minMax(['term', 'default'], term.default, term.max);
      minMax(['term', 'min'], term.min, term.default);
      longestTerm = term.max ?? term.default;
      if (term.by_severity) {
        const regime = regimes.get(term.by_severity.regime);
        const field = fieldByKey.get(term.by_severity.field);
        if (!regime) {
          report(f, ['term', 'by_severity', 'regime'], 'UNKNOWN_REGIME', `未知的公示期限规则“${term.by_severity.regime}”（见 platform.yaml 的 publication_regimes）`, `unknown publication regime "${term.by_severity.regime}"`);
        }
        if (!field) {
          report(f, ['term', 'by_severity', 'field'], 'UNKNOWN_FIELD', `未知的字段“${term.by_severity.field}”`, `unknown field "${term.by_severity.field}"`);
        } else if (field.type !== 'enum') {
          report(f, ['term', 'by_severity', 'field'], 'SEVERITY_FIELD_MISMATCH', `按严重程度确定期限的字段“${field.key}”必须是枚举类型`, `severity field "${field.key}" must be an enum`);
        } else if (regime) {
          const tierNames = new Set(regime.tiers.map((t) => t.name));
          for (const option of field.options ?? []) {
            if (!tierNames.has(option)) {
              report(f, ['term', 'by_severity', 'field'], 'SEVERITY_FIELD_MISMATCH', `字段“${field.key}”的选项“${option}”在规则“${regime.id}”中没有对应档次（${[...tierNames].join('、')}）`, `option "${option}" has no tier in regime "${regime.id}"`);
            }
          }
        }
        if (regime) {
          const longest = regime.tiers.reduce<Period | undefined>((acc, t) => (!acc || approxDays(t.max) > approxDays(acc) ? t.max : acc), undefined);
          longestTerm = longestTerm ?? longest;
        }
      }
    }

    if (l.repair !== false) {
      const repair = l.repair;
      repair.requires.forEach((m, i) => refMaterial(f, ['repair', 'requires', i], m));
      if (repair.min_published && longestTerm && approxDays(repair.min_published) > approxDays(longestTerm)) {
        report(f, ['repair', 'min_published'], 'REPAIR_WINDOW_EXCEEDS_TERM', `修复前最短公示期（${formatPeriod(repair.min_published)}）长于列入期限（${formatPeriod(longestTerm)}），主体永远无法申请修复`, 'the minimum period before repair is longer than the term');
      }
      if (repair.not_repairable_when) {
        const cond = repair.not_repairable_when;
        const field = fieldByKey.get(cond.field);
        if (!field) {
          report(f, ['repair', 'not_repairable_when', 'field'], 'UNKNOWN_FIELD', `未知的字段“${cond.field}”`, `unknown field "${cond.field}"`);
        } else {
          cond.in.forEach((v, i) => {
            if (field.options && !field.options.includes(v)) {
              report(f, ['repair', 'not_repairable_when', 'in', i], 'UNKNOWN_OPTION', `“${v}”不是字段“${field.key}”的可选值`, `"${v}" is not an option of field "${field.key}"`);
            }
          });
        }
      }
    }
    l.exit.early.forEach((e, i) => {
      e.requires.forEach((m, j) => refMaterial(f, ['exit', 'early', i, 'requires', j], m));
      if (longestTerm && approxDays(e.after) > approxDays(longestTerm)) {
        report(f, ['exit', 'early', i, 'after'], 'EXIT_AFTER_TERM', `提前移出条件“${e.label}”的最短期限（${formatPeriod(e.after)}）长于列入期限（${formatPeriod(longestTerm)}）`, 'early exit period is longer than the term');
      }
    });
    unique(f, l.exit.early, (e) => e.id, ['exit', 'early'], 'id', '提前移出条件');
    if (l.revoke !== false) l.revoke.requires.forEach((m, i) => refMaterial(f, ['revoke', 'requires', i], m));

    if (
      l.subject_kinds.includes('natural_person') &&
      l.portal &&
      l.personal_info.publish &&
      !l.personal_info.basis?.trim()
    ) {
      report(f, ['personal_info', 'basis'], 'PERSONAL_INFO_WITHOUT_BASIS', '名单在门户公开自然人信息，但未声明公开个人信息的依据（personal_info.basis）', 'natural persons are published on the portal without a declared basis (personal_info.basis)');
    }

    const graph = buildProcedureGraph(l);
    const { unreachable, deadEnds } = checkGraph(graph);
    for (const s of unreachable) {
      report(f, ['procedure'], 'UNREACHABLE_STATE', `办理流程中的状态“${stateLabel(s)}”（${s}）无法从草稿到达`, `state "${s}" cannot be reached from draft`);
    }
    for (const s of deadEnds) {
      report(f, ['procedure'], 'DEAD_END_STATE', `办理流程中的状态“${stateLabel(s)}”（${s}）没有任何后续操作，条目会停在这里（检查期限、移出、修复、撤销设置和 disabled_actions）`, `state "${s}" has no way out`);
    }
  }

  // Assessment.
  if (set.assessment) {
    const f = set.assessment;
    const a = f.data;
    unique(f, a.indicators, (x) => x.id, ['indicators'], 'id', '指标');
    const total = a.indicators.reduce((s, x) => s + x.weight, 0);
    if (Math.abs(total - a.total_points) > 1e-9) {
      report(f, ['indicators'], 'WEIGHTS_NOT_TOTAL', `指标权重合计为 ${total}，应等于总分 ${a.total_points}`, `indicator weights add up to ${total}, not ${a.total_points}`);
    }
    a.catalogue.forEach((c, i) => {
      refDept(f, ['catalogue', i, 'department'], c.department);
      c.record_types.forEach((r, j) => {
        if (!listIds.has(r)) report(f, ['catalogue', i, 'record_types', j], 'UNKNOWN_LIST', `未知的名单或信息类型“${r}”（见 lists/）`, `unknown list "${r}"`);
      });
    });
    a.indicators.forEach((x, i) =>
      (x.lists ?? []).forEach((r, j) => {
        if (!listIds.has(r)) report(f, ['indicators', i, 'lists', j], 'UNKNOWN_LIST', `未知的名单或信息类型“${r}”（见 lists/）`, `unknown list "${r}"`);
      }),
    );
  }

  // Plans.
  const planIds = new Map<string, string>();
  for (const f of set.plans) {
    const p = f.data;
    if (planIds.has(p.id)) report(f, ['id'], 'DUPLICATE_ID', `任务分工方案 id“${p.id}”重复（${planIds.get(p.id)} 已使用）`, `duplicate plan id "${p.id}"`);
    else planIds.set(p.id, f.file);
    const expected = f.file.replace(/^plans\//, '').replace(/\.ya?ml$/, '');
    if (p.id !== expected) report(f, ['id'], 'ID_FILE_MISMATCH', `方案 id“${p.id}”应与文件名“${expected}”一致`, `plan id "${p.id}" must match the file name "${expected}"`);
    p.unit_mapping.forEach((u, i) => refDept(f, ['unit_mapping', i, 'department'], u.department));
    unique(f, p.tasks, (t) => t.no, ['tasks'], 'no', '任务编号');
    p.tasks.forEach((t, i) => {
      t.lead.forEach((d, j) => refDept(f, ['tasks', i, 'lead', j], d));
      t.co.forEach((d, j) => refDept(f, ['tasks', i, 'co', j], d));
    });
  }

  // Demo users.
  if (set.demoUsers) {
    const f = set.demoUsers;
    if (opts.production) {
      report(f, ['demo'], 'DEMO_IN_PRODUCTION', '生产环境（NODE_ENV=production）不能加载演示账号文件 demo-users.yaml，请删除该文件', 'the demo users file is refused when NODE_ENV=production');
    }
    f.data.per_department.forEach((r, i) => refRole(f, ['per_department', i], r));
    unique(f, f.data.users, (u) => u.username, ['users'], 'username', '用户名');
    f.data.users.forEach((u, i) =>
      u.roles.forEach((r, j) => {
        refRole(f, ['users', i, 'roles', j, 'role'], r.role);
        refDept(f, ['users', i, 'roles', j, 'department'], r.department);
      }),
    );
  }
  return issues;
}
