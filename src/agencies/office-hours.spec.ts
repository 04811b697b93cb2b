import { describe, expect, it } from '@jest/globals';
import { defaultOfficeHours, officeHoursProblems, type OfficeHours } from './office-hours.js';

describe('office hours', () => {
  it('defaults to Monday–Friday 07:30–11:30 and 13:00–17:00 in Vietnam with a 15:00 cut-off', () => {
    const h = defaultOfficeHours();
    expect(h.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(h.cutOff).toBe('15:00');
    expect(h.days.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5]);
    for (const d of h.days)
      expect(d.periods).toEqual([
        { start: '07:30', end: '11:30' },
        { start: '13:00', end: '17:00' },
      ]);
    expect(officeHoursProblems(h)).toEqual([]);
  });

  it('hands out independent copies of the default', () => {
    const a = defaultOfficeHours();
    a.days[0].periods[0].start = '08:00';
    expect(defaultOfficeHours().days[0].periods[0].start).toBe('07:30');
  });

  it('accepts a Saturday-morning centre', () => {
    const h = defaultOfficeHours();
    h.days.push({ weekday: 6, periods: [{ start: '07:30', end: '11:30' }] });
    expect(officeHoursProblems(h)).toEqual([]);
  });

  it('names the field of each problem', () => {
    const h: OfficeHours = {
      timeZone: 'Asia/Hanoi_Nowhere',
      cutOff: '15:00',
      days: [
        { weekday: 1, periods: [{ start: '13:00', end: '11:30' }] },
        {
          weekday: 2,
          periods: [
            { start: '07:30', end: '11:30' },
            { start: '11:00', end: '17:00' },
          ],
        },
        { weekday: 2, periods: [] },
      ],
    };
    expect(officeHoursProblems(h).map((p) => p.field)).toEqual([
      'officeHours.timeZone',
      'officeHours.days.0.periods.0',
      'officeHours.days.1.periods.1',
      'officeHours.days.2.weekday',
    ]);
  });

  it('refuses hours with no working period at all', () => {
    expect(officeHoursProblems({ timeZone: 'Asia/Ho_Chi_Minh', cutOff: '15:00', days: [{ weekday: 1, periods: [] }] })).toEqual([
      expect.objectContaining({ field: 'officeHours.days' }),
    ]);
  });
});
