import { Inject, Injectable } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service.js';
import { computeDueDate, dueSoonAt, resumeAfterPause, workingTimeBetween, type PausedClock, type ResumedClock } from '../calendar/working-calendar.js';
import { DueDateCalculator, type TimeLimit } from './due-date-calculator.js';

/**
 * The deadline engine's calendar: each agency's working-time calendar (office hours, cut-off,
 * national holidays and swapped days, the agency's and its parents' own days).
 */
@Injectable()
export class WorkingTimeCalculator extends DueDateCalculator {
  constructor(@Inject(CalendarService) private readonly calendars: CalendarService) {
    super();
  }

  async dueDate(agencyCode: string, start: Date, limit: TimeLimit): Promise<{ clockStartsAt: Date; dueAt: Date }> {
    return computeDueDate(await this.calendars.calendarFor(agencyCode), start, limit);
  }

  async dueSoonAt(agencyCode: string, clockStartsAt: Date, dueAt: Date): Promise<Date> {
    return dueSoonAt(await this.calendars.calendarFor(agencyCode), clockStartsAt, dueAt);
  }

  async workingTimeBetween(agencyCode: string, from: Date, to: Date): Promise<number> {
    return workingTimeBetween(await this.calendars.calendarFor(agencyCode), from, to);
  }

  async resumed(agencyCode: string, clock: PausedClock, resumedAt: Date): Promise<ResumedClock> {
    return resumeAfterPause(await this.calendars.calendarFor(agencyCode), clock, resumedAt);
  }
}
