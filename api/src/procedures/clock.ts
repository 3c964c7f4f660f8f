/**
 * The one clock service. Everything that needs "now" or "today" takes a Clock,
 * so tests and demos can pin or move time. `today()` is the civil date in the
 * platform time zone (Asia/Shanghai by default), the date every due date is
 * counted from; it never depends on the process time zone.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export type Clock = {
  readonly timeZone: string;
  now(): Date;
  /** YYYY-MM-DD in the platform time zone. */
  today(): string;
};

export type ManualClock = Clock & {
  set(date: Date): void;
  advance(ms: number): void;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      throw new RangeError(`未知时区 / unknown time zone: ${timeZone}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The civil date (YYYY-MM-DD) of an instant in a time zone. */
export function civilDate(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('无效时间 / invalid Date');
  let y = '';
  let m = '';
  let d = '';
  for (const part of formatterFor(timeZone).formatToParts(t)) {
    if (part.type === 'year') y = part.value;
    else if (part.type === 'month') m = part.value;
    else if (part.type === 'day') d = part.value;
  }
  return `${y.padStart(4, '0')}-${m}-${d}`;
}

/** The real clock. */
export function systemClock(timeZone: string = DEFAULT_TIME_ZONE): Clock {
  formatterFor(timeZone); // fail fast on an unknown zone
  return {
    timeZone,
    now: () => new Date(),
    today: () => civilDate(new Date(), timeZone),
  };
}

/** A clock that only moves when told to: for tests, demos and replaying scenarios. */
export function manualClock(timeZone: string = DEFAULT_TIME_ZONE, start: Date = new Date()): ManualClock {
  formatterFor(timeZone);
  const checked = (d: Date): number => {
    const t = d.getTime();
    if (Number.isNaN(t)) throw new RangeError('无效时间 / invalid Date');
    return t;
  };
  let t = checked(start);
  return {
    timeZone,
    now: () => new Date(t),
    today: () => civilDate(new Date(t), timeZone),
    set(date: Date) {
      t = checked(date);
    },
    advance(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError(`无效时长 / invalid duration: ${ms}`);
      t += ms;
    },
  };
}
