/**
 * Due dates of the clocks a list type declares (config/compile.ts `clocksOf`:
 * notice_end, publish_due, term_end, min_period_end, repair_*_due,
 * early_exit_*, objection_due, revoke_due). Each clock counts its period from
 * one start (ClockStart) set when the entry enters a state; the counting rules
 * are those of calendar.ts (working days: the n-th working day after the
 * start; calendar units: not rolled forward).
 *
 * A due date is inclusive: an act done on the due date is on time.
 */
import type { ClockStart, Period } from '../config/schema.ts';
import type { Calendar } from './calendar.ts';

/** The part of a compiled clock (config/compile.ts `Clock`) needed here. */
export type ClockSpec = { id: string; from: string; period: Period };

export type ClockStarts = Partial<Record<ClockStart, string>>;

export function computeDueDate(calendar: Calendar, startDate: string, period: Period): string {
  return calendar.addPeriod(startDate, period);
}

/** Due dates of every clock whose start date is known, keyed by clock id. */
export function dueDatesFor(
  calendar: Calendar,
  clocks: readonly ClockSpec[],
  starts: ClockStarts,
): Record<string, string> {
  const known = starts as Partial<Record<string, string>>;
  const out: Record<string, string> = {};
  for (const c of clocks) {
    const start = known[c.from];
    if (start !== undefined) out[c.id] = computeDueDate(calendar, start, c.period);
  }
  return out;
}

/** The clocks that start when the entry reaches `start` (e.g. all clocks counted from 'published'). */
export function clocksStartingAt<C extends ClockSpec>(clocks: readonly C[], start: ClockStart): C[] {
  return clocks.filter((c) => c.from === start);
}

/**
 * The due dates that begin when an entry enters a state that sets `start` to
 * `date` (e.g. publishing sets 'published'): only the clocks counted from that
 * start, keyed by clock id.
 */
export function dueDatesOnEntering(
  calendar: Calendar,
  clocks: readonly ClockSpec[],
  start: ClockStart,
  date: string,
): Record<string, string> {
  return dueDatesFor(calendar, clocksStartingAt(clocks, start), { [start]: date });
}

/** Whether an act done on `doneOn` met the due date (inclusive). Both YYYY-MM-DD. */
export function isOnTime(due: string, doneOn: string): boolean {
  return doneOn <= due;
}

/** Whether a due date has passed without the act: `today` is after `due`. */
export function isOverdue(due: string, today: string): boolean {
  return today > due;
}
