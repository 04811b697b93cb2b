import { VIETNAM_TZ } from '../clock.js';

/** How printed and exported files write numbers, dates and names in Vietnamese. */

const vi = (digits: number) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const VI_INT = vi(0);
const VI_2 = vi(2);
const VI_PERCENT = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 49.665 — Vietnamese digit grouping. */
export const viInt = (n: number): string => VI_INT.format(n);
/** 18,5 — a decimal comma, at most two decimals. */
export const viNumber = (n: number | null): string => (n === null ? '–' : VI_2.format(n));
/** 99,69 % — a rate in [0, 1] as a percentage; "–" when there is none. */
export const viPercent = (rate: number | null): string => (rate === null ? '–' : `${VI_PERCENT.format(Math.round(rate * 10_000) / 100)} %`);

/** 31/12/2026 from 2026-12-31. */
export const dmy = (iso: string): string => iso.split('-').reverse().join('/');

/** "14:05 ngày 03/12/2026" in Vietnam time. */
export function viInstant(iso: string | Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: VIETNAM_TZ,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.hour}:${p.minute} ngày ${p.day}/${p.month}/${p.year}`;
}

/** Keeps a file name to letters, digits, dot and dash. */
export const safe = (s: string): string => s.replace(/[^A-Za-z0-9.-]+/g, '-');
