import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { agenciesOf, CITY_PROFILE, generateReportData, type ReportDataProfile } from '../scripts/report-data.js';
import { vietnamDate } from '../src/common/clock.js';
import { IndicatorsService } from '../src/reports/indicators.service.js';
import { PublicFiguresService } from '../src/reports/public-figures.service.js';
import { ReportFactsService } from '../src/reports/report-facts.service.js';
import { ReportRollupService } from '../src/reports/report-rollup.service.js';
import { monthEnd } from '../src/reports/rollup-plan.js';
import type { IndicatorReport, PublicIndicatorReport } from '../src/reports/report-types.js';
import { asAdmin, login, registerCitizen } from './support/auth.js';
import { fileDossier, HAC_THANH, waitFor } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 20, item 4: public figures cannot starve the service. The bulk generator of
 * bench:reports writes six months of 2025 for a small province (a centre and three communes);
 * the public route answers from the monthly rollup, whole months only, small counts withheld by
 * the README's rule; the reports' statement timeout is a 503, never a 500.
 */
const profile: ReportDataProfile = {
  ...CITY_PROFILE,
  province: { code: '000.00.00.H97', name: 'Tỉnh thử nghiệm số liệu công khai' },
  districts: 0,
  communes: 3,
  dossiers: 2_000,
  start: '2025-01-01',
  months: 6,
  onlineShare: 0.8,
  openShare: 0.03,
  overdueShare: 0.05,
  complaintShare: 0.03,
  ratedShare: 0.3,
  notSatisfiedShare: 0.1,
};
const agencies = agenciesOf(profile);
const COMMUNE = agencies.communes[1];

describe('public figures: from the monthly rollup, whole months, small counts withheld', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const pub = (query: Record<string, string>) => t.http().get('/api/v1/public/reports/indicators').query(query);
  const staff = async (query: Record<string, string>) =>
    (await t.http().get('/api/v1/reports/indicators').query(query).set(admin).expect(200)).body as IndicatorReport;
  const rollup = () => t.app.get(ReportRollupService);

  beforeAll(async () => {
    // The pass runs at start and then only when a test asks (REPORT_ROLLUP_REFRESH_SECONDS).
    t = await createTestApp({ env: { SEED_DEMO: 'true', REPORT_ROLLUP_REFRESH_SECONDS: '86400', PUBLIC_LOOKUP_PER_MINUTE: '1000' } });
    admin = await asAdmin(t);
    await rollup().refreshNow();
    await generateReportData(t.db, profile, { root: path.resolve('.'), batch: 1_000 });
    await t.app.get(ReportFactsService).rebuild();
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('a month the rollup has not computed yet is 503 PUBLIC_REPORT_NOT_READY with Retry-After; after the pass, 200', async () => {
    const res = await pub({ agencyCode: COMMUNE, period: 'month', date: '2025-02-10' }).expect(503);
    expect(res.body.code).toBe('PUBLIC_REPORT_NOT_READY');
    expect(res.headers['retry-after']).toBe('86400');
    const pass = await rollup().refreshNow();
    // Every month from January 2025 (the earliest dossier) to last month for every agency; this month for the dirty ones.
    expect(pass).toMatchObject({ ran: true });
    expect(pass.fullMonths).toBeGreaterThanOrEqual(23);
    await pub({ agencyCode: COMMUNE, period: 'month', date: '2025-02-10' }).expect(200);
  });

  it('the rollup’s figures over whole months are exactly the live figures (before withholding): each centre and the province, runs before, inside and after the data', async () => {
    const live = t.app.get(IndicatorsService);
    const figures = t.app.get(PublicFiguresService);
    const runs = [
      ['2025-01-01', '2025-01-31'],
      ['2025-02-01', '2025-04-30'],
      ['2025-01-01', '2025-06-30'],
      ['2025-06-01', '2025-06-30'],
      ['2024-11-01', '2025-02-28'],
      ['2025-05-01', '2025-09-30'],
      ['2025-07-01', '2025-12-31'],
    ];
    for (const [from, to] of runs) {
      for (const scope of [...agencies.receiving.map((agencyCode) => ({ agencyCode, subtree: false })), { agencyCode: agencies.province, subtree: true }]) {
        const fast = await figures.exact(scope.agencyCode, scope.subtree, { from, to, label: '' });
        const direct = await live.report({ ...scope, from, to });
        expect({ ...scope, from, to, counts: fast.report.counts, indicators: fast.report.indicators, procedures: fast.report.procedures }).toEqual({
          ...scope,
          from,
          to,
          counts: direct.counts,
          indicators: direct.indicators,
          procedures: direct.procedures,
        });
      }
    }
  });

  it('worked numbers: a commune’s February (3 complaints, 3 "not satisfied", 4 late, 1 supplement round) with those and their partners withheld; staff see them exactly', async () => {
    const q = { agencyCode: COMMUNE, period: 'month', date: '2025-02-10' };
    // The fixture, as staff see it.
    const exact = await staff(q);
    expect(exact.counts).toEqual({
      received: { total: 83, online: 69, counter: 9, postal: 5 },
      processed: 90,
      finished: { total: 83, early: 79, onTime: 0, late: 4 },
      inProgress: { total: 7, onTime: 7, overdue: 0 },
      refused: 0,
      withdrawn: 0,
      stopped: 0,
      supplementRounds: 1,
      digitised: 83,
      reused: 17,
      electronicResult: 46,
      paidOnline: 18,
      synced: 83,
      ratings: { total: 24, verySatisfied: 0, satisfied: 21, notSatisfied: 3 },
      complaints: 3,
    });
    const open = (await pub(q).expect(200)).body as PublicIndicatorReport;
    // Rule 1: 4 late, 1 round, 3 "not satisfied", 3 complaints are withheld; 5 by post is shown; zeros are shown.
    // Rule 2: finished = early + on time + late with late withheld → on time (0, the smaller of 79 and 0) too;
    // ratings with "not satisfied" withheld → very satisfied (0, the smaller of 0 and 21) too.
    expect(open.counts).toEqual({
      received: { total: 83, online: 69, counter: 9, postal: 5 },
      processed: 90,
      finished: { total: 83, early: 79, onTime: null, late: null },
      inProgress: { total: 7, onTime: 7, overdue: 0 },
      refused: 0,
      withdrawn: 0,
      stopped: 0,
      supplementRounds: null,
      digitised: 83,
      reused: 17,
      electronicResult: 46,
      paidOnline: 18,
      synced: 83,
      ratings: { total: 24, verySatisfied: null, satisfied: 21, notSatisfied: null },
      complaints: null,
    });
    // Rule 3: 2.1 (made from on time) and 5.4 (from late) withheld whole; the others as staff see them.
    expect(open.suppression).toEqual({
      minCount: 5,
      counts: ['finished.onTime', 'finished.late', 'supplementRounds', 'ratings.verySatisfied', 'ratings.notSatisfied', 'complaints'],
      indicators: ['2.1', '5.4'],
    });
    for (const row of open.indicators) {
      const live = exact.indicators.find((r) => r.code === row.code)!;
      expect(row).toEqual(
        row.code === '2.1' || row.code === '5.4'
          ? { ...live, numerator: null, denominator: null, rate: null, suppressed: true }
          : { ...live, suppressed: false },
      );
    }
    expect(open.period).toEqual({ from: '2025-02-01', to: '2025-02-28', label: 'Tháng 2/2025' });
    expect(open.asOf).toEqual(expect.any(String));
  });

  it('the province over the half year: every count 5 or more, or 0, so nothing is withheld and the figures are the staff ones', async () => {
    const q = { agencyCode: agencies.province, subtree: 'true', from: '2025-01-01', to: '2025-06-30' };
    const open = (await pub(q).expect(200)).body as PublicIndicatorReport;
    const exact = await staff(q);
    expect(open.suppression).toEqual({ minCount: 5, counts: [], indicators: [] });
    expect(open.counts).toEqual(exact.counts);
    expect(open.counts.complaints).toBe(exact.counts.complaints);
    expect(open.indicators).toEqual(exact.indicators.map((r) => ({ ...r, suppressed: false })));
  });

  it('answers from the rollup (and its cache), not the live facts: a dossier filed now shows after the next pass, withheld as a count of 1', async () => {
    const month = vietnamDate(new Date()).slice(0, 7);
    const q = { agencyCode: HAC_THANH, from: `${month}-01`, to: monthEnd(`${month}-01`) };
    const citizen = await registerCitizen(t);
    await fileDossier(t, citizen);
    await waitFor(
      async () => (await t.db.query(`SELECT 1 FROM report_dossier_facts WHERE agency_code = $1`, [HAC_THANH])).rowCount,
      'the facts of the new dossier',
    );
    expect((await staff(q)).counts.received.total).toBe(1);
    const before = (await pub(q).expect(200)).body as PublicIndicatorReport;
    expect(before.counts.received.total).toBe(0);
    await rollup().refreshNow();
    // The answer above stays cached for PUBLIC_REPORT_CACHE_SECONDS; another key is computed from the rollup again.
    expect(((await pub(q).expect(200)).body as PublicIndicatorReport).counts.received.total).toBe(0);
    const after = (await pub({ ...q, subtree: 'true' }).expect(200)).body as PublicIndicatorReport;
    expect(after.counts.received).toEqual({ total: null, online: null, counter: 0, postal: 0 });
    expect(after.suppression.counts).toEqual(expect.arrayContaining(['received.total', 'received.online', 'processed']));
  });

  it('identical concurrent requests get one answer', async () => {
    const q = { agencyCode: agencies.province, subtree: 'true', from: '2025-01-01', to: '2025-03-31' };
    const answers = await Promise.all(Array.from({ length: 30 }, () => pub(q)));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
  });

  it('refuses periods that are not whole months, longer than PUBLIC_REPORT_MAX_MONTHS or past the current month: 400 with the code and the field', async () => {
    const refused = async (query: Record<string, string>, code: string, field: string) => {
      const res = await pub({ agencyCode: COMMUNE, ...query }).expect(400);
      expect({ code: res.body.code, field: res.body.details?.[0]?.field }).toEqual({ code, field });
    };
    await refused({ from: '2023-12-01', to: '2026-12-31' }, 'PUBLIC_REPORT_PERIOD_TOO_LONG', 'to');
    await refused({ from: '2025-02-03', to: '2025-02-28' }, 'PUBLIC_REPORT_PERIOD_NOT_MONTHS', 'from');
    await refused({ from: '2025-02-01', to: '2025-02-27' }, 'PUBLIC_REPORT_PERIOD_NOT_MONTHS', 'to');
    const next = new Date(Date.now() + 40 * 86_400_000);
    await refused({ period: 'month', date: vietnamDate(next) }, 'PUBLIC_REPORT_PERIOD_IN_FUTURE', 'date');
    await pub({ agencyCode: COMMUNE, from: '2024-01-01', to: '2026-12-31' }).expect(200);
  });

  describe('with a statement timeout of 1 ms (another replica of the same service)', () => {
    let tiny: TestApp;
    beforeAll(async () => {
      tiny = await createTestApp({ databaseUrl: t.config.databaseUrl, startup: false, env: { APP_ROLE: 'api', REPORT_STATEMENT_TIMEOUT_MS: '1' } });
    }, 60_000);
    afterAll(async () => {
      await tiny?.close();
    });

    it('a report cut off by the timeout is 503 REPORT_TIMEOUT with Retry-After, never a 500; the staff queues answer meanwhile', async () => {
      const q = { agencyCode: agencies.province, subtree: 'true', from: '2025-01-01', to: '2025-06-30' };
      for (const route of ['/api/v1/reports/indicators', '/api/v1/reports/series']) {
        const res = await tiny.http().get(route).query(q).set(admin).expect(503);
        expect({ code: res.body.code, retryAfter: res.headers['retry-after'], details: res.body.details }).toEqual({
          code: 'REPORT_TIMEOUT',
          retryAfter: '30',
          details: { statementTimeoutMs: 1, retryAfterSeconds: 30 },
        });
      }
      const file = await tiny
        .http()
        .get('/api/v1/reports/indicators/export')
        .query({ ...q, format: 'csv' })
        .set(admin)
        .expect(503);
      expect(file.body.code).toBe('REPORT_TIMEOUT');
      const officer = await login(t, 'tiepnhan.hacthanh', 'Demo@2026');
      await tiny.http().get('/api/v1/queues/to-receive').set('Authorization', `Bearer ${officer}`).expect(200);
    });
  });
});
