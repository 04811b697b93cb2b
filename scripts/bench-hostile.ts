import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { processTable } from '../src/infra/process-table.js';
import { manyReferencesXml, pdfBomb } from '../src/signatures/testing/hostile-files.js';
import { residentBytes } from '../src/signatures/verification/verify-pool.js';

/**
 * `npm run bench:hostile`: the service as `npm start` runs it (APP_ROLE=all, embedded PostgreSQL
 * and Redis) receives the issue's two hostile files from a citizen: an XML signature with 2,000
 * references (326 KB) and a 1 MB PDF whose object stream inflates to 1 GB. While they are being
 * verified, /health/live is asked one request after another (its latency: p50, p99, max) and the
 * resident memory of the service process and of its verification children is sampled. Twice:
 * with the default caps (both files stop at a cap), and with the caps lifted so the verifier does
 * all the work it is given and only the child processes' time and memory limits stop it.
 */
const MB = 1024 * 1024;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const say = (line: string) => process.stdout.write(`${line}\n`);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

/** The processes whose parent is `pid`, with their command lines. */
function childrenOf(pid: number): Array<{ pid: number; cmd: string }> {
  return processTable()
    .filter((p) => p.ppid === pid)
    .map((p) => ({ pid: p.pid, cmd: p.cmdline() }));
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

interface Outcome {
  label: string;
  results: Array<{ file: string; indication: string; limit: string; seconds: number }>;
  health: { n: number; p50: number; p99: number; max: number; over100: number };
  idleHealth: { p50: number; max: number };
  serviceRssMb: { idle: number; peak: number };
  verifierRssMb: number;
}

async function scenario(label: string, env: Record<string, string>, files: Array<{ name: string; type: string; bytes: Buffer }>): Promise<Outcome> {
  const dataDir = path.join(root, '.data', `bench-hostile-${Date.now()}`);
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'error',
      SEED_DEMO: 'false',
      DATABASE_URL: '',
      REDIS_URL: '',
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  service.stderr!.on('data', (d) => (stderr += d));
  try {
    const t0 = Date.now();
    while (!stderr.includes('ready: API')) {
      if (service.exitCode !== null || Date.now() - t0 > 180_000) throw new Error(`service did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const json = async (method: string, url: string, body?: unknown, token?: string) => {
      const res = await fetch(base + url, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const idNumber = '001090512345';
    await json('POST', '/api/v1/auth/citizens/register', {
      idNumber,
      fullName: 'Kẻ Thử Nghiệm',
      dateOfBirth: '1990-01-01',
      phone: '0912345678',
      password: 'MatKhau123',
    });
    const { accessToken: token } = await json('POST', '/api/v1/auth/login', { username: idNumber, password: 'MatKhau123' });

    const healthOnce = async () => {
      const started = performance.now();
      const res = await fetch(`${base}/health/live`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/health/live → ${res.status}`);
      return performance.now() - started;
    };
    const mb = (bytes: number | null) => Math.round((bytes ?? 0) / MB);
    const idle: number[] = [];
    for (let until = Date.now() + 2000; Date.now() < until;) {
      idle.push(await healthOnce());
      await new Promise((r) => setTimeout(r, 20));
    }
    idle.sort((a, b) => a - b);
    const idleRss = mb(residentBytes(service.pid!));

    let servicePeak = idleRss;
    let verifierPeak = 0;
    const memory = setInterval(() => {
      servicePeak = Math.max(servicePeak, mb(residentBytes(service.pid!)));
      const verifiers = childrenOf(service.pid!).filter((c) => c.cmd.includes('verify-child'));
      verifierPeak = Math.max(
        verifierPeak,
        verifiers.reduce((sum, c) => sum + mb(residentBytes(c.pid)), 0),
      );
    }, 50);

    const started = Date.now();
    const ids: Array<{ name: string; id: string }> = [];
    for (const f of files) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
      const up = await fetch(`${base}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      if (up.status !== 201) throw new Error(`upload ${f.name} → ${up.status} ${await up.text()}`);
      ids.push({ name: f.name, id: ((await up.json()) as { id: string }).id });
    }
    const results = new Map<string, Outcome['results'][number]>();
    const health: number[] = [];
    let lastPoll = 0;
    while (results.size < ids.length) {
      health.push(await healthOnce());
      if (Date.now() - lastPoll > 200) {
        lastPoll = Date.now();
        for (const { name, id } of ids) {
          if (results.has(name)) continue;
          const r = await json('GET', `/api/v1/files/${id}/signatures`, undefined, token);
          if (r.state === 'VERIFIED') {
            const limit = r.report?.limit ? `${r.report.limit.kind} (${r.report.limit.max})` : '–';
            results.set(name, {
              file: name,
              indication: `${r.indication}${r.subIndication ? `/${r.subIndication}` : ''}`,
              limit,
              seconds: (Date.now() - started) / 1000,
            });
          }
        }
      }
      if (Date.now() - started > 180_000) throw new Error('verification did not finish within 3 minutes');
      await new Promise((r) => setTimeout(r, 20));
    }
    clearInterval(memory);
    health.sort((a, b) => a - b);
    return {
      label,
      results: [...results.values()],
      health: {
        n: health.length,
        p50: quantile(health, 0.5),
        p99: quantile(health, 0.99),
        max: health[health.length - 1],
        over100: health.filter((h) => h > 100).length,
      },
      idleHealth: { p50: quantile(idle, 0.5), max: idle[idle.length - 1] },
      serviceRssMb: { idle: idleRss, peak: servicePeak },
      verifierRssMb: verifierPeak,
    };
  } finally {
    if (service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((r) => service.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const files = [
  { name: 'to-khai-2000-references.xml', type: 'application/xml', bytes: manyReferencesXml(2000) },
  { name: 'bomb-1GB.pdf', type: 'application/pdf', bytes: await pdfBomb(1024 * MB) },
];
say(`bench:hostile, Node ${process.version}; files: ${files.map((f) => `${f.name} ${(f.bytes.length / 1024).toFixed(0)} KB`).join(', ')}`);
const outcomes = [
  await scenario('default caps', {}, files),
  await scenario(
    'caps lifted (VERIFY_MAX_XML_REFERENCES=10000, VERIFY_MAX_INFLATED_BYTES=4 GiB)',
    { VERIFY_MAX_XML_REFERENCES: '10000', VERIFY_MAX_INFLATED_BYTES: String(4096 * MB) },
    files,
  ),
];
const ms = (v: number) => `${v.toFixed(1)} ms`;
for (const o of outcomes) {
  say(`\n### ${o.label}`);
  say('| file | report | limit | stored after |');
  say('|---|---|---|---:|');
  for (const r of o.results) say(`| ${r.file} | ${r.indication} | ${r.limit} | ${r.seconds.toFixed(1)} s |`);
  say('');
  say('| /health/live while verifying | samples | p50 | p99 | max | > 100 ms | idle p50 / max |');
  say('|---|---:|---:|---:|---:|---:|---:|');
  say(
    `| | ${o.health.n} | ${ms(o.health.p50)} | ${ms(o.health.p99)} | ${ms(o.health.max)} | ${o.health.over100} | ${ms(o.idleHealth.p50)} / ${ms(o.idleHealth.max)} |`,
  );
  say('');
  say(`service process RSS: ${o.serviceRssMb.idle} MB idle, ${o.serviceRssMb.peak} MB peak; verification children: ${o.verifierRssMb} MB peak`);
}
