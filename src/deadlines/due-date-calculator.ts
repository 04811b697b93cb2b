import type { PausedClock, ResumedClock } from '../calendar/working-calendar.js';

/** How long a step or a whole dossier may take, as the procedure states it. */
export interface TimeLimit {
  value: number;
  unit: 'WORKING_DAYS' | 'WORKING_HOURS' | 'CALENDAR_DAYS';
}

/**
 * The calendar questions deadlines ask. Deadlines never do working-time arithmetic themselves: the
 * working-time calendar (holidays, office hours, cut-off, per agency) answers these, so one rule
 * lives in one place and a calendar change can re-project every running clock.
 */
export abstract class DueDateCalculator {
  /** When the clock really starts and when it is due, for this agency's calendar. */
  abstract dueDate(agencyCode: string, start: Date, limit: TimeLimit): Promise<{ clockStartsAt: Date; dueAt: Date }>;
  /** When to warn: by default 1 working day before dueAt, or 25 % of the budget left for short steps. */
  abstract dueSoonAt(agencyCode: string, clockStartsAt: Date, dueAt: Date): Promise<Date>;
  /** Working time (ms) between two instants: what a clock counted before its pause. */
  abstract workingTimeBetween(agencyCode: string, from: Date, to: Date): Promise<number>;
  /** The due instants of a paused clock resumed at `resumedAt`: the one rule, resumeAfterPause in working-calendar.ts. */
  abstract resumed(agencyCode: string, clock: PausedClock, resumedAt: Date): Promise<ResumedClock>;
}
