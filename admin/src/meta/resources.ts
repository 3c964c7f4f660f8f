/**
 * Pure transformation of `/api/meta` into the admin's navigation: a menu tree of list types
 * grouped by kind, and the flat Refine resource list built from it. No React, no fetching,
 * so it is unit-tested on a fixture (resources.test.ts).
 */
import type { ResourceProps } from '@refinedev/core';
import type { ReactNode } from 'react';
import type { Meta, MetaList } from './types';

/** Menu groups, in display order: the three list kinds, then 双公示 records. */
export type MenuGroupKey = 'black' | 'red' | 'watch' | 'record';

export const MENU_GROUP_ORDER: readonly MenuGroupKey[] = ['black', 'red', 'watch', 'record'];

/** Name of the static resources that do not come from config. */
export const HOME_RESOURCE = 'dashboard';
export const CONFIG_RESOURCE = 'config';

export type IconKey = 'home' | 'config' | MenuGroupKey;

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
 * Refine resources: 平台概览 first, then one parent per non-empty group with its list types
 * (`lists/<id>`, list route `/lists/<id>`), then 配置. Without meta (still loading or failed)
 * only the two static pages are returned, so the shell still renders.
 */
export function buildResources(meta: Pick<Meta, 'lists'> | undefined, options: NavOptions): ResourceProps[] {
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
  const lists: ResourceProps[] = [];
  if (meta) {
    for (const group of buildMenuTree(meta, options)) {
      lists.push({
        name: group.resource,
        meta: { label: group.label, menuGroup: group.group, ...icon(group.group) },
      });
      for (const node of group.children) {
        lists.push({
          name: node.resource,
          list: node.route,
          meta: { label: node.label, parent: group.resource, listId: node.listId, menuGroup: group.group, canDelete: false },
        });
      }
    }
  }
  return [home, ...lists, config];
}
