// Test support: never imported by production code, only by specs, test/ and scripts/.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAYGOV_TEST_GATEWAY_SECRET } from '../../config/production.js';
import { paygovChecksum, paygovTime } from '../paygov/paygov-adapter.js';

/** What the gateway does when the citizen "pays" an order. */
export type GatewayBehaviour =
  | { kind: 'pay' }
  | { kind: 'fail' }
  | { kind: 'pay-twice' }
  | { kind: 'late'; delayMs: number }
  | { kind: 'never-call-back' }
  | { kind: 'change-amount'; amountVnd: number };

interface Order {
  orderId: string;
  amount: number;
  callbackUrl: string;
  status: 'PENDING' | 'PAID' | 'FAILED';
  transactionId: string | null;
  paidAmount: number | null;
  payDate: string | null;
  refunds: string[];
  /** Every transaction paid for the order (two when paid twice). */
  paidTransactions: string[];
  init: Record<string, unknown>;
}

export interface PaygovTestGateway {
  url: string;
  partnerCode: string;
  secret: string;
  /** The citizen pays (or fails) the order at the platform; resolves when the callbacks were sent (and answered). */
  complete(orderId: string, behaviour?: GatewayBehaviour): Promise<Array<{ status: number; body: Record<string, unknown> }>>;
  /** A callback as the platform would sign it (or not: `secret` to forge one). */
  callback(orderId: string, fields: { transactionId?: string; amount?: number; errorCode?: string }, opts?: { secret?: string }): Promise<{ status: number; body: Record<string, unknown> }>;
  orders(): Order[];
  close(): Promise<void>;
}

/**
 * The national payment platform played locally, speaking the message format assumed in
 * paygov-adapter.ts: it registers orders, and on `complete` pays, fails, pays twice, calls back
 * late, never calls back (only a query tells), or reports another amount than asked. For tests,
 * benchmarks and demonstrations only.
 */
export async function startPaygovTestGateway(opts: { partnerCode?: string; secret?: string; port?: number } = {}): Promise<PaygovTestGateway> {
  const partnerCode = opts.partnerCode ?? 'MOTCUA';
  const secret = opts.secret ?? PAYGOV_TEST_GATEWAY_SECRET;
  const orders = new Map<string, Order>();
  const timers = new Set<NodeJS.Timeout>();

  const sign = (kind: 'callback' | 'queryAnswer', m: Record<string, unknown>, key = secret) => ({ ...m, checksum: paygovChecksum(kind, m, key) });
  const send = async (o: Order, m: Record<string, unknown>, key?: string) => {
    const res = await fetch(o.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sign('callback', m, key)), signal: AbortSignal.timeout(30_000) });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const settle = (o: Order, paid: boolean, amount = o.amount) => {
    o.status = paid ? 'PAID' : 'FAILED';
    o.transactionId = `PG${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    o.paidAmount = amount;
    o.payDate = paygovTime(new Date());
    if (paid) o.paidTransactions.push(o.transactionId);
    return { partnerCode, orderId: o.orderId, transactionId: o.transactionId, amount, currency: 'VND', errorCode: paid ? '00' : '24', payDate: o.payDate, message: paid ? 'Giao dịch thành công' : 'Khách hàng hủy giao dịch' };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: Record<string, unknown>) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return answer(400, { errorCode: '99', message: 'bad json' });
      }
      const kind = req.url === '/api/payments/init' ? 'init' : req.url === '/api/payments/query' ? 'query' : req.url === '/api/payments/refund' ? 'refund' : null;
      if (!kind) return answer(404, { errorCode: '99', message: 'no such endpoint' });
      if (m.checksum !== paygovChecksum(kind, m, secret) || m.partnerCode !== partnerCode) return answer(200, { errorCode: '97', message: 'Invalid checksum' });
      if (kind === 'init') {
        const orderId = String(m.orderId);
        orders.set(orderId, { orderId, amount: Number(m.amount), callbackUrl: String(m.callbackUrl), status: 'PENDING', transactionId: null, paidAmount: null, payDate: null, refunds: [], paidTransactions: [], init: m });
        return answer(200, { errorCode: '00', paymentUrl: `${url}/pay/${encodeURIComponent(orderId)}` });
      }
      const o = orders.get(String(m.orderId));
      if (kind === 'query') {
        if (!o) return answer(200, sign('queryAnswer', { partnerCode, orderId: m.orderId, status: 'NOT_FOUND', errorCode: '01' }));
        return answer(200, sign('queryAnswer', { partnerCode, orderId: o.orderId, status: o.status, transactionId: o.transactionId, amount: o.paidAmount ?? o.amount, currency: 'VND', errorCode: o.status === 'PAID' ? '00' : o.status === 'FAILED' ? '24' : '07', payDate: o.payDate }));
      }
      if (!o || !o.paidTransactions.includes(String(m.transactionId))) return answer(200, { errorCode: '02', message: 'Transaction not refundable' });
      const refundId = `RF${randomUUID().slice(0, 8)}`;
      o.refunds.push(refundId);
      return answer(200, { errorCode: '00', refundId });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url, partnerCode, secret,
    async complete(orderId, behaviour = { kind: 'pay' }) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId} at the test gateway`);
      switch (behaviour.kind) {
        case 'pay': return [await send(o, settle(o, true))];
        case 'fail': return [await send(o, settle(o, false))];
        case 'pay-twice': {
          const first = await send(o, settle(o, true));
          // The citizen paid again from another wallet: a second transaction for the same order.
          return [first, await send(o, settle(o, true))];
        }
        case 'change-amount': return [await send(o, settle(o, true, behaviour.amountVnd))];
        case 'never-call-back': settle(o, true); return [];
        case 'late': {
          const m = settle(o, true);
          return new Promise((resolve, reject) => {
            const t = setTimeout(() => { timers.delete(t); send(o, m).then((r) => resolve([r]), reject); }, behaviour.delayMs);
            timers.add(t);
          });
        }
      }
    },
    async callback(orderId, fields, o2 = {}) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId}`);
      const m = { partnerCode, orderId, transactionId: fields.transactionId ?? o.transactionId ?? 'PGFORGED1', amount: fields.amount ?? o.amount, currency: 'VND', errorCode: fields.errorCode ?? '00', payDate: paygovTime(new Date()) };
      return send(o, m, o2.secret);
    },
    orders: () => [...orders.values()],
    async close() {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
