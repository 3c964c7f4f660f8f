/**
 * The working-day calendar (工作日历) and civil-date arithmetic behind every
 * due date.
 *
 * Dates are plain `YYYY-MM-DD` strings: civil dates in the platform time zone
 * (see clock.ts for how "today" is obtained). No Date objects are used for the
 * arithmetic, so the process time zone never shifts a day.
 *
 * Working days: Monday to Friday, minus public holidays, plus 调休 make-up
 * working days. With `source: 'chinese-days'` the official holidays and
 * make-up days come from the `chinese-days` package (years the package has
 * data for, see `hasHolidayData`; later years count weekends only until the
 * package is updated or the dates are added to the config lists). We read the
 * package's prebuilt data file (dist/chinese-days.json) with the same rule as
 * its `isWorkday` (make-up day, or Monday–Friday and not a holiday) instead of
 * calling its functions: those build their tables with local-time Date
 * arithmetic and shift every date by one day when the process time zone is
 * west of UTC (369 wrong days over 2004–2026 under America/Los_Angeles).
 * With `source: 'none'` only weekends are
 * non-working. The config lists always win: `holidays` are non-working and
 * `workdays` are working whatever the package says. A date in both lists is a
 * configuration error (see `checkCalendarConfig`).
 *
 * Counting convention (the one rule every deadline follows):
 *   `addWorkingDays(D, n)` is the n-th working day AFTER D. D itself never
 *   counts, whether or not it is a working day. A notice served on day D with a
 *   5-working-day statement period ends on the 5th working day after D, and the
 *   period includes that whole day (the due date is the last day on which the
 *   act is on time). Example: served Friday 2025-09-26, 5 working days →
 *   Sun 09-28 (make-up day) 1, 09-29 2, 09-30 3, (10-01..10-08 National Day)
 *   10-09 4, 10-10 5 → due 2025-10-10.
 *   `workingDaysBetween(a, b)` counts the working days in (a, b], so
 *   `workingDaysBetween(D, addWorkingDays(D, n)) === n`, and an act done on day
 *   X is within n working days of D iff `workingDaysBetween(D, X) <= n`
 *   (equivalently `X <= addWorkingDays(D, n)` as strings).
 *
 * Calendar-unit periods (days, months, years, day_of_following_month) land on
 * the computed date even when it is a weekend or holiday: they are NOT rolled
 * forward to the next working day. Month and year arithmetic clamps to the end
 * of the month (01-31 + 1 month = 02-28; 02-29 + 1 year = 02-28).
 *
 * Performance: working-day status is computed once per date (per calendar
 * year, lazily) and kept in a table with a running count of working days, so
 * `addWorkingDays` and `workingDaysBetween` are O(1) array look-ups once the
 * years involved have been seen.
 */
import { createRequire } from 'node:module';
import type { Period } from '../config/schema.ts';

export type CalendarSource = 'chinese-days' | 'none';

/** The shape of `platform.calendar` in config/schema.ts. */
export type CalendarConfig = {
  source: CalendarSource;
  holidays: readonly string[];
  workdays: readonly string[];
};

/** Why a day is or is not a working day. */
export type DayKind =
  | 'workday' // Monday to Friday, nothing special
  | 'weekend' // Saturday or Sunday, nothing special
  | 'holiday' // official public holiday (chinese-days)
  | 'make_up_workday' // official 调休 working weekend day (chinese-days)
  | 'config_holiday' // platform.calendar.holidays
  | 'config_workday'; // platform.calendar.workdays

export type DayInfo = {
  date: string;
  working: boolean;
  kind: DayKind;
  /** Holiday name when known, e.g. 国庆节. */
  name?: string;
  nameEn?: string;
};

export type Calendar = {
  readonly source: CalendarSource;
  isWorkingDay(date: string): boolean;
  /** The n-th working day after `date` (n < 0: before; n = 0: `date` itself). */
  addWorkingDays(date: string, n: number): string;
  /** Working days in (a, b]; negative when b < a. */
  workingDaysBetween(a: string, b: string): number;
  /** The first working day on or after `date`. */
  nextWorkingDayOnOrAfter(date: string): string;
  /** Whether the official holiday data covers `year` (always false for source 'none'). */
  hasHolidayData(year: number): boolean;
  describeDay(date: string): DayInfo;
  addDays(date: string, n: number): string;
  addMonths(date: string, n: number): string;
  addYears(date: string, n: number): string;
  dayOfFollowingMonth(date: string, day: number): string;
  addPeriod(date: string, period: Period): string;
};

// ------------------------------------------------------------ civil dates

const MIN_YEAR = 1;
const MAX_YEAR = 9999;

/** Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's algorithm). */
export function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of dayNumber: [year, month 1-12, day 1-31]. */
export function civilFromDayNumber(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(z: number): number {
  return (((z + 4) % 7) + 7) % 7;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

/** Parses a strict `YYYY-MM-DD` civil date; null when malformed or not a real date. */
export function parseIsoDate(date: string): [number, number, number] | null {
  if (typeof date !== 'string' || date.length !== 10 || date[4] !== '-' || date[7] !== '-') return null;
  const y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const m = digit(date, 5) * 10 + digit(date, 6);
  const d = digit(date, 8) * 10 + digit(date, 9);
  if (Number.isNaN(y + m + d) || y < MIN_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return [y, m, d];
}

export function isIsoDate(date: string): boolean {
  return parseIsoDate(date) !== null;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatIsoDate(y: number, m: number, d: number): string {
  if (y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`日期超出范围 / date out of range: year ${y}`);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

function toDayNumber(date: string): number {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`日期格式应为 YYYY-MM-DD / expected a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return dayNumber(p[0], p[1], p[2]);
}

function fromDayNumber(z: number): string {
  const [y, m, d] = civilFromDayNumber(z);
  return formatIsoDate(y, m, d);
}

function checkInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} 必须是整数 / must be an integer: ${n}`);
}

/** `date` plus n calendar days. */
export function addDays(date: string, n: number): string {
  checkInteger(n, 'days');
  return fromDayNumber(toDayNumber(date) + n);
}

/** `date` plus n months, clamped to the end of the target month (2026-01-31 + 1 = 2026-02-28). */
export function addMonths(date: string, n: number): string {
  checkInteger(n, 'months');
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`日期格式应为 YYYY-MM-DD / expected a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const total = p[0] * 12 + (p[1] - 1) + n;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return formatIsoDate(y, m, Math.min(p[2], daysInMonth(y, m)));
}

/** `date` plus n years; Feb 29 becomes Feb 28 in a common year. */
export function addYears(date: string, n: number): string {
  checkInteger(n, 'years');
  return addMonths(date, n * 12);
}

/**
 * The given day of the month after `date`'s month (税务总局令第54号: "by the 15th
 * of the month after the decision is served"). Clamped to the month's length.
 * If that day is a weekend or holiday it is kept as is, not moved.
 */
export function dayOfFollowingMonth(date: string, day: number): string {
  checkInteger(day, 'day');
  if (day < 1 || day > 31) throw new RangeError(`日应在 1–31 之间 / day must be 1–31: ${day}`);
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`日期格式应为 YYYY-MM-DD / expected a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const y = p[1] === 12 ? p[0] + 1 : p[0];
  const m = p[1] === 12 ? 1 : p[1] + 1;
  return formatIsoDate(y, m, Math.min(day, daysInMonth(y, m)));
}

// ------------------------------------------------------------ config check

/** Problems in a calendar config (bad dates, a date listed both as holiday and workday); Chinese first. */
export function checkCalendarConfig(config: CalendarConfig): string[] {
  const problems: string[] = [];
  for (const [list, dates] of [
    ['holidays', config.holidays],
    ['workdays', config.workdays],
  ] as const) {
    for (const d of dates) {
      if (!isIsoDate(d)) problems.push(`calendar.${list} 中的日期无效 / invalid date in calendar.${list}: ${d}`);
    }
  }
  const holidays = new Set(config.holidays);
  for (const d of config.workdays) {
    if (holidays.has(d)) {
      problems.push(
        `日期 ${d} 同时列为节假日和工作日 / ${d} is listed both in calendar.holidays and calendar.workdays`,
      );
    }
  }
  return problems;
}

// ------------------------------------------------------------ the calendar

type ChineseDaysData = {
  /** date → "English name,中文名,days" */
  holidays: Record<string, string>;
  /** 调休 make-up working days, same format */
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
};

let officialData: { data: ChineseDaysData; years: Set<number> } | undefined;

/** The chinese-days data, loaded once per process. */
function chineseDaysData(): { data: ChineseDaysData; years: Set<number> } {
  if (!officialData) {
    const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
    const years = new Set<number>();
    for (const d of Object.keys(data.holidays)) years.add(Number(d.slice(0, 4)));
    officialData = { data, years };
  }
  return officialData;
}

function splitHolidayName(name: string | undefined): { name?: string; nameEn?: string } {
  // chinese-days names look like "National Day,国庆节,3".
  const parts = (name ?? '').split(',');
  if (parts.length < 2) return {};
  return { nameEn: parts[0], name: parts[1] };
}

const OFFICIAL = 2; // status bit: official holiday or make-up day (from the package)
const CONFIG = 4; // status bit: overridden by config
const WORKING = 1;

export function createCalendar(config: CalendarConfig): Calendar {
  const problems = checkCalendarConfig(config);
  if (problems.length) throw new RangeError(problems.join('\n'));
  const source = config.source;
  const overrides = new Map<number, boolean>();
  for (const d of config.holidays) overrides.set(toDayNumber(d), false);
  for (const d of config.workdays) overrides.set(toDayNumber(d), true);

  // Per-year day status (bit flags), computed once per year.
  const yearStatus = new Map<number, Uint8Array>();

  function statusOfYear(y: number): Uint8Array {
    let s = yearStatus.get(y);
    if (s) return s;
    const first = dayNumber(y, 1, 1);
    const len = isLeapYear(y) ? 366 : 365;
    s = new Uint8Array(len);
    const official = source === 'chinese-days' && hasHolidayData(y) ? chineseDaysData().data : undefined;
    for (let i = 0; i < len; i++) {
      const z = first + i;
      const wd = weekdayOfDayNumber(z);
      const weekday = wd >= 1 && wd <= 5;
      let flags = weekday ? WORKING : 0;
      if (official) {
        // The package's isWorkday: a make-up day, or Monday–Friday and not a holiday.
        const iso = fromDayNumber(z);
        if (official.workdays[iso] !== undefined) flags = WORKING | OFFICIAL;
        else if (official.holidays[iso] !== undefined) flags = OFFICIAL;
      }
      const o = overrides.get(z);
      if (o !== undefined) flags = (o ? WORKING : 0) | CONFIG;
      s[i] = flags;
    }
    yearStatus.set(y, s);
    return s;
  }

  function hasHolidayData(year: number): boolean {
    return source === 'chinese-days' && chineseDaysData().years.has(year);
  }

  // The running table over whole years [yLo, yHi]: day numbers [lo, hi).
  let yLo = 0;
  let yHi = -1;
  let lo = 0;
  let hi = 0;
  let working = new Uint8Array(0); // 1 if working, by day - lo
  let rank = new Int32Array(1); // rank[i] = working days in [lo, lo + i)
  let list = new Int32Array(0); // working day numbers, ascending
  let names: (string | undefined)[] = []; // formatted dates, by day - lo

  function rebuild(newLo: number, newHi: number): void {
    const days: Uint8Array[] = [];
    for (let y = newLo; y <= newHi; y++) days.push(statusOfYear(y));
    const start = dayNumber(newLo, 1, 1);
    const total = dayNumber(newHi + 1, 1, 1) - start;
    const w = new Uint8Array(total);
    let off = 0;
    for (const s of days) {
      for (let i = 0; i < s.length; i++) w[off + i] = s[i]! & WORKING;
      off += s.length;
    }
    const r = new Int32Array(total + 1);
    let count = 0;
    for (let i = 0; i < total; i++) {
      r[i] = count;
      count += w[i]!;
    }
    r[total] = count;
    const l = new Int32Array(count);
    for (let i = 0, k = 0; i < total; i++) if (w[i]) l[k++] = start + i;
    const oldNames = names;
    const shift = lo - start;
    names = new Array(total);
    if (yHi >= yLo) for (let i = 0; i < oldNames.length; i++) if (oldNames[i] !== undefined) names[i + shift] = oldNames[i];
    yLo = newLo;
    yHi = newHi;
    lo = start;
    hi = start + total;
    working = w;
    rank = r;
    list = l;
  }

  /** Makes the table cover day numbers [from, to] (inclusive), growing by at least a few years. */
  function ensure(from: number, to: number): void {
    if (from >= lo && to < hi) return;
    const yFrom = civilFromDayNumber(from)[0];
    const yTo = civilFromDayNumber(to)[0];
    if (yFrom < MIN_YEAR || yTo > MAX_YEAR) {
      throw new RangeError(`日期超出范围 / date out of range (years ${MIN_YEAR}–${MAX_YEAR})`);
    }
    if (yHi < yLo) {
      rebuild(Math.max(MIN_YEAR, yFrom - 1), Math.min(MAX_YEAR, yTo + 3));
      return;
    }
    // Grow geometrically so that walking far ahead does not rebuild year by year.
    const span = yHi - yLo + 1;
    const newLo = yFrom < yLo ? Math.max(MIN_YEAR, Math.min(yFrom, yLo - span)) : yLo;
    const newHi = yTo > yHi ? Math.min(MAX_YEAR, Math.max(yTo, yHi + span)) : yHi;
    rebuild(newLo, newHi);
  }

  function name(z: number): string {
    const i = z - lo;
    let s = names[i];
    if (s === undefined) {
      s = fromDayNumber(z);
      names[i] = s;
    }
    return s;
  }

  function isWorkingDay(date: string): boolean {
    const z = toDayNumber(date);
    ensure(z, z);
    return working[z - lo] === 1;
  }

  function addWorkingDays(date: string, n: number): string {
    checkInteger(n, 'working days');
    const z = toDayNumber(date);
    if (n === 0) return fromDayNumber(z);
    ensure(z, z + 1);
    if (n > 0) {
      for (;;) {
        const idx = rank[z + 1 - lo]! + n - 1;
        if (idx < list.length) return name(list[idx]!);
        ensure(z, hi + Math.ceil((idx - list.length + 1) * 1.6) + 30);
      }
    }
    for (;;) {
      const idx = rank[z - lo]! + n;
      if (idx >= 0) return name(list[idx]!);
      ensure(lo - Math.ceil(-idx * 1.6) - 30, z);
    }
  }

  function workingDaysBetween(a: string, b: string): number {
    const za = toDayNumber(a);
    const zb = toDayNumber(b);
    const [x, y, sign] = za <= zb ? [za, zb, 1] : [zb, za, -1];
    ensure(x, y + 1);
    return sign * (rank[y + 1 - lo]! - rank[x + 1 - lo]!) || 0;
  }

  function nextWorkingDayOnOrAfter(date: string): string {
    const z = toDayNumber(date);
    ensure(z, z);
    if (working[z - lo] === 1) return name(z);
    return addWorkingDays(date, 1);
  }

  function describeDay(date: string): DayInfo {
    const z = toDayNumber(date);
    const [y] = civilFromDayNumber(z);
    const flags = statusOfYear(y)[z - dayNumber(y, 1, 1)]!;
    const isWorking = (flags & WORKING) === WORKING;
    const wd = weekdayOfDayNumber(z);
    const weekday = wd >= 1 && wd <= 5;
    const iso = fromDayNumber(z);
    if (flags & CONFIG) return { date: iso, working: isWorking, kind: isWorking ? 'config_workday' : 'config_holiday' };
    if (flags & OFFICIAL) {
      const { data } = chineseDaysData();
      const holidayName = splitHolidayName(data.workdays[iso] ?? data.holidays[iso]);
      return { date: iso, working: isWorking, kind: isWorking ? 'make_up_workday' : 'holiday', ...holidayName };
    }
    return { date: iso, working: isWorking, kind: weekday ? 'workday' : 'weekend' };
  }

  function addPeriod(date: string, period: Period): string {
    if (period.working_days !== undefined) return addWorkingDays(date, period.working_days);
    if (period.days !== undefined) return addDays(date, period.days);
    if (period.months !== undefined) return addMonths(date, period.months);
    if (period.years !== undefined) return addYears(date, period.years);
    if (period.day_of_following_month !== undefined) return dayOfFollowingMonth(date, period.day_of_following_month);
    throw new RangeError(`期限未指定单位 / period has no unit: ${JSON.stringify(period)}`);
  }

  return {
    source,
    isWorkingDay,
    addWorkingDays,
    workingDaysBetween,
    nextWorkingDayOnOrAfter,
    hasHolidayData,
    describeDay,
    addDays,
    addMonths,
    addYears,
    dayOfFollowingMonth,
    addPeriod,
  };
}
