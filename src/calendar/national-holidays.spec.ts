import { describe, expect, it } from '@jest/globals';
import { provisionalNationalHolidays } from './national-holidays.js';
import { storedNationalDays } from './national-schedule.js';

const stored = storedNationalDays();
const storedHolidays = (year: number) => stored.filter((r) => r.type === 'HOLIDAY' && r.date.startsWith(`${year}-`)).map((r) => r.date);
const dates = (year: number) => provisionalNationalHolidays(year).map((h) => h.date);

describe('provisional national holidays (Labour Code 2019 Art. 112)', () => {
  it('reproduces the published 2027 schedule exactly (Tết with two make-up days, 1/5 on a Saturday)', () => {
    expect(dates(2027)).toEqual(storedHolidays(2027));
  });

  it('reproduces 2024 except the 29/4 swap, which only a notice can decide', () => {
    expect(dates(2024)).toEqual(storedHolidays(2024).filter((d) => d !== '2024-04-29'));
  });

  it('reproduces 2025, and 2026 but for its swaps and the 1-before/4-after Tết', () => {
    expect(dates(2025)).toEqual(storedHolidays(2025).filter((d) => d !== '2025-05-02'));
    const d2026 = dates(2026);
    expect(d2026).toEqual(
      expect.arrayContaining(['2026-01-01', '2026-02-17', '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02', '2026-11-24']),
    );
    expect(d2026.filter((d) => d.startsWith('2026-02'))).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
  });

  it('flags every row provisional and derived, with a source', () => {
    for (const h of provisionalNationalHolidays(2031))
      expect(h).toMatchObject({ type: 'HOLIDAY', provisional: true, confidence: 'derived', source: expect.stringContaining('112') });
  });

  it('gives make-up days for weekend holidays but not for 24/11', () => {
    // 2028: 1/1 is a Saturday → Monday 3/1 off. 24/11/2029 is a Saturday → nothing added.
    expect(dates(2028)).toContain('2028-01-03');
    expect(dates(2029)).toContain('2029-11-24');
    expect(dates(2029)).not.toContain('2029-11-26');
    // 2030: Tết on Saturday 2/2 (Vietnam), so 31/1–4/2 with Sat 2 and Sun 3 → Tue 5, Wed 6 off.
    expect(dates(2030).filter((d) => d > '2030-01-15' && d < '2030-03')).toEqual([
      '2030-01-31',
      '2030-02-01',
      '2030-02-02',
      '2030-02-03',
      '2030-02-04',
      '2030-02-05',
      '2030-02-06',
    ]);
  });

  it('takes the day adjacent to 2/9 that joins a weekend', () => {
    expect(dates(2028).filter((d) => d.startsWith('2028-09'))).toEqual(['2028-09-01', '2028-09-02', '2028-09-04']); // Fri 1 + Sat 2 → Mon 4
    expect(dates(2030).filter((d) => d.startsWith('2030-09'))).toEqual(['2030-09-02', '2030-09-03']); // Mon
  });
});
