import type { ReportPeriod } from './report-types.js';
import { ReportErrors } from './reports.errors.js';

export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The longest period a report covers (from–to inclusive): three years. */
export const MAX_PERIOD_DAYS = 3 * 366;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ROMAN = ['I', 'II', 'III', 'IV'];

const invalid = (field: string, vi: string, en: string) => ReportErrors.REPORT_PERIOD_INVALID(vi, en, [{ field, message: en }]);

/** A real calendar day as yyyy-mm-dd, or null. */
export function parseDay(s: string | undefined): string | null {
  if (!s || !DAY.test(s)) return null;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? null : s;
}

const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, '0');
const dmy = (s: string) => `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;

/** Every day count between two yyyy-mm-dd days, inclusive. */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * The period of a report, in Vietnam days: `from`–`to` (inclusive), or the month / quarter / year
 * containing `date`. Bad dates, from after to, or longer than three years: 422 with the field.
 */
export function resolvePeriod(q: { from?: string; to?: string; period?: string; date?: string }): ReportPeriod {
  if (q.period !== undefined) {
    if (!(PERIOD_KINDS as readonly string[]).includes(q.period))
      throw invalid('period', 'Kỳ phải là month, quarter hoặc year', 'period must be month, quarter or year');
    const date = parseDay(q.date);
    if (!date) throw invalid('date', 'Ngày không hợp lệ (yyyy-mm-dd)', 'date must be a day as yyyy-mm-dd');
    const y = Number(date.slice(0, 4));
    const m = Number(date.slice(5, 7));
    if (q.period === 'year') return { from: `${y}-01-01`, to: `${y}-12-31`, label: `Năm ${y}` };
    if (q.period === 'month') return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(lastDayOfMonth(y, m))}`, label: `Tháng ${m}/${y}` };
    const qn = Math.floor((m - 1) / 3);
    const last = qn * 3 + 3;
    return { from: `${y}-${pad(qn * 3 + 1)}-01`, to: `${y}-${pad(last)}-${pad(lastDayOfMonth(y, last))}`, label: `Quý ${ROMAN[qn]}/${y}` };
  }
  const from = parseDay(q.from);
  if (!from)
    throw invalid('from', 'Ngày bắt đầu không hợp lệ (yyyy-mm-dd), hoặc dùng period và date', 'from must be a day as yyyy-mm-dd (or give period and date)');
  const to = parseDay(q.to);
  if (!to) throw invalid('to', 'Ngày kết thúc không hợp lệ (yyyy-mm-dd)', 'to must be a day as yyyy-mm-dd');
  if (from > to) throw invalid('from', 'Ngày bắt đầu sau ngày kết thúc', 'from is after to');
  if (daysIn(from, to) > MAX_PERIOD_DAYS) throw invalid('to', 'Kỳ báo cáo dài quá 3 năm', 'the period is longer than 3 years');
  return { from, to, label: `${dmy(from)} – ${dmy(to)}` };
}

/** The months (yyyy-mm) a period touches, each with its part of the period. */
export function monthsOf(p: { from: string; to: string }): Array<{ month: string; from: string; to: string }> {
  const out: Array<{ month: string; from: string; to: string }> = [];
  let y = Number(p.from.slice(0, 4));
  let m = Number(p.from.slice(5, 7));
  for (;;) {
    const month = `${y}-${pad(m)}`;
    if (month > p.to.slice(0, 7)) break;
    const first = `${month}-01`;
    const last = `${month}-${pad(lastDayOfMonth(y, m))}`;
    out.push({ month, from: first < p.from ? p.from : first, to: last > p.to ? p.to : last });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** How many calendar months a period of whole months spans. */
const monthsSpanned = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;

/**
 * The period of the public figures (issue 20): resolvePeriod's, and also whole months (from a
 * month's first day to a month's last: the rollup is monthly), at most `maxMonths` of them, and
 * ending with `currentMonth` (yyyy-mm, Vietnam time) at the latest. Those three are 400s naming
 * the field: PUBLIC_REPORT_PERIOD_NOT_MONTHS, PUBLIC_REPORT_PERIOD_TOO_LONG,
 * PUBLIC_REPORT_PERIOD_IN_FUTURE. `maxMonths` must be at most 36 (resolvePeriod's three years).
 */
export function publicPeriod(
  q: { from?: string; to?: string; period?: string; date?: string },
  bounds: { maxMonths: number; currentMonth: string },
): ReportPeriod {
  const byKind = q.period !== undefined;
  const from = parseDay(q.from);
  const to = parseDay(q.to);
  // Checked before resolvePeriod, whose three-year limit (422) would otherwise answer first.
  if (!byKind && from && to && from <= to) {
    if (from.slice(8) !== '01') throw ReportErrors.PUBLIC_REPORT_PERIOD_NOT_MONTHS([{ field: 'from', message: 'from must be the first day of a month' }]);
    if (to.slice(8) !== pad(lastDayOfMonth(Number(to.slice(0, 4)), Number(to.slice(5, 7)))))
      throw ReportErrors.PUBLIC_REPORT_PERIOD_NOT_MONTHS([{ field: 'to', message: 'to must be the last day of a month' }]);
    if (monthsSpanned(from, to) > bounds.maxMonths)
      throw ReportErrors.PUBLIC_REPORT_PERIOD_TOO_LONG(bounds.maxMonths, [
        { field: 'to', message: `at most ${bounds.maxMonths} months`, maxMonths: bounds.maxMonths },
      ]);
  }
  const p = resolvePeriod(q);
  if (byKind && monthsSpanned(p.from, p.to) > bounds.maxMonths)
    throw ReportErrors.PUBLIC_REPORT_PERIOD_TOO_LONG(bounds.maxMonths, [
      { field: 'period', message: `at most ${bounds.maxMonths} months`, maxMonths: bounds.maxMonths },
    ]);
  if (p.to.slice(0, 7) > bounds.currentMonth)
    throw ReportErrors.PUBLIC_REPORT_PERIOD_IN_FUTURE([
      { field: byKind ? 'date' : 'to', message: `the period must end by ${bounds.currentMonth}`, currentMonth: bounds.currentMonth },
    ]);
  return p;
}
