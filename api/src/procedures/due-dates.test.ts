import { describe, expect, it } from 'vitest';
import type { Clock } from '../config/compile.ts';
import { createCalendar } from './calendar.ts';
import {
  type ClockSpec,
  clocksStartingAt,
  computeDueDate,
  dueDatesFor,
  dueDatesOnEntering,
  isOnTime,
  isOverdue,
} from './due-dates.ts';

const cal = createCalendar({ source: 'chinese-days', holidays: [], workdays: [] });

// The clocks compile.ts `clocksOf` would declare for a black list with a tax-style publication rule.
const clocks: Clock[] = [
  { id: 'notice_end', label: '陈述申辩期满', labelEn: 'Statement period ends', from: 'notice_served', period: { working_days: 5 } },
  { id: 'publish_due', label: '公示期限', labelEn: 'Publish by', from: 'decision', period: { working_days: 7 } },
  { id: 'term_end', label: '列入期满', labelEn: 'Term ends', from: 'decision', period: { years: 3 } },
  { id: 'min_period_end', label: '可申请修复', labelEn: 'Repair possible from', from: 'published', period: { months: 6 } },
  { id: 'repair_accept_due', label: '修复受理期限', labelEn: 'Accept repair by', from: 'applied', period: { working_days: 3 } },
  { id: 'early_exit_paid', label: '可提前移出', labelEn: 'Early exit: paid', from: 'published', period: { years: 1 } },
  { id: 'objection_due', label: '异议答复期限', labelEn: 'Answer objection by', from: 'received', period: { working_days: 5 } },
  { id: 'tax_publish', label: '次月公布', labelEn: 'Publish by the 15th', from: 'decision', period: { day_of_following_month: 15 } },
];
// compile.ts clocks are accepted where ClockSpec is expected.
const specs: readonly ClockSpec[] = clocks;

describe('computeDueDate', () => {
  it('applies the calendar to one period', () => {
    expect(computeDueDate(cal, '2025-09-26', { working_days: 5 })).toBe('2025-10-10');
    expect(computeDueDate(cal, '2026-01-31', { months: 1 })).toBe('2026-02-28');
  });
});

describe('dueDatesFor', () => {
  it('computes every clock whose start is known', () => {
    expect(dueDatesFor(cal, specs, { notice_served: '2025-09-26', decision: '2026-02-10' })).toEqual({
      notice_end: '2025-10-10', // across National Day and the make-up Sunday 09-28
      publish_due: '2026-02-26', // across Spring Festival and the make-up Saturday 02-14
      term_end: '2029-02-10',
      tax_publish: '2026-03-15',
    });
  });

  it('returns nothing when no start is known', () => {
    expect(dueDatesFor(cal, specs, {})).toEqual({});
    expect(dueDatesFor(cal, [], { decision: '2026-02-10' })).toEqual({});
  });

  it('covers all clocks once every start is set', () => {
    const all = dueDatesFor(cal, specs, {
      notice_served: '2025-09-26',
      decision: '2026-02-10',
      published: '2026-01-31',
      applied: '2026-02-13',
      received: '2025-09-30',
    });
    expect(Object.keys(all).sort()).toEqual(clocks.map((c) => c.id).sort());
    expect(all.min_period_end).toBe('2026-07-31');
    expect(all.early_exit_paid).toBe('2027-01-31');
    expect(all.repair_accept_due).toBe('2026-02-25'); // 02-14 (make-up), 02-24, 02-25
    expect(all.objection_due).toBe('2025-10-14'); // 10-09, 10-10, 10-11 (make-up), 10-13, 10-14
  });
});

describe('dueDatesOnEntering', () => {
  it('computes only the clocks that start with the state', () => {
    expect(clocksStartingAt(clocks, 'published').map((c) => c.id)).toEqual(['min_period_end', 'early_exit_paid']);
    expect(dueDatesOnEntering(cal, specs, 'published', '2026-01-31')).toEqual({
      min_period_end: '2026-07-31',
      early_exit_paid: '2027-01-31',
    });
    expect(dueDatesOnEntering(cal, specs, 'corrected', '2026-01-31')).toEqual({});
  });
});

describe('isOnTime / isOverdue', () => {
  it('treats the due date as inclusive', () => {
    expect(isOnTime('2026-02-26', '2026-02-26')).toBe(true);
    expect(isOnTime('2026-02-26', '2026-02-27')).toBe(false);
    expect(isOverdue('2026-02-26', '2026-02-26')).toBe(false);
    expect(isOverdue('2026-02-26', '2026-02-27')).toBe(true);
  });
});
