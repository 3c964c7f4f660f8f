import { describe, expect, it } from 'vitest';
import { kindOfPeriod, percent, periodKeyOf, recentPeriods, signed } from './period';

describe('report periods', () => {
  it('names the period containing a date', () => {
    expect(periodKeyOf('year', '2026-11-02')).toBe('2026');
    expect(periodKeyOf('quarter', '2026-11-02')).toBe('2026-Q4');
    expect(periodKeyOf('quarter', '2026-03-31')).toBe('2026-Q1');
    expect(periodKeyOf('month', '2026-01-15')).toBe('2026-01');
  });

  it('counts back across year ends', () => {
    expect(recentPeriods('quarter', '2026-02-01', 3)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3']);
    expect(recentPeriods('month', '2026-02-01', 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(recentPeriods('year', '2026-02-01', 2)).toEqual(['2026', '2025']);
  });

  it('tells the kind of a key', () => {
    expect(kindOfPeriod('2026')).toBe('year');
    expect(kindOfPeriod('2026-Q2')).toBe('quarter');
    expect(kindOfPeriod('2026-07')).toBe('month');
  });

  it('formats rates and points', () => {
    expect(percent(0.98765)).toBe('98.8%');
    expect(percent(null)).toBe('—');
    expect(signed(2)).toBe('+2.00');
    expect(signed(-1.5)).toBe('-1.50');
  });
});
