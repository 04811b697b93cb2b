import { describe, expect, it } from '@jest/globals';
import { defaultOfficeHours, type OfficeHours } from '../agencies/office-hours.js';
import { vn } from './calendar-fixtures.js';
import { storedNationalDays } from './national-schedule.js';
import {
  addWorkingTime,
  buildWorkingCalendar,
  clockStart,
  computeDueDate,
  dueSoonAt,
  isWorkingDay,
  progress,
  resumeAfterPause,
  subtractWorkingTime,
  timeliness,
  workingTimeBetween,
  type DeadlineRule,
} from './working-calendar.js';
import type { Duration } from '../catalog/catalog.types.js';

const cal = buildWorkingCalendar(defaultOfficeHours(), storedNationalDays());
const H = 3_600_000;
const due = (
  start: string,
  value: number,
  unit: 'WORKING_DAYS' | 'WORKING_HOURS' | 'CALENDAR_DAYS' = 'WORKING_DAYS',
  rule: 'DATE_RULE' | 'HOURS' = 'DATE_RULE',
) => computeDueDate(cal, vn(start), { value, unit }, rule);

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
  const withSaturday: OfficeHours = {
    ...defaultOfficeHours(),
    days: [...defaultOfficeHours().days, { weekday: 6, periods: [{ start: '07:30', end: '11:30' }] }],
  };
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

describe('resumeAfterPause: what a pause gives back', () => {
  /** A clock started at `start`, paused at `paused`, resumed at `resumed` (Vietnam times). */
  const resume = (limit: Duration, start: string, paused: string, resumed: string, rule: DeadlineRule = 'DATE_RULE', dueAt?: Date) => {
    const started = computeDueDate(cal, vn(start), limit, rule);
    const due = dueAt ?? started.dueAt;
    const clock = {
      unit: limit.unit,
      clockStartsAt: started.clockStartsAt,
      runningSince: started.clockStartsAt,
      pausedAt: vn(paused),
      dueAt: due,
      dueSoonAt: dueSoonAt(cal, started.clockStartsAt, due),
    };
    const r = resumeAfterPause(cal, clock, vn(resumed), rule);
    return { before: clock, ...r };
  };
  const THREE: Duration = { value: 3, unit: 'WORKING_DAYS' };
  // 3 working days from Tue 8/12/2026 07:55: Wed 9, Thu 10, Fri 11 → due Fri 11/12 17:00.
  const fromTuesday = (paused: string, resumed: string) => resume(THREE, '2026-12-08 07:55', paused, resumed);

  it('moves nothing for a pause of seconds inside a working day, at any hour up to the close', () => {
    for (const [paused, resumed] of [
      ['2026-12-08 07:55:20', '2026-12-08 07:55:40'], // the morning (the issue: it rolled to 07:30 the next day)
      ['2026-12-08 11:29:50', '2026-12-08 11:30:10'], // into the lunch break
      ['2026-12-08 11:30', '2026-12-08 13:05'], // over lunch
      ['2026-12-08 14:59:30', '2026-12-08 15:00:30'], // across the 15:00 cut-off: no cut-off for a resume
      ['2026-12-08 16:59:30', '2026-12-08 16:59:50'], // the last minute of the day
    ]) {
      const r = fromTuesday(paused, resumed);
      expect([paused, r.dueAt, r.dueSoonAt, r.movedDays]).toEqual([paused, vn('2026-12-11 17:00'), vn('2026-12-10 17:00'), 0]);
    }
    expect(fromTuesday('2026-12-08 07:55:20', '2026-12-08 07:55:40').pausedMs).toBe(20_000);
  });

  it('moves nothing for a pause entirely outside working time: a night, a weekend, a holiday', () => {
    expect(fromTuesday('2026-12-08 17:30', '2026-12-09 07:25')).toMatchObject({ dueAt: vn('2026-12-11 17:00'), pausedMs: 0, movedDays: 0 });
    expect(fromTuesday('2026-12-08 17:00', '2026-12-09 07:30')).toMatchObject({ dueAt: vn('2026-12-11 17:00'), pausedMs: 0, movedDays: 0 });
    // A Friday evening: 3 working days from Wed 9/12 10:00 are due Mon 14/12 17:00.
    const friday = (paused: string, resumed: string) => resume(THREE, '2026-12-09 10:00', paused, resumed);
    expect(friday('2026-12-11 17:05', '2026-12-14 07:25')).toMatchObject({ dueAt: vn('2026-12-14 17:00'), pausedMs: 0 });
    expect(friday('2026-12-11 16:59:30', '2026-12-11 16:59:50').dueAt).toEqual(vn('2026-12-14 17:00'));
    // Before New Year's Day (Fri 1/1/2027): 2 working days from Wed 30/12 10:00 are Thu 31/12 and Mon 4/1.
    const newYear = (paused: string, resumed: string) => resume({ value: 2, unit: 'WORKING_DAYS' }, '2026-12-30 10:00', paused, resumed);
    expect(newYear('2026-12-31 17:10', '2027-01-04 07:20')).toMatchObject({ dueAt: vn('2027-01-04 17:00'), pausedMs: 0 });
    expect(newYear('2026-12-31 16:59:30', '2026-12-31 16:59:50').dueAt).toEqual(vn('2027-01-04 17:00'));
  });

  it('gives back a working day for each working day the pause reached into', () => {
    // Resumed after the close: the resume counts on the next working day, which is not counted.
    expect(fromTuesday('2026-12-08 16:59:30', '2026-12-08 17:00:30')).toMatchObject({
      dueAt: vn('2026-12-14 17:00'),
      dueSoonAt: vn('2026-12-11 17:00'),
      movedDays: 1,
    });
    expect(fromTuesday('2026-12-08 10:00', '2026-12-09 10:00')).toMatchObject({ dueAt: vn('2026-12-14 17:00'), movedDays: 1 });
    expect(fromTuesday('2026-12-08 10:00', '2026-12-10 16:00')).toMatchObject({ dueAt: vn('2026-12-15 17:00'), movedDays: 2, pausedMs: (5.5 + 8 + 7) * H });
    // From the last 30 seconds of Tuesday to before Wednesday's opening: Wednesday is the resume's day.
    expect(fromTuesday('2026-12-08 16:59:30', '2026-12-09 07:25')).toMatchObject({ dueAt: vn('2026-12-14 17:00'), pausedMs: 30_000, movedDays: 1 });
    // Friday evening to the weekend: the resume counts on Monday, due Tuesday instead of Monday.
    expect(resume(THREE, '2026-12-09 10:00', '2026-12-11 16:59:30', '2026-12-12 10:00').dueAt).toEqual(vn('2026-12-15 17:00'));
    // Over New Year's Day: resumed on the holiday (online), it counts on Mon 4/1.
    expect(resume({ value: 2, unit: 'WORKING_DAYS' }, '2026-12-30 10:00', '2026-12-31 10:00', '2027-01-01 09:00')).toMatchObject({
      dueAt: vn('2027-01-05 17:00'),
      movedDays: 1,
    });
  });

  it('counts a pause at 07:25 on the day it is taken (nothing before the opening is given back)', () => {
    // 3 working days from Mon 7/12 10:00: due Thu 10/12 17:00.
    expect(resume(THREE, '2026-12-07 10:00', '2026-12-08 07:25', '2026-12-08 07:40')).toMatchObject({
      dueAt: vn('2026-12-10 17:00'),
      pausedMs: 10 * 60_000,
      movedDays: 0,
    });
    expect(resume(THREE, '2026-12-07 10:00', '2026-12-08 07:25', '2026-12-09 07:25')).toMatchObject({
      dueAt: vn('2026-12-11 17:00'),
      pausedMs: 8 * H,
      movedDays: 1,
    });
  });

  it('leaves a clock paused before it started alone until its day 0 is over', () => {
    // Accepted Tue 8/12 15:30, after the cut-off: the clock starts Wed 9 07:30 (day 0), due Mon 14/12.
    expect(resume(THREE, '2026-12-08 15:30', '2026-12-08 15:31', '2026-12-08 15:50')).toMatchObject({
      runningSince: vn('2026-12-09 07:30'),
      dueAt: vn('2026-12-14 17:00'),
      pausedMs: 0,
    });
    expect(resume(THREE, '2026-12-08 15:30', '2026-12-08 15:31', '2026-12-09 10:00')).toMatchObject({
      runningSince: vn('2026-12-09 10:00'),
      dueAt: vn('2026-12-14 17:00'),
      movedDays: 0,
    });
    expect(resume(THREE, '2026-12-08 15:30', '2026-12-08 15:31', '2026-12-10 10:00')).toMatchObject({ dueAt: vn('2026-12-15 17:00'), movedDays: 1 });
  });

  it('keeps a late clock as late: its due date moves like any other', () => {
    // 1 working day from Tue 8/12 10:00: due Wed 9 17:00; paused Thu 10 (a day late), resumed Mon 14.
    const r = resume({ value: 1, unit: 'WORKING_DAYS' }, '2026-12-08 10:00', '2026-12-10 10:00', '2026-12-14 10:00');
    expect(r).toMatchObject({ dueAt: vn('2026-12-11 17:00'), movedDays: 2 });
    expect(workingTimeBetween(cal, r.dueAt, vn('2026-12-14 10:00'))).toBe(workingTimeBetween(cal, vn('2026-12-09 17:00'), vn('2026-12-10 10:00')));
  });

  it('moves a re-appointed date inside a day by whole days too, and a rest day like the close before it', () => {
    expect(resume(THREE, '2026-12-08 07:55', '2026-12-08 10:00', '2026-12-09 10:00', 'DATE_RULE', vn('2026-12-16 10:00')).dueAt).toEqual(
      vn('2026-12-17 10:00'),
    );
    expect(resume(THREE, '2026-12-08 07:55', '2026-12-08 10:00', '2026-12-09 10:00', 'DATE_RULE', vn('2026-12-12 17:00')).dueAt).toEqual(
      vn('2026-12-14 17:00'),
    );
    expect(resume(THREE, '2026-12-08 07:55', '2026-12-08 10:00', '2026-12-08 10:05', 'DATE_RULE', vn('2026-12-12 17:00')).dueAt).toEqual(
      vn('2026-12-12 17:00'),
    );
  });

  it('gives back working days for a calendar-day limit, not the weekend inside the pause', () => {
    // 10 calendar days from Tue 8/12 10:00: due Fri 18/12; paused Tue 8 to Mon 14: Tue–Fri given back.
    expect(resume({ value: 10, unit: 'CALENDAR_DAYS' }, '2026-12-08 10:00', '2026-12-08 10:00', '2026-12-14 10:00')).toMatchObject({
      dueAt: vn('2026-12-24 17:00'),
      movedDays: 4,
    });
  });

  it('moves a limit in working time by the paused working time exactly, into the next morning if need be', () => {
    const eight: Duration = { value: 8, unit: 'WORKING_HOURS' };
    expect(resume(eight, '2026-12-08 07:30', '2026-12-08 07:55:20', '2026-12-08 07:55:40')).toMatchObject({
      dueAt: vn('2026-12-09 07:30:20'),
      pausedMs: 20_000,
      movedDays: null,
    });
    expect(resume(eight, '2026-12-08 07:30', '2026-12-08 17:30', '2026-12-09 07:25')).toMatchObject({ dueAt: vn('2026-12-08 17:00'), pausedMs: 0 });
    expect(resume({ value: 1, unit: 'WORKING_DAYS' }, '2026-12-08 07:30', '2026-12-08 16:00', '2026-12-09 08:00', 'HOURS').dueAt).toEqual(
      vn('2026-12-09 09:00'),
    );
    // Late by 30 working minutes when paused (due 11:00, paused at lunch), as late when resumed.
    const late = resume({ value: 1, unit: 'WORKING_HOURS' }, '2026-12-08 10:00', '2026-12-08 12:00', '2026-12-08 14:00');
    expect(late).toMatchObject({ dueAt: vn('2026-12-08 13:30'), pausedMs: H });
  });
});
