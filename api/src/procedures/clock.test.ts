import { describe, expect, it } from 'vitest';
import { civilDate, DEFAULT_TIME_ZONE, manualClock, systemClock } from './clock.ts';

describe('civilDate', () => {
  it('is the date in the platform time zone, not UTC', () => {
    const t = new Date('2026-01-01T16:30:00Z');
    expect(civilDate(t, 'Asia/Shanghai')).toBe('2026-01-02');
    expect(civilDate(t, 'UTC')).toBe('2026-01-01');
    expect(civilDate(t, 'America/New_York')).toBe('2026-01-01');
    expect(civilDate(t)).toBe('2026-01-02');
  });

  it('turns at midnight Shanghai time (16:00 UTC)', () => {
    expect(civilDate(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(civilDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });

  it('refuses an unknown zone and an invalid Date', () => {
    expect(() => civilDate(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => civilDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('manualClock', () => {
  it('starts where told and reports today in its zone', () => {
    const clock = manualClock('Asia/Shanghai', new Date('2026-01-01T16:30:00Z'));
    expect(clock.timeZone).toBe('Asia/Shanghai');
    expect(clock.now().toISOString()).toBe('2026-01-01T16:30:00.000Z');
    expect(clock.today()).toBe('2026-01-02');
    expect(manualClock('UTC', new Date('2026-01-01T16:30:00Z')).today()).toBe('2026-01-01');
  });

  it('advances and is set', () => {
    const clock = manualClock(DEFAULT_TIME_ZONE, new Date('2025-09-30T15:59:59Z'));
    expect(clock.today()).toBe('2025-09-30');
    clock.advance(1000);
    expect(clock.today()).toBe('2025-10-01');
    clock.advance(24 * 3600 * 1000);
    expect(clock.now().toISOString()).toBe('2025-10-01T16:00:00.000Z');
    expect(clock.today()).toBe('2025-10-02');
    clock.advance(-2 * 24 * 3600 * 1000);
    expect(clock.today()).toBe('2025-09-30');
    clock.set(new Date('2026-02-17T02:00:00Z'));
    expect(clock.today()).toBe('2026-02-17');
  });

  it('hands out copies, so callers cannot move it', () => {
    const clock = manualClock(DEFAULT_TIME_ZONE, new Date('2026-03-01T00:00:00Z'));
    const start = new Date('2026-03-01T00:00:00Z');
    const clockStart = clock.now();
    clockStart.setFullYear(2000);
    start.setFullYear(2000);
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('refuses bad input', () => {
    expect(() => manualClock('Nowhere/Town', new Date())).toThrow(RangeError);
    const clock = manualClock(DEFAULT_TIME_ZONE, new Date('2026-03-01T00:00:00Z'));
    expect(() => clock.set(new Date('garbage'))).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.today()).toBe('2026-03-01');
  });
});

describe('systemClock', () => {
  it('follows real time in the platform zone', () => {
    const clock = systemClock();
    expect(clock.timeZone).toBe('Asia/Shanghai');
    const before = Date.now();
    const now = clock.now().getTime();
    const today = clock.today();
    const after = Date.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
    expect([civilDate(new Date(before)), civilDate(new Date(after))]).toContain(today);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses an unknown zone', () => {
    expect(() => systemClock('Not/AZone')).toThrow(RangeError);
  });
});
