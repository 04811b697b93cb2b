import { createHash, timingSafeEqual } from 'node:crypto';
import { parseVietnamCompactTime, vietnamCompactTime } from '../../common/clock.js';
import { type CallbackOutcome, type InitiatePayment, type ParsedCallback, PaymentProvider, type PaymentResult, type QueryAnswer } from '../payment-provider.js';

/*
 * THE ONE FILE THAT KNOWS THE PAYGOV WIRE FORMAT (field names, hash recipe, codes, answers).
 *
 * The national payment platform's specification is not public. What is here is assumed from what
 * vendors describe (docs/PAYMENTS.md says what, and what a real contract changes): JSON over HTTPS,
 * every message carrying `checksum` = hex SHA-256 over the message's fields in a fixed order joined
 * by "|", followed by "|" and the partner's shared secret; result code "00" = paid; times as
 * yyyyMMddHHmmss in Vietnam time; amounts in whole VND.
 */

/** Field order of each message's checksum (the recipe). */
export const PAYGOV_CHECKSUM_FIELDS = {
  init: ['partnerCode', 'orderId', 'amount', 'currency', 'orderInfo', 'dossierCode', 'agencyCode', 'requestTime'],
  callback: ['partnerCode', 'orderId', 'transactionId', 'amount', 'currency', 'errorCode', 'payDate'],
  query: ['partnerCode', 'orderId', 'requestTime'],
  queryAnswer: ['partnerCode', 'orderId', 'status', 'transactionId', 'amount', 'errorCode'],
  refund: ['partnerCode', 'orderId', 'transactionId', 'amount', 'requestTime'],
} as const;

export const PAYGOV_PAID = '00';

/** The checksum of a message: SHA-256 over its fields in the recipe's order, then the secret. */
export function paygovChecksum(kind: keyof typeof PAYGOV_CHECKSUM_FIELDS, message: Record<string, unknown>, secret: string): string {
  const parts = PAYGOV_CHECKSUM_FIELDS[kind].map((f) => (message[f] === undefined || message[f] === null ? '' : String(message[f])));
  return createHash('sha256').update([...parts, secret].join('|'), 'utf8').digest('hex');
}

/** Constant-time comparison of a received checksum with the expected one. */
export function checksumMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string' || !/^[0-9a-fA-F]{64}$/.test(received)) return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'));
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
    const res = await fetch(new URL(path, this.s.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(this.s.timeoutMs ?? 10_000) });
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
      partnerCode: this.s.partnerCode, orderId: p.reference, amount: p.amountVnd, currency: 'VND', orderInfo: p.description,
      dossierCode: p.dossierCode, procedureCode: p.procedureCode, procedureName: p.procedureName, agencyCode: p.agencyCode, agencyName: p.agencyName,
      feeLines: p.lines.map((l) => ({ code: l.code, name: l.name, amount: l.amountVnd })),
      beneficiaryAccount: p.beneficiaryAccount, treasuryCode: p.treasuryCode,
      callbackUrl: p.callbackUrl, returnUrl: p.returnUrl, expireTime: paygovTime(p.expiresAt), requestTime: paygovTime(p.now),
    };
    msg.checksum = paygovChecksum('init', msg, this.s.secret);
    const answer = await this.post('/api/payments/init', msg);
    if (answer.errorCode !== '00' || typeof answer.paymentUrl !== 'string') throw new Error(`PayGov refused the payment: ${String(answer.errorCode)} ${String(answer.message ?? '')}`);
    return { paymentUrl: answer.paymentUrl };
  }

  parseCallback(body: unknown): ParsedCallback {
    const m = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (typeof m.orderId !== 'string' || typeof m.transactionId !== 'string' || typeof m.errorCode !== 'string' || !Number.isSafeInteger(Number(m.amount))) {
      return { ok: false, reason: 'MALFORMED', message: m };
    }
    if (!checksumMatches(m.checksum, paygovChecksum('callback', m, this.s.secret))) return { ok: false, reason: 'BAD_SIGNATURE', message: m };
    if (m.partnerCode !== this.s.partnerCode) return { ok: false, reason: 'WRONG_PARTNER', message: m };
    return { ok: true, result: this.result(m) };
  }

  private result(m: Record<string, unknown>): PaymentResult {
    return {
      reference: String(m.orderId), transactionId: String(m.transactionId), resultCode: String(m.errorCode), paid: m.errorCode === PAYGOV_PAID && (m.status === undefined || m.status === 'PAID'),
      amountVnd: Number(m.amount), currency: typeof m.currency === 'string' ? m.currency : 'VND', paidAt: parsePaygovTime(m.payDate), message: m,
    };
  }

  callbackAnswer(outcome: CallbackOutcome): { status: number; body: Record<string, unknown> } {
    // The platform retries until it reads errorCode "00"; a refusal is answered 200 with its code.
    const codes: Record<CallbackOutcome, [string, string]> = {
      ACCEPTED: ['00', 'Confirm Success'],
      ALREADY_PROCESSED: ['00', 'Order already confirmed'],
      FAILED_RECORDED: ['00', 'Confirm Success'],
      BAD_SIGNATURE: ['97', 'Invalid checksum'],
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
    if (a.status === 'PAID' || a.status === 'FAILED') return { state: a.status, result: this.result(a) };
    return { state: a.status === 'PENDING' ? 'PENDING' : 'UNKNOWN' };
  }

  async refund(p: { reference: string; transactionId: string; amountVnd: number; reason: string; now: Date }): Promise<{ refundId: string }> {
    const msg: Record<string, unknown> = { partnerCode: this.s.partnerCode, orderId: p.reference, transactionId: p.transactionId, amount: p.amountVnd, reason: p.reason, requestTime: paygovTime(p.now) };
    msg.checksum = paygovChecksum('refund', msg, this.s.secret);
    const a = await this.post('/api/payments/refund', msg);
    if (a.errorCode !== '00' || typeof a.refundId !== 'string') throw new Error(`PayGov refused the refund: ${String(a.errorCode)} ${String(a.message ?? '')}`);
    return { refundId: a.refundId };
  }
}
