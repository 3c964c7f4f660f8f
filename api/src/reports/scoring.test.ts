import { describe, expect, it } from 'vitest';
import { addMonthKey, monthsBetween, parsePeriod, periodContaining } from './period.ts';
import { rank, round2, score, share } from './scoring.ts';

describe('periods', () => {
  it('parses months, quarters and years into half-open civil date ranges', () => {
    expect(parsePeriod('2026-Q3')).toMatchObject({ key: '2026-Q3', kind: 'quarter', start: '2026-07-01', end: '2026-10-01', last: '2026-09-30', label: '2026年第3季度' });
    expect(parsePeriod('2026-q4')).toMatchObject({ key: '2026-Q4', start: '2026-10-01', end: '2027-01-01' });
    expect(parsePeriod('2024-02')).toMatchObject({ key: '2024-02', kind: 'month', last: '2024-02-29', label: '2024年2月' });
    expect(parsePeriod('2026')).toMatchObject({ key: '2026', kind: 'year', start: '2026-01-01', end: '2027-01-01' });
    for (const bad of ['2026-Q0', '2026-13', '26', '2026-7', '1999', '2026-Q3 ']) expect(() => parsePeriod(bad)).toThrow();
  });

  it('finds the period containing a day and walks months', () => {
    expect(periodContaining('quarter', '2026-11-02').key).toBe('2026-Q4');
    expect(periodContaining('month', '2026-01-31').key).toBe('2026-01');
    expect(periodContaining('year', '2026-06-30').key).toBe('2026');
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(addMonthKey('2026-11', -11)).toBe('2025-12');
  });
});

describe('scoring', () => {
  const linear = { linear: { zero_at: 0.8, full_at: 1 } };
  const steps = { thresholds: [{ at_least: 1, points_share: 1 }, { at_least: 0.95, points_share: 0.8 }, { at_least: 0.9, points_share: 0.5 }] };

  it('scores linearly between zero_at and full_at, clamped', () => {
    expect(share(linear, 0.7)).toBe(0);
    expect(share(linear, 0.8)).toBe(0);
    expect(share(linear, 0.9)).toBeCloseTo(0.5, 12);
    expect(share(linear, 1)).toBe(1);
    // Lower is better when full_at < zero_at (e.g. an error rate).
    expect(share({ linear: { zero_at: 0.01, full_at: 0.001 } }, 0.001)).toBe(1);
  });

  it('takes the highest threshold reached, exactly at the step', () => {
    expect(share(steps, 19 / 20)).toBe(0.8);
    expect(share(steps, 0.949999)).toBe(0.5);
    expect(share(steps, 0.5)).toBe(0);
    expect(share(steps, 1)).toBe(1);
  });

  it('gives full points for a zero denominator and rounds points to 2 decimals', () => {
    expect(score(linear, 20, 0, 0)).toEqual({ value: null, share: 1, points: 20, full: true });
    expect(score({ linear: { zero_at: 0.5, full_at: 1 } }, 20, 2, 3)).toEqual({ value: 0.666667, share: 0.333333, points: 6.67, full: false });
    expect(round2(1.005)).toBe(1.01);
    expect(round2(-2.345)).toBe(-2.35);
  });

  it('ranks equal totals equally (1, 1, 3)', () => {
    const rows = [{ total: 90 }, { total: 100 }, { total: 100.001 }, { total: 80 }];
    const r = rank(rows);
    expect(rows.map((x) => r.get(x))).toEqual([3, 1, 1, 4]);
  });
});
