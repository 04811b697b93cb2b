import type { Duration, DurationUnit, ProcessStep } from './catalog.types.js';

/** Government offices work 8 hours a day (07:30–11:30, 13:00–17:00). */
export const WORKING_HOURS_PER_DAY = 8;

const UNIT_LABEL: Record<DurationUnit, [string, string]> = {
  WORKING_DAYS: ['ngày làm việc', 'working days'],
  WORKING_HOURS: ['giờ làm việc', 'working hours'],
  CALENDAR_DAYS: ['ngày', 'calendar days'],
};

export function describeDuration(d: Duration, lang: 'vi' | 'en'): string {
  return `${d.value} ${UNIT_LABEL[d.unit][lang === 'vi' ? 0 : 1]}`;
}

// Hundredths of an hour, so sums of budgets like 0.5 day + 1.25 h stay exact integers.
const centiHours = (d: Duration) => Math.round(d.value * 100) * (d.unit === 'WORKING_HOURS' ? 1 : WORKING_HOURS_PER_DAY);

/**
 * Steps' budgets in the unit of the legal limit. Hours and days convert at 8 working hours a day;
 * a calendar day counts as one day, so a CALENDAR_DAYS limit compares in days.
 */
export function sumBudgets(steps: Array<Pick<ProcessStep, 'budget'>>, unit: DurationUnit): Duration {
  const total = steps.reduce((sum, s) => sum + centiHours(s.budget), 0);
  const perUnit = unit === 'WORKING_HOURS' ? 100 : 100 * WORKING_HOURS_PER_DAY;
  return { value: Math.round((total / perUnit) * 100) / 100, unit };
}

export interface BudgetOverrun {
  sum: Duration;
  limit: Duration;
}

/**
 * The approved internal process may not take longer than the law allows: the steps' budgets must
 * add up to no more than the procedure's time limit. Returns the overrun, or null when it fits.
 */
export function processBudgetOverrun(steps: Array<Pick<ProcessStep, 'budget'>>, limit: Duration): BudgetOverrun | null {
  const total = steps.reduce((sum, s) => sum + centiHours(s.budget), 0);
  if (total <= centiHours(limit)) return null;
  return { sum: sumBudgets(steps, limit.unit), limit };
}
