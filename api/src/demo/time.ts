/** Civil dates and wall-clock times in the platform's time zone, for placing demo steps. */
import { intBetween, type Rng } from '../subjects/generate.ts';

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (e.g. +8 h for Asia/Shanghai). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
}

/** The instant (epoch ms) of a wall-clock time on a civil date in the zone. */
export function localInstant(date: string, secondOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + secondOfDay * 1000;
  const noon = Date.UTC(y, m - 1, d, 12);
  // One offset per zone and day (taken at noon): demo steps avoid the small hours of a DST switch.
  const key = `${timeZone}|${date}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = zoneOffsetMs(timeZone, noon - zoneOffsetMs(timeZone, noon));
    offsets.set(key, offset);
  }
  return wall - offset;
}
const offsets = new Map<string, number>();

/** Whole days from a to b (YYYY-MM-DD), negative when b is earlier. */
export function daysBetween(a: string, b: string): number {
  const ms = (s: string) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(b) - ms(a)) / 86_400_000);
}

/** The latest / earliest of YYYY-MM-DD dates (they sort as strings). */
export const maxDate = (...dates: string[]) => [...dates].sort().at(-1) as string;
export const minDate = (...dates: string[]) => [...dates].sort()[0] as string;

/**
 * Strictly increasing instants for one entry's steps: office hours for staff,
 * the small hours for the scheduler; a step on the same day as the previous
 * one comes some minutes after it.
 */
export class Timeline {
  private last = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly rng: Rng,
    private readonly timeZone: string,
  ) {}

  at(date: string, when: 'office' | 'night' = 'office'): number {
    const second = when === 'night' ? intBetween(this.rng, 2 * 3600, 2 * 3600 + 600) : intBetween(this.rng, 8 * 3600 + 40 * 60, 17 * 3600 + 50 * 60);
    let t = localInstant(date, second, this.timeZone);
    if (t <= this.last) t = this.last + intBetween(this.rng, 120, 2400) * 1000;
    this.last = t;
    return t;
  }
}
