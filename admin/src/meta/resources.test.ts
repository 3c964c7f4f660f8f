import { describe, expect, it } from 'vitest';
import { pickName, translate } from '../i18n';
import { clerkPermissions, metaAs, metaFixture } from './__fixtures__/meta';
import { buildMenuTree, buildResources, listResourceName, listRoute, menuGroupOf } from './resources';

const zh = { t: (key: string) => translate('zh-CN', key), pick: (n: string, e?: string) => pickName('zh-CN', n, e) };
const en = { t: (key: string) => translate('en', key), pick: (n: string, e?: string) => pickName('en', n, e) };

describe('menuGroupOf', () => {
  it('groups lists by kind and records separately', () => {
    expect(menuGroupOf({ kind: 'black', category: 'list' })).toBe('black');
    expect(menuGroupOf({ kind: 'watch', category: 'list' })).toBe('watch');
    expect(menuGroupOf({ kind: 'black', category: 'record' })).toBe('record');
    expect(menuGroupOf({ kind: 'red', category: 'record' })).toBe('record');
  });
});

describe('buildMenuTree', () => {
  it('builds groups in fixed order, leaves empty groups out and keeps config order', () => {
    const tree = buildMenuTree(metaFixture, zh);
    expect(tree.map((g) => [g.group, g.label])).toEqual([
      ['black', '黑名单'],
      ['red', '红名单'],
      ['record', '双公示'],
    ]);
    expect(tree[0]?.children.map((c) => c.listId)).toEqual(['market-serious', 'wage-arrears']);
    expect(tree[1]?.children.map((c) => c.listId)).toEqual(['tax-a']);
    expect(tree[2]?.children.map((c) => c.listId)).toEqual(['admin-penalty', 'admin-licence']);
    expect(tree[0]?.children[0]).toEqual({
      type: 'list',
      key: 'lists/market-serious',
      resource: 'lists/market-serious',
      listId: 'market-serious',
      label: '市场监督管理严重违法失信名单',
      route: '/lists/market-serious',
    });
  });

  it('uses English names when present and falls back to Chinese', () => {
    const tree = buildMenuTree(metaFixture, en);
    expect(tree[0]?.label).toBe('Black lists');
    expect(tree[0]?.children.map((c) => c.label)).toEqual([
      'Serious illegal and dishonest list (market regulation)',
      '拖欠农民工工资失信联合惩戒对象名单',
    ]);
    expect(tree[2]?.label).toBe('Double publicity');
  });

  it('returns no groups for a config without lists', () => {
    expect(buildMenuTree({ lists: [] }, zh)).toEqual([]);
  });
});

describe('buildResources', () => {
  it('has only the static pages without meta', () => {
    const resources = buildResources(undefined, zh);
    expect(resources.map((r) => [r.name, r.list, r.meta?.label])).toEqual([
      ['dashboard', '/', '平台概览'],
      ['config', '/config', '配置'],
    ]);
  });

  it('turns every list type into a resource under its group', () => {
    const resources = buildResources(metaFixture, zh);
    expect(resources.map((r) => r.name)).toEqual([
      'dashboard',
      'list-group-black',
      'lists/market-serious',
      'lists/wage-arrears',
      'list-group-red',
      'lists/tax-a',
      'list-group-record',
      'lists/admin-penalty',
      'lists/admin-licence',
      'reports',
      'report-dashboard',
      'report-assessment',
      'report-statistics',
      'plans',
      'config',
      'system',
      'users',
      'api-keys',
      'config-studio',
    ]);
    const groups = resources.filter((r) => r.name.startsWith('list-group-'));
    for (const group of groups) expect(group.list).toBeUndefined();

    const penalty = resources.find((r) => r.name === 'lists/admin-penalty');
    expect(penalty?.list).toBe('/lists/admin-penalty');
    expect(penalty?.create).toBe('/lists/admin-penalty/create');
    expect(penalty?.show).toBe('/lists/admin-penalty/show/:id');
    expect(penalty?.edit).toBe('/lists/admin-penalty/edit/:id');
    expect(penalty?.meta).toMatchObject({ parent: 'list-group-record', label: '行政处罚信息', listId: 'admin-penalty' });

    // every list resource has a parent that exists, and a concrete route (no unresolved params)
    const names = new Set(resources.map((r) => r.name));
    for (const r of resources.filter((r) => r.name.startsWith('lists/'))) {
      expect(names.has(r.meta?.parent as string)).toBe(true);
      expect(r.list).toBe(listRoute(r.meta?.listId as string));
      expect(r.name).toBe(listResourceName(r.meta?.listId as string));
      expect(String(r.list)).not.toContain(':');
    }
  });

  it('shows only the list types the user may view, the work queue when there is work, and no administration without rights', () => {
    const resources = buildResources(metaAs(clerkPermissions), zh);
    expect(resources.map((r) => r.name)).toEqual([
      'dashboard',
      'tasks',
      'list-group-black',
      'lists/market-serious',
      'list-group-record',
      'lists/admin-penalty',
      // no 领导驾驶舱 without view-reports; the assessment and statistics are narrowed by the API
      'reports',
      'report-assessment',
      'report-statistics',
      'plans',
      'config',
    ]);
    expect(resources[1]?.meta?.label).toBe('待我处理');
    expect(resources.find((r) => r.name === 'report-assessment')).toMatchObject({ list: '/reports/assessment', meta: { parent: 'reports', label: '考核评价' } });
  });

  it('passes icons through without requiring them', () => {
    const resources = buildResources(metaFixture, { ...zh, icons: { home: 'H', black: 'B' } });
    expect(resources[0]?.meta?.icon).toBe('H');
    expect(resources[1]?.meta?.icon).toBe('B');
    expect(resources.find((r) => r.name === 'list-group-red')?.meta).not.toHaveProperty('icon');
  });

  it('labels follow the locale', () => {
    const resources = buildResources(metaFixture, en);
    expect(resources[0]?.meta?.label).toBe('Overview');
    expect(resources.find((r) => r.name === 'config')?.meta?.label).toBe('Configuration');
    expect(resources.find((r) => r.name === 'users')?.meta?.label).toBe('Users');
    expect(resources.find((r) => r.name === 'lists/tax-a')?.meta?.label).toBe('Grade-A taxpayers');
  });
});
