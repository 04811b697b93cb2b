import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Duration, DurationUnit } from './catalog.types.js';
import { processBudgetOverrun, sumBudgets } from './process-budget.js';

const steps = (...budgets: Array<[number, DurationUnit]>) => budgets.map(([value, unit]) => ({ budget: { value, unit } }));
const limit = (value: number, unit: DurationUnit): Duration => ({ value, unit });

describe('internal process budget', () => {
  it('accepts steps that add up exactly to the limit', () => {
    expect(processBudgetOverrun(steps([4, 'WORKING_HOURS'], [1, 'WORKING_DAYS'], [4, 'WORKING_HOURS']), limit(2, 'WORKING_DAYS'))).toBeNull();
  });

  it('converts hours to days at 8 working hours a day', () => {
    // 1 day + 9 h = 17 h > 2 days (16 h)
    expect(processBudgetOverrun(steps([1, 'WORKING_DAYS'], [9, 'WORKING_HOURS']), limit(2, 'WORKING_DAYS'))).toEqual({
      sum: { value: 2.13, unit: 'WORKING_DAYS' },
      limit: { value: 2, unit: 'WORKING_DAYS' },
    });
    // 1 day = 8 h fits an 8-hour limit; 1 day + 0.5 h does not
    expect(processBudgetOverrun(steps([1, 'WORKING_DAYS']), limit(8, 'WORKING_HOURS'))).toBeNull();
    expect(processBudgetOverrun(steps([1, 'WORKING_DAYS'], [0.5, 'WORKING_HOURS']), limit(8, 'WORKING_HOURS'))).toEqual({
      sum: { value: 8.5, unit: 'WORKING_HOURS' },
      limit: { value: 8, unit: 'WORKING_HOURS' },
    });
  });

  it('compares a calendar-day limit in days', () => {
    expect(processBudgetOverrun(steps([1, 'CALENDAR_DAYS'], [8, 'CALENDAR_DAYS'], [1, 'CALENDAR_DAYS']), limit(10, 'CALENDAR_DAYS'))).toBeNull();
    expect(processBudgetOverrun(steps([3, 'WORKING_DAYS'], [8, 'CALENDAR_DAYS'], [4, 'WORKING_HOURS']), limit(10, 'CALENDAR_DAYS'))).toEqual({
      sum: { value: 11.5, unit: 'CALENDAR_DAYS' },
      limit: { value: 10, unit: 'CALENDAR_DAYS' },
    });
  });

  it('sums fractional budgets without floating-point drift', () => {
    // 0.1 + 0.2 days is 0.30000000000000004 in floating point, which would overrun 0.3
    expect(processBudgetOverrun(steps([0.1, 'WORKING_DAYS'], [0.2, 'WORKING_DAYS']), limit(0.3, 'WORKING_DAYS'))).toBeNull();
    expect(sumBudgets(steps([0.1, 'WORKING_DAYS'], [0.2, 'WORKING_DAYS']), 'WORKING_HOURS')).toEqual({ value: 2.4, unit: 'WORKING_HOURS' });
  });

  it('never lets a process through whose hours exceed the limit in hours', () => {
    const unit = fc.constantFrom<DurationUnit>('WORKING_DAYS', 'WORKING_HOURS', 'CALENDAR_DAYS');
    const budget = fc.record({ value: fc.integer({ min: 1, max: 400 }).map((n) => n / 4), unit });
    const hours = (d: Duration) => d.value * (d.unit === 'WORKING_HOURS' ? 1 : 8);
    fc.assert(
      fc.property(fc.array(budget, { minLength: 1, maxLength: 6 }), budget, (bs, lim) => {
        const over = processBudgetOverrun(
          bs.map((b) => ({ budget: b })),
          lim,
        );
        const total = bs.reduce((s, b) => s + hours(b), 0);
        expect(over !== null).toBe(total > hours(lim));
      }),
    );
  });
});
