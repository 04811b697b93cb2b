/**
 * The shapes of the province's figures (issue 15; DOMAIN.md "What is measured"), shared by the
 * indicator engine (src/reports/indicators*), the exports and the PDF report (src/reports/render/),
 * the public figures and `npm run demo:city`. One definition, so a CSV column, a PDF table row and
 * the API's JSON can never disagree about what a figure is.
 */

/** Decision 766's indicators this system computes, by the number DOMAIN.md gives them. */
export const INDICATOR_CODES = ['1.4', '2.1', '3.1', '3.3', '3.6', '4.1', '4.2', '4.3', '5.4'] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

export interface Label {
  vi: string;
  en: string;
}

/** One row of the indicator table: numerator ÷ denominator, its rate, and the 766 points where the formula gives them. */
export interface IndicatorRow {
  code: IndicatorCode;
  label: Label;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator in [0, 1] (5.4: 1 − (overdue share + complaint/not-satisfied share), floored at 0); null when the denominator is 0. */
  rate: number | null;
  /** The rate at or above which the indicator earns full marks (e.g. 0.8 for 3.1), when the formula gives one. */
  fullMarksAt: number | null;
  /** Points earned and the indicator's maximum, only where the published formula gives them; else null. */
  points: number | null;
  maxPoints: number | null;
  /** What the figure leaves out or assumes, in one sentence (Vietnamese / English), when anything. */
  note?: Label;
}

/** The counts behind the indicators (all for the same agency scope and period). */
export interface IndicatorCounts {
  /** Dossiers received (accepted, or filed when never accepted) in the period, by channel. */
  received: { total: number; online: number; counter: number; postal: number };
  /** Received in the period plus carried over (received before, unfinished at the period's start). */
  processed: number;
  /** Finished within the period, by timeliness against the due date (supplement time left out). */
  finished: { total: number; early: number; onTime: number; late: number };
  /** Unfinished at the period's end, judged on its last day. */
  inProgress: { total: number; onTime: number; overdue: number };
  refused: number;
  withdrawn: number;
  stopped: number;
  /** Supplement requests made in the period (rounds, not dossiers). */
  supplementRounds: number;
  digitised: number;
  reused: number;
  electronicResult: number;
  paidOnline: number;
  synced: number;
  ratings: { total: number; verySatisfied: number; satisfied: number; notSatisfied: number };
  complaints: number;
}

export interface ReportPeriod {
  /** First and last day, inclusive, as yyyy-mm-dd in Vietnam time. */
  from: string;
  to: string;
  /** e.g. "Quý IV/2026", "Tháng 11/2026", "01/01/2026 – 30/09/2026". */
  label: string;
}

export interface IndicatorBreakdownRow {
  key: string;
  name: string;
  counts: IndicatorCounts;
  indicators: IndicatorRow[];
}

export interface IndicatorReport {
  agency: { code: string; name: string };
  subtree: boolean;
  period: ReportPeriod;
  generatedAt: string;
  indicators: IndicatorRow[];
  counts: IndicatorCounts;
  /** Procedures of the agency scope offered online: 3.1's parts. */
  procedures: { total: number; fullOnline: number; partialOnline: number };
  byProcedure?: IndicatorBreakdownRow[];
  byField?: IndicatorBreakdownRow[];
}

/** What the PDF report's charts draw, one point per month of the period (Vietnam time). */
export interface ReportSeries {
  months: Array<{
    /** yyyy-mm */
    month: string;
    received: { online: number; counter: number; postal: number };
    /** 2.1 for that month, null when nothing was due. */
    onTimeRate: number | null;
  }>;
  /** Unfinished-overdue plus finished-late dossiers of the period, per procedure, largest first. */
  overdueByProcedure: Array<{ procedureCode: string; procedureName: string; overdue: number }>;
}

/** The counts as the public figures show them: null where withheld (src/reports/public-suppression.ts). */
export type PublicCounts = {
  [K in keyof IndicatorCounts]: IndicatorCounts[K] extends number ? number | null : { [L in keyof IndicatorCounts[K]]: number | null };
};

export interface PublicIndicatorRow extends Omit<IndicatorRow, 'numerator' | 'denominator' | 'rate'> {
  numerator: number | null;
  denominator: number | null;
  rate: number | null;
  /** Withheld whole: made from a small count. */
  suppressed: boolean;
}

/** The public figures (issue 20): from the monthly rollup, whole months only, small counts withheld. */
export interface PublicIndicatorReport {
  agency: { code: string; name: string };
  subtree: boolean;
  period: ReportPeriod;
  generatedAt: string;
  /** The oldest instant the period's months were recomputed for every agency (null: a period before any dossier). */
  asOf: string | null;
  indicators: PublicIndicatorRow[];
  counts: PublicCounts;
  procedures: IndicatorReport['procedures'];
  suppression: {
    /** Counts from 1 to minCount − 1 are withheld. */
    minCount: number;
    /** The withheld counts, as paths into `counts` (e.g. "complaints", "ratings.notSatisfied"). */
    counts: string[];
    /** The indicators withheld whole. */
    indicators: IndicatorCode[];
  };
}
