import type { OfficeHours, OfficePeriod } from '../agencies/office-hours.js';
import type { Duration } from '../catalog/catalog.types.js';
import { vietnamDate } from '../common/clock.js';

/*
 * Working time: the pure core of deadlines. No I/O, no `new Date()` for "now": every function
 * takes its instants as arguments. Speed matters (every dossier, every step, every re-projection
 * after a holiday change), so a WorkingCalendar is precomputed once per agency over a range of
 * years: per local day its kind of hours, and cumulative counts of working days and working
 * milliseconds. "The Nth working day after D" is then an array lookup, and working time between
 * two instants a subtraction; only the inverse (an instant holding a given amount of working
 * time) needs a binary search. The naive day-by-day reference in naive-calendar.ts is what the
 * property tests and the benchmark compare against. An instant outside the calendar's years
 * throws a RangeError (CalendarService turns it into 422 OUT_OF_CALENDAR_RANGE).
 */

export const CALENDAR_DAY_TYPES = ['HOLIDAY', 'WORKING_DAY'] as const;
export type CalendarDayType = (typeof CALENDAR_DAY_TYPES)[number];

/** A dated exception to the weekly office hours: a day off, or a swapped Saturday worked (làm bù). */
export interface CalendarException {
  /** Local date, YYYY-MM-DD. */
  date: string;
  type: CalendarDayType;
  name: string;
}

export const DEADLINE_RULES = ['DATE_RULE', 'HOURS'] as const;
export type DeadlineRule = (typeof DEADLINE_RULES)[number];

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const NONE = -1;

interface PeriodSet {
  /** ms after local midnight, sorted, non-overlapping. */
  starts: number[];
  ends: number[];
  total: number;
}

/** An agency's working calendar over a range of years. Build it with buildWorkingCalendar. */
export interface WorkingCalendar {
  readonly timeZone: string;
  readonly fromYear: number;
  readonly toYear: number;
  /** Working ms of a standard weekday (Monday's hours): "one working day" for the HOURS rule. */
  readonly standardDayMs: number;
  /** The exceptions the calendar was built with, by date. */
  readonly exceptions: ReadonlyMap<string, CalendarException>;
  /** @internal below: the precomputed tables. */
  readonly offsetMs: number;
  readonly cutOffMs: number;
  /** Epoch day (days since 1970-01-01, local) of index 0. */
  readonly firstDay: number;
  /** Per day: index into `sets`, or -1 when no work. */
  readonly kind: Int8Array;
  readonly sets: PeriodSet[];
  /** cumDays[i]: working days among days [0, i). */
  readonly cumDays: Int32Array;
  /** cumWork[i]: working ms in days [0, i). */
  readonly cumWork: Float64Array;
  /** The indexes of the working days, ascending. */
  readonly workingDays: Int32Array;
}

export interface CalendarRange {
  fromYear: number;
  toYear: number;
}
export const DEFAULT_CALENDAR_RANGE: CalendarRange = { fromYear: 2000, toYear: 2099 };

// ---- local dates as epoch days -------------------------------------------------------------

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export const epochDay = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
/** YYYY-MM-DD of an epoch day. */
export const dateOfEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday (1 = Monday … 7 = Sunday) of an epoch day (1/1/1970 was a Thursday). */
export const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;
/** A YYYY-MM-DD date shifted by n days. */
export const addDays = (date: string, n: number): string => dateOfEpochDay(epochDay(date) + n);

const hhmmMs = (hhmm: string) => (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MINUTE_MS;

/**
 * The zone's UTC offset. The tables assume a fixed offset: true of Asia/Ho_Chi_Minh (no daylight
 * saving since 1975) and of every zone an agency in Vietnam would use.
 */
function utcOffsetMs(timeZone: string, at: number): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * HOUR_MS + Number(m[3] ?? 0) * MINUTE_MS);
}

function periodSet(periods: OfficePeriod[]): PeriodSet {
  const sorted = [...periods].sort((a, b) => hhmmMs(a.start) - hhmmMs(b.start));
  const starts = sorted.map((p) => hhmmMs(p.start));
  const ends = sorted.map((p) => hhmmMs(p.end));
  return { starts, ends, total: ends.reduce((s, e, i) => s + e - starts[i], 0) };
}

/**
 * The hours of a swapped working Saturday (WORKING_DAY exception): it replaces a weekday off, so it
 * is worked with the agency's standard weekday hours, Monday's (or the first weekday Monday–Friday
 * that has hours), not the Saturday-morning hours some centres keep.
 */
function standardWeekdayPeriods(hours: OfficeHours): OfficePeriod[] {
  for (const weekday of [1, 2, 3, 4, 5]) {
    const day = hours.days.find((d) => d.weekday === weekday && d.periods.length > 0);
    if (day) return day.periods;
  }
  return hours.days.find((d) => d.periods.length > 0)?.periods ?? [];
}

/**
 * Builds the calendar from office hours and the dated exceptions (already merged: one per date).
 * A HOLIDAY closes the day whatever the weekday; a WORKING_DAY opens it with standard weekday hours.
 */
export function buildWorkingCalendar(
  hours: OfficeHours,
  exceptions: Iterable<CalendarException>,
  range: CalendarRange = DEFAULT_CALENDAR_RANGE,
): WorkingCalendar {
  const firstDay = epochDay(`${range.fromYear}-01-01`);
  const n = epochDay(`${range.toYear + 1}-01-01`) - firstDay;
  const sets: PeriodSet[] = [periodSet(standardWeekdayPeriods(hours))];
  const setOfWeekday = new Array<number>(8).fill(NONE);
  for (const day of hours.days) {
    if (day.periods.length === 0) continue;
    setOfWeekday[day.weekday] = sets.length;
    sets.push(periodSet(day.periods));
  }
  const byDate = new Map<string, CalendarException>();
  for (const e of exceptions) byDate.set(e.date, e);

  const kind = new Int8Array(n);
  for (let i = 0; i < n; i++) kind[i] = setOfWeekday[isoWeekday(firstDay + i)];
  for (const e of byDate.values()) {
    const i = epochDay(e.date) - firstDay;
    if (i < 0 || i >= n) continue;
    kind[i] = e.type === 'HOLIDAY' || sets[0].total === 0 ? NONE : 0;
  }
  const cumDays = new Int32Array(n + 1);
  const cumWork = new Float64Array(n + 1);
  const working: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = kind[i];
    cumDays[i + 1] = cumDays[i] + (k === NONE ? 0 : 1);
    cumWork[i + 1] = cumWork[i] + (k === NONE ? 0 : sets[k].total);
    if (k !== NONE) working.push(i);
  }
  return {
    timeZone: hours.timeZone,
    fromYear: range.fromYear,
    toYear: range.toYear,
    standardDayMs: sets[0].total,
    exceptions: byDate,
    offsetMs: utcOffsetMs(hours.timeZone, Date.UTC(range.fromYear, 0, 1)),
    cutOffMs: hhmmMs(hours.cutOff),
    firstDay,
    kind,
    sets,
    cumDays,
    cumWork,
    workingDays: Int32Array.from(working),
  };
}

// ---- day-level lookups ---------------------------------------------------------------------

function outOfRange(cal: WorkingCalendar): RangeError {
  return new RangeError(`outside the working calendar's years ${cal.fromYear}–${cal.toYear}`);
}

/** Index of the local day holding the instant (ms). */
function dayIndex(cal: WorkingCalendar, t: number): number {
  const i = Math.floor((t + cal.offsetMs) / DAY_MS) - cal.firstDay;
  if (i < 0 || i >= cal.kind.length) throw outOfRange(cal);
  return i;
}

const dayStart = (cal: WorkingCalendar, i: number) => (cal.firstDay + i) * DAY_MS - cal.offsetMs;

/** The first working day after day i (index). */
function nextWorkingDay(cal: WorkingCalendar, i: number): number {
  const wd = cal.workingDays[cal.cumDays[i + 1]];
  if (wd === undefined) throw outOfRange(cal);
  return wd;
}

/** The Nth (N ≥ 1) working day after day i. */
function nthWorkingDayAfter(cal: WorkingCalendar, i: number, n: number): number {
  const wd = cal.workingDays[cal.cumDays[i + 1] + n - 1];
  if (wd === undefined) throw outOfRange(cal);
  return wd;
}

const openOf = (cal: WorkingCalendar, i: number) => dayStart(cal, i) + cal.sets[cal.kind[i]].starts[0];
const closeOf = (cal: WorkingCalendar, i: number) => {
  const ends = cal.sets[cal.kind[i]].ends;
  return dayStart(cal, i) + ends[ends.length - 1];
};

/** Whether the local date is a working day in this calendar. */
export function isWorkingDay(cal: WorkingCalendar, date: string): boolean {
  const i = epochDay(date) - cal.firstDay;
  if (i < 0 || i >= cal.kind.length) throw outOfRange(cal);
  return cal.kind[i] !== NONE;
}

// ---- working time as a monotone function of the instant -------------------------------------

/** Working ms from the start of the calendar's range to t. */
function workedUntil(cal: WorkingCalendar, t: number): number {
  const i = dayIndex(cal, t);
  const k = cal.kind[i];
  let w = cal.cumWork[i];
  if (k === NONE) return w;
  const tod = t - dayStart(cal, i);
  const { starts, ends } = cal.sets[k];
  for (let p = 0; p < starts.length && tod > starts[p]; p++) w += Math.min(tod, ends[p]) - starts[p];
  return w;
}

/**
 * The earliest instant by which `w` ms of working time have passed since the range's start. Of the
 * instants with the same working time (a lunch break, a night, a weekend) it picks the earliest:
 * the end of the working period before, so "1 working day before Monday 17:00" is Friday 17:00.
 */
function instantAtWork(cal: WorkingCalendar, w: number): number {
  const cum = cal.cumWork;
  if (w <= 0) return openOf(cal, cal.workingDays[0]);
  if (w > cum[cum.length - 1]) throw outOfRange(cal);
  // The day i with cum[i] < w <= cum[i + 1].
  let lo = 0;
  let hi = cum.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] < w) lo = mid;
    else hi = mid;
  }
  let rest = w - cum[lo];
  const { starts, ends } = cal.sets[cal.kind[lo]];
  for (let p = 0; p < starts.length; p++) {
    const len = ends[p] - starts[p];
    if (rest <= len) return dayStart(cal, lo) + starts[p] + rest;
    rest -= len;
  }
  return dayStart(cal, lo) + ends[ends.length - 1];
}

/** Working time (ms) from `from` to `to`; negative when `to` is before `from`. */
export function workingTimeBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  return workedUntil(cal, to.getTime()) - workedUntil(cal, from.getTime());
}

/** The earliest instant at which `ms` of working time have passed since `from` (`from` itself for 0). */
export function addWorkingTime(cal: WorkingCalendar, from: Date, ms: number): Date {
  if (ms <= 0) return new Date(from.getTime());
  return new Date(instantAtWork(cal, workedUntil(cal, from.getTime()) + ms));
}

/** The earliest instant from which `ms` of working time lead to `to` (`to` itself for 0). */
export function subtractWorkingTime(cal: WorkingCalendar, to: Date, ms: number): Date {
  if (ms <= 0) return new Date(to.getTime());
  return new Date(instantAtWork(cal, workedUntil(cal, to.getTime()) - ms));
}

// ---- the clock ------------------------------------------------------------------------------

function clockStartMs(cal: WorkingCalendar, t: number): number {
  const i = dayIndex(cal, t);
  const k = cal.kind[i];
  if (k !== NONE) {
    const tod = t - dayStart(cal, i);
    if (tod < cal.cutOffMs) {
      const { starts, ends } = cal.sets[k];
      for (let p = 0; p < starts.length; p++) {
        if (tod < ends[p]) return tod < starts[p] ? dayStart(cal, i) + starts[p] : t;
      }
    }
  }
  return openOf(cal, nextWorkingDay(cal, i));
}

/**
 * When the clock of a dossier received at `instant` starts. On a working day before the cut-off:
 * the instant itself while the office is open, or its next opening that day (early morning, lunch).
 * At or after the cut-off (15:00:00 exactly is already too late), on a rest day, or after the
 * last period: the opening of the next working day.
 */
export function clockStart(cal: WorkingCalendar, instant: Date): Date {
  return new Date(clockStartMs(cal, instant.getTime()));
}

export interface DueDate {
  clockStartsAt: Date;
  dueAt: Date;
}

/**
 * The due instant of a time limit for a dossier received at `start`.
 *
 * WORKING_DAYS, DATE_RULE (Civil Code 2015 Art. 147–148): the local day on which the clock starts
 * is day 0 and is not counted; the dossier is due at the close of office hours of the Nth working
 * day after it. When the clock was moved to the opening of the next working day (cut-off, rest
 * day), that day is the deemed day of receipt, so it is day 0 too, as a dossier received there in
 * the morning would be. Worked examples, 5 working days, standard hours:
 *   received Mon 10:00        → clock Mon 10:00, days Tue…Fri, Mon → due next Mon 17:00;
 *   received Mon 14:59        → the same;
 *   received Mon 15:00 / 16:00 → clock Tue 07:30 (day 0), days Wed…Fri, Mon, Tue → due next Tue 17:00;
 *   received Sat              → clock Mon 07:30 (day 0) → due next Tue 17:00.
 * A limit of 0 days is due at the close of day 0. Fractional days are rounded up.
 * WORKING_DAYS, HOURS: N × a standard working day (Monday's hours, 8 h by default) of working
 *   time from the clock start: 5 days from Mon 10:00 → next Mon 10:00.
 * WORKING_HOURS: N hours of working time from the clock start (either rule).
 * CALENDAR_DAYS: day 0 as above, due at the close of the Nth calendar day after it; one that falls
 *   on a rest day moves to the close of the next working day (Art. 148(1)).
 */
export function computeDueDate(cal: WorkingCalendar, start: Date, limit: Duration, rule: DeadlineRule = 'DATE_RULE'): DueDate {
  const cs = clockStartMs(cal, start.getTime());
  return { clockStartsAt: new Date(cs), dueAt: new Date(dueMs(cal, cs, limit, rule)) };
}

function dueMs(cal: WorkingCalendar, cs: number, limit: Duration, rule: DeadlineRule): number {
  switch (limit.unit) {
    case 'WORKING_DAYS': {
      if (rule === 'HOURS') return limit.value > 0 ? instantAtWork(cal, workedUntil(cal, cs) + limit.value * cal.standardDayMs) : cs;
      const day0 = dayIndex(cal, cs);
      const n = Math.ceil(limit.value);
      return closeOf(cal, n > 0 ? nthWorkingDayAfter(cal, day0, n) : day0);
    }
    case 'WORKING_HOURS':
      return limit.value > 0 ? instantAtWork(cal, workedUntil(cal, cs) + limit.value * HOUR_MS) : cs;
    case 'CALENDAR_DAYS': {
      const day = dayIndex(cal, cs) + Math.ceil(Math.max(0, limit.value));
      if (day >= cal.kind.length) throw outOfRange(cal);
      return closeOf(cal, cal.kind[day] === NONE ? nextWorkingDay(cal, day) : day);
    }
    default:
      throw new RangeError(`unknown duration unit ${String((limit as Duration).unit)}`);
  }
}

// ---- pauses ---------------------------------------------------------------------------------

/** A paused clock as the rule needs it (instants as stored; see resumeAfterPause). */
export interface PausedClock {
  unit: Duration['unit'];
  clockStartsAt: Date;
  /** Since when it counted before the pause: clockStartsAt, or the previous resume. */
  runningSince: Date;
  pausedAt: Date;
  dueAt: Date;
  dueSoonAt: Date;
}

export interface ResumedClock {
  /** When it counts again: the resume, or the clock's start when resumed before it. */
  runningSince: Date;
  dueAt: Date;
  dueSoonAt: Date;
  /** Working time (ms) between the pause and the resume. */
  pausedMs: number;
  /** Working days the due date moved (a limit in days), or null (a limit counted in working time). */
  movedDays: number | null;
}

/**
 * The working day an action (a pause, a resume) counts on: its own day until that day's last
 * close, so also before the office opens and over lunch; from the close on (the evening, the
 * night, a rest day) the next working day's, as a filing outside working time is received on the
 * next working day. No 15:00 cut-off: that rule gives reception time to register a new dossier,
 * and a resumed one is registered and in its officer's hands already.
 */
function actionDay(cal: WorkingCalendar, t: number): number {
  const i = dayIndex(cal, t);
  return cal.kind[i] !== NONE && t < closeOf(cal, i) ? i : nextWorkingDay(cal, i);
}

/** The instant `ms` (0 … the day's total) of working time into working day i; the close at the total. */
function atWorkIntoDay(cal: WorkingCalendar, i: number, ms: number): number {
  const { starts, ends } = cal.sets[cal.kind[i]];
  let rest = ms;
  for (let p = 0; p < starts.length; p++) {
    if (rest <= ends[p] - starts[p]) return dayStart(cal, i) + starts[p] + rest;
    rest -= ends[p] - starts[p];
  }
  return closeOf(cal, i);
}

/**
 * The instant `n` (≥ 1) working days later: a close stays a close (of the nth working day after
 * its day); another instant keeps its working time into the day (at most that day's total). An
 * instant after a day's close, or on a rest day, counts as the last close before it (nothing is
 * worked until the next opening), so a re-appointment to a Saturday moves like the Friday's close.
 */
function laterByWorkingDays(cal: WorkingCalendar, t: number, n: number): number {
  let i = dayIndex(cal, t);
  if (cal.kind[i] === NONE) {
    const before = cal.cumDays[i] - 1;
    if (before < 0) throw outOfRange(cal);
    i = cal.workingDays[before];
    t = closeOf(cal, i);
  }
  const into = workedUntil(cal, t) - cal.cumWork[i];
  const j = nthWorkingDayAfter(cal, i, n);
  return into >= cal.sets[cal.kind[i]].total ? closeOf(cal, j) : atWorkIntoDay(cal, j, Math.min(into, cal.sets[cal.kind[j]].total));
}

/**
 * What a pause does to a clock's due instants when it resumes at `resumedAt` (the supplement,
 * or the payment, came in). The time limit does not run while paused; how much it gave back
 * depends on how the limit is counted.
 *
 * A limit in days (WORKING_DAYS under the DATE_RULE, and CALENDAR_DAYS), due at the close of a
 * day (Civil Code 2015 Art. 147–148): the pause gives back whole working days. The pause and the
 * resume each count on a working day (see actionDay: its own day until its close, the next
 * working day's after); the day of the pause was a counted day, and the day of the resume is not
 * (Art. 147: the day of the event from which a period runs is not counted), so the due date moves
 * by the working days after the pause's day up to and including the resume's day. Hence:
 * - a pause and a resume on the same working day, before its close, move nothing, however close
 *   to 17:00 (a pause shorter than the working time left in its day never moves the due day);
 * - a pause entirely outside working time (from the evening to the next morning, over a weekend
 *   or a holiday) moves nothing: both count on the same next working day;
 * - only working days count: the weekend and holidays inside a pause are not given back (for a
 *   CALENDAR_DAYS limit too: the office gets back the days it could have worked);
 * - the due date moves by the pause's working time rounded to whole days, less than one day off
 *   it (days of equal hours); two pauses back to back move it as much as one pause over both.
 * Worked examples, standard hours, a 3-working-day limit from Tue 8/12/2026 07:55 (due Fri 11/12
 * at 17:00):
 *   paused 07:55:20, resumed 07:55:40               → due Fri 11/12 17:00 (unchanged);
 *   paused 14:59:30, resumed 15:00:30 (after cut-off) → unchanged;
 *   paused 16:59:30, resumed 16:59:50               → unchanged;
 *   paused 16:59:30, resumed 17:00:30 (after close)  → the resume counts on Wed 9: Mon 14/12 17:00;
 *   paused 17:30, resumed Wed 9 07:25 (no work done) → unchanged;
 *   paused 10:00, resumed Thu 10 16:00               → Wed and Thu given back: Tue 15/12 17:00.
 * A limit in working time (WORKING_HOURS, and WORKING_DAYS under the HOURS rule): both instants
 * move by the pause's working time exactly, so a due instant at a close moves into the next
 * morning by that much (8 working hours from 07:30 are due at 17:00; paused 20 s, at 07:30:20
 * the next working day): that is what counting in hours means.
 * Either way the warning moves with the due instant, and a clock already late when paused stays
 * as late when it resumes (its due instant moves as any other, it does not jump to the resume).
 * A clock paused before it started counting (accepted after the cut-off) was paused from its
 * start; resumed before its start it changes nothing.
 */
export function resumeAfterPause(cal: WorkingCalendar, clock: PausedClock, resumedAt: Date, rule: DeadlineRule = 'DATE_RULE'): ResumedClock {
  const since = clock.runningSince.getTime();
  const from = Math.max(clock.pausedAt.getTime(), since);
  const to = Math.max(resumedAt.getTime(), from);
  const pausedMs = workedUntil(cal, to) - workedUntil(cal, from);
  const unchanged = { dueAt: new Date(clock.dueAt.getTime()), dueSoonAt: new Date(clock.dueSoonAt.getTime()) };
  const runningSince = new Date(Math.max(resumedAt.getTime(), since));
  if (clock.unit === 'WORKING_HOURS' || (clock.unit === 'WORKING_DAYS' && rule === 'HOURS')) {
    if (pausedMs === 0) return { runningSince, ...unchanged, pausedMs, movedDays: null };
    const later = (d: Date) => new Date(instantAtWork(cal, workedUntil(cal, d.getTime()) + pausedMs));
    return { runningSince, dueAt: later(clock.dueAt), dueSoonAt: later(clock.dueSoonAt), pausedMs, movedDays: null };
  }
  // Both are working days (actionDay), so the working days in [a, b) are those in (a, b].
  const movedDays = cal.cumDays[actionDay(cal, to)] - cal.cumDays[actionDay(cal, from)];
  if (movedDays === 0) return { runningSince, ...unchanged, pausedMs, movedDays };
  const later = (d: Date) => new Date(laterByWorkingDays(cal, d.getTime(), movedDays));
  return { runningSince, dueAt: later(clock.dueAt), dueSoonAt: later(clock.dueSoonAt), pausedMs, movedDays };
}

// ---- warnings and outcomes ------------------------------------------------------------------

export interface DueSoonOptions {
  /** Working time before the due instant at which a dossier is due soon; default one standard working day. */
  beforeMs?: number;
  /** For budgets shorter than that: the share of the budget left when it is due soon; default 0.25. */
  shareLeft?: number;
}

/**
 * When a running clock becomes "due soon": one working day (of working time) before the due
 * instant, which for a due date at Monday 17:00 is Friday 17:00, so the warning reaches officers
 * while they are at work. A budget shorter than that warns when 25% of it is left.
 */
export function dueSoonAt(cal: WorkingCalendar, clockStartsAt: Date, dueAt: Date, options: DueSoonOptions = {}): Date {
  const before = options.beforeMs ?? cal.standardDayMs;
  const start = workedUntil(cal, clockStartsAt.getTime());
  const due = workedUntil(cal, dueAt.getTime());
  const budget = due - start;
  if (budget <= 0) return new Date(dueAt.getTime());
  const lead = budget < before ? budget * (options.shareLeft ?? 0.25) : before;
  return new Date(Math.max(clockStartsAt.getTime(), instantAtWork(cal, due - lead)));
}

export type Timeliness = 'EARLY' | 'ON_TIME' | 'LATE';
export type Progress = 'ON_TRACK' | 'DUE_SOON' | 'OVERDUE';

/** A finished dossier: before the due date, on it, or after it, by date in Vietnam. */
export function timeliness(finishedAt: Date, dueAt: Date): Timeliness {
  const finished = vietnamDate(finishedAt);
  const due = vietnamDate(dueAt);
  return finished < due ? 'EARLY' : finished === due ? 'ON_TIME' : 'LATE';
}

/** A running dossier at `now`: overdue once past the due instant, due soon from dueSoonAt. */
export function progress(now: Date, dueSoonAt: Date, dueAt: Date): Progress {
  const t = now.getTime();
  if (t > dueAt.getTime()) return 'OVERDUE';
  return t >= dueSoonAt.getTime() ? 'DUE_SOON' : 'ON_TRACK';
}
