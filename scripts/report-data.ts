import { readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { defaultOfficeHours } from '../src/agencies/office-hours.js';

/**
 * A reusable bulk generator of the primary tables the Decision 766 figures read (agencies,
 * procedures and who offers them, dossiers, their OVERALL clocks, supplement and closing events,
 * payment requests, national-portal pushes, ratings, complaints), by set-based SQL from a profile.
 * Used by `npm run bench:reports` (1,000,000 dossiers) and meant for `npm run demo:city`.
 *
 * Every choice about dossier i (1..N) is a deterministic function of i (`share(i, salt)`, the
 * same arithmetic in SQL and in TypeScript), so what was generated is exactly countable:
 * `expectedTotals(profile)` returns what a report over the whole range must say.
 *
 * The shape of a dossier's life: a finished one is received on day ⌊(i−1)·(days−11)/N⌋ of the
 * range at 09:00 Vietnam time (calendar days; so it also ends inside the range), due 7 days later,
 * resolved after 2 days (EARLY) or 10 (LATE: the overdue share) and returned the day after; a
 * refused one ends the hour it came, a withdrawn one the next day. An open one (openShare) is
 * received in the range's last 6–2 days and due after the range, or (the overdue share) due the
 * day it came. One supplement round, a day after receipt, for the supplement share.
 */
export interface ReportDataProfile {
  /** The province (created when missing) and how many districts and communes under it; receiving centres are the communes plus the province's centre. */
  province: { code: string; name: string };
  districts: number;
  communes: number;
  /** The procedures every agency offers: total, of which full and partial online (the rest in person only). */
  procedures: { total: number; fullOnline: number; partialOnline: number };
  dossiers: number;
  /** First day (yyyy-mm-dd, Vietnam) and number of whole months. */
  start: string;
  months: number;
  onlineShare: number;
  /** Of the non-online ones, by post (the rest at the counter). */
  postalShare: number;
  /** Unfinished at the range's end. */
  openShare: number;
  refusedShare: number;
  withdrawnShare: number;
  /** Late (finished) or overdue (open). */
  overdueShare: number;
  /** Of the returned ones: the result returned as an electronic file (digitised). */
  electronicResultShare: number;
  /** Counter and postal dossiers whose paper components were scanned. */
  scannedShare: number;
  reuseShare: number;
  /** Dossiers that owe a fee (a payment request) and, of those, paid online. */
  feeShare: number;
  paidOnlineShare: number;
  syncedShare: number;
  supplementShare: number;
  ratedShare: number;
  /** Of the rated ones. */
  notSatisfiedShare: number;
  complaintShare: number;
}

/** 1,000,000 dossiers over 50 agencies (a province, 4 districts, 45 communes) and 3 years. */
export const BENCH_PROFILE: ReportDataProfile = {
  province: { code: '000.00.00.H99', name: 'Ủy ban nhân dân tỉnh thử nghiệm' },
  districts: 4,
  communes: 45,
  procedures: { total: 120, fullOnline: 40, partialOnline: 60 },
  dossiers: 1_000_000,
  start: '2024-01-01',
  months: 36,
  onlineShare: 0.8,
  postalShare: 0.1,
  openShare: 0.03,
  refusedShare: 0.02,
  withdrawnShare: 0.01,
  overdueShare: 0.04,
  electronicResultShare: 0.6,
  scannedShare: 0.7,
  reuseShare: 0.3,
  feeShare: 0.4,
  paidOnlineShare: 0.5,
  syncedShare: 0.97,
  supplementShare: 0.05,
  ratedShare: 0.2,
  notSatisfiedShare: 0.05,
  complaintShare: 0.002,
};

/** The seeds' city: 164 of 270 procedures online (53 full, 111 partial), ~49,665 dossiers over 9 months, 99.7 % online, none overdue, ~58 % of results digitised. */
export const CITY_PROFILE: ReportDataProfile = {
  province: { code: '000.00.00.H98', name: 'Thành phố thử nghiệm' },
  districts: 0,
  communes: 1,
  procedures: { total: 270, fullOnline: 53, partialOnline: 111 },
  dossiers: 49_665,
  start: '2026-01-01',
  months: 9,
  onlineShare: 0.9969,
  postalShare: 0.3,
  openShare: 0,
  refusedShare: 0.005,
  withdrawnShare: 0.002,
  overdueShare: 0,
  electronicResultShare: 0.5799,
  scannedShare: 1,
  reuseShare: 0.2,
  feeShare: 0.3,
  paidOnlineShare: 0.6,
  syncedShare: 1,
  supplementShare: 0.02,
  ratedShare: 0.3,
  notSatisfiedShare: 0.01,
  complaintShare: 0,
};

const P = 10007;
/** Multipliers per decision (primes, so the decisions are spread differently over i). */
const SALT = {
  channel: 7919,
  postal: 104729,
  fate: 3,
  overdue: 6151,
  eresult: 1299709,
  scanned: 15485863,
  reuse: 179426549,
  fee: 32452843,
  paid: 49979687,
  synced: 86028121,
  supplement: 982451653,
  rated: 2750159,
  unhappy: 4256249,
  complaint: 7368787,
} as const;

/** The share draw of dossier i for a decision: in [0, 1), the same in SQL (shareSql). */
export function share(i: number, salt: keyof typeof SALT): number {
  return Number((BigInt(i) * BigInt(SALT[salt])) % BigInt(P)) / P;
}
const shareSql = (salt: keyof typeof SALT) => `(((x.i::bigint * ${SALT[salt]}::bigint) % ${P}) / ${P}.0)`;

export type Fate = 'OPEN' | 'REFUSED' | 'WITHDRAWN' | 'RETURNED';
export interface DossierPlan {
  channel: 'ONLINE' | 'POSTAL' | 'COUNTER';
  fate: Fate;
  late: boolean;
  electronicResult: boolean;
  digitised: boolean;
  reused: boolean;
  fee: boolean;
  paidOnline: boolean;
  synced: boolean;
  supplement: boolean;
  rating: 'SATISFIED' | 'NOT_SATISFIED' | null;
  complaint: boolean;
}

/** What the generator writes for dossier i (mirrors the SQL below). */
export function planOf(p: ReportDataProfile, i: number): DossierPlan {
  const c = share(i, 'channel');
  const channel = c < p.onlineShare ? 'ONLINE' : share(i, 'postal') < p.postalShare ? 'POSTAL' : 'COUNTER';
  const f = share(i, 'fate');
  const fate: Fate =
    f < p.openShare ? 'OPEN' : f < p.openShare + p.refusedShare ? 'REFUSED' : f < p.openShare + p.refusedShare + p.withdrawnShare ? 'WITHDRAWN' : 'RETURNED';
  const fee = fate !== 'REFUSED' && share(i, 'fee') < p.feeShare;
  const rated = fate === 'RETURNED' && share(i, 'rated') < p.ratedShare;
  return {
    channel,
    fate,
    late: (fate === 'RETURNED' || fate === 'OPEN') && share(i, 'overdue') < p.overdueShare,
    electronicResult: fate === 'RETURNED' && share(i, 'eresult') < p.electronicResultShare,
    digitised: channel !== 'ONLINE' && share(i, 'scanned') < p.scannedShare,
    reused: share(i, 'reuse') < p.reuseShare,
    fee,
    paidOnline: fee && share(i, 'paid') < p.paidOnlineShare,
    synced: share(i, 'synced') < p.syncedShare,
    supplement: (fate === 'RETURNED' || fate === 'WITHDRAWN') && share(i, 'supplement') < p.supplementShare,
    rating: rated ? (share(i, 'unhappy') < p.notSatisfiedShare ? 'NOT_SATISFIED' : 'SATISFIED') : null,
    complaint: fate === 'RETURNED' && share(i, 'complaint') < p.complaintShare,
  };
}

/** The agencies of a profile: the province, its districts, the communes (spread over the districts, or under the province). */
export function agenciesOf(p: ReportDataProfile): { province: string; districts: string[]; communes: string[]; receiving: string[] } {
  const base = p.province.code.slice(0, -3);
  const suffix = p.province.code.slice(-3);
  const districts = Array.from({ length: p.districts }, (_, d) => `${base.slice(0, 4)}${String(d + 1).padStart(2, '0')}.00${suffix}`);
  const communes = Array.from({ length: p.communes }, (_, c) =>
    `${base.slice(0, 4)}${String(Math.floor(c / 100) + 50).padStart(2, '0')}.${String((c % 100) + 1).padStart(2, '0')}${suffix}`.slice(0, 20),
  );
  // The province's own service centre receives too (its code: the province's with .01).
  const centre = `${base.slice(0, 7)}01${suffix}`;
  return { province: p.province.code, districts, communes, receiving: [centre, ...communes] };
}

const rangeDays = (p: ReportDataProfile) => {
  const start = Date.parse(`${p.start}T00:00:00Z`);
  const d = new Date(start);
  d.setUTCMonth(d.getUTCMonth() + p.months);
  return Math.round((d.getTime() - start) / 86_400_000);
};
/** The range's last day (yyyy-mm-dd). */
export function endOf(p: ReportDataProfile): string {
  return new Date(Date.parse(`${p.start}T00:00:00Z`) + (rangeDays(p) - 1) * 86_400_000).toISOString().slice(0, 10);
}

/** What a report over the whole range and every agency (subtree of the province) must count. */
export function expectedTotals(p: ReportDataProfile) {
  const t = {
    received: 0,
    online: 0,
    counter: 0,
    postal: 0,
    open: 0,
    overdueOpen: 0,
    refused: 0,
    withdrawn: 0,
    finished: 0,
    late: 0,
    electronicResult: 0,
    digitised: 0,
    reused: 0,
    paidOnline: 0,
    fee: 0,
    synced: 0,
    supplementRounds: 0,
    rated: 0,
    notSatisfied: 0,
    complaints: 0,
  };
  for (let i = 1; i <= p.dossiers; i++) {
    const d = planOf(p, i);
    t.received++;
    t[d.channel === 'ONLINE' ? 'online' : d.channel === 'POSTAL' ? 'postal' : 'counter']++;
    if (d.fate === 'OPEN') {
      t.open++;
      if (d.late) t.overdueOpen++;
    } else {
      t.finished++;
      if (d.late) t.late++;
    }
    if (d.fate === 'REFUSED') t.refused++;
    if (d.fate === 'WITHDRAWN') t.withdrawn++;
    if (d.electronicResult) t.electronicResult++;
    if (d.digitised || d.channel === 'ONLINE') t.digitised++;
    if (d.reused) t.reused++;
    if (d.fee) t.fee++;
    if (d.paidOnline) t.paidOnline++;
    if (d.synced) t.synced++;
    if (d.supplement) t.supplementRounds++;
    if (d.rating) t.rated++;
    if (d.rating === 'NOT_SATISFIED') t.notSatisfied++;
    if (d.complaint) t.complaints++;
  }
  return t;
}

const ZERO_HASH = '0'.repeat(64);

/**
 * Writes the profile's data into the primary tables (bulk SQL, batches of `batch` dossiers).
 * Procedures: the real ones of data/procedures.json first (by their level), then made-up codes
 * (`G.<n>`) to reach the profile's counts; an in-person-only procedure has service level
 * IN_PERSON (the catalogue itself keeps only online ones: see README, 3.1).
 */
export async function generateReportData(
  pool: pg.Pool,
  p: ReportDataProfile,
  opts: { root: string; batch?: number; say?: (s: string) => void } = { root: '.' },
): Promise<void> {
  const say = opts.say ?? (() => undefined);
  // One connection: the batches go through a temporary table.
  const db = await pool.connect();
  try {
    await generate(db, p, opts.root, opts.batch ?? 100_000, say);
  } finally {
    db.release();
  }
}

async function generate(db: pg.PoolClient, p: ReportDataProfile, root: string, batchSize: number, say: (s: string) => void): Promise<void> {
  const batch = batchSize;
  const a = agenciesOf(p);
  const hours = JSON.stringify(defaultOfficeHours());
  const addAgency = (code: string, name: string, level: string, parent: string | null, centre: boolean) =>
    db.query(
      `INSERT INTO agency (code, name, level, parent_code, office_hours, is_service_centre, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, true, now(), now()) ON CONFLICT (code) DO NOTHING`,
      [code, name, level, parent, hours, centre],
    );
  await addAgency(a.province, p.province.name, 'PROVINCE', null, false);
  await addAgency(a.receiving[0], `Trung tâm Phục vụ hành chính công (${p.province.name})`, 'PROVINCE', a.province, true);
  for (const [k, d] of a.districts.entries()) await addAgency(d, `Huyện thử nghiệm ${k + 1} (lịch sử)`, 'DISTRICT', a.province, false);
  for (const [k, c] of a.communes.entries())
    await addAgency(c, `Xã thử nghiệm ${k + 1}`, 'COMMUNE', a.districts.length ? a.districts[k % a.districts.length] : a.province, true);

  // Procedures: real ones first, by level.
  const real = JSON.parse(readFileSync(path.join(root, 'data/procedures.json'), 'utf8')) as Array<{ code: string; serviceLevel: string }>;
  const pick = (level: string, n: number, prefix: string) => {
    const codes = real
      .filter((r) => r.serviceLevel === level)
      .map((r) => r.code)
      .slice(0, n);
    for (let k = codes.length; k < n; k++) codes.push(`G.${prefix}${String(k + 1).padStart(5, '0')}`);
    return codes;
  };
  const full = pick('FULL_ONLINE', p.procedures.fullOnline, '1');
  const partial = pick('PARTIAL_ONLINE', p.procedures.partialOnline, '2');
  const inPerson = pick('UNKNOWN', p.procedures.total - p.procedures.fullOnline - p.procedures.partialOnline, '3');
  const levels = [...full.map((c) => [c, 'FULL_ONLINE']), ...partial.map((c) => [c, 'PARTIAL_ONLINE']), ...inPerson.map((c) => [c, 'IN_PERSON'])];
  await db.query(
    `INSERT INTO procedure (code, name, field, service_level, agency_levels, time_limit, fees, components, steps, version, search_text, created_at, updated_at)
     SELECT c, 'Thủ tục ' || c, 'Lĩnh vực ' || (1 + (row_number() OVER ()) % 12), l, '{COMMUNE}', '{"value": 7, "unit": "CALENDAR_DAYS"}', '[]', '[]', '[]', 1, lower(c), now(), now()
       FROM unnest($1::varchar[], $2::varchar[]) AS t(c, l)
     ON CONFLICT (code) DO NOTHING`,
    [levels.map((l) => l[0]), levels.map((l) => l[1])],
  );
  await db.query(
    `INSERT INTO agency_procedure (agency_code, procedure_code) SELECT ag, pc FROM unnest($1::varchar[]) ag, unnest($2::varchar[]) pc ON CONFLICT DO NOTHING`,
    [a.receiving, levels.map((l) => l[0])],
  );
  const online = [...full, ...partial];
  const all = levels.map((l) => l[0]);

  const days = rangeDays(p);
  const t0 = Date.now();
  const fate = `CASE WHEN ${shareSql('fate')} < ${p.openShare} THEN 'OPEN' WHEN ${shareSql('fate')} < ${p.openShare + p.refusedShare} THEN 'REFUSED'
    WHEN ${shareSql('fate')} < ${p.openShare + p.refusedShare + p.withdrawnShare} THEN 'WITHDRAWN' ELSE 'RETURNED' END`;
  const channel = `CASE WHEN ${shareSql('channel')} < ${p.onlineShare} THEN 'ONLINE' WHEN ${shareSql('postal')} < ${p.postalShare} THEN 'POSTAL' ELSE 'COUNTER' END`;
  for (let from = 1; from <= p.dossiers; from += batch) {
    const to = Math.min(p.dossiers, from + batch - 1);
    // x: the plan of each dossier; y: its instants. Open ones come in the last 5 days of the range.
    await db.query(
      `
      CREATE TEMP TABLE gen AS
      WITH x AS (SELECT i FROM generate_series($1::int, $2::int) i),
      y AS (
        SELECT x.i, ${fate} AS fate, ${channel} AS channel,
          ${shareSql('overdue')} < ${p.overdueShare} AS late, ${shareSql('eresult')} < ${p.electronicResultShare} AS eresult,
          ${shareSql('scanned')} < ${p.scannedShare} AS scanned, ${shareSql('reuse')} < ${p.reuseShare} AS reuse,
          ${shareSql('fee')} < ${p.feeShare} AS fee, ${shareSql('paid')} < ${p.paidOnlineShare} AS paid, ${shareSql('synced')} < ${p.syncedShare} AS synced,
          ${shareSql('supplement')} < ${p.supplementShare} AS supplement, ${shareSql('rated')} < ${p.ratedShare} AS rated,
          ${shareSql('unhappy')} < ${p.notSatisfiedShare} AS unhappy, ${shareSql('complaint')} < ${p.complaintShare} AS complaint,
          ($5::varchar[])[1 + x.i % cardinality($5::varchar[])] AS agency
        FROM x)
      SELECT y.*, gen_random_uuid() AS id,
        CASE WHEN y.channel = 'ONLINE' THEN ($3::varchar[])[1 + y.i % cardinality($3::varchar[])] ELSE ($4::varchar[])[1 + y.i % cardinality($4::varchar[])] END AS procedure_code,
        ((($6::date + (CASE WHEN y.fate = 'OPEN' THEN $7::int - 6 + (y.i % 5) ELSE ((y.i - 1)::bigint * ($7::int - 11) / $8::int)::int END))::timestamp + interval '9 hours') AT TIME ZONE 'Asia/Ho_Chi_Minh') AS at
      FROM y`,
      [from, to, online, all, a.receiving, p.start, days, p.dossiers],
    );
    await db.query(`
      INSERT INTO dossiers (id, code, procedure_code, procedure_version, service_level, receiving_agency_code, competent_agency_code, status, status_code,
        applicant, owner_user_id, submitted_by_kind, submitted_by_id, channel, result_delivery, submitted_at, received_at, resolved_at, returned_at,
        timeliness, outcome, result_form, electronic_result, digitised, reused, version)
      SELECT g.id, g.agency || '-' || to_char(g.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-G' || g.i, g.procedure_code, 1,
        'PARTIAL_ONLINE', g.agency, g.agency,
        CASE g.fate WHEN 'OPEN' THEN 'IN_PROGRESS' ELSE g.fate END, CASE g.fate WHEN 'OPEN' THEN 4 WHEN 'REFUSED' THEN 3 WHEN 'WITHDRAWN' THEN 7 ELSE 10 END,
        jsonb_build_object('fullName', 'Nguyễn Văn ' || g.i, 'idNumber', lpad((100000000000 + g.i)::text, 12, '0'), 'phone', '0900000000', 'address', 'Thanh Hóa'),
        NULL, 'user', '00000000-0000-0000-0000-000000000000', g.channel, CASE WHEN g.channel = 'ONLINE' THEN 'ONLINE' ELSE 'COUNTER' END,
        g.at, CASE WHEN g.fate <> 'REFUSED' THEN g.at END,
        CASE WHEN g.fate = 'RETURNED' THEN g.at + CASE WHEN g.late THEN interval '10 days' ELSE interval '2 days' END END,
        CASE WHEN g.fate = 'RETURNED' THEN g.at + CASE WHEN g.late THEN interval '11 days' ELSE interval '3 days' END END,
        CASE WHEN g.fate = 'RETURNED' THEN CASE WHEN g.late THEN 'LATE' ELSE 'EARLY' END END,
        CASE WHEN g.fate = 'RETURNED' THEN 'GRANTED' END, CASE WHEN g.fate = 'RETURNED' THEN 'ELECTRONIC' END,
        g.fate = 'RETURNED' AND g.eresult, g.channel <> 'ONLINE' AND g.scanned, g.reuse, 5
      FROM gen g`);
    // The OVERALL clock of every accepted dossier: due 7 days on (an open overdue one: due the day it came).
    await db.query(`
      INSERT INTO dossier_clocks (dossier_id, kind, agency_code, limit_value, limit_unit, state, started_at, clock_starts_at, due_at, due_soon_at, running_since, status)
      SELECT g.id, 'OVERALL', g.agency, 7, 'CALENDAR_DAYS', CASE WHEN g.fate = 'OPEN' THEN 'RUNNING' ELSE 'STOPPED' END, g.at, g.at, d.due, d.due - interval '1 day', g.at,
        CASE WHEN g.late AND g.fate IN ('OPEN', 'RETURNED') THEN 'OVERDUE' ELSE 'ON_TRACK' END
      FROM gen g CROSS JOIN LATERAL (SELECT CASE WHEN g.fate = 'OPEN' AND g.late THEN g.at ELSE g.at + interval '7 days' END AS due) d
      WHERE g.fate <> 'REFUSED'`);
    // Events: one supplement round (a day after receipt); the refusal or withdrawal.
    await db.query(
      `
      INSERT INTO dossier_events (dossier_id, seq, type, actor_kind, at, data, prev_hash, hash)
      SELECT g.id, 2, 'REQUEST_SUPPLEMENT', 'user', g.at + interval '1 day', '{}'::jsonb, $1, $1 FROM gen g WHERE g.supplement AND g.fate IN ('RETURNED', 'WITHDRAWN')
      UNION ALL
      SELECT g.id, 3, CASE g.fate WHEN 'REFUSED' THEN 'REFUSE' ELSE 'WITHDRAW' END, 'user', g.at + CASE g.fate WHEN 'REFUSED' THEN interval '1 hour' ELSE interval '1 day' END, '{}'::jsonb, $1, $1
        FROM gen g WHERE g.fate IN ('REFUSED', 'WITHDRAWN')`,
      [ZERO_HASH],
    );
    await db.query(`
      INSERT INTO payment_requests (id, reference, dossier_id, dossier_code, procedure_code, collecting_agency_code, stage, status, amount_vnd, lines, description, method, expires_at, paid_at, created_at, updated_at)
      SELECT gen_random_uuid(), 'G' || g.i, g.id, 'G' || g.i, g.procedure_code, g.agency, 'AT_RESULT', 'PAID', 50000, '[]', 'Lệ phí', CASE WHEN g.paid THEN 'PAYGOV' ELSE 'COUNTER_CASH' END,
        g.at + interval '7 days', g.at + interval '1 day', g.at, g.at
      FROM gen g WHERE g.fee AND g.fate <> 'REFUSED'`);
    await db.query(`
      INSERT INTO deliveries (target_kind, target_id, dedupe_key, message_id, event_type, payload, status, attempts, next_attempt_at, created_at, finished_at)
      SELECT 'national-portal', g.id::text, 'gen:' || g.i, 'gen:' || g.i, 'SNAPSHOT', '{}', 'SUCCEEDED', 1, g.at, g.at, g.at FROM gen g WHERE g.synced`);
    await db.query(`
      INSERT INTO dossier_ratings (dossier_id, revision, agency_code, overall, scores, total, band, rated_by, rated_at)
      SELECT g.id, 1, g.agency, CASE WHEN g.unhappy THEN 'NOT_SATISFIED' ELSE 'SATISFIED' END, '{}', 12, 'GOOD', '00000000-0000-0000-0000-000000000000', g.at + interval '4 days'
      FROM gen g WHERE g.rated AND g.fate = 'RETURNED'`);
    await db.query(`
      INSERT INTO dossier_complaints (dossier_id, agency_code, content, filed_by, filed_at)
      SELECT g.id, g.agency, 'Phản ánh thử nghiệm', '00000000-0000-0000-0000-000000000000', g.at + interval '5 days' FROM gen g WHERE g.complaint AND g.fate = 'RETURNED'`);
    await db.query('DROP TABLE gen');
    say(`  ${to.toLocaleString('en')} dossiers written (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
}
