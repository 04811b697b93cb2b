import type { ErrorDetail } from '../common/errors.js';
import { VIETNAM_TZ } from '../common/clock.js';

/** A span of the working day, local time, `HH:MM` (24 h). */
export interface OfficePeriod {
  start: string;
  end: string;
}

/**
 * When an agency works. The working-time calendar builds on it: a dossier received after `cutOff`
 * or outside the periods starts its clock at the start of the next working day. Weekdays are ISO
 * (1 = Monday … 7 = Sunday) so a centre that also opens on Saturday mornings can say so.
 */
export interface OfficeHours {
  timeZone: string;
  days: Array<{ weekday: number; periods: OfficePeriod[] }>;
  cutOff: string;
}

const STANDARD_DAY: OfficePeriod[] = [
  { start: '07:30', end: '11:30' },
  { start: '13:00', end: '17:00' },
];

/** The default: Monday–Friday 07:30–11:30 and 13:00–17:00 in Vietnam, cut-off 15:00. */
export function defaultOfficeHours(): OfficeHours {
  return {
    timeZone: VIETNAM_TZ,
    days: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, periods: STANDARD_DAY.map((p) => ({ ...p })) })),
    cutOff: '15:00',
  };
}

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * What the shape checks of the DTO cannot see: an unknown time zone, a weekday listed twice, a
 * period that ends before it starts or overlaps the one before. Returns the problems, each naming
 * its field (empty when the hours are usable).
 */
export function officeHoursProblems(hours: OfficeHours, field = 'officeHours'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isTimeZone(hours.timeZone)) {
    problems.push({ field: `${field}.timeZone`, message: `Múi giờ không hợp lệ / Unknown time zone "${hours.timeZone}"` });
  }
  const seen = new Set<number>();
  hours.days.forEach((day, i) => {
    if (seen.has(day.weekday)) {
      problems.push({ field: `${field}.days.${i}.weekday`, message: `Ngày ${day.weekday} bị lặp / Weekday ${day.weekday} is listed twice` });
    }
    seen.add(day.weekday);
    let previousEnd = -1;
    day.periods.forEach((p, j) => {
      const at = `${field}.days.${i}.periods.${j}`;
      if (minutes(p.start) >= minutes(p.end)) {
        problems.push({ field: at, message: `Giờ kết thúc phải sau giờ bắt đầu / ${p.start}–${p.end} ends before it starts` });
      } else if (minutes(p.start) < previousEnd) {
        problems.push({
          field: at,
          message: `Các khoảng giờ phải theo thứ tự, không chồng nhau / ${p.start}–${p.end} overlaps or precedes the previous period`,
        });
      }
      previousEnd = Math.max(previousEnd, minutes(p.end));
    });
  });
  if (hours.days.every((d) => d.periods.length === 0)) {
    problems.push({ field: `${field}.days`, message: 'Cần ít nhất một khoảng giờ làm việc / At least one working period is needed' });
  }
  return problems;
}
