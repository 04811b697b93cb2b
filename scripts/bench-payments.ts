import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { startPaygovTestGateway } from '../src/payments/testing/paygov-test-gateway.js';
import { startBenchService } from './bench-service.js';

/**
 * `npm run bench:payments`: the service on embedded defaults (its own PostgreSQL and Redis, demo
 * seed) with PAYGOV_URL pointing at the local test gateway. BENCH_PAYMENTS household-business
 * dossiers (lệ phí 150.000 đ collected with the submission) are filed and their payments opened
 * online; then the gateway pays them all, BENCH_CONCURRENCY callbacks in flight at once. Each
 * callback is verified, matched, applied under the dossier's lock with its dossier event and
 * outbox intent, and issues an e-receipt from one series (Hạc Thành's), so every callback queues on
 * that series' counter row: the figure is the series' issuing rate. Then every callback is
 * replayed (the idempotent no-op path). Prints callbacks/s and latency percentiles.
 */
const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PROCEDURE = '1.001612';
const AGENCY = '000.00.20.H56';
const SECRET = 'bench-paygov-secret-0123456789';

const gw = await startPaygovTestGateway({ secret: SECRET });
const service = await startBenchService('bench-payments', (base) => ({
  PUBLIC_BASE_URL: base,
  PAYGOV_URL: gw.url,
  PAYGOV_PARTNER_CODE: gw.partnerCode,
  PAYGOV_SECRET: SECRET,
  // The reconciliation job stays out of the measurement.
  PAYMENT_QUERY_AFTER_MS: '86400000',
}));
const { base } = service;

const stop = async () => {
  await service.stop();
  await gw.close();
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Runs `work` over `items` with `concurrency` in flight; returns the wall time and each item's latency. */
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const s = performance.now();
        await work(item);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

try {
  await service.ready();
  const json = service.json;
  const procedure = await json('GET', `/api/v1/procedures/${PROCEDURE}`);
  const required = procedure.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => c.code);
  const idNumber = '001090777001';
  await json('POST', '/api/v1/auth/citizens/register', {
    idNumber,
    fullName: 'Nguyễn Văn An',
    dateOfBirth: '1990-01-01',
    phone: '0912345678',
    password: 'MatKhau123',
  });
  const { accessToken } = await json('POST', '/api/v1/auth/login', { username: idNumber, password: 'MatKhau123' });
  const auth = { authorization: `Bearer ${accessToken}` };
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')], { type: 'application/pdf' }), 'giay-to.pdf');
  const up = await fetch(`${base}/api/v1/files`, { method: 'POST', headers: auth, body: form });
  const fileId = ((await up.json()) as { id: string }).id;

  process.stdout.write(`preparing ${PAYMENTS} dossiers with an online payment each…\n`);
  const references: string[] = [];
  await pool(
    Array.from({ length: PAYMENTS }, (_, i) => i),
    16,
    async () => {
      const d = await json(
        'POST',
        '/api/v1/dossiers',
        {
          procedureCode: PROCEDURE,
          agencyCode: AGENCY,
          resultDelivery: 'ONLINE',
          attachments: required.map((componentCode: string) => ({ componentCode, fileId })),
          applicant: { fullName: 'Nguyễn Văn An', idNumber, dateOfBirth: '1990-01-01', phone: '0912345678', address: 'Số 1 Lê Lợi, Thanh Hóa' },
          formData: {},
        },
        { ...auth, 'idempotency-key': randomUUID() },
      );
      const p = await json('POST', `/api/v1/dossiers/${d.id}/payments`, {}, auth);
      await json('POST', `/api/v1/payments/${p.id}/online`, undefined, auth);
      references.push(p.reference);
    },
  );

  let refused = 0;
  const paid = await pool(references, CONCURRENCY, async (ref) => {
    const [a] = await gw.complete(ref, { kind: 'pay' });
    if (a.body.errorCode !== '00') refused++;
  });
  const replay = await pool(references, CONCURRENCY, async (ref) => {
    const order = gw.orders().find((o) => o.orderId === ref)!;
    const a = await gw.callback(ref, { transactionId: order.transactionId! });
    if (a.body.message !== 'Order already confirmed') refused++;
  });
  const receipts = await json('POST', '/api/v1/auth/login', { username: 'admin', password: process.env.ADMIN_PASSWORD ?? 'MotCua@2026' }).then(
    async ({ accessToken: admin }) => {
      const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
      return json('GET', `/api/v1/admin/receipts/daily?date=${today}&agencyCode=${AGENCY}`, undefined, { authorization: `Bearer ${admin}` });
    },
  );
  const line = (name: string, r: { seconds: number; latencies: number[] }) =>
    `${name.padEnd(34)} ${(references.length / r.seconds).toFixed(0).padStart(6)} callbacks/s   p50 ${percentile(r.latencies, 50).toFixed(1)} ms   p99 ${percentile(r.latencies, 99).toFixed(1)} ms`;
  process.stdout.write(
    [
      `bench:payments — ${PAYMENTS} payments, ${CONCURRENCY} callbacks in flight, one receipt series; ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      line('paid (verify + receipt + events)', paid),
      line('replayed (idempotent no-op)', replay),
      `receipts in the series today: ${JSON.stringify(receipts.map((s: { series: string; count: number; firstNumber: number; lastNumber: number }) => ({ series: s.series, count: s.count, first: s.firstNumber, last: s.lastNumber })))}`,
      `unexpected answers: ${refused}`,
      '',
    ].join('\n'),
  );
  await stop();
  process.exit(refused === 0 ? 0 : 1);
} catch (e) {
  process.stderr.write(`${(e as Error).stack}\n`);
  await stop();
  process.exit(1);
}
