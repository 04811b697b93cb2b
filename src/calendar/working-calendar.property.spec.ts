import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { defaultOfficeHours } from '../agencies/office-hours.js';
import { vietnamDate } from '../common/clock.js';
import { storedNationalDays } from './national-schedule.js';
import { NaiveCalendar } from './naive-calendar.js';
import { addDays, buildWorkingCalendar, computeDueDate, dueSoonAt, isWorkingDay, workingTimeBetween, type CalendarException, type DeadlineRule } from './working-calendar.js';
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
  date: addDays('2024-01-01', offset), type: holiday ? 'HOLIDAY' : 'WORKING_DAY', name: 'random',
}));

describe('working calendar properties', () => {
  it('agrees with the naive day-by-day reference on random inputs', () => {
    fc.assert(fc.property(instant, value, unit, rule, (start, n, u, r) => {
      const fast = computeDueDate(cal, start, { value: n, unit: u }, r);
      const slow = naive.dueDate(start.getTime(), { value: n, unit: u }, r);
      expect([fast.clockStartsAt.getTime(), fast.dueAt.getTime()]).toEqual([slow.clockStartsAt, slow.dueAt]);
    }), { numRuns: 2000 });
  });

  it('agrees with the reference on working time between two instants', () => {
    fc.assert(fc.property(instant, instant, (a, b) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      expect(workingTimeBetween(cal, from, to)).toBe(naive.workingTimeBetween(from.getTime(), to.getTime()));
    }), { numRuns: 500 });
  });

  it('never falls due on a non-working day', () => {
    fc.assert(fc.property(instant, value, unit, rule, (start, n, u, r) => {
      const { dueAt, clockStartsAt } = computeDueDate(cal, start, { value: n, unit: u }, r);
      expect(isWorkingDay(cal, vietnamDate(dueAt))).toBe(true);
      expect(isWorkingDay(cal, vietnamDate(clockStartsAt))).toBe(true);
      expect(clockStartsAt.getTime()).toBeGreaterThanOrEqual(start.getTime());
    }), { numRuns: 2000 });
  });

  it('warns between the clock start and the due instant', () => {
    fc.assert(fc.property(instant, value, unit, rule, (start, n, u, r) => {
      const { clockStartsAt, dueAt } = computeDueDate(cal, start, { value: n, unit: u }, r);
      const soon = dueSoonAt(cal, clockStartsAt, dueAt).getTime();
      expect(soon).toBeGreaterThanOrEqual(clockStartsAt.getTime());
      expect(soon).toBeLessThanOrEqual(dueAt.getTime());
      if (workingTimeBetween(cal, clockStartsAt, dueAt) >= cal.standardDayMs) expect(workingTimeBetween(cal, new Date(soon), dueAt)).toBe(cal.standardDayMs);
    }), { numRuns: 1000 });
  });

  it('is monotone in the limit (strictly for working time; calendar days may share a rolled-forward due date)', () => {
    fc.assert(fc.property(instant, value, unit, rule, (start, n, u, r) => {
      const shorter = computeDueDate(cal, start, { value: n, unit: u }, r).dueAt.getTime();
      const longer = computeDueDate(cal, start, { value: n + 1, unit: u }, r).dueAt.getTime();
      if (u === 'CALENDAR_DAYS') expect(longer).toBeGreaterThanOrEqual(shorter);
      else expect(longer).toBeGreaterThan(shorter);
    }), { numRuns: 1000 });
  });

  it('never moves a due date earlier when a holiday is added', () => {
    fc.assert(fc.property(instant, value, unit, rule, exception, (start, n, u, r, extra) => {
      const holiday = { ...extra, type: 'HOLIDAY' as const };
      const before = computeDueDate(cal, start, { value: n, unit: u }, r).dueAt.getTime();
      const withHoliday = buildWorkingCalendar(hours, [...national, holiday], range);
      expect(computeDueDate(withHoliday, start, { value: n, unit: u }, r).dueAt.getTime()).toBeGreaterThanOrEqual(before);
    }), { numRuns: 200 });
  });

  it('agrees with the reference with random local exceptions too', () => {
    fc.assert(fc.property(fc.array(exception, { maxLength: 30 }), instant, value, unit, rule, (extra, start, n, u, r) => {
      const days = [...national, ...extra];
      const fast = computeDueDate(buildWorkingCalendar(hours, days, range), start, { value: n, unit: u }, r);
      // The fast calendar keeps the last exception of a date; so must the reference.
      const slow = new NaiveCalendar(hours, days).dueDate(start.getTime(), { value: n, unit: u }, r);
      expect([fast.clockStartsAt.getTime(), fast.dueAt.getTime()]).toEqual([slow.clockStartsAt, slow.dueAt]);
    }), { numRuns: 200 });
  });
});
