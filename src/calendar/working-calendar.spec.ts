import { describe, expect, it } from '@jest/globals';
import { defaultOfficeHours, type OfficeHours } from '../agencies/office-hours.js';
import { vn } from './calendar-fixtures.js';
import { storedNationalDays } from './national-schedule.js';
import {
  addWorkingTime, buildWorkingCalendar, clockStart, computeDueDate, dueSoonAt, isWorkingDay, progress, subtractWorkingTime, timeliness, workingTimeBetween,
} from './working-calendar.js';

const cal = buildWorkingCalendar(defaultOfficeHours(), storedNationalDays());
const H = 3_600_000;
const due = (start: string, value: number, unit: 'WORKING_DAYS' | 'WORKING_HOURS' | 'CALENDAR_DAYS' = 'WORKING_DAYS', rule: 'DATE_RULE' | 'HOURS' = 'DATE_RULE') =>
  computeDueDate(cal, vn(start), { value, unit }, rule);

describe('clockStart', () => {
  it('starts at the receipt while the office is open before the cut-off', () => {
    expect(clockStart(cal, vn('2026-11-16 10:00'))).toEqual(vn('2026-11-16 10:00'));
    expect(clockStart(cal, vn('2026-11-16 14:59'))).toEqual(vn('2026-11-16 14:59'));
  });
  it('waits for the office to open: early morning, lunch break', () => {
    expect(clockStart(cal, vn('2026-11-16 06:10'))).toEqual(vn('2026-11-16 07:30'));
    expect(clockStart(cal, vn('2026-11-16 11:30'))).toEqual(vn('2026-11-16 13:00'));
    expect(clockStart(cal, vn('2026-11-16 12:15'))).toEqual(vn('2026-11-16 13:00'));
  });
  it('moves to the next working day from the cut-off (15:00 included), evenings, weekends and holidays', () => {
    expect(clockStart(cal, vn('2026-11-16 15:00'))).toEqual(vn('2026-11-17 07:30'));
    expect(clockStart(cal, vn('2026-11-16 15:01'))).toEqual(vn('2026-11-17 07:30'));
    expect(clockStart(cal, vn('2026-11-20 16:00'))).toEqual(vn('2026-11-23 07:30')); // Friday → Monday
    expect(clockStart(cal, vn('2026-11-23 20:00'))).toEqual(vn('2026-11-25 07:30')); // Tue 24/11 is Culture Day
    expect(clockStart(cal, vn('2026-02-13 15:30'))).toEqual(vn('2026-02-23 07:30')); // Tết 2026: 16–20/2
  });
  it('opens on a swapped Saturday (làm bù 22/8/2026)', () => {
    expect(clockStart(cal, vn('2026-08-22 09:00'))).toEqual(vn('2026-08-22 09:00'));
    expect(clockStart(cal, vn('2026-08-29 09:00'))).toEqual(vn('2026-09-03 07:30')); // Sat, then 31/8–2/9 off
  });
});

describe('computeDueDate, date rule (Civil Code Art. 147–148)', () => {
  it('does not count the day the clock starts: 5 working days from Monday 10:00 end the next Monday', () => {
    expect(due('2026-11-16 10:00', 5)).toEqual({ clockStartsAt: vn('2026-11-16 10:00'), dueAt: vn('2026-11-23 17:00') });
  });
  it('at the cut-off the next working day becomes day 0 (14:59, 15:00, 15:01)', () => {
    expect(due('2026-11-16 14:59', 5).dueAt).toEqual(vn('2026-11-23 17:00'));
    // Clock Tue 17 07:30 = day 0; Wed 18, Thu 19, Fri 20, Mon 23, (Tue 24 Culture Day), Wed 25.
    expect(due('2026-11-16 15:00', 5)).toEqual({ clockStartsAt: vn('2026-11-17 07:30'), dueAt: vn('2026-11-25 17:00') });
    expect(due('2026-11-16 15:01', 5).dueAt).toEqual(vn('2026-11-25 17:00'));
  });
  it('skips Tết 2026 (16–20/2)', () => {
    expect(due('2026-02-13 10:00', 5).dueAt).toEqual(vn('2026-02-27 17:00'));
    expect(due('2026-02-12 16:00', 5).dueAt).toEqual(vn('2026-02-27 17:00')); // clock Fri 13 07:30 = day 0
    expect(due('2026-02-18 09:00', 1)).toEqual({ clockStartsAt: vn('2026-02-23 07:30'), dueAt: vn('2026-02-24 17:00') });
  });
  it('skips 30/4–1/5 and the 2/9 break, counts the swapped Saturday', () => {
    expect(due('2026-04-29 10:00', 3).dueAt).toEqual(vn('2026-05-06 17:00'));
    expect(due('2026-08-21 10:00', 1).dueAt).toEqual(vn('2026-08-22 17:00')); // Sat 22/8 is worked
    expect(due('2026-08-21 10:00', 2).dueAt).toEqual(vn('2026-08-24 17:00'));
    expect(due('2026-08-28 10:00', 1).dueAt).toEqual(vn('2026-09-03 17:00'));
  });
  it('starts from Monday for a weekend receipt, and a 0-day limit ends the same day', () => {
    expect(due('2026-11-21 10:00', 1).dueAt).toEqual(vn('2026-11-25 17:00'));
    expect(due('2026-11-16 10:00', 0).dueAt).toEqual(vn('2026-11-16 17:00'));
  });
});

describe('computeDueDate, other units and the hours rule', () => {
  it('HOURS: N × 8 working hours from the clock start', () => {
    expect(due('2026-11-16 10:00', 5, 'WORKING_DAYS', 'HOURS').dueAt).toEqual(vn('2026-11-23 10:00'));
    expect(due('2026-11-16 07:30', 1, 'WORKING_DAYS', 'HOURS').dueAt).toEqual(vn('2026-11-16 17:00'));
  });
  it('WORKING_HOURS across lunch and a night', () => {
    expect(due('2026-11-16 10:00', 4, 'WORKING_HOURS').dueAt).toEqual(vn('2026-11-16 15:30'));
    expect(due('2026-11-16 14:00', 4, 'WORKING_HOURS').dueAt).toEqual(vn('2026-11-17 08:30'));
  });
  it('CALENDAR_DAYS: a due date on a rest day moves to the end of the next working day', () => {
    expect(due('2026-02-09 10:00', 7, 'CALENDAR_DAYS').dueAt).toEqual(vn('2026-02-23 17:00')); // Mon 16/2 is Tết
    expect(due('2026-11-16 10:00', 3, 'CALENDAR_DAYS').dueAt).toEqual(vn('2026-11-19 17:00'));
  });
  it('refuses instants outside the calendar years', () => {
    expect(() => due('2101-01-04 10:00', 5)).toThrow(RangeError);
  });
});

describe('working time', () => {
  it('measures, adds and subtracts working time', () => {
    expect(workingTimeBetween(cal, vn('2026-11-16 07:30'), vn('2026-11-17 07:30'))).toBe(8 * H);
    expect(workingTimeBetween(cal, vn('2026-11-20 17:00'), vn('2026-11-23 07:30'))).toBe(0);
    expect(workingTimeBetween(cal, vn('2026-11-23 11:00'), vn('2026-11-25 08:00'))).toBe(5 * H);
    expect(addWorkingTime(cal, vn('2026-11-23 16:00'), 2 * H)).toEqual(vn('2026-11-25 08:30'));
    expect(subtractWorkingTime(cal, vn('2026-11-23 17:00'), 8 * H)).toEqual(vn('2026-11-20 17:00'));
    expect(subtractWorkingTime(cal, vn('2026-11-17 08:30'), 1.5 * H)).toEqual(vn('2026-11-16 16:30'));
  });
});

describe('due soon, timeliness, progress', () => {
  it('warns one working day before, or at 25% left for short budgets', () => {
    expect(dueSoonAt(cal, vn('2026-11-16 10:00'), vn('2026-11-23 17:00'))).toEqual(vn('2026-11-20 17:00'));
    expect(dueSoonAt(cal, vn('2026-11-16 10:00'), vn('2026-11-16 15:30'))).toEqual(vn('2026-11-16 14:30'));
    expect(dueSoonAt(cal, vn('2026-11-16 10:00'), vn('2026-11-23 17:00'), { beforeMs: 16 * H })).toEqual(vn('2026-11-19 17:00'));
  });
  it('judges a finished dossier by its date in Vietnam', () => {
    const dueAt = vn('2026-11-23 17:00');
    expect(timeliness(vn('2026-11-20 09:00'), dueAt)).toBe('EARLY');
    expect(timeliness(vn('2026-11-23 18:30'), dueAt)).toBe('ON_TIME');
    expect(timeliness(vn('2026-11-24 00:10'), dueAt)).toBe('LATE');
  });
  it('tracks a running dossier', () => {
    const [soon, dueAt] = [vn('2026-11-20 17:00'), vn('2026-11-23 17:00')];
    expect(progress(vn('2026-11-20 16:59'), soon, dueAt)).toBe('ON_TRACK');
    expect(progress(vn('2026-11-20 17:00'), soon, dueAt)).toBe('DUE_SOON');
    expect(progress(vn('2026-11-23 17:00'), soon, dueAt)).toBe('DUE_SOON');
    expect(progress(vn('2026-11-23 17:01'), soon, dueAt)).toBe('OVERDUE');
  });
});

describe('agency hours and exceptions', () => {
  const withSaturday: OfficeHours = { ...defaultOfficeHours(), days: [...defaultOfficeHours().days, { weekday: 6, periods: [{ start: '07:30', end: '11:30' }] }] };
  const agencyCal = buildWorkingCalendar(withSaturday, [
    { date: '2026-11-18', type: 'HOLIDAY', name: 'Local holiday' },
    { date: '2026-11-21', type: 'WORKING_DAY', name: 'Swapped Saturday' },
  ]);
  it('closes on a weekday holiday and works a swapped Saturday with the weekday hours', () => {
    expect(isWorkingDay(agencyCal, '2026-11-18')).toBe(false);
    expect(computeDueDate(agencyCal, vn('2026-11-21 14:00'), { value: 0, unit: 'WORKING_DAYS' }).dueAt).toEqual(vn('2026-11-21 17:00'));
    expect(computeDueDate(agencyCal, vn('2026-11-28 09:00'), { value: 0, unit: 'WORKING_DAYS' }).dueAt).toEqual(vn('2026-11-28 11:30'));
  });
});
