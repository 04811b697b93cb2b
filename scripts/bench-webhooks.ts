import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { buildAppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.js';
import { migrate } from '../src/database/data-source.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startEmbeddedRedis } from '../src/infra/embedded-redis.js';
import { runStartupTasks } from '../src/seed/startup.js';
import { IntegrationEvents } from '../src/webhooks/integration-events.js';

/**
 * `npm run bench:webhooks`: webhook deliveries per second through the whole engine, on the
 * script's own PostgreSQL (default settings, fsync on) and Redis, with the service in-process
 * (APP_ROLE=all) and a receiver in the same process (so sharing its core) answering 200 at once (BENCH_RECEIVER_DELAY_MS
 * to make it slower).
 * BENCH_ENDPOINTS endpoints (default 20) subscribe to `dossier.status_changed`; BENCH_EVENTS events
 * (default 1,000) are written as the outbox handler writes them (IntegrationEvents.ingest, in
 * batches of 100, no dossier) and fan out to every endpoint: BENCH_EVENTS × BENCH_ENDPOINTS
 * deliveries. Prints the fan-out time, deliveries/s from the first write to the last success,
 * and the lag of a delivery (created → delivered) p50/p99; DELIVERY_CONCURRENCY applies.
 */
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 20);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const DELAY = Number(process.env.BENCH_RECEIVER_DELAY_MS ?? 0);
const say = (line: string) => process.stdout.write(`${line}\n`);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dir = path.join(root, '.data', `bench-webhooks-${Date.now()}`);
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755); // as root, PostgreSQL runs as "postgres", who must reach it

const pgServer = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), database: 'motcua' });
const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persistent: false });
const db = new pg.Pool({ connectionString: pgServer.localUrl, max: 2 });
let app: Awaited<ReturnType<typeof createApp>> | undefined;
let received = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (DELAY) setTimeout(answer, DELAY);
    else answer();
  });
});

try {
  await migrate(pgServer.url);
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const env = validateEnv({ DATA_DIR: dir, LOG_LEVEL: 'error', APP_ROLE: 'all', SEED_DEMO: 'false', RATE_LIMIT_PER_MINUTE: '0', OUTBOX_POLL_MS: '50' });
  const config = buildAppConfig(env, { databaseUrl: pgServer.localUrl, redisUrl: redisServer.url, embedded: false });
  app = await createApp(config);
  await app.init();
  await runStartupTasks(app, config, () => undefined);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
  const post = async (p: string, body: unknown, token?: string) => {
    const r = await fetch(`${base}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`${p} → ${r.status} ${await r.text()}`);
    return r.json() as Promise<Record<string, any>>;
  };
  const { accessToken } = await post('/auth/login', { username: config.adminUsername, password: config.adminPassword });
  const me = (await (await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { id: string };
  await post('/admin/webhook-allowances', { urlPrefix: new URL(url).origin, ownerKind: 'user', ownerId: me.id }, accessToken);
  for (let i = 0; i < ENDPOINTS; i++) await post('/webhooks', { url: `${url}?e=${i}`, topics: ['dossier.status_changed'] }, accessToken);
  say(
    `bench:webhooks: ${EVENTS} events × ${ENDPOINTS} endpoints = ${EVENTS * ENDPOINTS} deliveries, receiver delay ${DELAY} ms, DELIVERY_CONCURRENCY ${config.webhooks.concurrency}; ${process.version}, ${os.cpus().length} cores`,
  );

  const events = app.get(IntegrationEvents);
  const t0 = Date.now();
  for (let from = 0; from < EVENTS; from += 100) {
    await events.ingest(
      Array.from({ length: Math.min(100, EVENTS - from) }, (_, k) => ({
        sourceKey: `bench:${from + k}`,
        type: 'dossier.status_changed' as const,
        dossierId: null,
        agencyCodes: ['000.00.20.H56'],
        data: { dossierCode: `BENCH-${from + k}`, status: 'RECEIVED', statusCode: 2 },
        at: new Date().toISOString(),
      })),
    );
  }
  const fanOutMs = Date.now() - t0;
  const total = EVENTS * ENDPOINTS;
  for (;;) {
    const {
      rows: [r],
    } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS ok, count(*) FILTER (WHERE status <> 'SUCCEEDED' AND status <> 'PENDING')::int AS bad FROM deliveries`,
    );
    if (r.ok + r.bad >= total) {
      if (r.bad) say(`  ${r.bad} deliveries did not succeed`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const {
    rows: [span],
  } = await db.query(
    `SELECT extract(epoch FROM max(finished_at) - min(created_at)) * 1000 AS ms,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p50,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) AS p99
       FROM deliveries WHERE status = 'SUCCEEDED'`,
  );
  const wall = Date.now() - t0;
  say(`  fan-out (events written and ${total} deliveries queued): ${fanOutMs} ms`);
  say(
    `  all delivered in ${(wall / 1000).toFixed(1)} s from the first write: ${Math.round(total / (wall / 1000))} deliveries/s (first queued → last delivered: ${Math.round(total / (Number(span.ms) / 1000))}/s)`,
  );
  say(`  lag (queued → delivered): p50 ${Math.round(Number(span.p50))} ms, p99 ${Math.round(Number(span.p99))} ms; receiver counted ${received}`);
  say(
    `  load: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await app?.close().catch(() => undefined);
  receiver.close();
  await db.end();
  await redisServer.stop();
  await pgServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
