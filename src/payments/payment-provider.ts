import type { OwedLine } from '../catalog/fee-lines.js';

/** What the service asks a payment platform to collect (the receipt data the platform needs). */
export interface InitiatePayment {
  reference: string;
  amountVnd: number;
  description: string;
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  agencyCode: string;
  agencyName: string;
  lines: OwedLine[];
  beneficiaryAccount: string | null;
  treasuryCode: string | null;
  callbackUrl: string;
  returnUrl: string;
  expiresAt: Date;
  now: Date;
}

/**
 * A payment result as the platform reports it (callback or query), already authenticated and read
 * from the signed fields only: a field the checksum does not cover decides nothing.
 */
export interface PaymentResult {
  reference: string;
  transactionId: string;
  /** The platform's result code ("00" = paid). */
  resultCode: string;
  paid: boolean;
  amountVnd: number;
  currency: string;
  paidAt: Date | null;
  /**
   * When the platform sent this message (a signed field): a callback outside the accepted window is
   * refused. Null for a query answer (the answer to our own request of a moment ago).
   */
  sentAt: Date | null;
  /** The signed fields as received, and the names of the unsigned ones that were ignored (kept in payment_transactions). */
  message: Record<string, unknown>;
}

export type ParsedCallback =
  { ok: true; result: PaymentResult } | { ok: false; reason: 'BAD_SIGNATURE' | 'MALFORMED' | 'WRONG_PARTNER'; message: Record<string, unknown> };

/** What we decided about a callback; the adapter turns it into the answer the platform expects. */
export type CallbackOutcome =
  'ACCEPTED' | 'ALREADY_PROCESSED' | 'BAD_SIGNATURE' | 'MALFORMED' | 'STALE' | 'UNKNOWN_REFERENCE' | 'AMOUNT_MISMATCH' | 'FAILED_RECORDED';

export type QueryAnswer = { state: 'PAID' | 'FAILED'; result: PaymentResult } | { state: 'PENDING' | 'UNKNOWN' };

/** What we ask to pay back: `refundId` is ours, generated when the refund was claimed, and the platform's idempotency key. */
export interface RefundOrder {
  refundId: string;
  reference: string;
  transactionId: string;
  amountVnd: number;
  reason: string;
  now: Date;
}

/**
 * The platform's word on a refund. REFUNDED: done (the same refund id again answers the same
 * refund). REFUSED: the platform answered and will not do it (e.g. the transaction was already paid
 * back under another id). A transport failure (timeout, 5xx, no answer) is thrown instead: the
 * refund may or may not have been made, so only a query by refund id can tell.
 */
export type RefundAnswer = { state: 'REFUNDED'; platformRefundId: string } | { state: 'REFUSED'; code: string; message: string };

/** A refund looked up by our refund id: done, in progress, or never received (then it is safe to send again with the same id). */
export type RefundQueryAnswer = { state: 'REFUNDED'; platformRefundId: string } | { state: 'PENDING' | 'UNKNOWN' };

/**
 * A payment platform. PayGov (the national payment platform) is the one adapter today
 * (paygov/paygov-adapter.ts holds every field name and the hash recipe); a bank's or wallet's
 * gateway would be another subclass. Nothing outside the adapter knows the wire format.
 */
export abstract class PaymentProvider {
  abstract readonly name: string;
  /** Registers the payment at the platform; returns where the citizen pays. */
  abstract initiate(p: InitiatePayment): Promise<{ paymentUrl: string }>;
  /** Authenticates (constant-time) and reads a callback body. */
  abstract parseCallback(body: unknown): ParsedCallback;
  /** The HTTP status and body the platform expects back for an outcome. */
  abstract callbackAnswer(outcome: CallbackOutcome): { status: number; body: Record<string, unknown> };
  /** Asks the platform where a payment stands (reconciliation). */
  abstract query(reference: string, now: Date): Promise<QueryAnswer>;
  /** Asks the platform to pay a transaction back, `refundId` being the idempotency key. */
  abstract refund(p: RefundOrder): Promise<RefundAnswer>;
  /** Asks the platform what became of a refund sent with this refund id (reconciliation of a claimed refund). */
  abstract queryRefund(p: { refundId: string; reference: string; now: Date }): Promise<RefundQueryAnswer>;
}
