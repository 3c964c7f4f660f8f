import type { Period } from './schema.ts';

/**
 * Rough length in calendar days, only to compare periods of different units in
 * the linter (a working week is 7 days for 5 working days). Due dates are computed
 * by the working-day calendar, never by this.
 */
export function approxDays(p: Period): number {
  if (p.working_days) return Math.ceil((p.working_days * 7) / 5);
  if (p.days) return p.days;
  if (p.months) return p.months * 30.44;
  if (p.years) return p.years * 365.25;
  if (p.day_of_following_month) return 31 + p.day_of_following_month;
  return 0;
}

export function formatPeriod(p: Period): string {
  if (p.working_days) return `${p.working_days}个工作日`;
  if (p.days) return `${p.days}日`;
  if (p.months) return `${p.months}个月`;
  if (p.years) return `${p.years}年`;
  if (p.day_of_following_month) return `次月${p.day_of_following_month}日前`;
  return '';
}
