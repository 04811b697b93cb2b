import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { formatDossierCode } from '../src/dossier-record/dossier-code.js';
import { canonicalJson, eventHash, GENESIS_HASH } from '../src/dossier-record/event-chain.js';
import { INSERT_SUBMISSION_SQL, NEXT_SEQUENCE_SQL, submissionParams } from '../src/dossier-record/submission-sql.js';
import { STATUS_CHANGED_TOPIC } from '../src/dossier-record/dossier-status.js';
import { vietnamDate } from '../src/common/clock.js';
import { descendantsOf, processTable } from '../src/infra/process-table.js';
import { startBenchService } from './bench-service.js';

/**
 * `npm run bench:submit`: the service on embedded defaults (its own PostgreSQL and Redis, demo
 * seed) takes POST /api/v1/dossiers from autocannon at 64 connections for 20 s; then the same
 * writes (idempotency key, daily sequence, dossier, attachments, event, outbox) go through raw `pg`
 * at the same concurrency on the same database, twice: with the service's exact SQL (the ratio's
 * baseline: what the HTTP layer, auth, validation and checks cost), and as one textbook
 * transaction holding the agency's counter row to the end (what the sequence design saves).
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CITIZENS = 64;
/** The service's own pool size (src/database/data-source.ts); raw pg gets the same. */
const POOL = 20;
const PROCEDURE = process.env.BENCH_PROCEDURE ?? '1.001193';
/** API_PROCESSES as `npm start` reads it: ≥ 2 runs that many API processes and a worker process. */
const apiProcesses = Number(process.env.API_PROCESSES ?? 1);

// BENCH_SERVICE_NODE_ARGS passes flags to the service's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
const service = await startBenchService('bench', () => ({}), (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean));
const { base, child, dataDir } = service;
/** CPU seconds of `root` and its descendants, summed by program: node by APP_ROLE (the supervisor has none), postgres, redis-server. */
function treeCpu(root: number): Map<string, number> {
  const table = processTable();
  const by = new Map<string, number>();
  for (const p of [...table.filter((e) => e.pid === root), ...descendantsOf(root, table)]) {
    const label = p.cmdline().startsWith(process.execPath) ? `node ${p.env('APP_ROLE') ?? (p.pid === root ? 'main' : 'child')}` : p.comm;
    by.set(label, (by.get(label) ?? 0) + p.cpuSeconds);
  }
  return by;
}

const stop = () => service.stop();

try {
  await service.ready();
  const json = service.json;

  const procedure = await json('GET', `/api/v1/procedures/${PROCEDURE}`);
  const agencies = await json('GET', `/api/v1/agencies?isServiceCentre=true&procedureCode=${PROCEDURE}&limit=100`);
  const agencyCode: string = agencies.items[0].code;
  const required = procedure.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => c.code);

  // Citizens, each with a PDF of their own to attach.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const citizens: Array<{ token: string; fileId: string; idNumber: string }> = [];
  for (let i = 0; i < CITIZENS; i++) {
    const idNumber = `001090${String(500000 + i).padStart(6, '0')}`;
    await json('POST', '/api/v1/auth/citizens/register', {
      idNumber,
      fullName: `Công dân ${i}`,
      dateOfBirth: '1990-01-01',
      phone: '0912345678',
      password: 'MatKhau123',
    });
    const { accessToken } = await json('POST', '/api/v1/auth/login', { username: idNumber, password: 'MatKhau123' });
    const form = new FormData();
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'giay-to.pdf');
    const up = await fetch(`${base}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` }, body: form });
    if (up.status !== 201) throw new Error(`upload → ${up.status} ${await up.text()}`);
    citizens.push({ token: accessToken, fileId: ((await up.json()) as { id: string }).id, idNumber });
  }
  const bodyFor = (c: (typeof citizens)[number]) =>
    JSON.stringify({
      procedureCode: PROCEDURE,
      agencyCode,
      applicant: { fullName: 'Nguyễn Văn An', idNumber: c.idNumber, dateOfBirth: '1990-01-01', phone: '0912345678', address: 'Số 1 Lê Lợi, phường Bến Thành' },
      formData: { childName: 'Nguyễn Văn Bình', childDateOfBirth: '2026-11-01' },
      attachments: required.map((componentCode: string) => ({ componentCode, fileId: c.fileId })),
      resultDelivery: 'ONLINE',
    });

  // --- API ---
  let n = 0;
  const cpuBefore = treeCpu(child.pid!);
  const api = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/dossiers',
        setupRequest: (req: autocannon.Request) => {
          const c = citizens[n++ % citizens.length];
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, 'idempotency-key': randomUUID() },
            body: bodyFor(c),
          };
        },
      },
    ],
  });
  const apiOk = api['2xx'];
  const apiErrors = api.non2xx + api.errors + api.timeouts;
  const cpuAfter = treeCpu(child.pid!);
  /** CPU milliseconds per stored submission, by program: less sensitive to other load than the rate. */
  const cpuPerRequest = Object.fromEntries([...cpuAfter].map(([comm, sec]) => [comm, ((sec - (cpuBefore.get(comm) ?? 0)) * 1000) / Math.max(1, apiOk)]));

  // --- raw pg on the same database, at the same concurrency and pool size ---
  const pgDir = path.join(dataDir, 'postgres');
  const password = readFileSync(path.join(pgDir, 'password'), 'utf8').trim();
  const pgPort = Number(readFileSync(path.join(pgDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[3]);
  // The same Unix socket the service uses (src/infra/embedded-postgres.ts).
  const dbUrl = `postgres://postgres:${encodeURIComponent(password)}@localhost:${pgPort}/motcua?host=${encodeURIComponent(pgDir)}`;
  const pool = new pg.Pool({ connectionString: dbUrl, max: POOL });
  pool.on('error', () => undefined); // idle clients cut when the service stops its PostgreSQL
  const seqPool = new pg.Pool({ connectionString: dbUrl, max: 4, options: '-c synchronous_commit=off' });
  seqPool.on('error', () => undefined);
  const ownerId = (await pool.query(`SELECT id FROM users WHERE username = $1`, [citizens[0].idNumber])).rows[0].id;
  const prepared = citizens.map((c) => JSON.parse(bodyFor(c)));

  /** One dossier as the service writes it: the sequence statement, then the one-statement insert. */
  const sameSql = async (body: Record<string, any>) => {
    const now = new Date();
    const id = randomUUID();
    const {
      rows: [{ last }],
    } = await seqPool.query(NEXT_SEQUENCE_SQL, [agencyCode, vietnamDate(now)]);
    const code = formatDossierCode(agencyCode, now, last);
    const ev = {
      dossierId: id,
      seq: 1,
      type: 'SUBMITTED',
      actorKind: 'user',
      actorId: ownerId,
      at: now,
      data: { status: 'SUBMITTED', statusCode: 1, code },
      prevHash: GENESIS_HASH,
    };
    await pool.query(
      INSERT_SUBMISSION_SQL,
      submissionParams({
        scope: `user:${ownerId}`,
        idempotencyKey: randomUUID(),
        requestHash: createHash('sha256').update(canonicalJson(body)).digest('hex'),
        dossierId: id,
        code,
        procedureCode: PROCEDURE,
        procedureVersion: procedure.version,
        serviceLevel: procedure.serviceLevel,
        receivingAgencyCode: agencyCode,
        competentAgencyCode: agencyCode,
        applicant: body.applicant,
        ownerUserId: ownerId,
        holderIdNumber: null,
        submittedByKind: 'user',
        submittedById: ownerId,
        formData: body.formData,
        resultDelivery: 'ONLINE',
        submittedAt: now,
        channel: 'ONLINE',
        digitised: false,
        reused: false,
        applicantVneid: false,
        attachments: body.attachments.map((a: { componentCode: string; fileId: string }) => ({
          componentCode: a.componentCode,
          fileId: a.fileId,
          source: 'UPLOADED',
        })),
        event: { type: ev.type, data: ev.data, prevHash: ev.prevHash, hash: eventHash(ev) },
        outbox: { topic: STATUS_CHANGED_TOPIC.name, payload: { dossierId: id, code, status: 'SUBMITTED', statusCode: 1, at: now.toISOString() } },
      }),
    );
  };

  /** The textbook version: one transaction holding the agency's counter row until it commits. */
  const naive = async (body: Record<string, any>) => {
    const client = await pool.connect();
    try {
      const now = new Date();
      const id = randomUUID();
      await client.query('BEGIN');
      await client.query(`INSERT INTO idempotency_keys (scope, key, request_hash, dossier_id) VALUES ($1, $2, $3, $4) ON CONFLICT (scope, key) DO NOTHING`, [
        `user:${ownerId}`,
        randomUUID(),
        createHash('sha256').update(canonicalJson(body)).digest('hex'),
        id,
      ]);
      const {
        rows: [{ last }],
      } = await client.query(NEXT_SEQUENCE_SQL, [agencyCode, vietnamDate(now)]);
      const code = formatDossierCode(agencyCode, now, last);
      await client.query(
        `INSERT INTO dossiers (id, code, procedure_code, procedure_version, service_level, receiving_agency_code, competent_agency_code, status, status_code, applicant, owner_user_id, submitted_by_kind, submitted_by_id, form_data, result_delivery, submitted_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 'SUBMITTED', 1, $8, $9, 'user', $9, $10, 'ONLINE', $11, 1)`,
        [id, code, PROCEDURE, procedure.version, procedure.serviceLevel, agencyCode, agencyCode, body.applicant, ownerId, body.formData, now],
      );
      await client.query(
        `INSERT INTO dossier_attachments (dossier_id, component_code, file_id) SELECT $1, c, f FROM unnest($2::varchar[], $3::uuid[]) AS t(c, f)`,
        [id, body.attachments.map((a: { componentCode: string }) => a.componentCode), body.attachments.map((a: { fileId: string }) => a.fileId)],
      );
      const ev = {
        dossierId: id,
        seq: 1,
        type: 'SUBMITTED',
        actorKind: 'user',
        actorId: ownerId,
        at: now,
        data: { status: 'SUBMITTED', statusCode: 1, code },
        prevHash: GENESIS_HASH,
      };
      await client.query(
        `INSERT INTO dossier_events (dossier_id, seq, type, actor_kind, actor_id, at, data, prev_hash, hash) VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, ev.type, ev.actorKind, ev.actorId, now, ev.data, ev.prevHash, eventHash(ev)],
      );
      await client.query(`INSERT INTO outbox (topic, payload) VALUES ($1, $2)`, [
        STATUS_CHANGED_TOPIC.name,
        { dossierId: id, code, status: 'SUBMITTED', statusCode: 1, at: now.toISOString() },
      ]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  };

  const drive = async (work: (body: Record<string, any>) => Promise<void>) => {
    const latencies: number[] = [];
    let errors = 0;
    const end = Date.now() + SECONDS * 1000;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, w) => {
        let i = 0;
        while (Date.now() < end) {
          const t = performance.now();
          try {
            await work(prepared[(w + i++) % prepared.length]);
            latencies.push(performance.now() - t);
          } catch (e) {
            if (errors++ === 0) process.stderr.write(`raw error: ${(e as Error).message}\n`);
          }
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    return { rate: latencies.length / ((Date.now() - started) / 1000), p50: pct(50), p99: pct(99), ok: latencies.length, errors };
  };
  // BENCH_ONLY=api skips the raw phases (e.g. when profiling the service).
  const skipRaw = process.env.BENCH_ONLY === 'api';
  const none = { rate: NaN, p50: NaN, p99: NaN, ok: 0, errors: 0 };
  const raw = skipRaw ? none : await drive(sameSql);
  const rawNaive = skipRaw ? none : await drive(naive);
  await pool.end();
  await seqPool.end();

  const apiRate = apiOk / SECONDS;
  const f = (x: number) => x.toFixed(1);
  const line = (name: string, r: { rate: number; p50: number; p99: number; ok: number; errors: number }) =>
    `${name.padEnd(34)} ${f(r.rate).padStart(13)}   ${f(r.p50).padStart(6)}   ${f(r.p99).padStart(6)}   ${String(r.ok).padEnd(7)} ${r.errors}\n`;
  process.stdout.write(
    `\nbench:submit — ${CONNECTIONS} connections, ${SECONDS} s each, pool ${POOL}, procedure ${PROCEDURE} at ${agencyCode}\n` +
      `service: ${apiProcesses > 1 ? `${apiProcesses} API processes (APP_ROLE=api) and 1 worker process` : 'one process (APP_ROLE=all)'}; load average at the end ${os.loadavg()[0].toFixed(2)}\n` +
      `${''.padEnd(34)} submissions/s   p50 ms   p99 ms   ok      errors\n` +
      line('API  POST /api/v1/dossiers', { rate: apiRate, p50: api.latency.p50, p99: api.latency.p99, ok: apiOk, errors: apiErrors }) +
      line('raw pg, the same SQL', raw) +
      line('raw pg, sequence inside one txn', rawNaive) +
      `ratio API ÷ raw (same SQL)          ${(apiRate / raw.rate).toFixed(2)}   (target ≥ 0.5; API p99 target ≤ 100 ms)\n` +
      `ratio API ÷ raw (one txn)           ${(apiRate / rawNaive.rate).toFixed(2)}\n` +
      `CPU ms per API submission: ${Object.entries(cpuPerRequest)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ')}\n`,
  );
} finally {
  await stop();
}
