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

/** A payment result as the platform reports it (callback or query), already authenticated. */
export interface PaymentResult {
  reference: string;
  transactionId: string;
  /** The platform's result code ("00" = paid). */
  resultCode: string;
  paid: boolean;
  amountVnd: number;
  currency: string;
  paidAt: Date | null;
  /** The message as received (kept in payment_transactions). */
  message: Record<string, unknown>;
}

export type ParsedCallback = { ok: true; result: PaymentResult } | { ok: false; reason: 'BAD_SIGNATURE' | 'MALFORMED' | 'WRONG_PARTNER'; message: Record<string, unknown> };

/** What we decided about a callback; the adapter turns it into the answer the platform expects. */
export type CallbackOutcome = 'ACCEPTED' | 'ALREADY_PROCESSED' | 'BAD_SIGNATURE' | 'MALFORMED' | 'UNKNOWN_REFERENCE' | 'AMOUNT_MISMATCH' | 'FAILED_RECORDED';

export type QueryAnswer = { state: 'PAID' | 'FAILED'; result: PaymentResult } | { state: 'PENDING' | 'UNKNOWN' };

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
  /** Asks the platform to pay a transaction back. */
  abstract refund(p: { reference: string; transactionId: string; amountVnd: number; reason: string; now: Date }): Promise<{ refundId: string }>;
}
