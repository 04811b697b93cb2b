import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { buildAppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.js';
import { migrate } from '../src/database/data-source.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startEmbeddedRedis } from '../src/infra/embedded-redis.js';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.js';
import { runStartupTasks } from '../src/seed/startup.js';
import { PortalStandIn } from '../test/support/portal-standin.js';

/**
 * `npm run bench:sync`: the national portal sync end to end, on the script's own PostgreSQL and
 * Redis, the service in-process (APP_ROLE=all) and the stand-in portal answering at once.
 * BENCH_DOSSIERS dossiers (default 300) are filed through the API by BENCH_CLIENTS clients at once
 * (default 8) and each is accepted (two changes each: status 1 and 2). Reported: pushes per second
 * from the first change to the last push the portal recorded, and the lag of each push (the
 * outbox row's commit to the push's success) p50/p95/p99/max, with the load average.
 */
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 300);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dir = path.join(root, '.data', `bench-sync-${Date.now()}`);
mkdirSync(dir, { recursive: true });
chmodSync(dir, 0o755);
const say = (line: string) => process.stdout.write(`${line}\n`);

const pgServer = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), database: 'motcua' });
const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persistent: false });
const portal = await new PortalStandIn().start();
const db = new pg.Pool({ connectionString: pgServer.localUrl, max: 2 });
let app: Awaited<ReturnType<typeof createApp>> | undefined;

async function call(base: string, method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(base + url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

try {
  await migrate(pgServer.url);
  const env = validateEnv({
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
    APP_ROLE: 'all',
    SEED_DEMO: 'true',
    RATE_LIMIT_PER_MINUTE: '0',
    DEADLINE_RECONCILE_SECONDS: '86400',
    ...portal.env(),
  });
  const config = buildAppConfig(env, { databaseUrl: pgServer.localUrl, redisUrl: redisServer.url, embedded: false });
  app = await createApp(config);
  await app.init();
  await runStartupTasks(app, config, () => undefined);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const officer = (await call(base, 'POST', '/api/v1/auth/login', undefined, { username: 'tiepnhan.hacthanh', password: DEMO_PASSWORD })).accessToken;
  const citizen = { idNumber: '001090777002', fullName: 'Trần Thị Bích', dateOfBirth: '1990-03-15', phone: '0912345678', password: 'MatKhau123' };
  await call(base, 'POST', '/api/v1/auth/citizens/register', undefined, citizen);
  const token = (await call(base, 'POST', '/api/v1/auth/login', undefined, { username: citizen.idNumber, password: citizen.password })).accessToken;
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')], { type: 'application/pdf' }), 'giay-khai-sinh.pdf');
  const fileId = (
    (await (await fetch(`${base}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json()) as { id: string }
  ).id;
  const procedure = await call(base, 'GET', '/api/v1/procedures/1.001193');
  const attachments = procedure.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => ({ componentCode: c.code, fileId }));
  say(
    `bench:sync: ${DOSSIERS} dossiers × 2 changes, ${CLIENTS} clients; ${process.version}; load before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < DOSSIERS) {
        next++;
        const d = await call(
          base,
          'POST',
          '/api/v1/dossiers',
          token,
          {
            procedureCode: '1.001193',
            agencyCode: '000.00.20.H56',
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
        );
        await call(base, 'POST', `/api/v1/dossiers/${d.id}/actions/accept`, officer, { expectedVersion: d.version });
      }
    }),
  );
  const changesDone = Date.now();
  const expected = DOSSIERS * 2;
  while (portal.requests.filter((r) => r.status === 200).length < expected) {
    if (Date.now() - changesDone > 300_000) throw new Error(`only ${portal.requests.length} of ${expected} pushes after 5 min`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const t1 = Date.now();
  const lags = (
    await db.query(
      `SELECT extract(epoch FROM d.finished_at - o.created_at) * 1000 AS ms FROM deliveries d JOIN outbox o ON d.dedupe_key = 'outbox:' || o.id
      WHERE d.target_kind = 'national-portal' AND d.status = 'SUCCEEDED'`,
    )
  ).rows
    .map((r) => Number(r.ms))
    .sort((a, b) => a - b);
  const perDossierOrdered = [...portal.byCode.values()].every((ups) => ups.map((u) => u.record.TrangThaiHoSo).join() === '1,2');
  say(`changes made in ${((changesDone - t0) / 1000).toFixed(1)} s (${(expected / ((changesDone - t0) / 1000)).toFixed(0)} changes/s through the API)`);
  say(
    `pushes: ${expected} in ${((t1 - t0) / 1000).toFixed(1)} s end to end = ${(expected / ((t1 - t0) / 1000)).toFixed(0)} pushes/s; every dossier 1 then 2 exactly once: ${perDossierOrdered}`,
  );
  say(
    `lag (outbox commit → pushed), ms: p50 ${pct(lags, 50).toFixed(0)}  p95 ${pct(lags, 95).toFixed(0)}  p99 ${pct(lags, 99).toFixed(0)}  max ${lags[lags.length - 1].toFixed(0)}  (n=${lags.length})`,
  );
  say(
    `load after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await app?.close().catch(() => undefined);
  await db.end();
  await portal.close();
  await redisServer.stop();
  await pgServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
