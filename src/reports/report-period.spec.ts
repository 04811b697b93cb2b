import { describe, expect, it } from '@jest/globals';
import { AppError } from '../common/errors.js';
import { monthsOf, publicPeriod, resolvePeriod } from './report-period.js';

const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { status: (e as AppError).status, code: (e as AppError).code, field: ((e as AppError).details as Array<{ field: string }>)[0].field };
  }
  return null;
};

describe('report periods (Vietnam days)', () => {
  it('month, quarter and year containing a date', () => {
    expect(resolvePeriod({ period: 'month', date: '2026-02-14' })).toEqual({ from: '2026-02-01', to: '2026-02-28', label: 'Tháng 2/2026' });
    expect(resolvePeriod({ period: 'quarter', date: '2026-11-20' })).toEqual({ from: '2026-10-01', to: '2026-12-31', label: 'Quý IV/2026' });
    expect(resolvePeriod({ period: 'year', date: '2024-07-01' })).toEqual({ from: '2024-01-01', to: '2024-12-31', label: 'Năm 2024' });
    expect(resolvePeriod({ period: 'month', date: '2024-02-10' }).to).toBe('2024-02-29');
  });
  it('from–to', () =>
    expect(resolvePeriod({ from: '2026-01-01', to: '2026-09-30' })).toEqual({ from: '2026-01-01', to: '2026-09-30', label: '01/01/2026 – 30/09/2026' }));
  it('bad dates, from after to, longer than 3 years: 422 with the field', () => {
    expect(fieldOf(() => resolvePeriod({ from: '2026-02-30', to: '2026-03-01' }))).toEqual({ status: 422, code: 'REPORT_PERIOD_INVALID', field: 'from' });
    expect(fieldOf(() => resolvePeriod({ from: '2026-01-01' }))).toMatchObject({ field: 'to' });
    expect(fieldOf(() => resolvePeriod({ from: '2026-03-01', to: '2026-02-01' }))).toMatchObject({ field: 'from' });
    expect(fieldOf(() => resolvePeriod({ from: '2020-01-01', to: '2023-12-31' }))).toMatchObject({ field: 'to' });
    expect(resolvePeriod({ from: '2021-01-01', to: '2023-12-31' }).to).toBe('2023-12-31');
    expect(fieldOf(() => resolvePeriod({ period: 'week', date: '2026-01-01' }))).toMatchObject({ field: 'period' });
    expect(fieldOf(() => resolvePeriod({ period: 'month' }))).toMatchObject({ field: 'date' });
  });
  it('the months of a period, clipped to it', () => {
    expect(monthsOf({ from: '2026-11-15', to: '2027-01-10' })).toEqual([
      { month: '2026-11', from: '2026-11-15', to: '2026-11-30' },
      { month: '2026-12', from: '2026-12-01', to: '2026-12-31' },
      { month: '2027-01', from: '2027-01-01', to: '2027-01-10' },
    ]);
  });
  it('public periods: whole months, at most PUBLIC_REPORT_MAX_MONTHS, up to the current month; 400s naming the field', () => {
    const bounds = { maxMonths: 36, currentMonth: '2026-12' };
    expect(publicPeriod({ from: '2024-01-01', to: '2026-12-31' }, bounds)).toMatchObject({ from: '2024-01-01', to: '2026-12-31' });
    expect(publicPeriod({ period: 'year', date: '2026-03-04' }, bounds)).toMatchObject({ from: '2026-01-01', to: '2026-12-31' });
    expect(fieldOf(() => publicPeriod({ from: '2026-01-02', to: '2026-03-31' }, bounds))).toEqual({
      status: 400,
      code: 'PUBLIC_REPORT_PERIOD_NOT_MONTHS',
      field: 'from',
    });
    expect(fieldOf(() => publicPeriod({ from: '2026-01-01', to: '2026-02-27' }, bounds))).toEqual({
      status: 400,
      code: 'PUBLIC_REPORT_PERIOD_NOT_MONTHS',
      field: 'to',
    });
    expect(publicPeriod({ from: '2024-02-01', to: '2024-02-29' }, bounds).to).toBe('2024-02-29');
    // 37 months: the public bound answers, not the three-year 422.
    expect(fieldOf(() => publicPeriod({ from: '2023-12-01', to: '2026-12-31' }, bounds))).toEqual({
      status: 400,
      code: 'PUBLIC_REPORT_PERIOD_TOO_LONG',
      field: 'to',
    });
    expect(fieldOf(() => publicPeriod({ from: '2026-01-01', to: '2026-06-30' }, { ...bounds, maxMonths: 5 }))).toMatchObject({
      code: 'PUBLIC_REPORT_PERIOD_TOO_LONG',
      field: 'to',
    });
    expect(fieldOf(() => publicPeriod({ period: 'year', date: '2025-05-01' }, { ...bounds, maxMonths: 6 }))).toEqual({
      status: 400,
      code: 'PUBLIC_REPORT_PERIOD_TOO_LONG',
      field: 'period',
    });
    expect(fieldOf(() => publicPeriod({ from: '2026-12-01', to: '2027-01-31' }, bounds))).toEqual({
      status: 400,
      code: 'PUBLIC_REPORT_PERIOD_IN_FUTURE',
      field: 'to',
    });
    expect(fieldOf(() => publicPeriod({ period: 'month', date: '2027-01-15' }, bounds))).toEqual({
      status: 400,
      code: 'PUBLIC_REPORT_PERIOD_IN_FUTURE',
      field: 'date',
    });
    // Malformed days stay resolvePeriod's 422.
    expect(fieldOf(() => publicPeriod({ from: '2026-02-30', to: '2026-03-31' }, bounds))).toEqual({
      status: 422,
      code: 'REPORT_PERIOD_INVALID',
      field: 'from',
    });
  });
});
