import { execSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { vietnamDate } from '../src/common/clock.js';
import { buildAppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.js';
import { migrate } from '../src/database/data-source.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startEmbeddedRedis } from '../src/infra/embedded-redis.js';
import { ReportFactsService } from '../src/reports/report-facts.service.js';
import { ReportRollupService } from '../src/reports/report-rollup.service.js';
import { ReportsDatabase } from '../src/reports/reports-database.js';
import { monthEnd, monthShift } from '../src/reports/rollup-plan.js';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.js';
import { runStartupTasks } from '../src/seed/startup.js';
import { BENCH_PROFILE, agenciesOf, endOf, generateReportData } from './report-data.js';

/**
 * `npm run bench:public-reports` (issue 20, item 4): public figures cannot starve the service. On
 * the script's own PostgreSQL (default settings) and Redis, the service in-process (APP_ROLE=all,
 * demo accounts, default settings: main pool 20, reports' pool REPORT_POOL_SIZE=3, public
 * budget PUBLIC_LOOKUP_PER_MINUTE=30 per client; LOG_LEVEL=fatal, as every catalogued 503 is
 * logged with its stack) listening on a local port:
 * 1. BENCH_PROFILE (scripts/report-data.ts, bench:reports' generator): BENCH_DOSSIERS (1,000,000)
 *    dossiers over a province, 4 districts and 45 communes, 2024-01 to 2026-12; plus
 *    BENCH_QUEUE_DOSSIERS (2,000) dossiers waiting for reception at phường Hạc Thành; the facts
 *    rebuilt, VACUUM ANALYZE, the monthly rollup's first pass (timed).
 * 2. The reception officer of Hạc Thành GETs the first page of /queues/to-receive over and over
 *    (one keep-alive connection) while, in turn:
 *    - idle: nothing else;
 *    - the issue's attack: 30 concurrent public three-year province-subtree reports from one client;
 *    - 30 concurrent public province-subtree reports over 30 different windows (no shared answer) from another;
 *    - sustained: BENCH_CLIENTS (30) clients for BENCH_SECONDS (20 s), each at its budget (one
 *      request every 2 s), each request a random agency (or the province's subtree) and window;
 *    - 30 concurrent staff three-year province-subtree reports (live, exact: the reports' pool and
 *      its statement timeout bound them).
 * Prints per phase: the queue page's p50/p99/max over the samples taken while reports were in
 * flight, the reports' latency and answers, and the pools: the main pool's most waiting requests
 * (sampled every 5 ms) and the reports' pool's most connections busy and requests waiting.
 * Target: the officer's queue page under 200 ms.
 */
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? BENCH_PROFILE.dossiers);
const QUEUE_DOSSIERS = Number(process.env.BENCH_QUEUE_DOSSIERS ?? 2_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 30);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BURST = 30;
const OFFICER = 'tiepnhan.hacthanh';
const OFFICER_AGENCY = '000.00.20.H56';
const QUEUE = '/api/v1/queues/to-receive?limit=50';
const TARGET_MS = 200;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dir = path.join(root, '.data', `bench-public-reports-${Date.now()}`);
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755);
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => x.toLocaleString('en');
const load = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load/, 'load');

interface Answer {
  status: number;
  body: any;
  ms: number;
}
const officerAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const publicAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function get(port: number, url: string, opts: { agent: http.Agent; token?: string; client?: string }): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    // The service trusts X-Forwarded-For from loopback (TRUST_PROXY): each simulated client has its own budget.
    if (opts.client) headers['x-forwarded-for'] = opts.client;
    http
      .get({ host: '127.0.0.1', port, path: url, agent: opts.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode!,
            body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text,
            ms: performance.now() - t0,
          });
        });
      })
      .on('error', reject);
  });
}

const pct = (ms: number[], p: number) => {
  const s = [...ms].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const fmt = (ms: number) => (Number.isNaN(ms) ? '–' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const statuses = (answers: Answer[]) =>
  Object.entries(
    answers.reduce<Record<string, number>>((m, a) => {
      const k = a.status === 200 ? '200' : `${a.status} ${a.body?.code ?? ''}`.trim();
      m[k] = (m[k] ?? 0) + 1;
      return m;
    }, {}),
  )
    .map(([k, v]) => `${v} × ${k}`)
    .join(', ');

const pgServer = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), database: 'motcua' });
const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persistent: false });
const db = new pg.Pool({ connectionString: pgServer.localUrl, max: 2 });
let app: Awaited<ReturnType<typeof createApp>> | undefined;
try {
  await migrate(pgServer.url);
  const env = validateEnv({
    DATA_DIR: dir,
    LOG_LEVEL: 'fatal',
    APP_ROLE: 'all',
    SEED_DEMO: 'true',
    RATE_LIMIT_PER_MINUTE: '0',
    DEADLINE_RECONCILE_SECONDS: '86400',
  });
  const config = buildAppConfig(env, { databaseUrl: pgServer.localUrl, redisUrl: redisServer.url, embedded: false });
  app = await createApp(config);
  await app.init();
  await runStartupTasks(app, config, () => undefined);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const r = config.reports;
  say(
    `bench:public-reports: ${n(DOSSIERS)} dossiers; reports' pool ${r.poolSize}, statement timeout ${r.statementTimeoutMs} ms, pool wait ${r.poolWaitMs} ms; public budget ${config.publicLookupPerMinute}/min per client, cache ${r.publicCacheSeconds} s, at most ${r.publicMaxMonths} months; ${process.version}; ${load()}`,
  );

  // 1. The data (after the start's rollup pass, so the timed pass below is the whole build).
  const rollup = app.get(ReportRollupService);
  await rollup.refreshNow();
  const profile = { ...BENCH_PROFILE, dossiers: DOSSIERS };
  let t0 = Date.now();
  await generateReportData(db, profile, { root });
  const {
    rows: [proc],
  } = await db.query(`SELECT p.code, p.version, p.service_level FROM procedure p WHERE p.code = '1.001193'`);
  await db.query(
    `
    INSERT INTO dossiers (code, procedure_code, procedure_version, service_level, receiving_agency_code, competent_agency_code, status, status_code,
      applicant, owner_user_id, submitted_by_kind, submitted_by_id, channel, result_delivery, submitted_at, version)
    SELECT $1 || '-Q' || i, $2, $3, $4, $1, $1, 'SUBMITTED', 1,
      jsonb_build_object('fullName', 'Lê Thị ' || i, 'idNumber', lpad((200000000000 + i)::text, 12, '0'), 'phone', '0900000000', 'address', 'Thanh Hóa'),
      NULL, 'user', '00000000-0000-0000-0000-000000000000', 'ONLINE', 'ONLINE', now() - interval '1 minute' * i, 1
    FROM generate_series(1, $5::int) i`,
    [OFFICER_AGENCY, proc.code, proc.version, proc.service_level, QUEUE_DOSSIERS],
  );
  say(`  generated in ${seconds(Date.now() - t0)} (bulk SQL), ${n(QUEUE_DOSSIERS)} of them waiting for reception at ${OFFICER_AGENCY}`);
  t0 = Date.now();
  const facts = await app.get(ReportFactsService).rebuild();
  say(`  facts rebuilt: ${n(facts)} rows in ${seconds(Date.now() - t0)}`);
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
  say(`  VACUUM ANALYZE in ${seconds(Date.now() - t0)}`);
  t0 = Date.now();
  const pass = await rollup.refreshNow();
  const {
    rows: [rows],
  } = await db.query('SELECT count(*)::int AS n FROM report_monthly_rollup');
  say(`  monthly rollup: ${pass.months} months (${pass.fullMonths} for every agency) in ${seconds(Date.now() - t0)}, ${n(rows.n)} rows; ${load()}`);

  // 2. The officer, and the pools.
  const tokenOf = (username: string, password: string) =>
    new Promise<string>((resolve, reject) => {
      const body = JSON.stringify({ username, password });
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text).accessToken) : reject(new Error(text))));
        },
      );
      req.end(body);
    });
  const login = await tokenOf(OFFICER, DEMO_PASSWORD);
  const adminToken = await tokenOf(config.adminUsername, config.adminPassword);
  const first = await get(port, QUEUE, { agent: officerAgent, token: login });
  if (first.status !== 200) throw new Error(`queue: ${first.status} ${JSON.stringify(first.body)}`);
  say(`  officer's page: GET ${QUEUE} as ${OFFICER}: ${first.body.items.length} of ${n(first.body.total)} waiting`);

  const mainPool = (app.get(DataSource).driver as unknown as { master: pg.Pool }).master;
  const reportsDb = app.get(ReportsDatabase);
  let inFlight = 0;
  const samples: Array<{ ms: number; during: boolean }> = [];
  let officerOn = true;
  const officerLoop = (async () => {
    while (officerOn) {
      const during = inFlight > 0;
      const a = await get(port, QUEUE, { agent: officerAgent, token: login });
      if (a.status !== 200) throw new Error(`queue: ${a.status}`);
      samples.push({ ms: a.ms, during: during || inFlight > 0 });
    }
  })();
  const pools = { mainWaiting: 0, reportsBusy: 0, reportsWaiting: 0 };
  const sampler = setInterval(() => {
    const u = reportsDb.usage();
    pools.mainWaiting = Math.max(pools.mainWaiting, mainPool.waitingCount);
    pools.reportsBusy = Math.max(pools.reportsBusy, u.total - u.idle);
    pools.reportsWaiting = Math.max(pools.reportsWaiting, u.waiting);
  }, 5);
  const tracked = async (p: Promise<Answer>) => {
    inFlight++;
    try {
      return await p;
    } finally {
      inFlight--;
    }
  };

  const agencies = agenciesOf(profile);
  const current = vietnamDate(new Date()).slice(0, 7);
  const lastMonth = `${endOf(profile).slice(0, 7) < current ? endOf(profile).slice(0, 7) : current}-01`;
  const threeYears = { from: monthShift(lastMonth, -(r.publicMaxMonths - 1)), to: monthEnd(lastMonth) };
  const publicUrl = (agencyCode: string, subtree: boolean, from: string, to: string) =>
    `/api/v1/public/reports/indicators?agencyCode=${encodeURIComponent(agencyCode)}&subtree=${subtree}&from=${from}&to=${to}`;
  const results: Array<{ phase: string; reports: Answer[]; queue: number[]; pools: typeof pools }> = [];
  const phase = async (name: string, run: () => Promise<Answer[]>) => {
    const before = samples.length;
    Object.assign(pools, { mainWaiting: 0, reportsBusy: 0, reportsWaiting: 0 });
    const reports = await run();
    // Short bursts: wait for at least one more page so the last one overlapping them is counted.
    const until = samples.length + 1;
    while (samples.length < until) await new Promise((res) => setTimeout(res, 5));
    results.push({
      phase: name,
      reports,
      queue: samples
        .slice(before)
        .filter((s) => s.during || name === 'idle')
        .map((s) => s.ms),
      pools: { ...pools },
    });
    const last = results[results.length - 1];
    say(
      `  ${name}: reports ${statuses(reports) || 'none'}; queue page ${last.queue.length} samples p50 ${fmt(pct(last.queue, 50))} p99 ${fmt(pct(last.queue, 99))} max ${fmt(pct(last.queue, 100))}; ${load()}`,
    );
  };

  await phase('idle', async () => {
    await new Promise((res) => setTimeout(res, 5_000));
    return [];
  });
  await phase(`${BURST} identical three-year province reports, one client`, () =>
    Promise.all(
      Array.from({ length: BURST }, () =>
        tracked(get(port, publicUrl(agencies.province, true, threeYears.from, threeYears.to), { agent: publicAgent, client: '203.0.113.1' })),
      ),
    ),
  );
  await phase(`${BURST} different province windows, one client`, () =>
    Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        tracked(
          get(port, publicUrl(agencies.province, true, threeYears.from, monthEnd(monthShift(lastMonth, -i))), { agent: publicAgent, client: '203.0.113.2' }),
        ),
      ),
    ),
  );
  await phase(`sustained: ${CLIENTS} clients × 1 request / 2 s for ${SECONDS} s, random agency and window`, async () => {
    const answers: Answer[] = [];
    const end = Date.now() + SECONDS * 1000;
    let seed = 20_261_208;
    const rnd = (k: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % k;
    };
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        await new Promise((res) => setTimeout(res, (2000 * c) / CLIENTS));
        while (Date.now() < end) {
          const next = Date.now() + 2000;
          const agency =
            rnd(4) === 0 ? { code: agencies.province, subtree: true } : { code: agencies.receiving[rnd(agencies.receiving.length)], subtree: false };
          const to = monthShift(lastMonth, -rnd(24));
          const from = monthShift(to, -rnd(12));
          answers.push(
            await tracked(get(port, publicUrl(agency.code, agency.subtree, from, monthEnd(to)), { agent: publicAgent, client: `198.51.100.${c + 1}` })),
          );
          await new Promise((res) => setTimeout(res, Math.max(0, next - Date.now())));
        }
      }),
    );
    return answers;
  });
  await phase(`${BURST} staff three-year province reports (live, exact)`, () =>
    Promise.all(
      Array.from({ length: BURST }, () =>
        tracked(
          get(port, `/api/v1/reports/indicators?agencyCode=${agencies.province}&subtree=true&from=${threeYears.from}&to=${threeYears.to}`, {
            agent: publicAgent,
            token: adminToken,
          }),
        ),
      ),
    ),
  );
  officerOn = false;
  await officerLoop;
  clearInterval(sampler);

  say('');
  say(`| phase | reports: answers | reports p50 / max | queue page samples | p50 | p99 | max | main pool waiting (max) | reports' pool busy / waiting (max) |`);
  say('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const x of results) {
    const ms = x.reports.map((a) => a.ms);
    say(
      `| ${x.phase} | ${statuses(x.reports) || '–'} | ${x.reports.length ? `${fmt(pct(ms, 50))} / ${fmt(pct(ms, 100))}` : '–'} | ${x.queue.length} | ${fmt(pct(x.queue, 50))} | ${fmt(pct(x.queue, 99))} | ${fmt(pct(x.queue, 100))} | ${x.pools.mainWaiting} | ${x.pools.reportsBusy} / ${x.pools.reportsWaiting} |`,
    );
  }
  const busy = results.filter((x) => x.phase !== 'idle');
  const worst = Math.max(...busy.map((x) => pct(x.queue, 100)));
  const worstP99 = Math.max(...busy.map((x) => pct(x.queue, 99)));
  say(
    `  target: the officer's queue page under ${TARGET_MS} ms while reports run: worst p99 ${fmt(worstP99)}, worst ${fmt(worst)} ${worst < TARGET_MS ? '✓' : '✗'} (idle: max ${fmt(pct(results[0].queue, 100))}); ${load()}`,
  );
} finally {
  await app?.close().catch(() => undefined);
  await db.end();
  await redisServer.stop();
  await pgServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
