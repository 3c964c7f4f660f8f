/**
 * Report periods: a month (`2026-07`), a quarter (`2026-Q3`) or a year
 * (`2026`), as civil dates in the platform time zone. A period is the
 * half-open range [start, end) of YYYY-MM-DD dates; SQL turns the bounds into
 * instants with `(date::timestamp at time zone <tz>)` so that an act at 23:30
 * Beijing time on the last day still belongs to the period.
 */
import { AppError } from '../http/errors.ts';
import { addDays, addMonths } from '../procedures/calendar.ts';

export type PeriodKind = 'month' | 'quarter' | 'year';

export type ReportPeriod = {
  /** Normalised key, e.g. 2026-Q3; adjustments are stored under it. */
  key: string;
  kind: PeriodKind;
  /** First day of the period. */
  start: string;
  /** First day after the period. */
  end: string;
  /** Last day of the period. */
  last: string;
  label: string;
  labelEn: string;
};

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-[Qq]([1-4])$/;
const YEAR = /^(\d{4})$/;

function build(kind: PeriodKind, year: number, n: number): ReportPeriod {
  const y = String(year).padStart(4, '0');
  if (kind === 'year') {
    const start = `${y}-01-01`;
    const end = addMonths(start, 12);
    return { key: y, kind, start, end, last: addDays(end, -1), label: `${year}年`, labelEn: y };
  }
  if (kind === 'quarter') {
    const start = `${y}-${String((n - 1) * 3 + 1).padStart(2, '0')}-01`;
    const end = addMonths(start, 3);
    return { key: `${y}-Q${n}`, kind, start, end, last: addDays(end, -1), label: `${year}年第${n}季度`, labelEn: `${y} Q${n}` };
  }
  const m = String(n).padStart(2, '0');
  const start = `${y}-${m}-01`;
  const end = addMonths(start, 1);
  return { key: `${y}-${m}`, kind, start, end, last: addDays(end, -1), label: `${year}年${n}月`, labelEn: `${y}-${m}` };
}

const invalid = (value: string, param: string) =>
  new AppError(422, 'INVALID_PERIOD', `期间“${value}”格式错误，应为 2026、2026-Q3 或 2026-07`, `invalid period "${value}"; expected 2026, 2026-Q3 or 2026-07`, [
    { path: param, message: '格式应为 YYYY、YYYY-Qn 或 YYYY-MM', messageEn: 'expected YYYY, YYYY-Qn or YYYY-MM' },
  ]);

/** Parses a period key; throws a 422 AppError naming `param` when malformed. */
export function parsePeriod(value: string, param = 'period'): ReportPeriod {
  let m = QUARTER.exec(value);
  if (m) return checkYear(build('quarter', Number(m[1]), Number(m[2])), value, param);
  m = MONTH.exec(value);
  if (m) return checkYear(build('month', Number(m[1]), Number(m[2])), value, param);
  m = YEAR.exec(value);
  if (m) return checkYear(build('year', Number(m[1]), 0), value, param);
  throw invalid(value, param);
}

function checkYear(p: ReportPeriod, value: string, param: string): ReportPeriod {
  const year = Number(p.start.slice(0, 4));
  if (year < 2000 || year > 2100) throw invalid(value, param);
  return p;
}

/** The period of the given kind that contains `date` (YYYY-MM-DD). */
export function periodContaining(kind: PeriodKind, date: string): ReportPeriod {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (kind === 'year') return build('year', year, 0);
  if (kind === 'quarter') return build('quarter', year, Math.floor((month - 1) / 3) + 1);
  return build('month', year, month);
}

/** A month key YYYY-MM, validated. */
export function parseMonth(value: string, param: string): string {
  if (!MONTH.exec(value)) {
    throw new AppError(422, 'INVALID_MONTH', `月份“${value}”格式错误，应为 YYYY-MM`, `invalid month "${value}"; expected YYYY-MM`, [{ path: param, message: '格式应为 YYYY-MM', messageEn: 'expected YYYY-MM' }]);
  }
  return value;
}

/** Month keys from `from` to `to` inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = `${from}-01`; d.slice(0, 7) <= to; d = addMonths(d, 1)) out.push(d.slice(0, 7));
  return out;
}

/** `month` (YYYY-MM) plus n months. */
export function addMonthKey(month: string, n: number): string {
  return addMonths(`${month}-01`, n).slice(0, 7);
}
