import type { IndicatorExtras } from './indicator-rules.js';
import type { IndicatorCode, IndicatorCounts, IndicatorRow, PublicCounts, PublicIndicatorRow } from './report-types.js';

/**
 * Small counts on the public side (issue 20), the way statistics offices publish tables: a count
 * from 1 to `minCount` − 1 can point at a person (the one complaint of a commune in a month), so
 * it is withheld (null, and named in `suppression.counts`). The rule, as the README states it:
 *
 * 1. Every count from 1 to minCount − 1 is withheld. Zero is shown (it points at nobody).
 * 2. Where the published counts add up — received = online + counter + postal; finished = early +
 *    on time + late; in progress = on time + overdue; ratings = very satisfied + satisfied + not
 *    satisfied; processed = finished + in progress — a sum with exactly one withheld term would
 *    give it away, so its smallest published part is withheld too (the first in that order on a
 *    tie), again until no sum has exactly one withheld term.
 * 3. An indicator whose numerator or denominator is made from a withheld count, or from a count
 *    not shown in `counts` that is itself from 1 to minCount − 1 (e.g. 5.4's dossiers with a
 *    complaint or a "not satisfied"), is withheld whole: numerator, denominator and rate null,
 *    `suppressed: true`.
 * Staff reports keep exact numbers.
 */

type CountPath = string;

/** The sums of rule 2: [total, parts]. */
const SUMS: Array<[CountPath, CountPath[]]> = [
  ['received.total', ['received.online', 'received.counter', 'received.postal']],
  ['finished.total', ['finished.early', 'finished.onTime', 'finished.late']],
  ['inProgress.total', ['inProgress.onTime', 'inProgress.overdue']],
  ['ratings.total', ['ratings.verySatisfied', 'ratings.satisfied', 'ratings.notSatisfied']],
  ['processed', ['finished.total', 'inProgress.total']],
];

/** What each indicator's numerator and denominator are made of (`x.` = IndicatorExtras, not shown as a count). */
const INPUTS: Record<IndicatorCode, CountPath[]> = {
  '1.4': ['synced', 'received.total'],
  '2.1': ['finished.early', 'finished.onTime', 'inProgress.onTime', 'processed'],
  '3.1': [],
  '3.3': ['x.onlineWithEResult', 'received.total', 'synced'],
  '3.6': ['x.paidOnlineFeeBearing', 'x.feeBearing'],
  '4.1': ['x.electronicWrittenResult', 'x.writtenResult'],
  '4.2': ['x.digitisedWithEResult', 'received.total'],
  '4.3': ['reused', 'received.total'],
  '5.4': ['finished.late', 'inProgress.overdue', 'x.complainedOrNotSatisfied', 'processed', 'received.total'],
};

/** Every count as path → value, in the order of IndicatorCounts. */
function flatten(counts: IndicatorCounts): Map<CountPath, number> {
  const out = new Map<CountPath, number>();
  for (const [k, v] of Object.entries(counts)) {
    if (typeof v === 'number') out.set(k, v);
    else for (const [k2, v2] of Object.entries(v as Record<string, number>)) out.set(`${k}.${k2}`, v2);
  }
  return out;
}

export interface Suppressed {
  counts: PublicCounts;
  indicators: PublicIndicatorRow[];
  suppression: { minCount: number; counts: string[]; indicators: IndicatorCode[] };
}

export function withholdSmallCounts(counts: IndicatorCounts, extras: IndicatorExtras, rows: IndicatorRow[], minCount: number): Suppressed {
  const small = (v: number) => v > 0 && v < minCount;
  const values = flatten(counts);
  const withheld = new Set([...values].filter(([, v]) => small(v)).map(([k]) => k));
  for (let changed = true; changed;) {
    changed = false;
    for (const [total, parts] of SUMS) {
      if ([total, ...parts].filter((t) => withheld.has(t)).length !== 1) continue;
      const shown = parts.filter((p) => !withheld.has(p));
      if (shown.length === 0) continue;
      withheld.add(shown.reduce((a, b) => (values.get(b)! < values.get(a)! ? b : a)));
      changed = true;
    }
  }
  const hidden = (path: CountPath) => (path.startsWith('x.') ? small(extras[path.slice(2) as keyof IndicatorExtras]) : withheld.has(path));
  const indicators = rows.map((r): PublicIndicatorRow =>
    INPUTS[r.code].some(hidden) ? { ...r, numerator: null, denominator: null, rate: null, suppressed: true } : { ...r, suppressed: false },
  );
  const shownCounts = Object.fromEntries(
    Object.entries(counts).map(([k, v]) => [
      k,
      typeof v === 'number'
        ? withheld.has(k)
          ? null
          : v
        : Object.fromEntries(Object.entries(v as Record<string, number>).map(([k2, v2]) => [k2, withheld.has(`${k}.${k2}`) ? null : v2])),
    ]),
  ) as PublicCounts;
  return {
    counts: shownCounts,
    indicators,
    suppression: { minCount, counts: [...values.keys()].filter((k) => withheld.has(k)), indicators: indicators.filter((r) => r.suppressed).map((r) => r.code) },
  };
}
