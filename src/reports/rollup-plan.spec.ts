import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { countFacts, emptyCounts, type DossierFact } from './indicator-rules.js';
import { monthsOf } from './report-period.js';
import type { IndicatorCounts } from './report-types.js';
import { monthEnd, monthShift, OLD_MAX_AGE_MS, planRollupPass, RECENT_MAX_AGE_MS } from './rollup-plan.js';

const NOW = new Date('2026-12-08T02:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const base = { current: '2026-12-01', now: NOW, months: [], dirty: [], earliestFact: null };

describe('the monthly rollup: what a pass recomputes', () => {
  it('months arithmetic', () => {
    expect(monthShift('2026-12-01', 1)).toBe('2027-01-01');
    expect(monthShift('2026-01-01', -1)).toBe('2025-12-01');
    expect(monthEnd('2024-02-01')).toBe('2024-02-29');
    expect(monthEnd('2026-12-01')).toBe('2026-12-31');
  });

  it('the first pass ever: every month from the earliest dossier’s to the current one, for every agency; with no dossier, the current month', () => {
    expect(planRollupPass({ ...base, earliestFact: '2026-09-01' }).map((s) => [s.month, s.agencies])).toEqual([
      ['2026-09-01', 'all'],
      ['2026-10-01', 'all'],
      ['2026-11-01', 'all'],
      ['2026-12-01', 'all'],
    ]);
    expect(planRollupPass(base)).toEqual([{ month: '2026-12-01', agencies: 'all' }]);
  });

  it('a dirty agency: its months from the mark to now, that agency only; nothing else while the figures are fresh', () => {
    const months = ['2026-08-01', '2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01'].map((month) => ({ month, computedAt: ago(60_000) }));
    expect(
      planRollupPass({
        ...base,
        months,
        dirty: [
          { agencyCode: 'B', fromMonth: '2026-10-01' },
          { agencyCode: 'A', fromMonth: '2026-11-01' },
        ],
      }),
    ).toEqual([
      { month: '2026-10-01', agencies: ['B'] },
      { month: '2026-11-01', agencies: ['A', 'B'] },
      { month: '2026-12-01', agencies: ['A', 'B'] },
    ]);
    expect(planRollupPass({ ...base, months })).toEqual([]);
  });

  it('a mark before any computed month (backdated dossiers) computes those months for every agency', () => {
    const months = [{ month: '2026-12-01', computedAt: ago(60_000) }];
    expect(planRollupPass({ ...base, months, dirty: [{ agencyCode: 'A', fromMonth: '2026-10-01' }] })).toEqual([
      { month: '2026-10-01', agencies: 'all' },
      { month: '2026-11-01', agencies: 'all' },
      { month: '2026-12-01', agencies: ['A'] },
    ]);
  });

  it('the turn of a month: the new month for every agency', () => {
    const months = [{ month: '2026-11-01', computedAt: ago(60_000) }];
    expect(planRollupPass({ ...base, months })).toEqual([{ month: '2026-12-01', agencies: 'all' }]);
  });

  it('ageing: the current and previous month after RECENT_MAX_AGE_MS; the least recently computed older month after OLD_MAX_AGE_MS, one per pass', () => {
    const months = [
      { month: '2026-09-01', computedAt: ago(OLD_MAX_AGE_MS + 5) },
      { month: '2026-10-01', computedAt: ago(OLD_MAX_AGE_MS + 9) },
      { month: '2026-11-01', computedAt: ago(RECENT_MAX_AGE_MS + 1) },
      { month: '2026-12-01', computedAt: ago(RECENT_MAX_AGE_MS - 1) },
    ];
    expect(planRollupPass({ ...base, months })).toEqual([
      { month: '2026-10-01', agencies: 'all' },
      { month: '2026-11-01', agencies: 'all' },
    ]);
  });
});

/**
 * What the rollup's SQL relies on (report-rollup.sql.ts), checked on the TypeScript rules of the
 * figures: over any run of whole months, the period's counts are the months' counted figures
 * added up, processed = received + the first month's carried-over ones, and what is open (and
 * overdue) is the last month's.
 */
describe('the monthly rollup: whole months combine exactly', () => {
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const factArb = fc
    .record({
      received: fc.integer({ min: 0, max: 330 }),
      finishedAfter: fc.option(fc.integer({ min: 0, max: 120 })),
      dueAfter: fc.option(fc.integer({ min: 0, max: 40 })),
      supplements: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }),
      timeliness: fc.constantFrom('EARLY' as const, 'ON_TIME' as const, 'LATE' as const),
      flags: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      rating: fc.constantFrom(null, 'SATISFIED' as const, 'NOT_SATISFIED' as const),
    })
    .map((r): DossierFact => {
      const finishedDay = r.finishedAfter === null ? null : day(r.received + r.finishedAfter);
      const supplementDays = r.supplements.map((s) => day(r.received + Math.min(s, r.finishedAfter ?? s))).sort();
      return {
        dossierId: 'd',
        agencyCode: 'A',
        procedureCode: 'P',
        field: 'F',
        channel: r.flags[0] ? 'ONLINE' : 'COUNTER',
        receivedDay: day(r.received),
        dueDay: r.dueAfter === null ? null : day(r.received + r.dueAfter),
        finishedDay,
        endKind: finishedDay ? 'RETURNED' : null,
        timeliness: finishedDay ? r.timeliness : null,
        supplementDays,
        digitised: r.flags[1],
        reused: r.flags[2],
        electronicResult: r.flags[3],
        writtenResult: r.flags[4],
        feeBearing: r.flags[5],
        paidOnline: r.flags[6],
        synced: r.flags[7],
        complaint: r.flags[0] && r.flags[7],
        rating: r.rating,
      };
    });

  const flat = (c: IndicatorCounts): Record<string, number> =>
    Object.fromEntries(
      Object.entries(c).flatMap(([k, v]) =>
        typeof v === 'number' ? [[k, v]] : Object.entries(v as Record<string, number>).map(([k2, v2]) => [`${k}.${k2}`, v2]),
      ),
    );

  it('for random dossiers and runs of months', () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 60 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 4 }), (facts, start, length) => {
        const from = `2026-${String(start + 1).padStart(2, '0')}-01`;
        const to = monthEnd(monthShift(from, length - 1));
        const months = monthsOf({ from, to }).map((m) => flat(countFacts(facts, m.from, m.to).counts));
        const whole = flat(countFacts(facts, from, to).counts);
        const combined = { ...flat(emptyCounts()) };
        for (const k of Object.keys(combined)) combined[k] = months.reduce((n, m) => n + m[k], 0);
        combined.processed = combined['received.total'] + months[0].processed - months[0]['received.total'];
        for (const k of ['inProgress.total', 'inProgress.onTime', 'inProgress.overdue']) combined[k] = months[months.length - 1][k];
        expect(combined).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});
