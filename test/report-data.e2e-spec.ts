import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { agenciesOf, CITY_PROFILE, endOf, expectedTotals, generateReportData } from '../scripts/report-data.js';
import { IndicatorsService } from '../src/reports/indicators.service.js';
import { ReportFactsService } from '../src/reports/report-facts.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The bulk generator of bench:reports (and demo:city) writes exactly what its profile says: the
 * report over its whole range equals expectedTotals, through the rebuild path and the recount alike.
 */
describe('the report data generator', () => {
  let t: TestApp;
  const profile = { ...CITY_PROFILE, dossiers: 4_000, overdueShare: 0.05, openShare: 0.02 };
  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'false' } });
    await generateReportData(t.db, profile, { root: path.resolve('.'), batch: 1_500 });
    await t.app.get(ReportFactsService).rebuild();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the city over its 9 months: the generated counts, 164 of 270 procedures online', async () => {
    const q = { agencyCode: agenciesOf(profile).province, subtree: true, from: profile.start, to: endOf(profile) };
    const r = await t.app.get(IndicatorsService).report(q);
    const e = expectedTotals(profile);
    expect(r.counts).toMatchObject({
      received: { total: e.received, online: e.online, counter: e.counter, postal: e.postal },
      finished: { total: e.finished, late: e.late },
      inProgress: { total: e.open, overdue: e.overdueOpen },
      refused: e.refused,
      withdrawn: e.withdrawn,
      electronicResult: e.electronicResult,
      digitised: e.digitised,
      reused: e.reused,
      paidOnline: e.paidOnline,
      synced: e.synced,
      supplementRounds: e.supplementRounds,
      complaints: e.complaints,
      ratings: { total: e.rated, notSatisfied: e.notSatisfied },
    });
    expect(e.online / e.received).toBeCloseTo(0.9969, 2);
    expect(r.procedures).toEqual({ total: 270, fullOnline: 53, partialOnline: 111 });
    expect(r.indicators.find((i) => i.code === '3.1')).toMatchObject({ numerator: 164, denominator: 270 });
    const direct = await t.app.get(IndicatorsService).recount(q);
    expect({ ...r, generatedAt: null }).toEqual({ ...JSON.parse(JSON.stringify(direct)), generatedAt: null });
  }, 60_000);
});
