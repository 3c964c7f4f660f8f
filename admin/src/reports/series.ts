/**
 * Chart data from the report answers, in the { x, y, series } rows @ant-design/plots reads. Pure:
 * unit-tested in series.test.ts.
 */
import type { AssessmentReport, CounterKey, StatisticsReport } from './api';

export const TREND_KEYS: CounterKey[] = ['added', 'published', 'exited', 'repaired'];

/** The counters in the API's column order (the order of its labels). */
export function counterKeys(labels: StatisticsReport['labels']): CounterKey[] {
  return Object.keys(labels) as CounterKey[];
}

/** One line per counter over the months of the statistics. */
export function trendSeries(s: Pick<StatisticsReport, 'trend' | 'labels'>, keys: CounterKey[] = TREND_KEYS) {
  return s.trend.flatMap((m) => keys.map((k) => ({ x: m.month, y: m[k] ?? 0, series: s.labels[k] ?? k })));
}

/** Each department's indicator points, stacked into its computed score. */
export function scoreSeries(r: Pick<AssessmentReport, 'departments'>) {
  return r.departments.flatMap((d) => d.indicators.map((i) => ({ x: d.name, y: i.points, series: i.name })));
}

/** Each indicator's average score rate (points ÷ weight, in %, one decimal) over the departments shown. */
export function indicatorRates(r: Pick<AssessmentReport, 'departments' | 'indicators'>, pick: (name: string, nameEn?: string) => string) {
  return r.indicators.map((ind, n) => {
    const shares = r.departments.map((d) => (ind.weight ? (d.indicators[n]?.points ?? 0) / ind.weight : 0));
    const avg = shares.length ? shares.reduce((s, x) => s + x, 0) / shares.length : 0;
    return { x: pick(ind.name, ind.nameEn ?? undefined), y: Math.round(avg * 1000) / 10 };
  });
}
