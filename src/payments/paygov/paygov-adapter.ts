import { createHash, timingSafeEqual } from 'node:crypto';
import { parseVietnamCompactTime, vietnamCompactTime } from '../../common/clock.js';
import {
  type CallbackOutcome,
  type InitiatePayment,
  type ParsedCallback,
  PaymentProvider,
  type PaymentResult,
  type QueryAnswer,
  type RefundAnswer,
  type RefundOrder,
  type RefundQueryAnswer,
} from '../payment-provider.js';

/*
 * THE ONE FILE THAT KNOWS THE PAYGOV WIRE FORMAT (field names, hash recipe, codes, answers).
 *
 * The national payment platform's specification is not public. What is here is assumed from what
 * vendors describe (docs/PAYMENTS.md says what, and what a real contract changes): JSON over HTTPS,
 * every message carrying `checksum` = hex SHA-256 over the message's fields in a fixed order joined
 * by "|", followed by "|" and the partner's shared secret; result code "00" = paid; times as
 * yyyyMMddHHmmss in Vietnam time; amounts in whole VND. Only the fields a message's recipe lists are
 * read from it: anything else travelling beside them is unsigned, so it is ignored (and named in
 * what is kept), never used to decide.
 */

/** Field order of each message's checksum (the recipe). */
export const PAYGOV_CHECKSUM_FIELDS = {
  init: ['partnerCode', 'orderId', 'amount', 'currency', 'orderInfo', 'dossierCode', 'agencyCode', 'requestTime'],
  // requestTime: when the platform sent this callback (a retry carries a new one); payDate: when the citizen paid.
  callback: ['partnerCode', 'orderId', 'transactionId', 'amount', 'currency', 'errorCode', 'payDate', 'requestTime'],
  query: ['partnerCode', 'orderId', 'requestTime'],
  queryAnswer: ['partnerCode', 'orderId', 'status', 'transactionId', 'amount', 'currency', 'errorCode', 'payDate'],
  // partnerRefundId: our refund id, the platform's idempotency key (the same id again is the same refund).
  refund: ['partnerCode', 'partnerRefundId', 'orderId', 'transactionId', 'amount', 'requestTime'],
  refundAnswer: ['partnerCode', 'partnerRefundId', 'errorCode', 'refundId'],
  refundQuery: ['partnerCode', 'partnerRefundId', 'orderId', 'requestTime'],
  refundQueryAnswer: ['partnerCode', 'partnerRefundId', 'orderId', 'status', 'refundId', 'amount'],
} as const;
type PaygovMessageKind = keyof typeof PAYGOV_CHECKSUM_FIELDS;

export const PAYGOV_PAID = '00';

/** The checksum of a message: SHA-256 over its fields in the recipe's order, then the secret. */
export function paygovChecksum(kind: PaygovMessageKind, message: Record<string, unknown>, secret: string): string {
  const parts = PAYGOV_CHECKSUM_FIELDS[kind].map((f) => (message[f] === undefined || message[f] === null ? '' : String(message[f])));
  return createHash('sha256')
    .update([...parts, secret].join('|'), 'utf8')
    .digest('hex');
}

/** Constant-time comparison of a received checksum with the expected one. */
export function checksumMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string' || !/^[0-9a-fA-F]{64}$/.test(received)) return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'));
}

/** The fields of a message its recipe signs (with the checksum), and the names of the others, which are ignored. */
export function signedPart(kind: PaygovMessageKind, m: Record<string, unknown>): { signed: Record<string, unknown>; ignored: string[] } {
  const fields: readonly string[] = PAYGOV_CHECKSUM_FIELDS[kind];
  const signed: Record<string, unknown> = {};
  for (const f of fields) if (m[f] !== undefined) signed[f] = m[f];
  if (m.checksum !== undefined) signed.checksum = m.checksum;
  return { signed, ignored: Object.keys(m).filter((k) => k !== 'checksum' && !fields.includes(k)) };
}

/** PayGov's times are yyyyMMddHHmmss in Vietnam time, as the national portal's. */
export const paygovTime = vietnamCompactTime;
export const parsePaygovTime = parseVietnamCompactTime;

export interface PaygovSettings {
  url: string;
  partnerCode: string;
  secret: string;
  timeoutMs?: number;
}

export class PaygovProvider extends PaymentProvider {
  readonly name = 'PAYGOV';

  constructor(private readonly s: PaygovSettings) {
    super();
  }

  private async post(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await fetch(new URL(path, this.s.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.s.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`PayGov ${path} answered ${res.status} with no JSON`);
    }
    if (!res.ok) throw new Error(`PayGov ${path} answered ${res.status}: ${String(json.message ?? '')}`);
    return json;
  }

  async initiate(p: InitiatePayment): Promise<{ paymentUrl: string }> {
    const msg: Record<string, unknown> = {
      partnerCode: this.s.partnerCode,
      orderId: p.reference,
      amount: p.amountVnd,
      currency: 'VND',
      orderInfo: p.description,
      dossierCode: p.dossierCode,
      procedureCode: p.procedureCode,
      procedureName: p.procedureName,
      agencyCode: p.agencyCode,
      agencyName: p.agencyName,
      feeLines: p.lines.map((l) => ({ code: l.code, name: l.name, amount: l.amountVnd })),
      beneficiaryAccount: p.beneficiaryAccount,
      treasuryCode: p.treasuryCode,
      callbackUrl: p.callbackUrl,
      returnUrl: p.returnUrl,
      expireTime: paygovTime(p.expiresAt),
      requestTime: paygovTime(p.now),
    };
    msg.checksum = paygovChecksum('init', msg, this.s.secret);
    const answer = await this.post('/api/payments/init', msg);
    if (answer.errorCode !== '00' || typeof answer.paymentUrl !== 'string')
      throw new Error(`PayGov refused the payment: ${String(answer.errorCode)} ${String(answer.message ?? '')}`);
    return { paymentUrl: answer.paymentUrl };
  }

  parseCallback(body: unknown): ParsedCallback {
    const m = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (
      typeof m.orderId !== 'string' ||
      typeof m.transactionId !== 'string' ||
      typeof m.errorCode !== 'string' ||
      !Number.isSafeInteger(Number(m.amount)) ||
      !parsePaygovTime(m.requestTime)
    ) {
      return { ok: false, reason: 'MALFORMED', message: m };
    }
    if (!checksumMatches(m.checksum, paygovChecksum('callback', m, this.s.secret))) return { ok: false, reason: 'BAD_SIGNATURE', message: m };
    if (m.partnerCode !== this.s.partnerCode) return { ok: false, reason: 'WRONG_PARTNER', message: m };
    return { ok: true, result: this.result('callback', m) };
  }

  /** A result read from the signed fields of a callback or a query answer only (a `status` beside a callback's signed fields is ignored). */
  private result(kind: 'callback' | 'queryAnswer', m: Record<string, unknown>): PaymentResult {
    const { signed, ignored } = signedPart(kind, m);
    const paid = signed.errorCode === PAYGOV_PAID && (kind === 'callback' || signed.status === 'PAID');
    return {
      reference: String(signed.orderId),
      transactionId: String(signed.transactionId),
      resultCode: String(signed.errorCode),
      paid,
      amountVnd: Number(signed.amount),
      currency: typeof signed.currency === 'string' ? signed.currency : 'VND',
      paidAt: parsePaygovTime(signed.payDate),
      sentAt: kind === 'callback' ? parsePaygovTime(signed.requestTime) : null,
      message: ignored.length ? { ...signed, unsignedIgnored: ignored } : signed,
    };
  }

  callbackAnswer(outcome: CallbackOutcome): { status: number; body: Record<string, unknown> } {
    // The platform retries until it reads errorCode "00"; a refusal is answered 200 with its code.
    const codes: Record<CallbackOutcome, [string, string]> = {
      ACCEPTED: ['00', 'Confirm Success'],
      ALREADY_PROCESSED: ['00', 'Order already confirmed'],
      FAILED_RECORDED: ['00', 'Confirm Success'],
      BAD_SIGNATURE: ['97', 'Invalid checksum'],
      STALE: ['94', 'Request time outside the accepted window'],
      MALFORMED: ['99', 'Invalid request'],
      UNKNOWN_REFERENCE: ['01', 'Order not found'],
      AMOUNT_MISMATCH: ['04', 'Invalid amount'],
    };
    const [errorCode, message] = codes[outcome];
    return { status: 200, body: { errorCode, message } };
  }

  async query(reference: string, now: Date): Promise<QueryAnswer> {
    const msg: Record<string, unknown> = { partnerCode: this.s.partnerCode, orderId: reference, requestTime: paygovTime(now) };
    msg.checksum = paygovChecksum('query', msg, this.s.secret);
    const a = await this.post('/api/payments/query', msg);
    if (!checksumMatches(a.checksum, paygovChecksum('queryAnswer', a, this.s.secret))) throw new Error('PayGov query answer has a bad checksum');
    if (a.partnerCode !== this.s.partnerCode || a.orderId !== reference) throw new Error('PayGov query answer is about another order');
    if (a.status === 'PAID' || a.status === 'FAILED') return { state: a.status, result: this.result('queryAnswer', a) };
    return { state: a.status === 'PENDING' ? 'PENDING' : 'UNKNOWN' };
  }

  async refund(p: RefundOrder): Promise<RefundAnswer> {
    const msg: Record<string, unknown> = {
      partnerCode: this.s.partnerCode,
      partnerRefundId: p.refundId,
      orderId: p.reference,
      transactionId: p.transactionId,
      amount: p.amountVnd,
      reason: p.reason,
      requestTime: paygovTime(p.now),
    };
    msg.checksum = paygovChecksum('refund', msg, this.s.secret);
    const a = await this.post('/api/payments/refund', msg);
    // An answer we cannot authenticate says nothing about the refund: thrown, so that a query by refund id decides.
    if (!checksumMatches(a.checksum, paygovChecksum('refundAnswer', a, this.s.secret)) || a.partnerRefundId !== p.refundId)
      throw new Error('PayGov refund answer has a bad checksum');
    if (a.errorCode === PAYGOV_PAID && typeof a.refundId === 'string') return { state: 'REFUNDED', platformRefundId: a.refundId };
    return { state: 'REFUSED', code: String(a.errorCode), message: String(a.message ?? '') };
  }

  async queryRefund(p: { refundId: string; reference: string; now: Date }): Promise<RefundQueryAnswer> {
    const msg: Record<string, unknown> = { partnerCode: this.s.partnerCode, partnerRefundId: p.refundId, orderId: p.reference, requestTime: paygovTime(p.now) };
    msg.checksum = paygovChecksum('refundQuery', msg, this.s.secret);
    const a = await this.post('/api/payments/refund-query', msg);
    if (!checksumMatches(a.checksum, paygovChecksum('refundQueryAnswer', a, this.s.secret)) || a.partnerRefundId !== p.refundId)
      throw new Error('PayGov refund query answer has a bad checksum');
    if (a.status === 'REFUNDED' && typeof a.refundId === 'string') return { state: 'REFUNDED', platformRefundId: a.refundId };
    return { state: a.status === 'PENDING' ? 'PENDING' : 'UNKNOWN' };
  }
}
