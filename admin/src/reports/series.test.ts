import { describe, expect, it } from 'vitest';
import type { AssessmentReport, Counters } from './api';
import { counterKeys, indicatorRates, scoreSeries, trendSeries } from './series';

const ind = (id: string, points: number) => ({ id, name: id, kind: 'k', group: 'common' as const, weight: 10, numerator: 0, denominator: 0, value: null, share: 1, points, adjustment: 0, note: null });
const report = {
  indicators: [
    { id: 'a', name: '甲', nameEn: 'A', kind: 'k', kindLabel: '', definition: '', group: 'common', weight: 10, notes: [] },
    { id: 'b', name: '乙', nameEn: null, kind: 'k', kindLabel: '', definition: '', group: 'common', weight: 20, notes: [] },
  ],
  departments: [
    { department: 'x', name: 'X局', rank: 1, computed: 30, adjustment: 0, total: 30, indicators: [ind('a', 10), { ...ind('b', 20), weight: 20 }], adjustments: [] },
    { department: 'y', name: 'Y局', rank: 2, computed: 15, adjustment: 0, total: 15, indicators: [ind('a', 5), { ...ind('b', 10), weight: 20 }], adjustments: [] },
  ],
} as unknown as AssessmentReport;

describe('chart series', () => {
  it('stacks each department’s indicator points', () => {
    expect(scoreSeries(report)).toEqual([
      { x: 'X局', y: 10, series: 'a' },
      { x: 'X局', y: 20, series: 'b' },
      { x: 'Y局', y: 5, series: 'a' },
      { x: 'Y局', y: 10, series: 'b' },
    ]);
  });

  it('averages each indicator’s score rate over the departments, in the chosen language', () => {
    expect(indicatorRates(report, (zh, en) => en ?? zh)).toEqual([
      { x: 'A', y: 75 },
      { x: '乙', y: 75 },
    ]);
    expect(indicatorRates({ ...report, departments: [] }, (zh) => zh)).toEqual([
      { x: '甲', y: 0 },
      { x: '乙', y: 0 },
    ]);
  });

  it('draws one line per counter over the months', () => {
    const month = (m: string, added: number) => ({ month: m, added, published: 1, exited: 0, repaired: 2 }) as unknown as { month: string } & Counters;
    const labels = { added: '新增条目', published: '公示', exited: '移出合计', repaired: '信用修复移出' } as Record<keyof Counters, string>;
    expect(trendSeries({ trend: [month('2026-01', 3), month('2026-02', 4)], labels }, ['added', 'repaired'])).toEqual([
      { x: '2026-01', y: 3, series: '新增条目' },
      { x: '2026-01', y: 2, series: '信用修复移出' },
      { x: '2026-02', y: 4, series: '新增条目' },
      { x: '2026-02', y: 2, series: '信用修复移出' },
    ]);
    // the table's columns follow the API's order of labels
    expect(counterKeys(labels)).toEqual(['added', 'published', 'exited', 'repaired']);
  });
});
