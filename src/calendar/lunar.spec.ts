import { describe, expect, it } from '@jest/globals';
import { dateOfJulianDay, hungKingsDate, julianDay, lunarToSolar, tetDate } from './lunar.js';

describe('Vietnamese lunar calendar', () => {
  it('places Tết on the dates of the government notices (data/README.md)', () => {
    expect([2024, 2025, 2026, 2027].map((y) => tetDate(y))).toEqual(['2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06']);
  });

  it('uses Vietnam time (UTC+7): Tết 2030 is 2/2 here, 3/2 in the Chinese calendar (UTC+8)', () => {
    expect(tetDate(2030)).toBe('2030-02-02');
    expect(tetDate(2030, 8)).toBe('2030-02-03');
    expect(tetDate(1985)).not.toBe(tetDate(1985, 8));
  });

  it('places the Hùng Kings day on 10/3 lunar, skipping a leap month', () => {
    expect([2024, 2025, 2026, 2027].map((y) => hungKingsDate(y))).toEqual(['2024-04-18', '2025-04-07', '2026-04-26', '2027-04-16']);
    // 2023 had a leap 2nd month (nhuận tháng 2): 10/3 was 29/4/2023, not a month earlier.
    expect(hungKingsDate(2023)).toBe('2023-04-29');
    expect(lunarToSolar(1, 2, 2023, true)).toBe('2023-03-22');
    expect(lunarToSolar(1, 3, 2023, true)).toBeNull();
  });

  it('converts Julian day numbers both ways', () => {
    expect(julianDay(1, 1, 2000)).toBe(2451545);
    for (const jd of [2415021, 2451545, 2460000, 2488070])
      expect(julianDay(...(dateOfJulianDay(jd).split('-').map(Number).reverse() as [number, number, number]))).toBe(jd);
  });
});
