import { describe, expect, it } from 'vitest';
import type { Meta } from '../meta/types';
import { filingUnits } from './filing';

const departments = [
  { code: 'fgj', name: '发展和改革局', office: true },
  { code: 'scjg', name: '市场监督管理局', office: false },
  { code: 'sw', name: '税务局', office: false },
];
const as = (scope: 'all' | string[] | undefined) =>
  ({ departments, permissions: { lists: {}, global: scope === undefined ? {} : { 'report-progress': scope } } }) as unknown as Pick<Meta, 'permissions' | 'departments'>;

describe('filing units', () => {
  it('are the lead units the user reports for', () => {
    expect(filingUnits(as(['scjg']), ['scjg', 'sw'])).toEqual(['scjg']);
    expect(filingUnits(as(['scjg']), ['sw'])).toEqual([]);
  });

  it('count an office-wide grant as the office only, and nothing without the grant', () => {
    expect(filingUnits(as('all'), ['scjg', 'fgj'])).toEqual(['fgj']);
    expect(filingUnits(as('all'), ['scjg'])).toEqual([]);
    expect(filingUnits(as(undefined), ['scjg'])).toEqual([]);
  });
});
