import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { defaultOfficeHours } from '../agencies/office-hours.js';
import { vietnamDate } from '../common/clock.js';
import { storedNationalDays } from './national-schedule.js';
import { NaiveCalendar } from './naive-calendar.js';
import {
  addDays,
  buildWorkingCalendar,
  computeDueDate,
  dueSoonAt,
  isWorkingDay,
  resumeAfterPause,
  workingTimeBetween,
  type CalendarException,
  type DeadlineRule,
  type PausedClock,
} from './working-calendar.js';
import type { DurationUnit } from '../catalog/catalog.types.js';

const hours = defaultOfficeHours();
const national = storedNationalDays();
const range = { fromYear: 2024, toYear: 2029 };
const cal = buildWorkingCalendar(hours, national, range);
const naive = new NaiveCalendar(hours, national);

const FROM = Date.parse('2024-01-01T00:00:00+07:00');
const TO = Date.parse('2027-12-31T24:00:00+07:00');
/** Random instants over 2024–2027, at whole minutes so edges like 15:00 and 17:00 come up. */
const instant = fc.integer({ min: 0, max: (TO - FROM) / 60_000 }).map((m) => new Date(FROM + m * 60_000));
const unit = fc.constantFrom<DurationUnit>('WORKING_DAYS', 'WORKING_HOURS', 'CALENDAR_DAYS');
const rule = fc.constantFrom<DeadlineRule>('DATE_RULE', 'HOURS');
const value = fc.integer({ min: 0, max: 90 });
/** A random weekday holiday or swapped Saturday somewhere in 2024–2027. */
const exception = fc.tuple(fc.integer({ min: 0, max: 1460 }), fc.boolean()).map(([offset, holiday]): CalendarException => ({
  date: addDays('2024-01-01', offset),
  type: holiday ? 'HOLIDAY' : 'WORKING_DAY',
  name: 'random',
}));

describe('working calendar properties', () => {
  it('agrees with the naive day-by-day reference on random inputs', () => {
    fc.assert(
      fc.property(instant, value, unit, rule, (start, n, u, r) => {
        const fast = computeDueDate(cal, start, { value: n, unit: u }, r);
        const slow = naive.dueDate(start.getTime(), { value: n, unit: u }, r);
        expect([fast.clockStartsAt.getTime(), fast.dueAt.getTime()]).toEqual([slow.clockStartsAt, slow.dueAt]);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the reference on working time between two instants', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        expect(workingTimeBetween(cal, from, to)).toBe(naive.workingTimeBetween(from.getTime(), to.getTime()));
      }),
      { numRuns: 500 },
    );
  });

  it('never falls due on a non-working day', () => {
    fc.assert(
      fc.property(instant, value, unit, rule, (start, n, u, r) => {
        const { dueAt, clockStartsAt } = computeDueDate(cal, start, { value: n, unit: u }, r);
        expect(isWorkingDay(cal, vietnamDate(dueAt))).toBe(true);
        expect(isWorkingDay(cal, vietnamDate(clockStartsAt))).toBe(true);
        expect(clockStartsAt.getTime()).toBeGreaterThanOrEqual(start.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('warns between the clock start and the due instant', () => {
    fc.assert(
      fc.property(instant, value, unit, rule, (start, n, u, r) => {
        const { clockStartsAt, dueAt } = computeDueDate(cal, start, { value: n, unit: u }, r);
        const soon = dueSoonAt(cal, clockStartsAt, dueAt).getTime();
        expect(soon).toBeGreaterThanOrEqual(clockStartsAt.getTime());
        expect(soon).toBeLessThanOrEqual(dueAt.getTime());
        if (workingTimeBetween(cal, clockStartsAt, dueAt) >= cal.standardDayMs) expect(workingTimeBetween(cal, new Date(soon), dueAt)).toBe(cal.standardDayMs);
      }),
      { numRuns: 1000 },
    );
  });

  it('is monotone in the limit (strictly for working time; calendar days may share a rolled-forward due date)', () => {
    fc.assert(
      fc.property(instant, value, unit, rule, (start, n, u, r) => {
        const shorter = computeDueDate(cal, start, { value: n, unit: u }, r).dueAt.getTime();
        const longer = computeDueDate(cal, start, { value: n + 1, unit: u }, r).dueAt.getTime();
        if (u === 'CALENDAR_DAYS') expect(longer).toBeGreaterThanOrEqual(shorter);
        else expect(longer).toBeGreaterThan(shorter);
      }),
      { numRuns: 1000 },
    );
  });

  it('never moves a due date earlier when a holiday is added', () => {
    fc.assert(
      fc.property(instant, value, unit, rule, exception, (start, n, u, r, extra) => {
        const holiday = { ...extra, type: 'HOLIDAY' as const };
        const before = computeDueDate(cal, start, { value: n, unit: u }, r).dueAt.getTime();
        const withHoliday = buildWorkingCalendar(hours, [...national, holiday], range);
        expect(computeDueDate(withHoliday, start, { value: n, unit: u }, r).dueAt.getTime()).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with the reference with random local exceptions too', () => {
    fc.assert(
      fc.property(fc.array(exception, { maxLength: 30 }), instant, value, unit, rule, (extra, start, n, u, r) => {
        const days = [...national, ...extra];
        const fast = computeDueDate(buildWorkingCalendar(hours, days, range), start, { value: n, unit: u }, r);
        // The fast calendar keeps the last exception of a date; so must the reference.
        const slow = new NaiveCalendar(hours, days).dueDate(start.getTime(), { value: n, unit: u }, r);
        expect([fast.clockStartsAt.getTime(), fast.dueAt.getTime()]).toEqual([slow.clockStartsAt, slow.dueAt]);
      }),
      { numRuns: 200 },
    );
  });
});

/** A clock started at `start` and paused `offset` ms after its start (possibly before it, when accepted after the cut-off). */
const pausedClock = (start: Date, n: number, u: DurationUnit, r: DeadlineRule, offset: number): PausedClock => {
  const { clockStartsAt, dueAt } = computeDueDate(cal, start, { value: n, unit: u }, r);
  return {
    unit: u,
    clockStartsAt,
    runningSince: clockStartsAt,
    pausedAt: new Date(start.getTime() + offset),
    dueAt,
    dueSoonAt: dueSoonAt(cal, clockStartsAt, dueAt),
  };
};
/** A pause's offset from the receipt and its length: seconds (the day's edges), hours, or days. */
const offset = fc.integer({ min: 0, max: 10 * 24 * 60 }).chain((m) => fc.constantFrom(0, 10_000, 30_000, 59_000).map((s) => m * 60_000 + s));
const length = fc.oneof(
  fc.integer({ min: 0, max: 120 }).map((s) => s * 1000),
  fc.integer({ min: 0, max: 24 * 60 }).map((m) => m * 60_000),
  fc.integer({ min: 0, max: 20 * 24 * 60 }).map((m) => m * 60_000),
);
const byDays = (u: DurationUnit, r: DeadlineRule) => u === 'CALENDAR_DAYS' || (u === 'WORKING_DAYS' && r === 'DATE_RULE');
const ms = (d: Date) => d.getTime();

describe('what a pause gives back (resumeAfterPause)', () => {
  it('agrees with the naive day-by-day reference', () => {
    fc.assert(
      fc.property(instant, value, unit, rule, offset, length, (start, n, u, r, off, len) => {
        const c = pausedClock(start, n, u, r, off);
        const resumedAt = new Date(ms(c.pausedAt) + len);
        const fast = resumeAfterPause(cal, c, resumedAt, r);
        const slow = naive.resumeAfterPause(
          { unit: u, runningSince: ms(c.runningSince), pausedAt: ms(c.pausedAt), dueAt: ms(c.dueAt), dueSoonAt: ms(c.dueSoonAt) },
          ms(resumedAt),
          r,
        );
        expect({ ...fast, runningSince: ms(fast.runningSince), dueAt: ms(fast.dueAt), dueSoonAt: ms(fast.dueSoonAt) }).toEqual(slow);
      }),
      { numRuns: 1000 },
    );
  });

  it('moves nothing when no working time passed while paused, and never moves a due instant earlier', () => {
    fc.assert(
      fc.property(instant, value, unit, rule, offset, length, (start, n, u, r, off, len) => {
        const c = pausedClock(start, n, u, r, off);
        const after = resumeAfterPause(cal, c, new Date(ms(c.pausedAt) + len), r);
        if (after.pausedMs === 0) expect([after.dueAt, after.dueSoonAt]).toEqual([c.dueAt, c.dueSoonAt]);
        expect(ms(after.dueAt)).toBeGreaterThanOrEqual(ms(c.dueAt));
        expect(ms(after.dueSoonAt)).toBeGreaterThanOrEqual(ms(c.dueSoonAt));
        expect(ms(after.dueSoonAt)).toBeLessThanOrEqual(ms(after.dueAt));
      }),
      { numRuns: 1000 },
    );
  });

  it("a limit in days: moves by whole working days, the pause's working time rounded (less than a day off), none within one working day", () => {
    fc.assert(
      fc.property(instant, value, fc.constantFrom<DurationUnit>('WORKING_DAYS', 'CALENDAR_DAYS'), offset, length, (start, n, u, off, len) => {
        const c = pausedClock(start, n, u, 'DATE_RULE', off);
        const resumedAt = new Date(ms(c.pausedAt) + len);
        const after = resumeAfterPause(cal, c, resumedAt);
        const days = after.movedDays!;
        expect(Math.abs(days - after.pausedMs / cal.standardDayMs)).toBeLessThan(1);
        // Due at a close, it stays at a close, `days` working days (of 8 h) later.
        expect(isWorkingDay(cal, vietnamDate(after.dueAt))).toBe(true);
        expect(workingTimeBetween(cal, c.dueAt, after.dueAt)).toBe(days * cal.standardDayMs);
        expect(workingTimeBetween(cal, c.dueSoonAt, after.dueSoonAt)).toBe(days * cal.standardDayMs);
        // Paused and resumed on one working day before its close (on the clock's own time): nothing.
        const from = new Date(Math.max(ms(c.pausedAt), ms(c.clockStartsAt)));
        const close = computeDueDate(cal, from, { value: 0, unit: 'WORKING_DAYS' }).dueAt;
        if (isWorkingDay(cal, vietnamDate(from)) && vietnamDate(from) === vietnamDate(close) && resumedAt < close && from < close) expect(days).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('a limit in working time: moves by the paused working time exactly', () => {
    fc.assert(
      fc.property(instant, value, offset, length, (start, n, off, len) => {
        for (const [u, r] of [
          ['WORKING_HOURS', 'DATE_RULE'],
          ['WORKING_DAYS', 'HOURS'],
        ] as const) {
          const c = pausedClock(start, n, u, r, off);
          const after = resumeAfterPause(cal, c, new Date(ms(c.pausedAt) + len), r);
          expect(after.movedDays).toBeNull();
          expect(workingTimeBetween(cal, c.dueAt, after.dueAt)).toBe(after.pausedMs);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a later resume never gives an earlier due date, and two pauses back to back move it as much as one over both', () => {
    fc.assert(
      fc.property(instant, value, unit, rule, offset, length, length, (start, n, u, r, off, first, second) => {
        const c = pausedClock(start, n, u, r, off);
        const middle = new Date(ms(c.pausedAt) + first);
        const end = new Date(ms(middle) + second);
        const once = resumeAfterPause(cal, c, end, r);
        const part = resumeAfterPause(cal, c, middle, r);
        expect(ms(part.dueAt)).toBeLessThanOrEqual(ms(once.dueAt));
        const twice = resumeAfterPause(cal, { ...c, runningSince: part.runningSince, pausedAt: middle, dueAt: part.dueAt, dueSoonAt: part.dueSoonAt }, end, r);
        expect([twice.dueAt, twice.dueSoonAt, twice.runningSince]).toEqual([once.dueAt, once.dueSoonAt, once.runningSince]);
        if (byDays(u, r)) expect(part.movedDays! + twice.movedDays!).toBe(once.movedDays);
        else expect(part.pausedMs + twice.pausedMs).toBe(once.pausedMs);
      }),
      { numRuns: 1000 },
    );
  });
});
