import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { ManualClock, vietnamDate } from '../src/common/clock.js';
import { IndicatorsService } from '../src/reports/indicators.service.js';
import { ReportFactsService } from '../src/reports/report-facts.service.js';
import { ReportRollupService } from '../src/reports/report-rollup.service.js';
import type { IndicatorReport } from '../src/reports/report-types.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { fileDossier, HAC_THANH, waitFor } from './support/dossiers.js';
import { binaryBody, uploadPdf } from './support/files.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO = 'Demo@2026';
const PROVINCE = '000.00.00.H56';
const DAY = 86_400_000;

/** The next Monday 09:00 Vietnam time after now (a working day in every year the calendar data covers outside Tết). */
function nextMonday9(): Date {
  const now = Date.now();
  for (let d = 1; d < 8; d++) {
    const day = vietnamDate(new Date(now + d * DAY));
    if (new Date(`${day}T00:00:00Z`).getUTCDay() === 1) return new Date(`${day}T09:00:00+07:00`);
  }
  throw new Error('unreachable');
}

describe('Decision 766 indicators: fast figures equal a direct recount', () => {
  let t: TestApp;
  const clock = new ManualClock(nextMonday9());
  const day0 = vietnamDate(clock.now());
  const plus = (n: number) => vietnamDate(new Date(Date.parse(`${day0}T00:00:00Z`) + n * DAY));
  let citizen: { idNumber: string; token: string; id: string };
  const ids: Record<string, string> = {};
  const tok = async (name: string) => (name === 'citizen' ? login(t, citizen.idNumber, 'MatKhau123') : login(t, name, DEMO));

  async function act(who: string, id: string, action: string, body: Record<string, unknown> = {}) {
    const token = await tok(who);
    const current = (await t.http().get(`/api/v1/dossiers/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    const res = await t
      .http()
      .post(`/api/v1/dossiers/${id}/actions/${action}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ expectedVersion: current.version, ...body });
    if (res.status !== 200) throw new Error(`${action} on ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const file = async () => (await fileDossier(t, { idNumber: citizen.idNumber, token: await tok('citizen') }, { agencyCode: HAC_THANH })).id;
  const toDecision = async (id: string) => {
    await act('tiepnhan.hacthanh', id, 'accept');
    await act('tiepnhan.hacthanh', id, 'assign');
    await act('chuyenvien.hacthanh', id, 'claim');
  };
  const deny = async (id: string) => {
    await act('chuyenvien.hacthanh', id, 'forward');
    await act('lanhdao.hacthanh', id, 'approve', { outcome: 'DENIED', reasons: ['Không đủ điều kiện đăng ký'] });
  };
  const supplement = async (id: string) => {
    const proc = (await t.http().get('/api/v1/procedures/1.001193').expect(200)).body;
    const fileId = await uploadPdf(t, { token: await tok('citizen') });
    await act('citizen', id, 'supplement', { attachments: [{ componentCode: proc.components.find((c: { required: boolean }) => c.required).code, fileId }] });
  };
  const items = { items: [{ description: 'Bản sao giấy chứng nhận kết hôn' }] };

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' }, clock });
    citizen = await registerCitizen(t);
    // Week 1 (day 0 = a Monday): seven dossiers.
    for (const k of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) ids[k] = await file();
    await act('tiepnhan.hacthanh', ids.A, 'refuse', { reasons: ['Không thuộc thẩm quyền'] });
    await act('tiepnhan.hacthanh', ids.B, 'accept');
    await toDecision(ids.C);
    await deny(ids.C); // resolved the day it came: EARLY
    await toDecision(ids.D);
    await act('chuyenvien.hacthanh', ids.D, 'request-supplement', items);
    await act('tiepnhan.hacthanh', ids.E, 'accept'); // left open: due on day 1
    await act('tiepnhan.hacthanh', ids.F, 'request-supplement', items); // at reception: no clock yet
    // G stays SUBMITTED.
    clock.advance(DAY);
    await act('citizen', ids.B, 'withdraw'); // on its due date: ON_TIME
    clock.advance(DAY);
    await supplement(ids.D); // the time limit restarts
    clock.advance(DAY);
    await act('chuyenvien.hacthanh', ids.D, 'request-supplement', items); // a second round: LATE whatever the dates
    await supplement(ids.D);
    await deny(ids.D);
    // Week 2: one more, resolved at once.
    clock.set(new Date(Date.parse(`${plus(7)}T09:00:00+07:00`)));
    ids.H = await file();
    await toDecision(ids.H);
    await deny(ids.H);
    // Five weeks on: one accepted and left open.
    clock.set(new Date(Date.parse(`${plus(35)}T09:00:00+07:00`)));
    ids.I = await file();
    await act('tiepnhan.hacthanh', ids.I, 'accept');

    // What other capabilities write (their own services will): ratings (latest revision counts), a complaint, portal pushes.
    const rate = (id: string, revision: number, overall: string) =>
      t.db.query(
        `INSERT INTO dossier_ratings (dossier_id, revision, agency_code, overall, scores, total, band, rated_by, rated_at) VALUES ($1, $2, $3, $4, '{}', 10, 'FAIR', $5, now())`,
        [id, revision, HAC_THANH, overall, citizen.id],
      );
    await rate(ids.C, 1, 'NOT_SATISFIED');
    await rate(ids.H, 1, 'NOT_SATISFIED');
    await rate(ids.H, 2, 'SATISFIED');
    await t.db.query(`INSERT INTO dossier_complaints (dossier_id, agency_code, content, filed_by, filed_at) VALUES ($1, $2, 'Chậm trả kết quả', $3, now())`, [
      ids.E,
      HAC_THANH,
      citizen.id,
    ]);
    for (const id of [ids.C, ids.H]) {
      await t.db.query(
        `INSERT INTO deliveries (target_kind, target_id, dedupe_key, message_id, event_type, payload, status, attempts, next_attempt_at, created_at, finished_at)
        VALUES ('national-portal', $1, $2, $2, 'SNAPSHOT', '{}', 'SUCCEEDED', 1, now(), now(), now())`,
        [id, `test:${randomUUID()}`],
      );
    }
    // The facts settle once every status change and payment message has been relayed.
    await waitFor(
      async () => {
        // The figures subscribe to those topics at their own pace: their copies must be through too.
        const { rows } = await t.db
          .query(`SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND (topic = 'dossier.status-changed' OR topic LIKE 'payment.%'))::int
          + (SELECT count(*) FROM outbox_fanout WHERE sent_at IS NULL AND topic LIKE '%@reports')::int AS unsent,
        (SELECT count(*) FROM dossiers)::int AS dossiers, (SELECT count(*) FROM report_dossier_facts)::int AS facts`);
        return rows[0].unsent === 0 && rows[0].facts === rows[0].dossiers;
      },
      'the report facts to settle',
      30_000,
    );
    // Some forty API calls and the relay: longer than one test's 30 s on a loaded machine.
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const admin = async () => ({ Authorization: `Bearer ${await login(t, ADMIN.username, ADMIN.password)}` });
  let adminHeaders: Record<string, string>;
  beforeAll(async () => {
    adminHeaders = await admin();
  });
  const get = (query: Record<string, string>, headers?: Record<string, string>) =>
    t
      .http()
      .get('/api/v1/reports/indicators')
      .query(query)
      .set(headers ?? adminHeaders);
  const strip = (r: IndicatorReport) => ({ ...r, generatedAt: undefined });

  it('the fast figures equal the direct recount on random periods, for the commune and the province with its subtree', async () => {
    const service = t.app.get(IndicatorsService);
    const headers = await admin();
    let seed = 20261207;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 12; i++) {
      const a = rnd(50) - 7;
      const from = plus(a);
      const to = plus(a + rnd(45));
      for (const scope of [
        { agencyCode: HAC_THANH, subtree: false },
        { agencyCode: PROVINCE, subtree: true },
      ]) {
        const by = i % 3 === 0 ? 'procedure' : i % 3 === 1 ? 'field' : undefined;
        const fast = (await get({ agencyCode: scope.agencyCode, from, to, subtree: String(scope.subtree), ...(by ? { by } : {}) }, headers).expect(200)).body;
        const direct = await service.recount({ ...scope, from, to, by });
        expect({ from, to, ...strip(fast) }).toEqual({ from, to, ...strip(JSON.parse(JSON.stringify(direct))) });
      }
    }
  });

  it('a rebuild gives the same facts as the outbox kept', async () => {
    const before = (await t.db.query('SELECT * FROM report_dossier_facts ORDER BY dossier_id')).rows.map((r) => ({ ...r, refreshed_at: undefined }));
    await t.app.get(ReportFactsService).rebuild();
    const after = (await t.db.query('SELECT * FROM report_dossier_facts ORDER BY dossier_id')).rows.map((r) => ({ ...r, refreshed_at: undefined }));
    expect(after).toEqual(before);
  });

  it('worked numbers, week 1: 7 received, 4 finished (1 early, 2 on time, 1 late), 3 open (1 overdue)', async () => {
    const r = (await get({ agencyCode: HAC_THANH, from: day0, to: plus(6) }).expect(200)).body as IndicatorReport;
    expect(r.counts).toMatchObject({
      received: { total: 7, online: 7, counter: 0, postal: 0 },
      processed: 7,
      finished: { total: 4, early: 1, onTime: 2, late: 1 },
      inProgress: { total: 3, onTime: 2, overdue: 1 },
      refused: 1,
      withdrawn: 1,
      stopped: 0,
      supplementRounds: 3,
      synced: 1,
      complaints: 1,
      ratings: { total: 1, verySatisfied: 0, satisfied: 0, notSatisfied: 1 },
    });
    const row = Object.fromEntries(r.indicators.map((i) => [i.code, i]));
    expect(row['2.1']).toMatchObject({ numerator: 5, denominator: 7 });
    expect(row['1.4']).toMatchObject({ numerator: 1, denominator: 7 });
    // 5.4 = 1 − (2 overdue or late / 7 + 2 with a complaint or "not satisfied" / 7) = 3/7.
    expect(row['5.4'].rate).toBeCloseTo(3 / 7, 10);
    expect(r.period).toMatchObject({ from: day0, to: plus(6) });
  });

  it('worked numbers, week 2: 1 received + 3 carried over; the latest rating revision counts', async () => {
    const r = (await get({ agencyCode: HAC_THANH, from: plus(7), to: plus(13) }).expect(200)).body as IndicatorReport;
    expect(r.counts).toMatchObject({
      received: { total: 1 },
      processed: 4,
      finished: { total: 1, early: 1 },
      inProgress: { total: 3, overdue: 1 },
      ratings: { total: 1, satisfied: 1, notSatisfied: 0 },
    });
    expect(r.indicators.find((i) => i.code === '2.1')).toMatchObject({ numerator: 3, denominator: 4, rate: 0.75 });
  });

  it('series: per month received by channel, and overdue per procedure', async () => {
    const s = (
      await t
        .http()
        .get('/api/v1/reports/series')
        .query({ agencyCode: HAC_THANH, from: day0, to: plus(40) })
        .set(await admin())
        .expect(200)
    ).body;
    const received = s.months.reduce((n: number, m: { received: { online: number } }) => n + m.received.online, 0);
    expect(received).toBe(9);
    expect(s.overdueByProcedure).toEqual([{ procedureCode: '1.001193', procedureName: expect.any(String), overdue: expect.any(Number) }]);
  });

  it('exports the figures as XLSX (read back: the same numbers as the JSON), CSV and a PDF report, under the same access rules', async () => {
    const q = { agencyCode: HAC_THANH, from: day0, to: plus(6) };
    const json = (await get(q).expect(200)).body as IndicatorReport;
    const file = (format: string, headers = adminHeaders) =>
      t
        .http()
        .get('/api/v1/reports/indicators/export')
        .query({ ...q, format })
        .set(headers)
        .buffer(true)
        .parse(binaryBody);
    const xlsx = await file('xlsx').expect(200);
    expect(xlsx.headers['content-disposition']).toBe(`attachment; filename="chi-so-766-${HAC_THANH}-${day0}-${plus(6)}.xlsx"`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const sheet = wb.worksheets[0];
    const rowOf = (code: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((r) => {
        if (r.getCell(1).value === code) found = r;
      });
      return found!;
    };
    for (const ind of json.indicators) {
      const values = rowOf(ind.code).values as unknown[];
      expect(values).toContain(ind.numerator);
      expect(values).toContain(ind.denominator);
    }
    const csv = await file('csv').expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect((csv.body as Buffer).toString('utf8')).toContain('Tỷ lệ');
    const pdf = await file('pdf').expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const jsonOf = (res: { body: unknown }) => JSON.parse((res.body as Buffer).toString('utf8'));
    expect(jsonOf(await file('docx').expect(400))).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(jsonOf(await file('pdf', { Authorization: `Bearer ${await tok('citizen')}` }).expect(403)).code).toBe('FORBIDDEN');
    const other = await t
      .http()
      .get('/api/v1/reports/indicators/export')
      .query({ ...q, agencyCode: PROVINCE, format: 'xlsx' })
      .set({ Authorization: `Bearer ${await tok('tiepnhan.hacthanh')}` })
      .expect(403);
    expect(other.body.code).toBe('REPORT_FORBIDDEN');
  });

  it('who sees what: officers their agency, leaders their subtree, admins all; others 403; bad periods 422 with the field', async () => {
    const q = { from: day0, to: plus(6) };
    const officer = { Authorization: `Bearer ${await tok('tiepnhan.hacthanh')}` };
    expect((await get({ ...q }, officer).expect(200)).body.agency.code).toBe(HAC_THANH);
    expect((await get({ ...q, agencyCode: PROVINCE }, officer).expect(403)).body.code).toBe('REPORT_FORBIDDEN');
    expect((await get({ ...q, subtree: 'true' }, officer).expect(403)).body.code).toBe('REPORT_FORBIDDEN');
    const leader = { Authorization: `Bearer ${await tok('lanhdao.hacthanh')}` };
    await get({ ...q, agencyCode: HAC_THANH, subtree: 'true' }, leader).expect(200);
    expect((await get({ ...q, agencyCode: PROVINCE }, leader).expect(403)).body.code).toBe('REPORT_FORBIDDEN');
    const asCitizen = { Authorization: `Bearer ${await tok('citizen')}` };
    expect((await get({ ...q, agencyCode: HAC_THANH }, asCitizen).expect(403)).body.code).toBe('FORBIDDEN');
    const bad = async (query: Record<string, string>, field: string) => {
      const res = await get({ agencyCode: HAC_THANH, ...query }).expect(422);
      expect({ code: res.body.code, field: res.body.details?.[0]?.field }).toEqual({ code: 'REPORT_PERIOD_INVALID', field });
    };
    await bad({ from: '2026-13-01', to: '2026-12-31' }, 'from');
    await bad({ from: '2026-12-31', to: '2026-01-01' }, 'from');
    await bad({ from: '2020-01-01', to: '2026-01-01' }, 'to');
    await bad({ period: 'quarter' }, 'date');
    expect((await get({ agencyCode: '000.00.99.H56', ...q }).expect(404)).body.code).toBe('REPORT_AGENCY_NOT_FOUND');
  });

  it('the public figures: no login, whole months from the monthly rollup, small counts withheld (test/public-reports.e2e-spec.ts has the rest)', async () => {
    await t.app.get(ReportRollupService).refreshNow();
    const week = await t
      .http()
      .get('/api/v1/public/reports/indicators')
      .query({ agencyCode: HAC_THANH, from: day0, to: plus(6) })
      .expect(400);
    expect({ code: week.body.code, field: week.body.details[0].field }).toEqual({ code: 'PUBLIC_REPORT_PERIOD_NOT_MONTHS', field: 'from' });
    const q = { agencyCode: HAC_THANH, period: 'quarter', date: day0 };
    const open = (await t.http().get('/api/v1/public/reports/indicators').query(q).expect(200)).body;
    const staff = (await get(q).expect(200)).body as IndicatorReport;
    expect(open.period.label).toMatch(/^Quý (I|II|III|IV)\/\d{4}$/);
    // E's complaint is the quarter's one: staff see 1, the public a withheld count.
    expect({ staff: staff.counts.complaints, open: open.counts.complaints }).toEqual({ staff: 1, open: null });
    expect(open.counts.received.total).toBe(staff.counts.received.total);
    expect(staff.counts.received.total).toBeGreaterThanOrEqual(5);
    expect(open.suppression.counts).toContain('complaints');
  });
});
