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
  /** Working time (ms) between two instants, for pause/resume. */
  abstract workingTimeBetween(agencyCode: string, from: Date, to: Date): Promise<number>;
  /** The instant `ms` of working time after `from`. */
  abstract addWorkingTime(agencyCode: string, from: Date, ms: number): Promise<Date>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A stand-in that counts plain elapsed time (a day is 24 h, an hour is an hour, no holidays, no
 * cut-off) and warns when 20 % of the budget is left. It exists only so deadlines run before the
 * working-time calendar is merged: the real binding of DueDateCalculator is that calendar, and the
 * lead swaps it in DeadlinesModule. Tests derive every expected instant from the bound calculator,
 * so they hold after the swap.
 */
export class ElapsedTimeCalculator extends DueDateCalculator {
  async dueDate(_agencyCode: string, start: Date, limit: TimeLimit): Promise<{ clockStartsAt: Date; dueAt: Date }> {
    const unitMs = limit.unit === 'WORKING_HOURS' ? HOUR_MS : DAY_MS;
    return { clockStartsAt: new Date(start.getTime()), dueAt: new Date(start.getTime() + limit.value * unitMs) };
  }

  async dueSoonAt(_agencyCode: string, clockStartsAt: Date, dueAt: Date): Promise<Date> {
    const budget = Math.max(0, dueAt.getTime() - clockStartsAt.getTime());
    return new Date(dueAt.getTime() - Math.round(budget * 0.2));
  }

  async workingTimeBetween(_agencyCode: string, from: Date, to: Date): Promise<number> {
    return Math.max(0, to.getTime() - from.getTime());
  }

  async addWorkingTime(_agencyCode: string, from: Date, ms: number): Promise<Date> {
    return new Date(from.getTime() + Math.max(0, ms));
  }
}
