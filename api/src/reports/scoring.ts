/**
 * From an indicator's value to its points (config/assessment.yaml `scoring`):
 *
 *   linear {zero_at, full_at}   share = (value − zero_at) / (full_at − zero_at),
 *                               clamped to [0, 1]
 *   thresholds [{at_least, points_share}]
 *                               share of the highest step reached (value ≥
 *                               at_least); 0 when no step is reached
 *   points = weight × share, rounded to 2 decimals (half away from zero).
 *
 * A zero denominator (nothing to assess in the period) gives full points: a
 * department is not punished for having no cases. The report says so in the
 * indicator's note, so a reader can tell "all on time" from "nothing due".
 */
import type { z } from 'zod';
import type { Scoring } from '../config/schema.ts';

export type ScoringRule = z.infer<typeof Scoring>;

/** Comparisons tolerate float noise in value = numerator / denominator. */
const EPS = 1e-9;

export function share(rule: ScoringRule, value: number): number {
  if ('linear' in rule) {
    const { zero_at: zero, full_at: full } = rule.linear;
    if (full === zero) return value + EPS >= full ? 1 : 0;
    const s = (value - zero) / (full - zero);
    if (s > 1 - EPS) return 1;
    if (s < EPS) return 0;
    return s;
  }
  let best = 0;
  let bestAt = Number.NEGATIVE_INFINITY;
  for (const step of rule.thresholds) {
    if (value + EPS >= step.at_least && step.at_least > bestAt) {
      bestAt = step.at_least;
      best = step.points_share;
    }
  }
  return best;
}

/** Rounds to 2 decimals, half away from zero, without binary artefacts (1.005 → 1.01). */
export function round2(n: number): number {
  const r = Math.round((Math.abs(n) + Number.EPSILON) * 100) / 100;
  return n < 0 ? -r : r;
}

/** Rounds a ratio to 6 decimals for display (the exact numerator and denominator are given beside it). */
export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export type Scored = { value: number | null; share: number; points: number; full: boolean };

export function score(rule: ScoringRule, weight: number, numerator: number, denominator: number): Scored {
  if (denominator === 0) return { value: null, share: 1, points: round2(weight), full: true };
  const value = numerator / denominator;
  const s = share(rule, value);
  return { value: round6(value), share: round6(s), points: round2(weight * s), full: false };
}

/** Competition ranking (1, 1, 3): equal totals share a rank. Totals are compared at 2 decimals. */
export function rank<T extends { total: number }>(rows: readonly T[]): Map<T, number> {
  const sorted = [...rows].sort((a, b) => round2(b.total) - round2(a.total));
  const out = new Map<T, number>();
  sorted.forEach((r, i) => {
    const prev = sorted[i - 1];
    out.set(r, prev && round2(prev.total) === round2(r.total) ? (out.get(prev) as number) : i + 1);
  });
  return out;
}
