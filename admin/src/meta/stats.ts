/** Counts shown on the overview page, computed from meta (pure; tested in stats.test.ts). */
import { menuGroupOf, type MenuGroupKey } from './resources';
import type { Meta } from './types';

export interface MetaStats {
  departments: number;
  offices: number;
  listTypes: number;
  /** List types per menu group: black / red / watch lists, and 双公示 records. */
  byGroup: Record<MenuGroupKey, number>;
  measures: number;
  punishments: number;
  incentives: number;
  roles: number;
}

export function metaStats(meta: Meta): MetaStats {
  const byGroup: Record<MenuGroupKey, number> = { black: 0, red: 0, watch: 0, record: 0 };
  for (const list of meta.lists) byGroup[menuGroupOf(list)] += 1;
  return {
    departments: meta.departments.length,
    offices: meta.departments.filter((d) => d.office).length,
    listTypes: meta.lists.length,
    byGroup,
    measures: meta.measures.length,
    punishments: meta.measures.filter((m) => m.kind === 'punishment').length,
    incentives: meta.measures.filter((m) => m.kind === 'incentive').length,
    roles: meta.roles.length,
  };
}
