import { describe, expect, it } from 'vitest';
import { clerkPermissions, metaAs, metaFixture } from '../meta/__fixtures__/meta';
import { buildResources } from '../meta/resources';
import { decide, listActionOf } from './accessControl';
import { canGlobal, canList, listDepartments, listScope, viewableLists } from './permissions';

const clerk = metaAs(clerkPermissions);

describe('permission checks from meta', () => {
  it('answers list actions with and without a department', () => {
    expect(canList(clerk, 'market-serious', 'notify')).toBe(true);
    expect(canList(clerk, 'market-serious', 'notify', 'scjg')).toBe(true);
    expect(canList(clerk, 'market-serious', 'notify', 'rsj')).toBe(false);
    expect(canList(clerk, 'market-serious', 'recognise')).toBe(false);
    expect(canList(clerk, 'tax-a', 'view')).toBe(false);
    expect(canList(metaFixture, 'tax-a', 'view', 'sw')).toBe(true);
    expect(canList(undefined, 'tax-a', 'view')).toBe(false);
  });

  it('treats an empty department list as not allowed', () => {
    const meta = metaAs({ lists: { x: { view: [] } }, global: { lookup: [] }, domains: [] });
    expect(listScope(meta, 'x', 'view')).toBeUndefined();
    expect(canList(meta, 'x', 'view')).toBe(false);
    expect(canGlobal(meta, 'lookup')).toBe(false);
  });

  it('answers global actions', () => {
    expect(canGlobal(metaFixture, 'manage-users')).toBe(true);
    expect(canGlobal(clerk, 'manage-users')).toBe(false);
    expect(canGlobal(clerk, 'lookup', 'scjg')).toBe(true);
  });

  it('expands scopes into departments and lists the viewable list types', () => {
    expect(listDepartments(clerk, 'admin-penalty', 'view')).toEqual(['scjg', 'scjg-zf']);
    expect(listDepartments(metaFixture, 'tax-a', 'view')).toEqual(metaFixture.departments.map((d) => d.code));
    expect(listDepartments(clerk, 'tax-a', 'view')).toEqual([]);
    expect(viewableLists(clerk).map((l) => l.id)).toEqual(['market-serious', 'admin-penalty']);
  });
});

describe('access control provider', () => {
  it('maps Refine actions on list resources to list actions', () => {
    expect(listActionOf('list')).toBe('view');
    expect(listActionOf('show')).toBe('view');
    expect(listActionOf('edit')).toBe('edit-draft');
    expect(listActionOf('delete')).toBe('edit-draft');
    expect(listActionOf('publish')).toBe('publish');
    expect(decide(clerk, { resource: 'lists/market-serious', action: 'list' }).can).toBe(true);
    expect(decide(clerk, { resource: 'lists/market-serious', action: 'create' }).can).toBe(true);
    expect(decide(clerk, { resource: 'lists/market-serious', action: 'recognise' }).can).toBe(false);
    expect(decide(clerk, { resource: 'lists/admin-penalty', action: 'edit', params: { department: 'scjg-zf' } }).can).toBe(false);
    expect(decide(clerk, { resource: 'lists/tax-a', action: 'list' }).can).toBe(false);
  });

  it('guards the office pages and the work queue', () => {
    expect(decide(clerk, { resource: 'users', action: 'list' }).can).toBe(false);
    expect(decide(metaFixture, { resource: 'users', action: 'list' }).can).toBe(true);
    expect(decide(metaFixture, { resource: 'api-keys', action: 'list' }).can).toBe(true);
    expect(decide(clerk, { resource: 'tasks', action: 'list' }).can).toBe(true);
    expect(decide(metaFixture, { resource: 'tasks', action: 'list' }).can).toBe(false);
    expect(decide(clerk, { resource: 'dashboard', action: 'list' }).can).toBe(true);
    expect(decide(undefined, { resource: 'dashboard', action: 'list' }).can).toBe(false);
    expect(decide(clerk, { resource: 'unknown', action: 'list' }).can).toBe(false);
  });

  it('shows the dashboard to view-reports holders and the other report pages to everyone', () => {
    expect(decide(metaFixture, { resource: 'report-dashboard', action: 'list' }).can).toBe(true);
    expect(decide(clerk, { resource: 'report-dashboard', action: 'list' }).can).toBe(false);
    for (const resource of ['reports', 'report-assessment', 'report-statistics', 'plans']) {
      expect(decide(clerk, { resource, action: 'list' }).can).toBe(true);
    }
  });

  it('shows the audit and data-sync pages to holders of view-audit only', () => {
    expect(decide(metaFixture, { resource: 'audit', action: 'list' }).can).toBe(false);
    expect(decide(clerk, { resource: 'outbox', action: 'list' }).can).toBe(false);
    const auditor = { ...metaFixture, permissions: { ...metaFixture.permissions!, global: { 'view-audit': 'all' as const } } };
    expect(decide(auditor, { resource: 'audit', action: 'list' }).can).toBe(true);
    expect(decide(auditor, { resource: 'outbox', action: 'list' }).can).toBe(true);
    expect(decide(auditor, { resource: 'system', action: 'list' }).can).toBe(true);
    expect(decide(auditor, { resource: 'users', action: 'list' }).can).toBe(false);
    const names = buildResources(auditor, { t: (k) => k, pick: (n) => n }).map((r) => r.name);
    expect(names.slice(-3)).toEqual(['system', 'audit', 'outbox']);
  });
});
