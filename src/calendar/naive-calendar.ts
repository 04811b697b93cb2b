import type { OfficeHours } from '../agencies/office-hours.js';
import type { Duration } from '../catalog/catalog.types.js';
import type { CalendarException, DeadlineRule } from './working-calendar.js';

/*
 * A deliberately plain reference for the working calendar: every question walks day by day and
 * period by period, with nothing precomputed. The property tests check the fast tables against it
 * and `npm run bench:calendar` measures both. Vietnam time (UTC+7, no daylight saving) only.
 */

const DAY = 86_400_000;
const OFFSET = 7 * 3_600_000;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export class NaiveCalendar {
  private readonly exceptions = new Map<string, CalendarException>();

  constructor(
    private readonly hours: OfficeHours,
    exceptions: CalendarException[],
  ) {
    for (const e of exceptions) this.exceptions.set(e.date, e);
  }

  /** Local midnight (as an instant) of the day holding t. */
  private midnight(t: number): number {
    return Math.floor((t + OFFSET) / DAY) * DAY - OFFSET;
  }

  /** The day's periods as [start, end] instants; empty on a day off. */
  periods(midnight: number): Array<[number, number]> {
    const local = new Date(midnight + OFFSET);
    const date = local.toISOString().slice(0, 10);
    const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
    const exception = this.exceptions.get(date);
    if (exception?.type === 'HOLIDAY') return [];
    const weekdayToUse = exception?.type === 'WORKING_DAY' ? 1 : weekday;
    const day = this.hours.days.find((d) => d.weekday === weekdayToUse);
    return (day?.periods ?? []).map((p) => [midnight + minutesOf(p.start) * 60_000, midnight + minutesOf(p.end) * 60_000]);
  }

  clockStart(t: number): number {
    let day = this.midnight(t);
    const today = this.periods(day);
    if (today.length && t < day + minutesOf(this.hours.cutOff) * 60_000) {
      for (const [s, e] of today) if (t < e) return Math.max(s, t);
    }
    for (;;) {
      day += DAY;
      const ps = this.periods(day);
      if (ps.length) return ps[0][0];
    }
  }

  /** Close of office hours of the working day on or after the day starting at `day`. */
  private closeOnOrAfter(day: number): number {
    for (; ; day += DAY) {
      const ps = this.periods(day);
      if (ps.length) return ps[ps.length - 1][1];
    }
  }

  addWorkingTime(from: number, ms: number): number {
    if (ms <= 0) return from;
    let left = ms;
    for (let day = this.midnight(from); ; day += DAY) {
      for (const [s, e] of this.periods(day)) {
        const begin = Math.max(s, from);
        if (begin >= e) continue;
        if (left <= e - begin) return begin + left;
        left -= e - begin;
      }
    }
  }

  workingTimeBetween(from: number, to: number): number {
    let total = 0;
    for (let day = this.midnight(from); day <= to; day += DAY) {
      for (const [s, e] of this.periods(day)) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
    }
    return total;
  }

  dueDate(start: number, limit: Duration, rule: DeadlineRule = 'DATE_RULE'): { clockStartsAt: number; dueAt: number } {
    const clockStartsAt = this.clockStart(start);
    const day0 = this.midnight(clockStartsAt);
    if (limit.unit === 'WORKING_HOURS') return { clockStartsAt, dueAt: this.addWorkingTime(clockStartsAt, limit.value * 3_600_000) };
    if (limit.unit === 'WORKING_DAYS' && rule === 'HOURS') {
      const dayMs = this.periods(this.firstWeekdayMidnight()).reduce((s, [a, b]) => s + b - a, 0);
      return { clockStartsAt, dueAt: this.addWorkingTime(clockStartsAt, limit.value * dayMs) };
    }
    if (limit.unit === 'CALENDAR_DAYS') return { clockStartsAt, dueAt: this.closeOnOrAfter(day0 + Math.ceil(limit.value) * DAY) };
    let day = day0;
    for (let counted = 0; counted < Math.ceil(limit.value);) {
      day += DAY;
      if (this.periods(day).length) counted++;
    }
    return { clockStartsAt, dueAt: this.closeOnOrAfter(day) };
  }

  /** resumeAfterPause (working-calendar.ts), day by day: due instants after a pause from `pausedAt` to `resumedAt`. */
  resumeAfterPause(
    c: { unit: Duration['unit']; runningSince: number; pausedAt: number; dueAt: number; dueSoonAt: number },
    resumedAt: number,
    rule: DeadlineRule = 'DATE_RULE',
  ): { runningSince: number; dueAt: number; dueSoonAt: number; pausedMs: number; movedDays: number | null } {
    const from = Math.max(c.pausedAt, c.runningSince);
    const to = Math.max(resumedAt, from);
    const runningSince = Math.max(resumedAt, c.runningSince);
    const pausedMs = this.workingTimeBetween(from, to);
    if (c.unit === 'WORKING_HOURS' || (c.unit === 'WORKING_DAYS' && rule === 'HOURS')) {
      return { runningSince, dueAt: this.addWorkingTime(c.dueAt, pausedMs), dueSoonAt: this.addWorkingTime(c.dueSoonAt, pausedMs), pausedMs, movedDays: null };
    }
    // The day an action counts on: its own until its last close, else the next working day.
    const actionDay = (t: number) => {
      for (let day = this.midnight(t); ; day += DAY) {
        const ps = this.periods(day);
        if (ps.length && t < ps[ps.length - 1][1]) return day;
        t = day + DAY;
      }
    };
    let movedDays = 0;
    for (let day = actionDay(from); day < actionDay(to); day += DAY) if (this.periods(day).length) movedDays++;
    const later = (t: number) => {
      if (movedDays === 0) return t;
      let day = this.midnight(t);
      let ps = this.periods(day);
      while (!ps.length) {
        day -= DAY;
        ps = this.periods(day);
        t = ps.length ? ps[ps.length - 1][1] : t;
      }
      let into = 0;
      for (const [s, e] of ps) into += Math.max(0, Math.min(e, t) - s);
      const whole = into >= ps.reduce((sum, [s, e]) => sum + e - s, 0);
      for (let n = 0; n < movedDays;) {
        day += DAY;
        if (this.periods(day).length) n++;
      }
      const target = this.periods(day);
      if (whole) return target[target.length - 1][1];
      for (const [s, e] of target) {
        if (into <= e - s) return s + into;
        into -= e - s;
      }
      return target[target.length - 1][1];
    };
    return { runningSince, dueAt: later(c.dueAt), dueSoonAt: later(c.dueSoonAt), pausedMs, movedDays };
  }

  /** Midnight of a Monday without exceptions (5/1/1970), to read the standard weekday's hours. */
  private firstWeekdayMidnight(): number {
    return 4 * DAY - OFFSET;
  }
}
