import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import type { AuthUser, Role } from '../src/common/auth-context.js';
import { buildAppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.js';
import { migrate } from '../src/database/data-source.js';
import { OPEN_STATUSES_SQL, QUEUE_NAMES } from '../src/dossiers/queues/queues.js';
import { QueuesService } from '../src/dossiers/queues/queues.service.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startEmbeddedRedis } from '../src/infra/embedded-redis.js';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.js';
import { runStartupTasks } from '../src/seed/startup.js';

/**
 * `npm run bench:queues`: the officers' queues and the accept action over a large table, on the
 * script's own PostgreSQL (default settings, fsync on) and Redis, with the service in-process
 * (APP_ROLE=all, demo catalogue and accounts) listening on a local port.
 * 1. 50 receiving centres (the demo's five plus 45 more communes), BENCH_DOSSIERS dossiers (default
 *    1,000,000) spread over them with a field-like mix of statuses, and the clocks of every accepted
 *    dossier (running ones for open dossiers, some due soon or overdue), inserted with bulk SQL
 *    (not timed), then VACUUM ANALYZE.
 * 2. As the reception officer of phường Hạc Thành (a JWT from POST /auth/login, one keep-alive
 *    connection), BENCH_REQUESTS sequential requests (after BENCH_WARMUP) for the first page
 *    (limit 50) of GET /queues/to-receive and /queues/overdue: p50/p95/p99; and, as the floor of
 *    any authenticated request, GET /auth/me.
 * 3. BENCH_ACCEPTS dossiers filed through the API are accepted one after another
 *    (POST /dossiers/{id}/actions/accept): p50/p95/p99.
 * 4. EXPLAIN (ANALYZE, BUFFERS) of the SQL QueuesService runs for the two queues, and the indexes
 *    every queue's statements use.
 * Targets (issue 4): queues p95 ≤ 20 ms, accept p95 ≤ 50 ms.
 */
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const ACCEPTS = Number(process.env.BENCH_ACCEPTS ?? 200);
const BATCH = 100_000;
const OFFICER = 'tiepnhan.hacthanh';
const OFFICER_AGENCY = '000.00.20.H56';
const PROCEDURE = '1.001193';
/** The demo's service centres; the provincial one's dossiers are resolved by its departments. */
const DEMO_CENTRES = ['000.00.01.H56', OFFICER_AGENCY, '000.00.21.H56', '000.00.22.H56', '000.00.23.H56'];
const DEPARTMENTS = ['000.00.03.H56', '000.00.04.H56', '000.00.05.H56', '000.00.06.H56'];
const CENTRES = [...DEMO_CENTRES, ...Array.from({ length: 45 }, (_, i) => `000.00.${String(60 + i)}.H56`)];
const QUEUES_MEASURED = ['to-receive', 'overdue'] as const;
const TARGET_QUEUE_P95 = 20;
const TARGET_ACCEPT_P95 = 50;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dir = path.join(root, '.data', `bench-queues-${Date.now()}`);
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755); // as root, PostgreSQL runs as "postgres", who must reach it
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => x.toLocaleString('en');

const pgServer = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), database: 'motcua' });
const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persistent: false });
const db = new pg.Pool({ connectionString: pgServer.localUrl, max: 2 });
let app: Awaited<ReturnType<typeof createApp>> | undefined;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request over the keep-alive connection; resolves with the status and parsed body. */
function call(
  port: number,
  method: string,
  url: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
async function ok(res: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Latency percentiles (nearest rank) of `count` sequential runs of `once`, after `warmup` unmeasured ones. */
async function measure(count: number, warmup: number, once: (i: number) => Promise<void>): Promise<{ p50: number; p95: number; p99: number; max: number }> {
  for (let i = 0; i < warmup; i++) await once(i);
  const ms: number[] = [];
  for (let i = warmup; i < warmup + count; i++) {
    const t = performance.now();
    await once(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)];
  return { p50: at(50), p95: at(95), p99: at(99), max: ms[ms.length - 1] };
}

/** Agencies and the bulk data; returns how many dossiers of each status were written. */
async function load(): Promise<void> {
  let t0 = Date.now();
  // 45 more communes like Hạc Thành, resolving the same procedures.
  await db.query(
    `INSERT INTO agency (code, name, level, parent_code, office_hours, is_service_centre, active, created_at, updated_at)
     SELECT c, 'Ủy ban nhân dân xã thử nghiệm ' || c, a.level, a.parent_code, a.office_hours, true, true, now(), now()
       FROM agency a, unnest($2::varchar[]) c WHERE a.code = $1`,
    [OFFICER_AGENCY, CENTRES.slice(DEMO_CENTRES.length)],
  );
  await db.query(
    `INSERT INTO agency_procedure (agency_code, procedure_code) SELECT c, ap.procedure_code FROM agency_procedure ap, unnest($2::varchar[]) c WHERE ap.agency_code = $1`,
    [OFFICER_AGENCY, CENTRES.slice(DEMO_CENTRES.length)],
  );
  const { rows: procs } = await db.query(
    `SELECT p.code, p.version, p.service_level FROM procedure p JOIN agency_procedure ap ON ap.procedure_code = p.code WHERE ap.agency_code = $1 ORDER BY p.code LIMIT 20`,
    [OFFICER_AGENCY],
  );
  // Statuses by a uniform draw r: 2 % waiting for reception, 7.5 % open (4 % in progress), 88.5 % returned.
  const statusOf = `CASE WHEN r < 0.02 THEN 'SUBMITTED' WHEN r < 0.06 THEN 'IN_PROGRESS' WHEN r < 0.065 THEN 'RECEIVED'
    WHEN r < 0.07 THEN 'SUPPLEMENT_REQUESTED' WHEN r < 0.075 THEN 'AWAITING_PAYMENT' WHEN r < 0.09 THEN 'RESOLVED'
    WHEN r < 0.10 THEN 'REFUSED' WHEN r < 0.11 THEN 'WITHDRAWN' WHEN r < 0.115 THEN 'STOPPED' ELSE 'RETURNED' END`;
  const codeOf = `CASE WHEN r < 0.02 THEN 1 WHEN r < 0.06 THEN 4 WHEN r < 0.065 THEN 2 WHEN r < 0.07 THEN 5 WHEN r < 0.075 THEN 6
    WHEN r < 0.09 THEN 9 WHEN r < 0.10 THEN 3 WHEN r < 0.11 THEN 7 WHEN r < 0.115 THEN 8 ELSE 10 END`;
  for (let from = 1; from <= DOSSIERS; from += BATCH) {
    const to = Math.min(DOSSIERS, from + BATCH - 1);
    await db.query(
      `INSERT INTO dossiers (code, procedure_code, procedure_version, service_level, receiving_agency_code, competent_agency_code, status, status_code,
         applicant, owner_user_id, submitted_by_kind, submitted_by_id, result_delivery, submitted_at, received_at, step_index, step_assignee_id, version)
       SELECT x.centre || '-' || to_char(x.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-B' || x.i,
              ($3::varchar[])[1 + x.i % cardinality($3::varchar[])], ($4::int[])[1 + x.i % cardinality($3::varchar[])], ($5::varchar[])[1 + x.i % cardinality($3::varchar[])],
              x.centre,
              -- The provincial centre's dossiers go to its departments, and 5 % of the communes' too (provincial procedures).
              CASE WHEN x.centre = $6 OR x.q < 0.05 THEN ($7::varchar[])[1 + x.i % 4] ELSE x.centre END,
              x.status, x.code,
              jsonb_build_object('fullName', 'Nguyễn Văn ' || x.i, 'idNumber', lpad((1000000000 + x.i)::text, 12, '0'), 'phone', '09' || lpad((x.i % 100000000)::text, 8, '0'),
                                 'address', 'Số ' || (x.i % 300) || ' Lê Lợi, Thanh Hóa'),
              gen_random_uuid(), 'user', gen_random_uuid(), 'ONLINE', x.at,
              CASE WHEN x.status NOT IN ('SUBMITTED', 'REFUSED') THEN x.at + interval '2 hours' END,
              CASE WHEN x.status IN ('IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT') THEN (x.i % 2) END,
              CASE WHEN x.status IN ('IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT') AND x.q > 0.3 THEN gen_random_uuid() END,
              CASE WHEN x.status = 'SUBMITTED' THEN 1 ELSE 3 + x.i % 5 END
         FROM (SELECT s.i, s.r, s.q, ($8::varchar[])[1 + s.i % 50] AS centre, ${statusOf} AS status, ${codeOf} AS code,
                      now() - CASE WHEN s.r < 0.02 THEN interval '10 days' WHEN s.r < 0.075 THEN interval '40 days' ELSE interval '730 days' END * random() AS at
                 FROM (SELECT i, random() AS r, random() AS q FROM generate_series($1::int, $2::int) i) s) x`,
      [from, to, procs.map((p) => p.code), procs.map((p) => p.version), procs.map((p) => p.service_level), DEMO_CENTRES[0], DEPARTMENTS, CENTRES],
    );
  }
  say(`  inserted ${n(DOSSIERS)} dossiers over ${CENTRES.length} receiving centres in ${seconds(Date.now() - t0)} (bulk SQL, not timed)`);

  t0 = Date.now();
  // Every accepted dossier has its OVERALL clock (stopped once resolved; a late one keeps its flag);
  // an open one also its STEP clock. Of the open ones, 15 % are overdue and 10 % due soon.
  // (The draws are made per dossier in a materialised CTE: in a LATERAL subquery PostgreSQL would
  // memoise them per distinct status.)
  await db.query(
    `WITH x AS MATERIALIZED (
       SELECT d.id, d.step_index, d.competent_agency_code, d.received_at, d.status,
              d.status IN (${OPEN_STATUSES_SQL}) AS open, random() AS r, random() AS spread
         FROM dossiers d WHERE d.received_at IS NOT NULL),
     y AS (
       SELECT x.*,
              CASE WHEN NOT x.open THEN x.received_at + interval '21 days' WHEN x.r < 0.15 THEN now() - interval '10 days' * x.spread
                   WHEN x.r < 0.25 THEN now() + interval '20 hours' * x.spread ELSE now() + interval '2 days' + interval '20 days' * x.spread END AS due,
              CASE WHEN x.open AND x.r < 0.15 OR NOT x.open AND x.r < 0.05 THEN 'OVERDUE' WHEN x.open AND x.r < 0.25 THEN 'DUE_SOON' ELSE 'ON_TRACK' END AS flag
         FROM x)
     INSERT INTO dossier_clocks (dossier_id, kind, step_code, agency_code, limit_value, limit_unit, state, started_at, clock_starts_at, due_at, due_soon_at, running_since, status, overdue_flagged_at)
     SELECT y.id, k.kind, CASE WHEN k.kind = 'STEP' THEN 'B' || (y.step_index + 1) END, y.competent_agency_code, 15, 'WORKING_DAYS',
            CASE WHEN NOT y.open THEN 'STOPPED' WHEN y.status IN ('SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT') THEN 'PAUSED' ELSE 'RUNNING' END,
            y.received_at, y.received_at, y.due, y.due - interval '1 day', y.received_at, y.flag, CASE WHEN y.flag = 'OVERDUE' THEN y.due END
       FROM y CROSS JOIN (VALUES ('OVERALL'), ('STEP')) k(kind)
      WHERE k.kind = 'OVERALL' OR y.open`,
  );
  const {
    rows: [{ clocks }],
  } = await db.query(`SELECT count(*)::int AS clocks FROM dossier_clocks`);
  say(`  inserted ${n(clocks)} clocks in ${seconds(Date.now() - t0)}`);
  t0 = Date.now();
  await db.query(`VACUUM (ANALYZE) dossiers`);
  await db.query(`VACUUM (ANALYZE) dossier_clocks`);
  say(`  VACUUM ANALYZE in ${seconds(Date.now() - t0)}`);
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE d.status = 'SUBMITTED' AND d.receiving_agency_code = $1)::int AS submitted,
            count(*) FILTER (WHERE c.status = 'OVERDUE' AND d.status IN (${OPEN_STATUSES_SQL}))::int AS overdue,
            count(*)::int AS total
       FROM dossiers d LEFT JOIN dossier_clocks c ON c.dossier_id = d.id AND c.kind = 'OVERALL' WHERE $1 IN (d.receiving_agency_code, d.competent_agency_code)`,
    [OFFICER_AGENCY],
  );
  say(
    `  ${OFFICER_AGENCY} (the officer's centre): ${n(rows[0].total)} dossiers, ${n(rows[0].submitted)} waiting for reception, ${n(rows[0].overdue)} open and overdue`,
  );
}

/** EXPLAIN (ANALYZE, BUFFERS) of a statement; prints the plan (if asked) and returns the indexes (or sequential scans) it used. */
async function explain(title: string, sql: string, params: unknown[], print: boolean): Promise<string[]> {
  const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  const lines: string[] = rows.map((r) => r['QUERY PLAN'] as string);
  if (print) {
    say(`  ${title}:`);
    for (const l of lines) say(`    ${l}`);
  }
  const used = new Set<string>();
  for (const l of lines) {
    const m = /(Index Only Scan|Index Scan)(?: Backward)? using (\S+)|Bitmap Index Scan on (\S+)|(Seq Scan) on (\S+)/.exec(l);
    if (m) used.add(m[2] ?? m[3] ?? `Seq Scan on ${m[5]}`);
  }
  return [...used];
}

try {
  await migrate(pgServer.url);
  const env = validateEnv({
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
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
  say(
    `bench:queues: ${n(DOSSIERS)} dossiers, ${n(REQUESTS)} requests per queue after ${WARMUP} warm-up, ${n(ACCEPTS)} accepts; ${path.basename(process.execPath)} ${process.version}`,
  );
  await load();

  const { accessToken } = await ok(call(port, 'POST', '/api/v1/auth/login', undefined, { username: OFFICER, password: DEMO_PASSWORD }), 'login');
  const results: Array<{ what: string; p50: number; p95: number; p99: number; max: number; target?: number }> = [];
  // The floor: an authenticated request that reads one row (the API's pipeline, JWT, logging).
  results.push({
    what: 'GET /auth/me (baseline, no target)',
    ...(await measure(REQUESTS, WARMUP, async () => {
      await ok(call(port, 'GET', '/api/v1/auth/me', accessToken), 'me');
    })),
  });
  for (const name of QUEUES_MEASURED) {
    let total = 0;
    const r = await measure(REQUESTS, WARMUP, async () => {
      total = (await ok(call(port, 'GET', `/api/v1/queues/${name}?limit=50`, accessToken), name)).total;
    });
    results.push({ what: `GET /queues/${name} (first page of 50; total ${n(total)})`, ...r, target: TARGET_QUEUE_P95 });
  }

  // Dossiers to accept: filed through the API by one citizen (setup, not timed).
  const citizen = { idNumber: '001090777001', fullName: 'Trần Thị Bích', dateOfBirth: '1990-03-15', phone: '0912345678', password: 'MatKhau123' };
  await ok(call(port, 'POST', '/api/v1/auth/citizens/register', undefined, citizen), 'register');
  const { accessToken: citizenToken } = await ok(
    call(port, 'POST', '/api/v1/auth/login', undefined, { username: citizen.idNumber, password: citizen.password }),
    'citizen login',
  );
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')], { type: 'application/pdf' }), 'giay-khai-sinh.pdf');
  const upload = await fetch(`http://127.0.0.1:${port}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${citizenToken}` }, body: form });
  const fileId = ((await upload.json()) as { id: string }).id;
  const procedure = await ok(call(port, 'GET', `/api/v1/procedures/${PROCEDURE}`), 'procedure');
  const attachments = procedure.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => ({ componentCode: c.code, fileId }));
  const ids: string[] = [];
  const t0 = Date.now();
  for (let i = 0; i < ACCEPTS + WARMUP; i++) {
    const filed = await ok(
      call(
        port,
        'POST',
        '/api/v1/dossiers',
        citizenToken,
        {
          procedureCode: PROCEDURE,
          agencyCode: OFFICER_AGENCY,
          resultDelivery: 'ONLINE',
          attachments,
          applicant: {
            fullName: citizen.fullName,
            idNumber: citizen.idNumber,
            dateOfBirth: citizen.dateOfBirth,
            phone: citizen.phone,
            address: 'Số 5 Lê Lợi, Thanh Hóa',
          },
          formData: { childName: 'Nguyễn Thị Mai', childDateOfBirth: '2026-11-01' },
        },
        { 'idempotency-key': randomUUID() },
      ),
      'file',
    );
    ids.push(filed.id);
  }
  say(`  filed ${n(ids.length)} dossiers to accept through the API in ${seconds(Date.now() - t0)} (not timed)`);
  const accept = await measure(ACCEPTS, WARMUP, async (i) => {
    await ok(call(port, 'POST', `/api/v1/dossiers/${ids[i]}/actions/accept`, accessToken, { expectedVersion: 1 }), 'accept');
  });
  results.push({ what: 'POST /dossiers/{id}/actions/accept', ...accept, target: TARGET_ACCEPT_P95 });

  // The plans of the statements the service runs for the officer.
  say('\nquery plans (the SQL QueuesService runs for the officer, first page of 50, which also counts the queue):');
  const {
    rows: [officer],
  } = await db.query(`SELECT id, username, role, agency_code FROM users WHERE username = $1`, [OFFICER]);
  const user: AuthUser = { kind: 'user', id: officer.id, username: officer.username, role: officer.role as Role, agencyCode: officer.agency_code };
  const indexUse: string[] = [];
  // The measured queues' plans in full; the other queues' (not timed) for their index use.
  for (const name of QUEUE_NAMES) {
    const q = app.get(QueuesService).queries(user, name, { limit: 50 });
    const measured = (QUEUES_MEASURED as readonly string[]).includes(name);
    indexUse.push(`${name} page: ${(await explain(`${name}, page`, q.page.sql, q.page.params, measured)).join(', ')}`);
    if (q.count) indexUse.push(`${name} total: ${(await explain(`${name}, total`, q.count.sql, q.count.params, measured)).join(', ')}`);
  }

  const f = (x: number) => x.toFixed(1).padStart(6);
  say(`\nbench:queues — ${n(DOSSIERS)} dossiers, ${CENTRES.length} centres, officer ${OFFICER} (${OFFICER_AGENCY}), sequential over one keep-alive connection`);
  say(`${''.padEnd(58)} p50 ms  p95 ms  p99 ms  max ms   target p95`);
  for (const r of results) {
    const verdict = r.target === undefined ? '' : `≤ ${r.target} ms ${r.p95 <= r.target ? '✓' : '✗'}`;
    say(`${r.what.padEnd(58)} ${f(r.p50)}  ${f(r.p95)}  ${f(r.p99)}  ${f(r.max)}   ${verdict}`);
  }
  say('index use:');
  for (const l of indexUse) say(`  ${l}`);
} finally {
  agent.destroy();
  await app?.close().catch(() => undefined);
  await db.end();
  await redisServer.stop();
  await pgServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
