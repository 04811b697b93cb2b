import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID, X509Certificate } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { deadlineJobId, DEADLINES_QUEUE, nextFiring } from '../src/deadlines/deadline-jobs.js';
import { descendantsOf } from '../src/infra/process-table.js';
import { isAlive } from '../src/infra/processes.js';
import { loadPkcs12 } from '../src/signatures/signing/cms-signer.js';
import { nextCccd } from './support/auth.js';
import { BIRTH, HAC_THANH } from './support/dossiers.js';
import { pdfBytes } from './support/files.js';
import { createTestDatabase } from './support/test-database.js';

/**
 * Scale-out as docker-compose runs it, without Docker: two `APP_ROLE=api` processes and one
 * `APP_ROLE=worker` process of the compiled service (`node dist/src/main.js`, what `npm start`
 * runs) on the run's one PostgreSQL (a database of this file's own) and one Redis (a queue prefix
 * of its own), sharing one DATA_DIR (uploaded files, JWT secret). Citizens file dossiers and an
 * officer accepts them through both API processes at once; one API process is killed with SIGKILL
 * mid-load, and the client retries whatever got no answer on the survivor with the same
 * Idempotency-Key, as a load balancer's client would. Later the worker process is killed as well and
 * another takes over.
 */
const MAIN = path.resolve('dist/src/main.js');
// The BullMQ queues a worker process works on (named here rather than imported: their modules would
// bring the whole service into this test; a wrong name shows as a queue without its worker).
const QUEUES = [DEADLINES_QUEUE, 'notifications', 'signing', 'signatures'];
const SUBMISSIONS = 160;
const CONCURRENCY = 16;
const KILL_AFTER = 60; // submissions started before API process A is killed
const KILL_WORKER_AFTER = 110; // ... and before the worker process is killed (and another started)
const CITIZENS = 6;

interface Service {
  name: string;
  child: ChildProcess;
  port: number;
  base: string;
  output: () => string;
}

const services: Service[] = [];

/** The processes `pid` started (verification children of a worker), and theirs, read from /proc. */
const descendants = (pid: number): number[] => descendantsOf(pid).map((p) => p.pid);

/** Kills every spawned process and what they started (SIGKILL: nothing must outlive the test, even when it fails). */
function killAll(): void {
  for (const s of services) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
    const children = descendants(s.child.pid!);
    s.child.kill('SIGKILL');
    for (const pid of children.filter(isAlive)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    }
  }
}
// Also when Jest's worker goes away without running afterAll.
process.once('exit', killAll);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A TCP stand-in for the network between the client and API process A. `swallow()` makes it drop
 * A's answers (the requests still reach A, which does the work and commits), as a process that dies
 * after its commit and before its answer would; `cut()` then closes every connection (destroy, not
 * resetAndDestroy: on Node 20 a reset socket could leave the process spinning at exit in its handle
 * clean-up, so Jest never ended).
 */
async function lossyProxy(targetPort: number): Promise<{ port: number; swallow(): void; cut(): void; close(): Promise<void> }> {
  let swallowing = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (!swallowing) client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    swallow: () => void (swallowing = true),
    cut: () => {
      for (const s of [...sockets]) s.destroy();
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function startService(name: string, env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const s: Service = { name, child, port, base: `http://127.0.0.1:${port}`, output: () => out };
  services.push(s);
  return s;
}

async function ready(s: Service, ms = 180_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (/\[motcua\] ready: /.test(s.output())) return;
    if (s.child.exitCode !== null) throw new Error(`${s.name} exited early (code ${s.child.exitCode})`);
    await sleep(100);
  }
  throw new Error(`${s.name} did not say "ready" within ${ms} ms`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value, or fails after `ms` saying what it waited for and what it saw last. */
async function until<T>(probe: () => Promise<T>, what: string, ms = 90_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      last = await probe();
      if (last) return last as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(200);
  }
}

/** Prints the spawned processes' output when `fn` fails, so the failure says what the services said. */
async function withLogs<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    for (const s of services)
      process.stderr.write(
        `\n----- ${s.name} (port ${s.port}, exit ${s.child.exitCode ?? s.child.signalCode ?? 'running'}) -----\n${s.output().slice(-20_000)}\n`,
      );
    throw e;
  }
}

/** A dossier_clocks row as read for the job check. */
interface RunningClock {
  id: string;
  dossier_id: string;
  kind: string;
  version: number;
  state: 'RUNNING';
  status: 'ON_TRACK' | 'DUE_SOON';
  due_soon_at: Date;
  due_at: Date;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One HTTP request; throws on no answer (connection refused or reset, or nothing within the timeout). */
async function call(base: string, method: string, url: string, opts: { token?: string; key?: string; json?: unknown; form?: FormData } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.key) headers['idempotency-key'] = opts.key;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${url}`, {
    method,
    headers,
    body: opts.form ?? (opts.json === undefined ? undefined : JSON.stringify(opts.json)),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

function expectStatus(a: Answer, status: number, what: string): Answer {
  if (a.status !== status) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
  return a;
}

describe('two API processes and a worker on one PostgreSQL and one Redis', () => {
  let databaseUrl: string;
  let db: pg.Pool;
  let queues: Queue[];
  let worker: Service;
  let apiA: Service;
  let apiB: Service;
  let dataDir: string;
  let serviceEnv: Record<string, string>;
  let proxyA: Awaited<ReturnType<typeof lossyProxy>> | undefined;

  beforeAll(async () => {
    await withLogs(async () => {
      databaseUrl = await createTestDatabase();
      const id = databaseUrl.split('/').pop()!;
      dataDir = path.join(process.env.MOTCUA_TEST_DIR!, 'scale-out', id);
      mkdirSync(dataDir, { recursive: true });
      const prefix = `{t${id}}`;
      const env = (serviceEnv = {
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.MOTCUA_TEST_REDIS_URL!,
        QUEUE_PREFIX: prefix,
        // One folder for all three: the uploaded files (local storage) and the generated JWT secret.
        DATA_DIR: dataDir,
        SEED_DEMO: 'true',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        OUTBOX_POLL_MS: '50',
        // No reconciliation pass during the test: every job must come from the outbox relay.
        DEADLINE_RECONCILE_SECONDS: '3600',
        // Every request comes from 127.0.0.1.
        RATE_LIMIT_PER_MINUTE: '1000000',
        LOGIN_MAX_PER_CLIENT: '10000',
        REGISTER_MAX_PER_CLIENT_PER_HOUR: '10000',
      });
      db = new pg.Pool({ connectionString: databaseUrl, max: 3 });
      const connection = { url: process.env.MOTCUA_TEST_REDIS_URL!, maxRetriesPerRequest: null };
      queues = QUEUES.map((name) => new Queue(name, { connection, prefix }));
      // All three at once, as docker-compose starts them: migrations, seeding and the generated JWT
      // secret must survive the race.
      [worker, apiA, apiB] = await Promise.all([
        startService('worker', { ...env, APP_ROLE: 'worker' }),
        startService('api-A', { ...env, APP_ROLE: 'api' }),
        startService('api-B', { ...env, APP_ROLE: 'api' }),
      ]);
      await Promise.all([worker, apiA, apiB].map((s) => ready(s)));
      // The client reaches A through a network that can lose A's answers.
      proxyA = await lossyProxy(apiA.port);
      apiA.base = `http://127.0.0.1:${proxyA.port}`;
    });
  }, 300_000);

  afterAll(async () => {
    killAll();
    await Promise.all(
      services.map((s) => (s.child.exitCode !== null || s.child.signalCode !== null ? undefined : new Promise((r) => s.child.once('exit', r)))),
    );
    proxyA?.cut();
    await proxyA?.close();
    await Promise.allSettled((queues ?? []).map((q) => q.close()));
    await db?.end();
  }, 60_000);

  it('makes one demo PKI though the three processes seeded it at once: every leader key and agency seal is issued by the trusted demo CA', () => {
    const ca = new X509Certificate(JSON.parse(readFileSync(path.join(dataDir, 'demo-ca', 'ca.json'), 'utf8')).certificatePem);
    const anchor = new X509Certificate(readFileSync(path.join(dataDir, 'trust', 'motcua-demo-ca.pem')));
    expect(anchor.fingerprint256).toBe(ca.fingerprint256);
    const keys = readdirSync(path.join(dataDir, 'signing-keys'))
      .filter((f) => f.endsWith('.p12'))
      .sort();
    // The demo leaders' keys and their agencies' receipt seals.
    expect(keys).toEqual(['agency-000.00.05.h56.p12', 'agency-000.00.20.h56.p12', 'lanhdao.congan.p12', 'lanhdao.hacthanh.p12']);
    for (const f of keys) {
      const leaf = new X509Certificate(loadPkcs12(readFileSync(path.join(dataDir, 'signing-keys', f)), '').certificate);
      expect({ f, issued: leaf.checkIssued(anchor) && leaf.verify(anchor.publicKey) }).toEqual({ f, issued: true });
    }
  });

  const workerCounts = () => Promise.all(queues.map(async (q) => (await q.getWorkers()).length));

  it('loses and duplicates no dossier when an API process is killed mid-load, and schedules every clock though the worker process is killed too', async () => {
    await withLogs(async () => {
      expect(worker.output()).toContain('ready: worker (role worker)');
      for (const s of [apiA, apiB]) expect(s.output()).toContain('(role api)');
      // The worker process runs one BullMQ worker per queue; an API process running any would make it two.
      await until(async () => (await workerCounts()).every((n) => n > 0), 'the worker process to run a BullMQ worker on every queue');
      expect(await workerCounts()).toEqual(QUEUES.map(() => 1));

      // People, through both processes: accounts made on one work on the other (one JWT secret).
      const officer = expectStatus(
        await call(apiA.base, 'POST', '/api/v1/auth/login', { json: { username: 'tiepnhan.hacthanh', password: 'Demo@2026' } }),
        200,
        'officer login',
      ).body.accessToken as string;
      const procedure = expectStatus(await call(apiB.base, 'GET', `/api/v1/procedures/${BIRTH}`), 200, 'procedure').body;
      const components = (procedure.components as Array<{ code: string; required: boolean }>).filter((c) => c.required).map((c) => c.code);
      const citizens: Array<{ idNumber: string; token: string; fileId: string }> = [];
      for (let i = 0; i < CITIZENS; i++) {
        const [here, there] = i % 2 ? [apiA, apiB] : [apiB, apiA];
        const idNumber = nextCccd();
        const password = 'MatKhau123';
        expectStatus(
          await call(here.base, 'POST', '/api/v1/auth/citizens/register', {
            json: { idNumber, fullName: 'Nguyễn Văn An', dateOfBirth: '1990-03-15', phone: '0912345678', password },
          }),
          202,
          'register',
        );
        const token = expectStatus(await call(there.base, 'POST', '/api/v1/auth/login', { json: { username: idNumber, password } }), 200, 'citizen login').body
          .accessToken as string;
        const form = new FormData();
        form.append('file', new Blob([pdfBytes(`scale-out ${i}`)], { type: 'application/pdf' }), 'giay-to.pdf');
        // Uploaded through one process, attached through the other: the files are shared.
        const fileId = expectStatus(await call(here.base, 'POST', '/api/v1/files', { token, form }), 201, 'upload').body.id as string;
        citizens.push({ idNumber, token, fileId });
      }

      // The load. `answers` holds every dossier id answered per key, whichever process answered.
      const answers = new Map<string, string[]>();
      const sentKeys: string[] = [];
      const sent = new Map<string, { token: string; body: { formData: Record<string, string> } & Record<string, unknown> }>();
      const retried = new Set<string>();
      const accepted = new Set<string>();
      const failures: string[] = [];
      let killed = false;
      let relay = worker;
      let orphans: number[] = [];
      let stopped = false;
      let started = 0;
      let answeredByA = 0;
      const replays: string[] = [];
      const twins = new Set<string>();
      let workersAtKill: number[] = [];
      const inFlightAtA = new Set<string>();
      let lostAnswers: string[] = [];
      const committed = async (keys: string[]) =>
        (await db.query(`SELECT key FROM idempotency_keys WHERE key = ANY($1)`, [keys])).rows.map((r) => r.key as string);
      const survivor = () => apiB;
      const record = (key: string, a: Answer, via: Service) => {
        expectStatus(a, 201, `submission ${key} through ${via.name}`);
        answers.set(key, [...(answers.get(key) ?? []), a.body.id as string]);
        if (via === apiA) answeredByA += 1;
        if (a.headers.get('idempotent-replayed') === 'true') replays.push(key);
        return a.body.id as string;
      };
      /** Sends once to `first`; every attempt without an answer is sent again to the survivor. */
      const withRetry = async (
        first: Service,
        send: (s: Service) => Promise<Answer>,
        onRetry: () => void,
      ): Promise<{ answer: Answer; via: Service; retried: boolean }> => {
        let target = first;
        let again = false;
        for (let attempt = 0; ; attempt++) {
          try {
            return { answer: await send(target), via: target, retried: again };
          } catch (e) {
            if (attempt >= 20) throw new Error(`no answer after ${attempt + 1} attempts: ${(e as Error).message}`);
            if (!killed && target === apiA)
              throw new Error(`api-A did not answer before it was killed: ${(e as Error).message} ${JSON.stringify((e as { cause?: unknown }).cause ?? '')}`);
            again = true;
            onRetry();
            target = survivor();
            await sleep(100);
          }
        }
      };
      const accept = async (dossierId: string, first: Service) => {
        const { answer, retried: wasRetried } = await withRetry(
          first,
          (s) => call(s.base, 'POST', `/api/v1/dossiers/${dossierId}/actions/accept`, { token: officer, json: { expectedVersion: 1 } }),
          () => undefined,
        );
        if (answer.status === 200) {
          accepted.add(dossierId);
          return;
        }
        // The lost answer's acceptance may have been committed: then the dossier has moved on.
        const now = expectStatus(await call(survivor().base, 'GET', `/api/v1/dossiers/${dossierId}`, { token: officer }), 200, 'reading back').body;
        if (wasRetried && answer.status === 409 && now.status === 'RECEIVED' && now.version === 2) accepted.add(dossierId);
        else failures.push(`accept ${dossierId}: ${answer.status} ${JSON.stringify(answer.body)}`);
      };
      const submitOne = async (i: number) => {
        const citizen = citizens[i % CITIZENS];
        const key = `scale-${randomUUID()}`;
        const body = {
          procedureCode: BIRTH,
          agencyCode: HAC_THANH,
          resultDelivery: 'ONLINE',
          attachments: components.map((componentCode) => ({ componentCode, fileId: citizen.fileId })),
          applicant: {
            fullName: 'Nguyễn Văn An',
            idNumber: citizen.idNumber,
            dateOfBirth: '1990-03-15',
            phone: '0912345678',
            address: 'Số 5 Lê Lợi, Thanh Hóa',
          },
          formData: { childName: `Nguyễn Thị Mai ${i}`, childDateOfBirth: '2026-11-01' },
        };
        sentKeys.push(key);
        sent.set(key, { token: citizen.token, body });
        const twin = i % 10 === 3;
        const send = async (s: Service) => {
          if (s === apiA && !twin) inFlightAtA.add(key);
          try {
            return await call(s.base, 'POST', '/api/v1/dossiers', { token: citizen.token, key, json: body });
          } finally {
            inFlightAtA.delete(key);
          }
        };
        const [here, there] = i % 2 ? [apiA, apiB] : [apiB, apiA];
        if (twin) {
          twins.add(key);
          // The same key at both processes at the same instant: one files, the other answers the same dossier.
          const both = await Promise.all([here, there].map((s) => withRetry(s, send, () => retried.add(key))));
          for (const r of both) record(key, r.answer, r.via);
        } else {
          const r = await withRetry(here, send, () => retried.add(key));
          record(key, r.answer, r.via);
        }
        await accept(answers.get(key)![0], there);
      };
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < SUBMISSIONS && !stopped) {
            const i = next++;
            started += 1;
            if (started === KILL_AFTER && !killed) {
              // Mid-load, with requests of A in flight: before this, A answered; after, it never will.
              killed = true;
              try {
                workersAtKill = await workerCounts();
                // A keeps working but its answers are lost; once it has committed a few submissions
                // nobody heard about, it dies, and its connections are closed.
                proxyA!.swallow();
                await until(async () => (await committed([...inFlightAtA])).length >= 3, 'api-A to commit submissions whose answers are lost');
              } catch (e) {
                failures.push(`before the kill: ${(e as Error).message}`);
                stopped = true;
              }
              const pending = [...inFlightAtA];
              apiA.child.kill('SIGKILL');
              await new Promise((r) => (apiA.child.exitCode !== null || apiA.child.signalCode !== null ? r(null) : apiA.child.once('exit', r)));
              proxyA!.cut();
              lostAnswers = await committed(pending);
            }
            if (started === KILL_WORKER_AFTER) {
              // The worker dies too, wherever its relay is (between adding jobs and marking rows sent,
              // the rows come back after their lease); a new one takes over while the load goes on.
              orphans = descendants(worker.child.pid!);
              worker.child.kill('SIGKILL');
              relay = await startService('worker-2', { ...serviceEnv, APP_ROLE: 'worker' });
            }
            try {
              await submitOne(i);
            } catch (e) {
              failures.push(`submission ${i}: ${(e as Error).message}`);
              stopped = true; // one failure is enough to read; the others would only pile up behind it
            }
          }
        }),
      );
      expect(failures).toEqual([]);
      await ready(relay);
      expect(relay).not.toBe(worker);
      // What the killed worker had started (its verification children) went away with it.
      await until(async () => orphans.every((pid) => !isAlive(pid)), `the killed worker's children ${orphans.join(', ')} to exit`, 30_000);
      expect(apiA.child.signalCode ?? (await new Promise((r) => apiA.child.once('exit', (_c, sig) => r(sig))))).toBe('SIGKILL');
      expect(answeredByA).toBeGreaterThan(0);
      // With both API processes up and busy, the BullMQ workers were still only the worker process's.
      expect(workersAtKill).toEqual(QUEUES.map(() => 1));

      // The submissions A committed without its answer reaching the client: the retry on B found them.
      expect(lostAnswers.length).toBeGreaterThanOrEqual(3);
      expect(lostAnswers.filter((k) => !retried.has(k) || !replays.includes(k))).toEqual([]);

      // Keys answered before the kill, sent again to the survivor: the same dossier, filed by nobody again;
      // the same key with another body is refused, naming the key, and files nothing either.
      for (const key of sentKeys.slice(0, 10)) {
        const { token, body } = sent.get(key)!;
        retried.add(key);
        const again = expectStatus(await call(apiB.base, 'POST', '/api/v1/dossiers', { token, key, json: body }), 201, `replay of ${key}`);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        record(key, again, apiB);
        const other = await call(apiB.base, 'POST', '/api/v1/dossiers', {
          token,
          key,
          json: { ...body, formData: { ...body.formData, childName: 'Người khác' } },
        });
        expect({ status: other.status, code: other.body.code, field: (other.body.details as Array<{ field: string }>)?.[0]?.field }).toEqual({
          status: 422,
          code: 'IDEMPOTENCY_KEY_REUSED',
          field: 'Idempotency-Key',
        });
      }

      // What PostgreSQL holds.
      const stored = (
        await db.query(`SELECT k.key, k.dossier_id, (SELECT count(*)::int FROM dossiers d WHERE d.id = k.dossier_id) AS n
        FROM idempotency_keys k WHERE k.key LIKE 'scale-%'`)
      ).rows as Array<{ key: string; dossier_id: string; n: number }>;
      const storedByKey = new Map(stored.map((r) => [r.key, r]));
      const dossierCount = (await db.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM dossiers`)).rows[0];
      // No request ended without a dossier, and no key has two.
      expect(stored).toHaveLength(sentKeys.length);
      expect(new Set(sentKeys)).toEqual(new Set(storedByKey.keys()));
      expect(dossierCount).toEqual({ n: sentKeys.length, ids: sentKeys.length });
      expect(stored.filter((r) => r.n !== 1)).toEqual([]);
      // Every answer (first, concurrent twin or retry) names the one dossier stored for its key.
      const mismatched = [...answers].filter(([key, ids]) => ids.some((id) => id !== storedByKey.get(key)?.dossier_id));
      expect(mismatched).toEqual([]);
      expect([...answers.keys()].sort()).toEqual([...sentKeys].sort());
      expect(retried.size).toBeGreaterThan(10); // the kill did cut requests off, which the survivor answered

      // Every acceptance the client saw (or that its retry found committed) started a clock, and every
      // running clock has its next firing in BullMQ: the worker process relayed the outbox rows.
      expect(accepted.size).toBe(sentKeys.length);
      const received = (await db.query(`SELECT id FROM dossiers WHERE status = 'RECEIVED'`)).rows.map((r) => r.id);
      expect(new Set(received)).toEqual(accepted);
      const runningClocks = async (dossierId?: string): Promise<RunningClock[]> =>
        (
          await db.query(
            `SELECT id, dossier_id, kind, version, state, status, due_soon_at, due_at FROM dossier_clocks WHERE state = 'RUNNING' AND ($1::uuid IS NULL OR dossier_id = $1)`,
            [dossierId ?? null],
          )
        ).rows;
      const clocks = await runningClocks();
      expect(new Set(clocks.filter((c) => c.kind === 'OVERALL').map((c) => c.dossier_id))).toEqual(accepted);
      const [deadlines] = queues;
      const missingJobs = async (clocks: RunningClock[]) => {
        const missing: string[] = [];
        for (const c of clocks) {
          const f = nextFiring({ state: c.state, status: c.status, dueSoonAt: c.due_soon_at, dueAt: c.due_at })!;
          const jobId = deadlineJobId(c.id, f.kind, c.version);
          const job = await deadlines.getJob(jobId);
          if (!job || (await job.getState()) !== 'delayed') missing.push(jobId);
        }
        return missing;
      };
      const allScheduled = (clocks: RunningClock[]) =>
        until(async () => (await missingJobs(clocks)).length === 0, 'a delayed BullMQ job for every running clock', 120_000).catch(async (e) => {
          throw new Error(`${(e as Error).message}; missing: ${(await missingJobs(clocks)).slice(0, 10).join(', ')}`);
        });
      await allScheduled(clocks);

      // The API process still running runs no BullMQ worker: with the worker process gone, none is left.
      relay.child.kill('SIGKILL');
      await until(async () => (await workerCounts()).every((n) => n === 0), 'no BullMQ worker once the worker process is killed');
      expectStatus(await call(apiB.base, 'GET', '/health/live'), 200, 'the surviving API process');

      // Nor does it relay the outbox: a dossier filed and accepted now waits for a worker process,
      // here for 2 s (40 relay polls); a worker process started later schedules its clocks.
      await submitOne(SUBMISSIONS);
      const lateId = answers.get(sentKeys.at(-1)!)![0];
      expect(accepted.has(lateId)).toBe(true);
      const unsent = async () =>
        (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'deadline.schedule' AND sent_at IS NULL AND payload->>'dossierId' = $1`, [lateId]))
          .rows[0].n as number;
      for (const end = Date.now() + 2000; Date.now() < end; await sleep(100)) expect(await unsent()).toBeGreaterThan(0);
      const again = await startService('worker-3', { ...serviceEnv, APP_ROLE: 'worker' });
      await ready(again);
      const lateClocks = await runningClocks(lateId);
      expect(lateClocks.map((c) => c.kind).sort()).toEqual(['OVERALL', 'STEP']);
      await allScheduled(lateClocks);
      expect(await unsent()).toBe(0);
    });
  }, 600_000);
});
