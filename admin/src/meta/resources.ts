/**
 * Pure transformation of `/api/meta` into the admin's navigation: a menu tree of list types
 * grouped by kind, and the flat Refine resource list built from it. No React, no fetching,
 * so it is unit-tested on a fixture (resources.test.ts).
 */
import type { ResourceProps } from '@refinedev/core';
import type { ReactNode } from 'react';
import { canGlobal, viewableLists } from '../access/permissions';
import { hasTaskQueue } from '../entries/queue';
import type { Meta, MetaList } from './types';

/** Menu groups, in display order: the three list kinds, then 双公示 records. */
export type MenuGroupKey = 'black' | 'red' | 'watch' | 'record';

export const MENU_GROUP_ORDER: readonly MenuGroupKey[] = ['black', 'red', 'watch', 'record'];

/** Name of the static resources that do not come from config. */
export const HOME_RESOURCE = 'dashboard';
export const CONFIG_RESOURCE = 'config';
/** The config studio (configure): list types edited in the browser. */
export const STUDIO_RESOURCE = 'config-studio';
export const STUDIO_ROUTE = '/config/studio';
export const TASKS_RESOURCE = 'tasks';
export const SYSTEM_GROUP_RESOURCE = 'system';
export const USERS_RESOURCE = 'users';
export const API_KEYS_RESOURCE = 'api-keys';
/** Office pages live under /system/: a reverse proxy's `location /api` must not catch /api-keys. */
export const USERS_ROUTE = '/system/users';
export const API_KEYS_ROUTE = '/system/api-keys';
export const AUDIT_RESOURCE = 'audit';
export const AUDIT_ROUTE = '/system/audit';
export const OUTBOX_RESOURCE = 'outbox';
export const OUTBOX_ROUTE = '/system/outbox';

/** Report pages (issue 7): 领导驾驶舱 for holders of view-reports; assessment, statistics and plans for every user. */
export const REPORTS_GROUP_RESOURCE = 'reports';
export const DASHBOARD_RESOURCE = 'report-dashboard';
export const ASSESSMENT_RESOURCE = 'report-assessment';
export const STATISTICS_RESOURCE = 'report-statistics';
export const PLANS_RESOURCE = 'plans';
export const DASHBOARD_ROUTE = '/reports/dashboard';
export const ASSESSMENT_ROUTE = '/reports/assessment';
export const STATISTICS_ROUTE = '/reports/statistics';
export const PLANS_ROUTE = '/plans';

export type IconKey = 'home' | 'config' | 'tasks' | 'system' | 'users' | 'apiKeys' | 'audit' | 'outbox' | 'reports' | 'dashboard' | 'assessment' | 'statistics' | 'plans' | MenuGroupKey;

export interface NavOptions {
  /** Translation of a dictionary key (`menu.home`, `menu.groups.black`, …). */
  t: (key: string) => string;
  /** Localised name of a configured object (name / nameEn). */
  pick: (name: string, nameEn?: string) => string;
  /** Optional icons for the menu; kept out of this module so it stays free of JSX. */
  icons?: Partial<Record<IconKey, ReactNode>>;
}

export interface MenuListNode {
  type: 'list';
  key: string;
  /** Refine resource name: `lists/<id>`. */
  resource: string;
  listId: string;
  label: string;
  route: string;
}

export interface MenuGroupNode {
  type: 'group';
  key: string;
  /** Refine resource name of the group (a parent without a page of its own). */
  resource: string;
  group: MenuGroupKey;
  label: string;
  children: MenuListNode[];
}

/** The group a list type belongs to in the menu: 双公示 records are separate whatever their kind. */
export function menuGroupOf(list: Pick<MetaList, 'kind' | 'category'>): MenuGroupKey {
  return list.category === 'record' ? 'record' : list.kind;
}

/** Refine resource name of a list type; the data provider maps it to `/api/lists/<id>/entries`. */
export function listResourceName(listId: string): string {
  return `lists/${listId}`;
}

/** Route of a list type's entry table (matches the router's `/lists/:listId`). */
export function listRoute(listId: string): string {
  return `/lists/${listId}`;
}

/** Routes of one entry: `/lists/<id>/show/<entry>`, `/lists/<id>/edit/<entry>`, `/lists/<id>/create`. */
export function entryShowRoute(listId: string, entryId: string | number): string {
  return `/lists/${listId}/show/${entryId}`;
}

export function entryEditRoute(listId: string, entryId: string | number): string {
  return `/lists/${listId}/edit/${entryId}`;
}

export function entryCreateRoute(listId: string): string {
  return `/lists/${listId}/create`;
}

/** The list id of a `lists/<id>` resource name, if it is one. */
export function listIdOfResource(resource: string | undefined): string | undefined {
  const match = resource ? /^lists\/([^/]+)$/.exec(resource) : null;
  return match?.[1];
}

export function groupResourceName(group: MenuGroupKey): string {
  return `list-group-${group}`;
}

/** Groups of list types in menu order; empty groups are left out, config order is kept inside a group. */
export function buildMenuTree(meta: Pick<Meta, 'lists'>, options: Pick<NavOptions, 't' | 'pick'>): MenuGroupNode[] {
  const byGroup = new Map<MenuGroupKey, MenuListNode[]>();
  for (const list of meta.lists) {
    const group = menuGroupOf(list);
    const node: MenuListNode = {
      type: 'list',
      key: listResourceName(list.id),
      resource: listResourceName(list.id),
      listId: list.id,
      label: options.pick(list.name, list.nameEn),
      route: listRoute(list.id),
    };
    const nodes = byGroup.get(group);
    if (nodes) nodes.push(node);
    else byGroup.set(group, [node]);
  }
  return MENU_GROUP_ORDER.flatMap((group): MenuGroupNode[] => {
    const children = byGroup.get(group);
    if (!children || children.length === 0) return [];
    return [
      {
        type: 'group',
        key: groupResourceName(group),
        resource: groupResourceName(group),
        group,
        label: options.t(`menu.groups.${group}`),
        children,
      },
    ];
  });
}

/**
 * Refine resources: 平台概览 and 待我处理 first, then one parent per non-empty group with the list
 * types the user may view (`lists/<id>` with list, create, show and edit routes), then 配置 and the
 * 系统管理 group (用户管理, 接口密钥) when the user holds those global actions. Without meta (still
 * loading or failed) only the static pages are returned, so the shell still renders.
 */
export function buildResources(
  meta: Pick<Meta, 'lists' | 'permissions'> | undefined,
  options: NavOptions,
): ResourceProps[] {
  const icon = (key: IconKey) => (options.icons?.[key] !== undefined ? { icon: options.icons[key] } : {});
  const home: ResourceProps = {
    name: HOME_RESOURCE,
    list: '/',
    meta: { label: options.t('menu.home'), ...icon('home') },
  };
  const config: ResourceProps = {
    name: CONFIG_RESOURCE,
    list: '/config',
    meta: { label: options.t('menu.config'), ...icon('config') },
  };
  const top: ResourceProps[] = [home];
  const lists: ResourceProps[] = [];
  const system: ResourceProps[] = [];
  const reports: ResourceProps[] = [];
  if (meta) {
    if (hasTaskQueue(meta)) {
      top.push({ name: TASKS_RESOURCE, list: '/tasks', meta: { label: options.t('menu.tasks'), ...icon('tasks') } });
    }
    reports.push(...reportResources(meta, options, icon));
    const visible = meta.permissions ? viewableLists(meta) : meta.lists;
    for (const group of buildMenuTree({ lists: visible }, options)) {
      lists.push({
        name: group.resource,
        meta: { label: group.label, menuGroup: group.group, ...icon(group.group) },
      });
      for (const node of group.children) {
        lists.push({
          name: node.resource,
          list: node.route,
          create: entryCreateRoute(node.listId),
          show: `${node.route}/show/:id`,
          edit: `${node.route}/edit/:id`,
          meta: { label: node.label, parent: group.resource, listId: node.listId, menuGroup: group.group, canDelete: true },
        });
      }
    }
    const admin: ResourceProps[] = [];
    if (canGlobal(meta, 'manage-users')) {
      admin.push({ name: USERS_RESOURCE, list: USERS_ROUTE, meta: { label: options.t('menu.users'), parent: SYSTEM_GROUP_RESOURCE, ...icon('users') } });
    }
    if (canGlobal(meta, 'manage-api-keys')) {
      admin.push({ name: API_KEYS_RESOURCE, list: API_KEYS_ROUTE, meta: { label: options.t('menu.apiKeys'), parent: SYSTEM_GROUP_RESOURCE, ...icon('apiKeys') } });
    }
    if (canGlobal(meta, 'configure')) {
      admin.push({ name: STUDIO_RESOURCE, list: STUDIO_ROUTE, meta: { label: options.t('menu.studio'), parent: SYSTEM_GROUP_RESOURCE, ...icon('config') } });
    }
    if (canGlobal(meta, 'view-audit')) {
      admin.push({ name: AUDIT_RESOURCE, list: AUDIT_ROUTE, meta: { label: options.t('menu.audit'), parent: SYSTEM_GROUP_RESOURCE, ...icon('audit') } });
      admin.push({ name: OUTBOX_RESOURCE, list: OUTBOX_ROUTE, meta: { label: options.t('menu.outbox'), parent: SYSTEM_GROUP_RESOURCE, ...icon('outbox') } });
    }
    if (admin.length) {
      system.push({ name: SYSTEM_GROUP_RESOURCE, meta: { label: options.t('menu.system'), ...icon('system') } }, ...admin);
    }
  }
  return [...top, ...lists, ...reports, config, ...system];
}

/**
 * 报表分析: leaders and the office (view-reports) get the dashboard; everyone gets the assessment
 * and statistics (the API narrows a department's staff to their own figures and the ranking) and
 * the task plans (circulated to all units; lead units file progress there).
 */
export function reportResources(
  meta: Pick<Meta, 'permissions'>,
  options: NavOptions,
  icon: (key: IconKey) => { icon?: ReactNode },
): ResourceProps[] {
  const child = (name: string, route: string, label: string, key: IconKey): ResourceProps => ({
    name,
    list: route,
    meta: { label: options.t(label), parent: REPORTS_GROUP_RESOURCE, ...icon(key) },
  });
  return [
    { name: REPORTS_GROUP_RESOURCE, meta: { label: options.t('reports.menu.group'), ...icon('reports') } },
    ...(canGlobal(meta, 'view-reports') ? [child(DASHBOARD_RESOURCE, DASHBOARD_ROUTE, 'reports.menu.dashboard', 'dashboard')] : []),
    child(ASSESSMENT_RESOURCE, ASSESSMENT_ROUTE, 'reports.menu.assessment', 'assessment'),
    child(STATISTICS_RESOURCE, STATISTICS_ROUTE, 'reports.menu.statistics', 'statistics'),
    child(PLANS_RESOURCE, PLANS_ROUTE, 'reports.menu.plans', 'plans'),
  ];
}
