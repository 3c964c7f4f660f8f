/**
 * Which lead units of a plan task the user may file progress for, from /api/meta alone (mirrors
 * filingUnits in api/src/plans/service.ts): holders of 'report-progress' in a lead unit; an
 * office-wide grant counts as the office departments only. Pure: unit-tested in filing.test.ts.
 */
import type { Meta } from '../meta/types';

export function filingUnits(meta: Pick<Meta, 'permissions' | 'departments'> | undefined, lead: string[]): string[] {
  const scope = meta?.permissions.global['report-progress'];
  if (!scope) return [];
  const mine = scope === 'all' ? meta.departments.filter((d) => d.office).map((d) => d.code) : scope;
  return lead.filter((d) => mine.includes(d));
}
