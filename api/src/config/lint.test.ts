import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { compileConfig } from './compile.ts';
import { formatIssue } from './issues.ts';
import { type ConfigFile, readConfigDir } from './load.ts';

const fixtureDir = fileURLToPath(new URL('./fixture/', import.meta.url));
let base: ConfigFile[];
beforeAll(async () => {
  base = await readConfigDir(fixtureDir);
});

type Change = [path: (string | number)[], value: unknown];

/** The fixture with keys of one file set (or deleted, with `undefined`). */
function edits(file: string, changes: Change[]): ConfigFile[] {
  return base.map((f) => {
    if (f.path !== file) return f;
    const doc = parseDocument(f.content);
    for (const [path, value] of changes) {
      if (value === undefined) doc.deleteIn(path);
      else doc.setIn(path, doc.createNode(value));
    }
    return { path: f.path, content: doc.toString() };
  });
}

const edit = (file: string, path: (string | number)[], value: unknown) => edits(file, [[path, value]]);

function issuesOf(files: ConfigFile[], production = false) {
  const result = compileConfig(files, { production });
  if (result.ok) throw new Error('expected the config to be refused');
  return result.issues;
}

describe('config linter', () => {
  it('accepts the fixture and gives it a stable content hash', () => {
    const a = compileConfig(base);
    const b = compileConfig([...base].reverse());
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.model.version).toMatch(/^[0-9a-f]{16}$/);
      expect(a.model.version).toBe(b.model.version);
      expect(Object.isFrozen(a.model.lists[0]?.fields)).toBe(true);
    }
  });

  it('changes the version when any file changes', () => {
    const a = compileConfig(base);
    const b = compileConfig(edit('departments.yaml', ['departments', 1, 'name'], '市场监督管理局'));
    expect(a.ok && b.ok && a.model.version !== b.model.version).toBe(true);
  });

  it('refuses a list type without a legal basis', () => {
    const [issue, ...rest] = issuesOf(edit('lists/serious.yaml', ['legal_basis'], undefined));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ code: 'MISSING_LEGAL_BASIS', file: 'lists/serious.yaml', path: ['legal_basis'] });
    expect(issue?.message).toBe(
      '缺少法律依据：名单类型和惩戒激励措施都必须写明至少一项法律、法规或中央政策依据（legal_basis）',
    );
  });

  it('refuses a measure with an empty legal basis and names its line', () => {
    const [issue] = issuesOf(edit('measures.yaml', ['measures', 0, 'legal_basis'], []));
    expect(issue).toMatchObject({ code: 'MISSING_LEGAL_BASIS', file: 'measures.yaml', path: ['measures', 0, 'legal_basis'], line: 5 });
    expect(formatIssue(issue as NonNullable<typeof issue>)).toMatch(/^measures\.yaml:5:\d+ measures\[0\]\.legal_basis — 缺少法律依据/);
  });

  it.each([
    ['lists/serious.yaml', ['department'], 'tax', 'UNKNOWN_DEPARTMENT', '未知的部门编码“tax”（见 departments.yaml）'],
    ['lists/serious.yaml', ['permissions', 'publish'], ['clerk'], 'UNKNOWN_ROLE', '未知的角色“clerk”（见 roles.yaml）'],
    ['lists/serious.yaml', ['measures', 0], 'M-NOPE', 'UNKNOWN_MEASURE', '未知的措施“M-NOPE”（见 measures.yaml）'],
    ['lists/serious.yaml', ['repair', 'not_repairable_when'], { field: 'grade', in: ['严重'] }, 'UNKNOWN_FIELD', '未知的字段“grade”'],
    ['assessment.yaml', ['catalogue'], [{ department: 'scjg', record_types: ['penalties'] }], 'UNKNOWN_LIST', '未知的名单或信息类型“penalties”（见 lists/）'],
    ['lists/serious.yaml', ['repair', 'requires', 0], 'training', 'UNKNOWN_MATERIAL', '未知的材料“training”（见 platform.yaml 的 materials）'],
    ['measures.yaml', ['measures', 0, 'matters', 0], 'awards', 'UNKNOWN_MATTER', '未知的业务事项“awards”（见 platform.yaml 的 matters）'],
    ['plans/p.yaml', ['tasks', 0, 'co', 0], 'jyj', 'UNKNOWN_DEPARTMENT', '未知的部门编码“jyj”（见 departments.yaml）'],
  ] as const)('refuses an unknown reference in %s %j', (file, path, value, code, message) => {
    const issues = issuesOf(edit(file, [...path], value));
    expect(issues.map((i) => ({ code: i.code, message: i.message }))).toEqual([{ code, message }]);
  });

  it('refuses duplicate ids', () => {
    const issues = issuesOf(edit('departments.yaml', ['departments', 2, 'code'], 'fgj'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'DUPLICATE_ID', path: ['departments', 2, 'code'], message: '部门编码“fgj”重复（第 1 项已使用）' });
  });

  it('refuses ids that are not URL-safe', () => {
    const issues = issuesOf(edit('departments.yaml', ['departments', 1, 'code'], '市场 监管'));
    expect(issues[0]).toMatchObject({
      code: 'INVALID_ID',
      path: ['departments', 1, 'code'],
      message: 'id 不符合 URL 安全格式（只能包含小写字母、数字和连字符）',
    });
  });

  it('refuses a list id that differs from its file name', () => {
    const issues = issuesOf(edit('lists/serious.yaml', ['id'], 'other'));
    expect(issues.map((i) => i.message)).toEqual(['名单类型 id“other”应与文件名“serious”一致']);
  });

  it('refuses a minimum period above the maximum', () => {
    const issues = issuesOf(edit('lists/serious.yaml', ['term', 'min'], { years: 5 }));
    expect(issues.map((i) => [i.code, i.message])).toContainEqual([
      'PERIOD_MIN_ABOVE_MAX',
      '最短期限（5年）长于最长期限（3年）',
    ]);
  });

  it('refuses a repair window longer than the term', () => {
    const issues = issuesOf(edit('lists/serious.yaml', ['repair', 'min_published'], { months: 40 }));
    expect(issues.map((i) => [i.code, i.path.join('.'), i.message])).toEqual([
      [
        'REPAIR_WINDOW_EXCEEDS_TERM',
        'repair.min_published',
        '修复前最短公示期（40个月）长于列入期限（3年），主体永远无法申请修复',
      ],
    ]);
  });

  it('refuses natural persons on the portal without a basis for publishing personal information', () => {
    const issues = issuesOf(edit('lists/serious.yaml', ['personal_info'], { publish: true }));
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ['PERSONAL_INFO_WITHOUT_BASIS', '名单在门户公开自然人信息，但未声明公开个人信息的依据（personal_info.basis）'],
    ]);
    const withBasis = compileConfig(
      edit('lists/serious.yaml', ['personal_info'], { publish: true, basis: '《保障农民工工资支付条例》第四十八条' }),
    );
    expect(withBasis.ok).toBe(true);
  });

  it('refuses a procedure with an unreachable state', () => {
    const issues = issuesOf(edit('lists/serious.yaml', ['procedure', 'disabled_actions'], ['notify']));
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ['UNREACHABLE_STATE', '办理流程中的状态“已告知”（notified）无法从草稿到达'],
      ['UNREACHABLE_STATE', '办理流程中的状态“已认定”（recognised）无法从草稿到达'],
      ['UNREACHABLE_STATE', '办理流程中的状态“公示中”（published）无法从草稿到达'],
      ['UNREACHABLE_STATE', '办理流程中的状态“已移出”（exited）无法从草稿到达'],
      ['UNREACHABLE_STATE', '办理流程中的状态“已修复”（repaired）无法从草稿到达'],
      ['UNREACHABLE_STATE', '办理流程中的状态“已撤销”（revoked）无法从草稿到达'],
    ]);
  });

  it('refuses a state with no way out', () => {
    const issues = issuesOf(
      edits('lists/serious.yaml', [
        [['term'], 'none'],
        [['exit', 'early'], []],
        [['repair'], false],
        [['revoke'], false],
      ]),
    );
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      [
        'DEAD_END_STATE',
        '办理流程中的状态“公示中”（published）没有任何后续操作，条目会停在这里（检查期限、移出、修复、撤销设置和 disabled_actions）',
      ],
    ]);
  });

  it('refuses the demo users file in production', () => {
    const issues = issuesOf(base, true);
    expect(issues.map((i) => [i.file, i.code, i.message])).toEqual([
      ['demo-users.yaml', 'DEMO_IN_PRODUCTION', '生产环境（NODE_ENV=production）不能加载演示账号文件 demo-users.yaml，请删除该文件'],
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const files = base.map((f) => (f.path === 'roles.yaml' ? { ...f, content: 'roles:\n  - { id: a\n' } : f));
    const issues = issuesOf(files);
    expect(issues[0]).toMatchObject({ code: 'YAML_SYNTAX', file: 'roles.yaml' });
    expect(issues[0]?.line).toBeGreaterThan(1);
  });

  it('reports unknown keys instead of ignoring them', () => {
    const issues = issuesOf(edit('lists/serious.yaml', ['colour'], 'black'));
    expect(issues.map((i) => [i.code, i.message])).toEqual([['SCHEMA', '未知的键：colour']]);
  });
});
