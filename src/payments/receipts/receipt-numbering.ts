/**
 * Receipt numbering (Decree 254/2026 Art. 23): a number of at most 8 digits, ascending per series,
 * from 1 again every 1 January. The year is Vietnam's (UTC+7 all year): a receipt issued at
 * 23:30 on 31 December UTC is already in the new year at 06:30 Vietnam time.
 */
export const RECEIPT_NUMBER_MAX = 99_999_999;

/** The calendar year in Vietnam (Asia/Ho_Chi_Minh, UTC+7, no daylight saving). */
export function vietnamYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3600_000).getUTCFullYear();
}

/** The series of a year: the agency's letters, the year's last two digits, E for electronic (e.g. HT-26E). */
export function seriesOf(prefix: string, year: number): string {
  return `${prefix}-${String(year % 100).padStart(2, '0')}E`;
}

/** The number as printed: 8 digits, zero-padded. */
export function formatReceiptNumber(n: number): string {
  return String(n).padStart(8, '0');
}

/** The bounds (UTC instants) of a Vietnam calendar day given as YYYY-MM-DD. */
export function vietnamDayBounds(day: string): { from: Date; to: Date } {
  const from = new Date(`${day}T00:00:00+07:00`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

/** The Vietnam calendar day (YYYY-MM-DD) of an instant. */
export function vietnamDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}
