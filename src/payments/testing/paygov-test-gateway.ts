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

/**
 * How the gateway takes refunds: `ok`; `down` (refunds and refund queries answer 503 and nothing
 * is done); `lose-answer` (the refund is made, then the connection drops before the answer, as a
 * crash or a network cut would); `refuse` (answered, signed, with a refusal).
 */
export type RefundMode = 'ok' | 'down' | 'lose-answer' | 'refuse';

/** A refund the gateway made: its id, ours (the idempotency key) and what it paid back. */
export interface GatewayRefund {
  refundId: string;
  partnerRefundId: string;
  orderId: string;
  transactionId: string;
  amount: number;
}

interface Order {
  orderId: string;
  amount: number;
  callbackUrl: string;
  status: 'PENDING' | 'PAID' | 'FAILED';
  transactionId: string | null;
  paidAmount: number | null;
  payDate: string | null;
  refunds: GatewayRefund[];
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
  /**
   * A callback as the platform would sign it (or not: `secret` to forge one), sent at `sentAt`
   * (default now), with `unsigned` fields added beside the signed ones after signing (tampering).
   */
  callback(
    orderId: string,
    fields: { transactionId?: string; amount?: number; errorCode?: string; sentAt?: Date },
    opts?: { secret?: string; unsigned?: Record<string, unknown> },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  orders(): Order[];
  /** Every refund the gateway made (a replay of one refund id is not a second). */
  refunds(): GatewayRefund[];
  /** How many refund requests reached the gateway, whatever became of them. */
  refundCalls(): number;
  setRefundMode(mode: RefundMode): void;
  close(): Promise<void>;
}

/**
 * The national payment platform played locally, speaking the message format assumed in
 * paygov-adapter.ts: it registers orders, and on `complete` pays, fails, pays twice, calls back
 * late, never calls back (only a query tells), or reports another amount than asked. It refunds
 * a paid transaction once, as a real platform does: the same refund id again answers the same
 * refund, another refund id for a transaction already paid back is refused; and it can be down,
 * lose its answer or refuse (`setRefundMode`). For tests, benchmarks and demonstrations only.
 */
export async function startPaygovTestGateway(opts: { partnerCode?: string; secret?: string; port?: number } = {}): Promise<PaygovTestGateway> {
  const partnerCode = opts.partnerCode ?? 'MOTCUA';
  const secret = opts.secret ?? PAYGOV_TEST_GATEWAY_SECRET;
  const orders = new Map<string, Order>();
  const timers = new Set<NodeJS.Timeout>();
  const refunds = new Map<string, GatewayRefund>();
  let refundCalls = 0;
  let refundMode: RefundMode = 'ok';

  const sign = (kind: Parameters<typeof paygovChecksum>[0], m: Record<string, unknown>, key = secret) => ({ ...m, checksum: paygovChecksum(kind, m, key) });
  // Each sending carries its own signed time (a retry too).
  const send = async (o: Order, m: Record<string, unknown>, key?: string, sentAt = new Date(), unsigned: Record<string, unknown> = {}) => {
    const body = { ...sign('callback', { ...m, requestTime: paygovTime(sentAt) }, key), ...unsigned };
    const res = await fetch(o.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const settle = (o: Order, paid: boolean, amount = o.amount) => {
    o.status = paid ? 'PAID' : 'FAILED';
    o.transactionId = `PG${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    o.paidAmount = amount;
    o.payDate = paygovTime(new Date());
    if (paid) o.paidTransactions.push(o.transactionId);
    return {
      partnerCode,
      orderId: o.orderId,
      transactionId: o.transactionId,
      amount,
      currency: 'VND',
      errorCode: paid ? '00' : '24',
      payDate: o.payDate,
      message: paid ? 'Giao dịch thành công' : 'Khách hàng hủy giao dịch',
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: Record<string, unknown>) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return answer(400, { errorCode: '99', message: 'bad json' });
      }
      const kinds = {
        '/api/payments/init': 'init',
        '/api/payments/query': 'query',
        '/api/payments/refund': 'refund',
        '/api/payments/refund-query': 'refundQuery',
      } as const;
      const kind = kinds[req.url as keyof typeof kinds] ?? null;
      if (!kind) return answer(404, { errorCode: '99', message: 'no such endpoint' });
      if (kind === 'refund') refundCalls++;
      if ((kind === 'refund' || kind === 'refundQuery') && refundMode === 'down') return answer(503, { errorCode: '96', message: 'System maintenance' });
      if (m.checksum !== paygovChecksum(kind, m, secret) || m.partnerCode !== partnerCode) return answer(200, { errorCode: '97', message: 'Invalid checksum' });
      if (kind === 'init') {
        const orderId = String(m.orderId);
        orders.set(orderId, {
          orderId,
          amount: Number(m.amount),
          callbackUrl: String(m.callbackUrl),
          status: 'PENDING',
          transactionId: null,
          paidAmount: null,
          payDate: null,
          refunds: [],
          paidTransactions: [],
          init: m,
        });
        return answer(200, { errorCode: '00', paymentUrl: `${url}/pay/${encodeURIComponent(orderId)}` });
      }
      if (kind === 'refundQuery') {
        const r = refunds.get(String(m.partnerRefundId));
        return answer(
          200,
          sign(
            'refundQueryAnswer',
            r
              ? { partnerCode, partnerRefundId: r.partnerRefundId, orderId: r.orderId, status: 'REFUNDED', refundId: r.refundId, amount: r.amount }
              : { partnerCode, partnerRefundId: m.partnerRefundId, orderId: m.orderId, status: 'NOT_FOUND' },
          ),
        );
      }
      const o = orders.get(String(m.orderId));
      if (kind === 'query') {
        if (!o) return answer(200, sign('queryAnswer', { partnerCode, orderId: m.orderId, status: 'NOT_FOUND', errorCode: '01' }));
        return answer(
          200,
          sign('queryAnswer', {
            partnerCode,
            orderId: o.orderId,
            status: o.status,
            transactionId: o.transactionId,
            amount: o.paidAmount ?? o.amount,
            currency: 'VND',
            errorCode: o.status === 'PAID' ? '00' : o.status === 'FAILED' ? '24' : '07',
            payDate: o.payDate,
          }),
        );
      }
      const partnerRefundId = typeof m.partnerRefundId === 'string' && m.partnerRefundId ? m.partnerRefundId : null;
      const refused = (errorCode: string, message: string) => answer(200, { ...sign('refundAnswer', { partnerCode, partnerRefundId, errorCode }), message });
      if (!partnerRefundId) return refused('99', 'partnerRefundId required');
      if (refundMode === 'refuse') return refused('05', 'Refund rejected by the bank');
      // The idempotency key: the same refund id is the same refund, answered again.
      const known = refunds.get(partnerRefundId);
      if (!known) {
        if (!o || !o.paidTransactions.includes(String(m.transactionId))) return refused('02', 'Transaction not refundable');
        if (o.refunds.some((r) => r.transactionId === String(m.transactionId))) return refused('03', 'Transaction already refunded');
        const made: GatewayRefund = {
          refundId: `RF${randomUUID().slice(0, 8)}`,
          partnerRefundId,
          orderId: o.orderId,
          transactionId: String(m.transactionId),
          amount: Number(m.amount),
        };
        refunds.set(partnerRefundId, made);
        o.refunds.push(made);
      }
      if (refundMode === 'lose-answer') return void req.socket.destroy();
      return answer(200, sign('refundAnswer', { partnerCode, partnerRefundId, errorCode: '00', refundId: refunds.get(partnerRefundId)!.refundId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    partnerCode,
    secret,
    async complete(orderId, behaviour = { kind: 'pay' }) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId} at the test gateway`);
      switch (behaviour.kind) {
        case 'pay':
          return [await send(o, settle(o, true))];
        case 'fail':
          return [await send(o, settle(o, false))];
        case 'pay-twice': {
          const first = await send(o, settle(o, true));
          // The citizen paid again from another wallet: a second transaction for the same order.
          return [first, await send(o, settle(o, true))];
        }
        case 'change-amount':
          return [await send(o, settle(o, true, behaviour.amountVnd))];
        case 'never-call-back':
          settle(o, true);
          return [];
        case 'late': {
          const m = settle(o, true);
          return new Promise((resolve, reject) => {
            const t = setTimeout(() => {
              timers.delete(t);
              send(o, m).then((r) => resolve([r]), reject);
            }, behaviour.delayMs);
            timers.add(t);
          });
        }
      }
    },
    async callback(orderId, fields, o2 = {}) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId}`);
      const m = {
        partnerCode,
        orderId,
        transactionId: fields.transactionId ?? o.transactionId ?? 'PGFORGED1',
        amount: fields.amount ?? o.amount,
        currency: 'VND',
        errorCode: fields.errorCode ?? '00',
        payDate: o.payDate ?? paygovTime(new Date()),
      };
      return send(o, m, o2.secret, fields.sentAt, o2.unsigned);
    },
    orders: () => [...orders.values()],
    refunds: () => [...refunds.values()],
    refundCalls: () => refundCalls,
    setRefundMode(mode) {
      refundMode = mode;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
