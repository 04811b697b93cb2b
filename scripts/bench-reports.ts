import { execSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { buildAppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.js';
import { migrate } from '../src/database/data-source.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startEmbeddedRedis } from '../src/infra/embedded-redis.js';
import { IndicatorsService } from '../src/reports/indicators.service.js';
import { ReportFactsService } from '../src/reports/report-facts.service.js';
import { BENCH_PROFILE, agenciesOf, endOf, expectedTotals, generateReportData } from './report-data.js';

/**
 * `npm run bench:reports`: Decision 766's figures at scale (issue 15), on the script's own
 * PostgreSQL (default settings) and Redis, the service in-process (APP_ROLE=all, no demo data).
 * 1. BENCH_PROFILE (scripts/report-data.ts): 50 agencies (a province, 4 districts, 45 communes),
 *    BENCH_DOSSIERS dossiers (default 1,000,000) over 3 years with their clocks, events,
 *    payments, portal pushes, ratings and complaints, by bulk SQL (timed, not a target).
 * 2. The facts built with the rebuild path (ReportFactsService.rebuild), then VACUUM ANALYZE.
 * 3. A check: the province's whole-range report (subtree) against what the generator wrote.
 * 4. IndicatorsService.report for a quarter (the 12 quarters in turn): one commune
 *    (BENCH_REQUESTS runs over the communes in turn; target p95 ≤ 200 ms) and the whole province
 *    with its subtree (BENCH_PROVINCE_REQUESTS runs; target p95 ≤ 2 s); p50/p95/max and `uptime`.
 */
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? BENCH_PROFILE.dossiers);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const PROVINCE_REQUESTS = Number(process.env.BENCH_PROVINCE_REQUESTS ?? 24);
const WARMUP = 3;
const TARGET_COMMUNE_P95 = 200;
const TARGET_PROVINCE_P95 = 2000;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dir = path.join(root, '.data', `bench-reports-${Date.now()}`);
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755);
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load/, 'load');

async function measure(count: number, once: (i: number) => Promise<void>): Promise<{ p50: number; p95: number; max: number }> {
  for (let i = 0; i < WARMUP; i++) await once(i);
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await once(i + WARMUP);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)];
  return { p50: at(50), p95: at(95), max: ms[ms.length - 1] };
}

const profile = { ...BENCH_PROFILE, dossiers: DOSSIERS };
const pgServer = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), database: 'motcua' });
const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persistent: false });
const db = new pg.Pool({ connectionString: pgServer.localUrl, max: 2 });
let app: Awaited<ReturnType<typeof createApp>> | undefined;
try {
  await migrate(pgServer.url);
  // The whole-range province check reads every dossier: above the reports' default statement timeout.
  const env = validateEnv({
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
    APP_ROLE: 'all',
    SEED_DEMO: 'false',
    RATE_LIMIT_PER_MINUTE: '0',
    DEADLINE_RECONCILE_SECONDS: '86400',
    REPORT_STATEMENT_TIMEOUT_MS: '600000',
  });
  const config = buildAppConfig(env, { databaseUrl: pgServer.localUrl, redisUrl: redisServer.url, embedded: false });
  app = await createApp(config);
  await app.init();
  say(`bench:reports: ${DOSSIERS.toLocaleString('en')} dossiers, ${profile.months} months from ${profile.start}; ${process.version}; ${load()}`);

  let t0 = Date.now();
  await generateReportData(db, profile, { root, say });
  say(`  generated in ${seconds(Date.now() - t0)} (bulk SQL)`);
  t0 = Date.now();
  const facts = await app.get(ReportFactsService).rebuild();
  say(`  facts rebuilt: ${facts.toLocaleString('en')} rows in ${seconds(Date.now() - t0)}`);
  t0 = Date.now();
  for (const table of [
    'dossiers',
    'dossier_clocks',
    'dossier_events',
    'report_dossier_facts',
    'deliveries',
    'dossier_ratings',
    'dossier_complaints',
    'payment_requests',
  ]) {
    await db.query(`VACUUM (ANALYZE) ${table}`);
  }
  say(`  VACUUM ANALYZE in ${seconds(Date.now() - t0)}; ${load()}`);

  const indicators = app.get(IndicatorsService);
  const agencies = agenciesOf(profile);
  // The whole range over the whole province must say what the generator wrote.
  const whole = await indicators.report({ agencyCode: agencies.province, subtree: true, from: profile.start, to: endOf(profile) });
  const e = expectedTotals(profile);
  const c = whole.counts;
  const got = {
    received: c.received.total,
    online: c.received.online,
    counter: c.received.counter,
    postal: c.received.postal,
    open: c.inProgress.total,
    overdueOpen: c.inProgress.overdue,
    refused: c.refused,
    withdrawn: c.withdrawn,
    finished: c.finished.total,
    late: c.finished.late,
    electronicResult: c.electronicResult,
    digitised: c.digitised,
    reused: c.reused,
    paidOnline: c.paidOnline,
    synced: c.synced,
    supplementRounds: c.supplementRounds,
    rated: c.ratings.total,
    notSatisfied: c.ratings.notSatisfied,
    complaints: c.complaints,
  };
  const diff = Object.entries(got).filter(([k, v]) => (e as Record<string, number>)[k] !== v);
  say(
    diff.length === 0
      ? `  whole-range province report = what was generated (${Object.keys(got).length} counts) ✓`
      : `  MISMATCH: ${diff.map(([k, v]) => `${k} ${v} ≠ ${(e as Record<string, number>)[k]}`).join(', ')}`,
  );
  say(`  indicators: ${whole.indicators.map((r) => `${r.code} ${r.rate === null ? '–' : (r.rate * 100).toFixed(2) + ' %'}`).join(', ')}`);

  const quarters = Array.from({ length: profile.months / 3 }, (_, q) => {
    const d = new Date(Date.parse(`${profile.start}T00:00:00Z`));
    d.setUTCMonth(d.getUTCMonth() + q * 3);
    return d.toISOString().slice(0, 10);
  });
  const commune = await measure(REQUESTS, async (i) => {
    await indicators.report({ agencyCode: agencies.communes[i % agencies.communes.length], period: 'quarter', date: quarters[i % quarters.length] });
  });
  say(
    `  one commune, a quarter: p50 ${commune.p50.toFixed(1)} ms, p95 ${commune.p95.toFixed(1)} ms, max ${commune.max.toFixed(1)} ms (target p95 ≤ ${TARGET_COMMUNE_P95} ms) ${commune.p95 <= TARGET_COMMUNE_P95 ? '✓' : '✗'}; ${load()}`,
  );
  const province = await measure(PROVINCE_REQUESTS, async (i) => {
    await indicators.report({ agencyCode: agencies.province, subtree: true, period: 'quarter', date: quarters[i % quarters.length] });
  });
  say(
    `  the province with its subtree, a quarter: p50 ${province.p50.toFixed(0)} ms, p95 ${province.p95.toFixed(0)} ms, max ${province.max.toFixed(0)} ms (target p95 ≤ ${TARGET_PROVINCE_P95} ms) ${province.p95 <= TARGET_PROVINCE_P95 ? '✓' : '✗'}; ${load()}`,
  );
  const byProcedure = await measure(Math.max(3, Math.floor(PROVINCE_REQUESTS / 4)), async (i) => {
    await indicators.report({ agencyCode: agencies.province, subtree: true, period: 'quarter', date: quarters[i % quarters.length], by: 'procedure' });
  });
  say(`  the province with its subtree, a quarter, by procedure (no target): p50 ${byProcedure.p50.toFixed(0)} ms, p95 ${byProcedure.p95.toFixed(0)} ms`);
} finally {
  await app?.close().catch(() => undefined);
  await db.end();
  await redisServer.stop();
  await pgServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
