import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  type CalendarConfig,
  checkCalendarConfig,
  createCalendar,
  dayOfFollowingMonth,
  isIsoDate,
} from './calendar.ts';

const official: CalendarConfig = { source: 'chinese-days', holidays: [], workdays: [] };
const cal = createCalendar(official);

/** Walks day by day: the reference implementation of the counting rule. */
function naiveAddWorkingDays(isWorking: (d: string) => boolean, date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorking(d)) left--;
  }
  return d;
}

describe('isWorkingDay with chinese-days', () => {
  it('knows National Day week 2025 and its make-up days', () => {
    expect(cal.isWorkingDay('2025-09-26')).toBe(true); // Friday
    expect(cal.isWorkingDay('2025-09-27')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2025-09-28')).toBe(true); // Sunday, make-up day
    for (let d = 1; d <= 8; d++) expect(cal.isWorkingDay(`2025-10-0${d}`)).toBe(false);
    expect(cal.isWorkingDay('2025-10-09')).toBe(true);
    expect(cal.isWorkingDay('2025-10-10')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true); // Saturday, make-up day
    expect(cal.isWorkingDay('2025-10-12')).toBe(false); // Sunday
  });

  it('knows Spring Festival 2026 (Feb 15–23, make-up Saturdays Feb 14 and 28)', () => {
    expect(cal.isWorkingDay('2026-02-13')).toBe(true);
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    for (let d = 15; d <= 23; d++) expect(cal.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.isWorkingDay('2026-03-01')).toBe(false);
  });

  it('describes why a day is or is not a working day', () => {
    expect(cal.describeDay('2025-10-01')).toEqual({
      date: '2025-10-01',
      working: false,
      kind: 'holiday',
      name: '国庆节',
      nameEn: 'National Day',
    });
    expect(cal.describeDay('2025-10-11')).toMatchObject({ working: true, kind: 'make_up_workday', name: '国庆节' });
    expect(cal.describeDay('2025-10-04')).toMatchObject({ working: false, kind: 'holiday' }); // a holiday on a Saturday
    expect(cal.describeDay('2025-10-09')).toEqual({ date: '2025-10-09', working: true, kind: 'workday' });
    expect(cal.describeDay('2025-10-12')).toEqual({ date: '2025-10-12', working: false, kind: 'weekend' });
  });

  it('reports which years have official data; later years count weekends only', () => {
    expect(cal.hasHolidayData(2025)).toBe(true);
    expect(cal.hasHolidayData(2026)).toBe(true);
    expect(cal.hasHolidayData(2099)).toBe(false);
    expect(createCalendar({ ...official, source: 'none' }).hasHolidayData(2026)).toBe(false);
    expect(cal.isWorkingDay('2099-10-01')).toBe(true); // a Thursday; no holiday data for 2099
  });

  it('agrees with the chinese-days functions for every day of 2004–2026', { timeout: 20_000 }, () => {
    // Those functions shift dates when the process time zone is west of UTC (the reason
    // calendar.ts reads the data file); compare only where they are right.
    if (new Date(2025, 0, 1).getTimezoneOffset() > 0) return;
    for (let d = '2004-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      const [y, m, day] = d.split('-').map(Number) as [number, number, number];
      expect(cal.isWorkingDay(d), d).toBe(chineseDays.isWorkday(new Date(y, m - 1, day, 12)));
    }
  });

  it('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      const c = createCalendar(official);
      expect(c.isWorkingDay('2025-10-01')).toBe(false);
      expect(c.isWorkingDay('2025-09-30')).toBe(true);
      expect(c.isWorkingDay('2025-09-28')).toBe(true);
      expect(c.addWorkingDays('2025-09-26', 5)).toBe('2025-10-10');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('addWorkingDays: the n-th working day after the date', () => {
  it('runs across National Day 2025 and the make-up Sunday before it', () => {
    // Notice served Friday 09-26, 5 working days: 09-28 (make-up), 09-29, 09-30, 10-09, 10-10.
    expect(cal.addWorkingDays('2025-09-26', 5)).toBe('2025-10-10');
    expect(cal.addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
  });

  it('counts a make-up Saturday', () => {
    expect(cal.addWorkingDays('2025-10-10', 1)).toBe('2025-10-11');
    expect(cal.addWorkingDays('2025-10-10', 2)).toBe('2025-10-13');
  });

  it('runs across Spring Festival 2026', () => {
    // 02-13 (1), 02-14 make-up Saturday (2), holidays 02-15..23, 02-24 (3).
    expect(cal.addWorkingDays('2026-02-12', 3)).toBe('2026-02-24');
    // 双公示 within 7 working days of a decision on Tuesday 02-10.
    expect(cal.addWorkingDays('2026-02-10', 7)).toBe('2026-02-26');
    expect(cal.addWorkingDays('2026-02-27', 1)).toBe('2026-02-28');
  });

  it('starts counting after a non-working start date', () => {
    expect(cal.addWorkingDays('2025-10-01', 1)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-10-04', 1)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-10-12', 1)).toBe('2025-10-13');
  });

  it('returns the date itself for 0 and counts backwards for negative n', () => {
    expect(cal.addWorkingDays('2025-10-04', 0)).toBe('2025-10-04');
    expect(cal.addWorkingDays('2025-10-09', -1)).toBe('2025-09-30');
    expect(cal.addWorkingDays('2025-10-10', -5)).toBe('2025-09-26');
    expect(cal.addWorkingDays('2026-02-24', -2)).toBe('2026-02-13');
  });

  it('matches a day-by-day walk over 2024–2027 and inverts workingDaysBetween', () => {
    const start = '2024-01-01';
    for (let i = 0; i < 1400; i += 7) {
      const d = addDays(start, i);
      for (const n of [1, 2, 3, 5, 7, 10, 15, 60, 250]) {
        const due = cal.addWorkingDays(d, n);
        expect(due, `${d} + ${n}`).toBe(naiveAddWorkingDays(cal.isWorkingDay, d, n));
        expect(cal.workingDaysBetween(d, due)).toBe(n);
        expect(cal.addWorkingDays(due, -n) <= d).toBe(true);
      }
    }
  });

  it('goes far ahead and far back', () => {
    const far = cal.addWorkingDays('2025-01-01', 5000);
    expect(cal.workingDaysBetween('2025-01-01', far)).toBe(5000);
    // Backwards from a working day, the count is its exact inverse.
    const back = cal.addWorkingDays('2025-01-02', -5000);
    expect(cal.workingDaysBetween(back, '2025-01-02')).toBe(5000);
    expect(cal.addWorkingDays(back, 5000)).toBe('2025-01-02');
    // From a holiday (New Year's Day) the holiday itself is not counted: 4999 in (back, 01-01].
    const fromHoliday = cal.addWorkingDays('2025-01-01', -5000);
    expect(cal.workingDaysBetween(fromHoliday, '2025-01-01')).toBe(4999);
  });

  it('refuses non-integer counts and malformed dates', () => {
    expect(() => cal.addWorkingDays('2025-10-01', 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-10-1', 1)).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('not a date')).toThrow(RangeError);
  });
});

describe('workingDaysBetween: working days in (a, b]', () => {
  it('counts National Day week 2025', () => {
    expect(cal.workingDaysBetween('2025-09-26', '2025-10-10')).toBe(5);
    expect(cal.workingDaysBetween('2025-10-10', '2025-09-26')).toBe(-5);
    expect(cal.workingDaysBetween('2025-10-01', '2025-10-08')).toBe(0);
    expect(cal.workingDaysBetween('2025-10-09', '2025-10-09')).toBe(0);
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-09')).toBe(1);
  });

  it('tells whether an act was on time', () => {
    // decision 2026-02-10, published 2026-02-26: 7 working days, on time; 02-27 is the 8th.
    expect(cal.workingDaysBetween('2026-02-10', '2026-02-26')).toBe(7);
    expect(cal.workingDaysBetween('2026-02-10', '2026-02-27')).toBe(8);
  });
});

describe('nextWorkingDayOnOrAfter', () => {
  it('keeps a working day and moves a holiday forward', () => {
    expect(cal.nextWorkingDayOnOrAfter('2025-10-09')).toBe('2025-10-09');
    expect(cal.nextWorkingDayOnOrAfter('2025-10-01')).toBe('2025-10-09');
    expect(cal.nextWorkingDayOnOrAfter('2026-02-15')).toBe('2026-02-24');
  });
});

describe('config lists', () => {
  it('config holidays and workdays win over the package', () => {
    const c = createCalendar({ source: 'chinese-days', holidays: ['2025-10-09'], workdays: ['2025-10-08'] });
    expect(c.isWorkingDay('2025-10-09')).toBe(false);
    expect(c.isWorkingDay('2025-10-08')).toBe(true);
    expect(c.addWorkingDays('2025-09-30', 1)).toBe('2025-10-08');
    expect(c.addWorkingDays('2025-09-30', 2)).toBe('2025-10-10');
    expect(c.describeDay('2025-10-09')).toEqual({ date: '2025-10-09', working: false, kind: 'config_holiday' });
    expect(c.describeDay('2025-10-08')).toEqual({ date: '2025-10-08', working: true, kind: 'config_workday' });
    // the shared calendar is unaffected
    expect(cal.isWorkingDay('2025-10-09')).toBe(true);
  });

  it("source 'none' counts weekends only, plus the config lists", () => {
    const c = createCalendar({ source: 'none', holidays: ['2025-10-01'], workdays: ['2025-09-28'] });
    expect(c.isWorkingDay('2025-10-01')).toBe(false);
    expect(c.isWorkingDay('2025-10-02')).toBe(true);
    expect(c.isWorkingDay('2025-09-28')).toBe(true);
    expect(c.isWorkingDay('2025-10-11')).toBe(false);
    expect(c.addWorkingDays('2025-09-26', 5)).toBe('2025-10-03'); // 28, 29, 30, (1 off), 2, 3
  });

  it('refuses a date listed as both holiday and workday, and bad dates', () => {
    const both: CalendarConfig = { source: 'none', holidays: ['2026-05-06'], workdays: ['2026-05-06'] };
    expect(checkCalendarConfig(both)).toHaveLength(1);
    expect(() => createCalendar(both)).toThrow(/2026-05-06/);
    expect(checkCalendarConfig({ source: 'none', holidays: ['2026-13-01'], workdays: [] })).toHaveLength(1);
    expect(checkCalendarConfig(official)).toEqual([]);
  });
});

describe('calendar-unit arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', 365)).toBe('2026-01-01');
    expect(addDays('2026-01-10', 0)).toBe('2026-01-10');
  });

  it('adds months, clamping to the end of the month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonths('2025-07-10', 6)).toBe('2026-01-10');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
  });

  it('adds years; Feb 29 becomes Feb 28', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2026-05-20', 3)).toBe('2029-05-20');
  });

  it('gives the day of the following month, kept even on a holiday', () => {
    expect(dayOfFollowingMonth('2025-12-03', 15)).toBe('2026-01-15');
    expect(dayOfFollowingMonth('2025-12-31', 15)).toBe('2026-01-15');
    // 2026-02-15 is a Sunday in Spring Festival: kept, not moved.
    expect(dayOfFollowingMonth('2026-01-20', 15)).toBe('2026-02-15');
    expect(cal.isWorkingDay('2026-02-15')).toBe(false);
    expect(dayOfFollowingMonth('2026-01-31', 31)).toBe('2026-02-28');
    expect(() => dayOfFollowingMonth('2026-01-31', 0)).toThrow(RangeError);
  });

  it('validates ISO dates strictly', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-28')).toBe(false);
    expect(isIsoDate('2025-02-28T00:00')).toBe(false);
    expect(isIsoDate('2025/02/28')).toBe(false);
  });
});

describe('addPeriod', () => {
  it('dispatches on the period unit', () => {
    expect(cal.addPeriod('2025-09-26', { working_days: 5 })).toBe('2025-10-10');
    expect(cal.addPeriod('2025-09-26', { days: 30 })).toBe('2025-10-26');
    expect(cal.addPeriod('2026-01-31', { months: 1 })).toBe('2026-02-28');
    expect(cal.addPeriod('2024-02-29', { years: 3 })).toBe('2027-02-28');
    expect(cal.addPeriod('2026-01-20', { day_of_following_month: 15 })).toBe('2026-02-15');
  });

  it('refuses a period without a unit', () => {
    expect(() => cal.addPeriod('2026-01-20', {})).toThrow(RangeError);
  });
});
