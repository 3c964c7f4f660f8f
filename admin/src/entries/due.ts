/**
 * Due-date rules: which of an entry's clocks matter now, and how urgent each is. Pure
 * (unit-tested in due.test.ts); the badges in components/DueBadges.tsx only paint the result.
 *
 * Clock ids are the compiler's (api/src/config/compile.ts `clocksOf`): notice_end, publish_due,
 * term_end, min_period_end, early_exit_<id>, repair_accept_due, repair_decide_due,
 * objection_due, revoke_due. Dates are civil dates (YYYY-MM-DD), inclusive: an act done on the
 * due date is on time, so a date is overdue only from the next day.
 */
import type { MetaClock, MetaProcedure } from '../meta/types';
import type { Entry } from './types';

/** A due date within this many days (today included) is flagged orange. */
export const SOON_DAYS = 3;

export type DueLevel = 'overdue' | 'soon' | 'normal';

/** A deadline must be met by staff; a milestone is a date from which something becomes possible. */
export type ClockKind = 'deadline' | 'milestone';

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS;
}

/** Calendar days from `today` to `due` (negative once past). */
export function daysUntil(due: string, today: string): number {
  return Math.round(dayNumber(due) - dayNumber(today));
}

/** Today's civil date in the platform's time zone (Asia/Shanghai by default). */
export function todayIn(timeZone = 'Asia/Shanghai', now: Date = new Date()): string {
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** Red once past, orange within SOON_DAYS, otherwise normal. */
export function dueLevel(due: string, today: string, soonDays = SOON_DAYS): DueLevel {
  const days = daysUntil(due, today);
  if (days < 0) return 'overdue';
  if (days <= soonDays) return 'soon';
  return 'normal';
}

export function clockKind(clockId: string): ClockKind {
  if (clockId === 'notice_end' || clockId === 'min_period_end' || clockId.startsWith('early_exit_')) return 'milestone';
  return 'deadline';
}

type EntryDates = Pick<Entry, 'status' | 'due' | 'noticeServedAt' | 'recognisedAt' | 'publishedAt' | 'exitedAt'>;

/**
 * Whether a clock still runs for the entry in its current state. Clocks of objections and repairs
 * run with those requests (shown in their own tables), so they are not entry-level badges.
 */
export function isClockActive(clockId: string, entry: EntryDates, procedure: Pick<MetaProcedure, 'states'>): boolean {
  const state = procedure.states.find((s) => s.id === entry.status);
  if (!state || state.terminal) return false;
  if (!entry.due[clockId]) return false;
  if (clockId === 'notice_end') return !entry.recognisedAt && !state.public;
  if (clockId === 'publish_due') return !entry.publishedAt && !state.public;
  if (clockId === 'term_end' || clockId === 'min_period_end' || clockId.startsWith('early_exit_')) return state.public && !entry.exitedAt;
  if (clockId.startsWith('repair_') || clockId === 'objection_due' || clockId === 'revoke_due') return false;
  return true;
}

export interface DueItem {
  clockId: string;
  date: string;
  kind: ClockKind;
  level: DueLevel;
  /** Days left (negative when past). */
  days: number;
  clock?: MetaClock;
}

/** The running clocks of an entry, most urgent first. */
export function activeDueItems(
  entry: EntryDates,
  procedure: Pick<MetaProcedure, 'states'>,
  clocks: MetaClock[],
  today: string,
): DueItem[] {
  const byId = new Map(clocks.map((c) => [c.id, c]));
  return Object.entries(entry.due ?? {})
    .filter(([id]) => isClockActive(id, entry, procedure))
    .map(([clockId, date]) => ({
      clockId,
      date,
      kind: clockKind(clockId),
      level: dueLevel(date, today),
      days: daysUntil(date, today),
      clock: byId.get(clockId),
    }))
    .sort((a, b) => (a.kind === b.kind ? a.date.localeCompare(b.date) : a.kind === 'deadline' ? -1 : 1));
}

/** Tag colour of a due item: deadlines red/orange by urgency; milestones green once reached. */
export function dueColor(item: Pick<DueItem, 'kind' | 'level'>): string {
  if (item.kind === 'milestone') return item.level === 'overdue' ? 'green' : 'default';
  if (item.level === 'overdue') return 'red';
  if (item.level === 'soon') return 'orange';
  return 'default';
}
