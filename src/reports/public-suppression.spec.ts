import { describe, expect, it } from '@jest/globals';
import { emptyCounts, emptyExtras, indicatorRows, type IndicatorExtras } from './indicator-rules.js';
import { withholdSmallCounts } from './public-suppression.js';
import type { IndicatorCounts } from './report-types.js';

// A commune's month: 40 received (33 online, 4 at the counter, 3 by post), 6 carried over; 3 complaints, 3 "not satisfied".
const counts: IndicatorCounts = {
  received: { total: 40, online: 33, counter: 4, postal: 3 },
  processed: 46,
  finished: { total: 38, early: 30, onTime: 6, late: 2 },
  inProgress: { total: 8, onTime: 8, overdue: 0 },
  refused: 1,
  withdrawn: 0,
  stopped: 0,
  supplementRounds: 7,
  digitised: 40,
  reused: 12,
  electronicResult: 20,
  paidOnline: 9,
  synced: 39,
  ratings: { total: 15, verySatisfied: 6, satisfied: 6, notSatisfied: 3 },
  complaints: 3,
};
const extras: IndicatorExtras = {
  onlineWithEResult: 25,
  feeBearing: 12,
  paidOnlineFeeBearing: 9,
  writtenResult: 30,
  electronicWrittenResult: 20,
  digitisedWithEResult: 3,
  complainedOrNotSatisfied: 5,
};
const procedures = { total: 10, fullOnline: 4, partialOnline: 5 };

describe('public figures: small counts withheld (README, "Public figures")', () => {
  const shown = withholdSmallCounts(counts, extras, indicatorRows(counts, extras, procedures), 5);

  it('rule 1: every count from 1 to 4 is withheld; zero and 5 or more are shown', () => {
    expect(shown.counts.complaints).toBeNull();
    expect(shown.counts.refused).toBeNull();
    expect(shown.counts.ratings.notSatisfied).toBeNull();
    expect(shown.counts.received).toEqual({ total: 40, online: 33, counter: null, postal: null });
    expect(shown.counts.withdrawn).toBe(0);
    expect(shown.counts.inProgress).toEqual({ total: 8, onTime: 8, overdue: 0 });
    expect(shown.counts.supplementRounds).toBe(7);
  });

  it('rule 2: a sum with one withheld term loses its smallest published part too (late 2 → on time 6 too; not satisfied 3 → very satisfied 6, first of the two 6s)', () => {
    expect(shown.counts.finished).toEqual({ total: 38, early: 30, onTime: null, late: null });
    expect(shown.counts.ratings).toEqual({ total: 15, verySatisfied: null, satisfied: 6, notSatisfied: null });
    // received already has two withheld terms (counter 4, postal 3): nothing more.
    expect(shown.suppression).toEqual({
      minCount: 5,
      counts: [
        'received.counter',
        'received.postal',
        'finished.onTime',
        'finished.late',
        'refused',
        'ratings.verySatisfied',
        'ratings.notSatisfied',
        'complaints',
      ],
      indicators: ['2.1', '4.2', '5.4'],
    });
  });

  it('rule 3: an indicator made from a withheld or small count is withheld whole (2.1: on time; 4.2: 3 digitised with an e-result; 5.4: late)', () => {
    const row = Object.fromEntries(shown.indicators.map((r) => [r.code, r]));
    for (const code of ['2.1', '4.2', '5.4']) expect(row[code]).toMatchObject({ numerator: null, denominator: null, rate: null, suppressed: true });
    expect(row['1.4']).toMatchObject({ numerator: 39, denominator: 40, rate: 39 / 40, suppressed: false });
    expect(row['3.1']).toMatchObject({ numerator: 9, denominator: 10, suppressed: false });
    expect(row['4.3']).toMatchObject({ numerator: 12, denominator: 40, suppressed: false });
  });

  it('a sum whose total is withheld from another sum loses a part: processed = finished + in progress', () => {
    // In progress 3 (withheld) → finished's total, the only published part of processed, goes too → then one of finished's parts.
    const c = { ...counts, processed: 41, inProgress: { total: 3, onTime: 3, overdue: 0 }, finished: { total: 38, early: 20, onTime: 10, late: 8 } };
    const s = withholdSmallCounts(c, extras, indicatorRows(c, extras, procedures), 5);
    expect(s.counts.processed).toBe(41);
    expect(s.counts.inProgress).toEqual({ total: null, onTime: null, overdue: 0 });
    expect(s.counts.finished).toEqual({ total: null, early: 20, onTime: 10, late: null });
  });

  it('nothing to withhold: no dossier at all, or PUBLIC_REPORT_MIN_COUNT=1', () => {
    const none = withholdSmallCounts(emptyCounts(), emptyExtras(), indicatorRows(emptyCounts(), emptyExtras(), procedures), 5);
    expect(none.suppression).toEqual({ minCount: 5, counts: [], indicators: [] });
    const exact = withholdSmallCounts(counts, extras, indicatorRows(counts, extras, procedures), 1);
    expect(exact.counts).toEqual(counts);
    expect(exact.indicators.every((r) => !r.suppressed)).toBe(true);
  });
});
