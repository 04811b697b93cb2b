import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { buildAppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.js';
import { migrate } from '../src/database/data-source.js';
import { DeadlineScheduler } from '../src/deadlines/deadline-scheduler.js';
import { SCHEDULE_TOPIC } from '../src/deadlines/deadline-jobs.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startEmbeddedRedis } from '../src/infra/embedded-redis.js';

/**
 * `npm run bench:deadlines`: the scheduling path of deadlines on its own PostgreSQL and Redis.
 * 1. BENCH_CLOCKS running clocks (default 1,000,000) and their outbox intents are inserted in bulk
 *    SQL (not timed); the service's relay moves them to BullMQ: clocks scheduled per second, and
 *    Redis memory per scheduled clock (INFO memory before and after; one delayed job per clock).
 * 2. BENCH_FIRE clocks (default 10,000) fall due at the same instant: firing lag p50/p99, i.e. when
 *    the overdue flag was written minus the due instant, while the other clocks sit in Redis.
 * 3. Redis is emptied (FLUSHALL: it is this script's own server) and reconciliation rebuilds every
 *    job from PostgreSQL: how long it takes.
 * Targets (issue 3): memory ≤ 1 KB per clock, lag p99 ≤ 2 s, reconciliation ≤ 60 s.
 * BENCH_ONLY=reconcile skips 1 and 2: the clocks are inserted without outbox intents (Redis stays
 * empty, as after a loss) and only reconciliation is timed; quicker when tuning it.
 */
const CLOCKS = Number(process.env.BENCH_CLOCKS ?? 1_000_000);
const FIRE = Number(process.env.BENCH_FIRE ?? 10_000);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '50';
const RECONCILE_ONLY = process.env.BENCH_ONLY === 'reconcile';
const AGENCIES = ['000.00.20.H56', '000.00.21.H56', '000.00.01.H56', '000.00.22.H56', '000.00.23.H56'];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dir = path.join(root, '.data', `bench-deadlines-${Date.now()}`);
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755); // as root, PostgreSQL runs as "postgres", who must reach it
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// Default PostgreSQL settings (fsync on), like bench:submit: commits cost what they cost in production.
const pgServer = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), database: 'motcua' });
const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persistent: false });
const redis = new Redis(redisServer.url);
const db = new pg.Pool({ connectionString: pgServer.url, max: 4 });
let app: Awaited<ReturnType<typeof createApp>> | undefined;

const redisCpu = async () => {
  const info = await redis.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
};
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
const until = async (what: string, probe: () => Promise<boolean>, limitMs: number) => {
  const t0 = Date.now();
  while (!(await probe())) {
    if (Date.now() - t0 > limitMs) throw new Error(`gave up waiting for ${what} after ${seconds(limitMs)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};
const backlog = async () =>
  (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND topic = $1`, [SCHEDULE_TOPIC.name])).rows[0].n as number;

/** Clocks (and their outbox intents) in one statement each; `dueIn` and `soonIn` are SQL intervals from now. */
async function insertClocks(
  count: number,
  opts: { dueIn: string; soonIn: string; status: 'ON_TRACK' | 'DUE_SOON'; withDossiers: boolean; tag: string; intents?: boolean },
): Promise<void> {
  const dossierIds = opts.withDossiers ? `d.id` : `gen_random_uuid()`;
  if (opts.withDossiers) {
    await db.query(
      `INSERT INTO dossiers (id, code, procedure_code, procedure_version, service_level, receiving_agency_code, competent_agency_code, status, status_code,
         applicant, submitted_by_kind, submitted_by_id, result_delivery, submitted_at)
       SELECT gen_random_uuid(), '${opts.tag}-' || i, '1.001193', 1, 'PARTIAL_ONLINE', $2, $2, 'IN_PROGRESS', 4, '{}'::jsonb, 'user', gen_random_uuid(), 'ONLINE', now()
         FROM generate_series(1, $1) i`,
      [count, AGENCIES[0]],
    );
  }
  const source = opts.withDossiers ? `(SELECT id, row_number() OVER () AS i FROM dossiers WHERE code LIKE '${opts.tag}-%') d` : `generate_series(1, $2) i`;
  // Clocks and the intents the service would have written with them (same shape as
  // DeadlinesService), in one statement: committed together, as in the service.
  await db.query(
    `WITH c AS (
       INSERT INTO dossier_clocks (dossier_id, kind, agency_code, limit_value, limit_unit, state, started_at, clock_starts_at, due_at, due_soon_at, running_since, status)
       SELECT ${dossierIds}, 'OVERALL', (ARRAY[${AGENCIES.map((a) => `'${a}'`).join(',')}])[1 + (${opts.withDossiers ? 'd.i' : 'i'} % ${AGENCIES.length})], 5, 'WORKING_DAYS', 'RUNNING',
              now(), now(), now() + interval '${opts.dueIn}', now() + interval '${opts.soonIn}', now(), '${opts.status}'
         FROM ${source}
       RETURNING id, dossier_id, version, status, due_soon_at, due_at)
     INSERT INTO outbox (topic, payload)
     SELECT $1, jsonb_build_object('clockId', c.id, 'dossierId', c.dossier_id, 'version', c.version, 'cancel', '[]'::jsonb, 'firings',
              CASE WHEN c.status = 'ON_TRACK' THEN jsonb_build_array(jsonb_build_object('kind', 'DUE_SOON', 'at', to_json(c.due_soon_at)))
                   ELSE jsonb_build_array(jsonb_build_object('kind', 'OVERDUE', 'at', to_json(c.due_at))) END)
       FROM c WHERE ${opts.intents ?? true}`,
    opts.withDossiers ? [SCHEDULE_TOPIC.name] : [SCHEDULE_TOPIC.name, count],
  );
}

try {
  await migrate(pgServer.url);
  const env = validateEnv({
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
    APP_ROLE: 'all',
    SEED_DEMO: 'false',
    DEADLINE_RECONCILE_SECONDS: '86400',
    DEADLINE_CONCURRENCY: CONCURRENCY,
    OUTBOX_POLL_MS: '100',
    // Reconciliation's knobs pass through, to find the knee on a machine.
    DEADLINE_RECONCILE_BATCH: process.env.DEADLINE_RECONCILE_BATCH,
    DEADLINE_RECONCILE_LANES: process.env.DEADLINE_RECONCILE_LANES,
  });
  const config = buildAppConfig(env, { databaseUrl: pgServer.url, redisUrl: redisServer.url, embedded: false });
  app = await createApp(config);
  await app.init();
  say(
    `bench:deadlines: ${CLOCKS.toLocaleString('en')} clocks, ${FIRE.toLocaleString('en')} falling due at once, worker concurrency ${CONCURRENCY}, reconciliation pages of ${config.deadlines.reconcileBatch} × ${config.deadlines.reconcileLanes} lanes, ${path.basename(process.execPath)} ${process.version}`,
  );

  if (RECONCILE_ONLY) {
    const t1 = Date.now();
    await insertClocks(CLOCKS, { dueIn: '30 days', soonIn: '25 days', status: 'ON_TRACK', withDossiers: false, tag: 'bulk', intents: false });
    say(`  inserted ${CLOCKS.toLocaleString('en')} clocks without intents in ${seconds(Date.now() - t1)} (BENCH_ONLY=reconcile: Redis starts empty)`);
    await db.query('VACUUM ANALYZE dossier_clocks');
  } else {
    // 1. Scheduling: outbox → relay → BullMQ.
    const memBefore = await usedMemory();
    const t0 = Date.now();
    await insertClocks(CLOCKS, { dueIn: '30 days', soonIn: '25 days', status: 'ON_TRACK', withDossiers: false, tag: 'bulk' });
    const inserted = Date.now();
    say(`  inserted ${CLOCKS.toLocaleString('en')} clocks and intents in ${seconds(inserted - t0)} (bulk SQL, not part of the figure)`);
    await until('the relay to empty the outbox', async () => (await backlog()) === 0, 3_600_000);
    const relayed = Date.now();
    const jobs = await redis.zcard(`${config.queuePrefix}:deadlines:delayed`);
    const memAfter = await usedMemory();
    const listpack = ((await redis.config('GET', 'hash-max-listpack-value')) as string[])[1];
    say(
      `  scheduling: ${Math.round(CLOCKS / ((relayed - inserted) / 1000)).toLocaleString('en')} clocks/s (${seconds(relayed - inserted)}; ${jobs.toLocaleString('en')} delayed jobs, one per clock)`,
    );
    say(
      `  Redis memory: ${Math.round((memAfter - memBefore) / CLOCKS)} bytes per scheduled clock (target ≤ 1024), ${((memAfter - memBefore) / 1048576).toFixed(0)} MB in all, hash-max-listpack-value ${listpack}`,
    );

    // 2. Firing lag: FIRE clocks due at the same instant.
    const leadSeconds = Math.max(10, Math.ceil(FIRE / 2000));
    await insertClocks(FIRE, { dueIn: `${leadSeconds} seconds`, soonIn: '-1 day', status: 'DUE_SOON', withDossiers: true, tag: 'fire' });
    await until('the firing set to be scheduled', async () => (await backlog()) === 0, 600_000);
    const [{ due }] = (await db.query(`SELECT max(due_at) AS due FROM dossier_clocks WHERE status = 'DUE_SOON'`)).rows;
    say(`  ${FIRE.toLocaleString('en')} clocks scheduled; they fall due in ${seconds(new Date(due).getTime() - Date.now())}`);
    await until(
      'every firing',
      async () => (await db.query(`SELECT count(*)::int AS n FROM dossier_clocks WHERE overdue_flagged_at IS NOT NULL`)).rows[0].n >= FIRE,
      900_000,
    );
    const [lag] = (
      await db.query(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY l) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY l) AS p99, max(l) AS max
       FROM (SELECT extract(epoch FROM overdue_flagged_at - due_at) AS l FROM dossier_clocks WHERE overdue_flagged_at IS NOT NULL) x`,
      )
    ).rows;
    say(`  firing lag: p50 ${Number(lag.p50).toFixed(2)} s, p99 ${Number(lag.p99).toFixed(2)} s, max ${Number(lag.max).toFixed(2)} s (target p99 ≤ 2 s)`);
  }

  // 3. Reconciliation after Redis lost everything.
  const loadBefore = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  await redis.flushall();
  const memEmpty = await usedMemory();
  await redis.config('RESETSTAT');
  const [cpu0, redisCpu0] = [process.cpuUsage(), await redisCpu()];
  const t0 = Date.now();
  const report = await app.get(DeadlineScheduler).reconcile();
  const reconciled = Date.now();
  const cpu = process.cpuUsage(cpu0);
  say(
    `  reconciliation after FLUSHALL: ${seconds(reconciled - t0)} for ${report.clocks.toLocaleString('en')} running clocks, ${report.restored.toLocaleString('en')} jobs restored, ` +
      `${Math.round(report.clocks / ((reconciled - t0) / 1000)).toLocaleString('en')} clocks/s (target 1,000,000 in ≤ 60 s)`,
  );
  say(
    `  CPU while reconciling: this process ${seconds((cpu.user + cpu.system) / 1000)}, Redis ${((await redisCpu()) - redisCpu0).toFixed(1)} s (load average before: ${loadBefore})`,
  );
  // Where Redis spent its time: the commands of the pass (and of the idle worker beside it).
  const stats = [...(await redis.info('commandstats')).matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)]
    .map(([, cmd, calls, usec]) => ({ cmd, calls: Number(calls), usec: Number(usec) }))
    .sort((a, b) => b.usec - a.usec)
    .slice(0, 5);
  say(`  Redis commands: ${stats.map((c) => `${c.cmd} ${c.calls.toLocaleString('en')} calls ${seconds(c.usec / 1000)}`).join(', ')}`);
  const back = await redis.zcard(`${config.queuePrefix}:deadlines:delayed`);
  say(
    `  delayed jobs in Redis after reconciliation: ${back.toLocaleString('en')}, ${Math.round(((await usedMemory()) - memEmpty) / Math.max(1, back))} bytes each`,
  );
} finally {
  await app?.close().catch(() => undefined);
  redis.disconnect();
  await db.end();
  await redisServer.stop();
  await pgServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
