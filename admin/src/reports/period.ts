/**
 * Assessment periods offered by the selector: years, quarters and months counted back from
 * today, in the API's keys (2026, 2026-Q3, 2026-07). Pure: unit-tested in period.test.ts.
 */
export type PeriodKind = 'year' | 'quarter' | 'month';

/** Key of the period of `kind` containing the civil date `today` (YYYY-MM-DD). */
export function periodKeyOf(kind: PeriodKind, today: string): string {
  const year = today.slice(0, 4);
  const month = Number(today.slice(5, 7));
  if (kind === 'year') return year;
  if (kind === 'quarter') return `${year}-Q${Math.ceil(month / 3)}`;
  return `${year}-${String(month).padStart(2, '0')}`;
}

export function kindOfPeriod(key: string): PeriodKind {
  if (/^\d{4}$/.test(key)) return 'year';
  if (/^\d{4}-Q[1-4]$/.test(key)) return 'quarter';
  return 'month';
}

/** `count` periods of `kind` ending with the one containing `today`, newest first. */
export function recentPeriods(kind: PeriodKind, today: string, count: number): string[] {
  let year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const out: string[] = [];
  if (kind === 'year') {
    for (let i = 0; i < count; i++) out.push(String(year - i));
    return out;
  }
  if (kind === 'quarter') {
    let quarter = Math.ceil(month / 3);
    for (let i = 0; i < count; i++) {
      out.push(`${year}-Q${quarter}`);
      quarter -= 1;
      if (quarter === 0) {
        quarter = 4;
        year -= 1;
      }
    }
    return out;
  }
  let m = month;
  for (let i = 0; i < count; i++) {
    out.push(`${year}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      year -= 1;
    }
  }
  return out;
}

/** Share (0..1) as a percentage with one decimal, or '—' when there is nothing to assess. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/** Points with two decimals and a sign for adjustments. */
export function signed(points: number): string {
  return points > 0 ? `+${points.toFixed(2)}` : points.toFixed(2);
}
