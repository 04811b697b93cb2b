import { outboxTopic } from '../outbox/outbox.js';
import type { PaymentMethod, PaymentStage, PaymentStatus } from './payment.entity.js';

/**
 * What every payment change tells the outside (the national portal, webhooks): a thin payload of
 * ids, codes, amount, status and time. One topic per kind of change, so a subscriber takes only
 * what it needs (webhooks: `payment.paid`).
 */
export interface PaymentChangedPayload {
  paymentRequestId: string;
  dossierId: string;
  dossierCode: string;
  reference: string;
  stage: PaymentStage;
  status: PaymentStatus;
  amountVnd: number;
  method: PaymentMethod | null;
  /** The platform's transaction, when one is concerned. */
  transactionId?: string | null;
  receipt?: { id: string; series: string; number: number } | null;
  /** payment.flagged: why (AMOUNT_MISMATCH, PAID_TWICE, LATE_PAYMENT, REFUND_REFUSED). */
  flag?: string;
  at: string;
}

export const PAYMENT_TOPICS = {
  requested: outboxTopic<PaymentChangedPayload>('payment.requested'),
  paid: outboxTopic<PaymentChangedPayload>('payment.paid'),
  failed: outboxTopic<PaymentChangedPayload>('payment.failed'),
  flagged: outboxTopic<PaymentChangedPayload>('payment.flagged'),
  cancelled: outboxTopic<PaymentChangedPayload>('payment.cancelled'),
  expired: outboxTopic<PaymentChangedPayload>('payment.expired'),
  /** A refund claimed (REFUNDING): from here the request no longer counts as paid; `refunded` follows once the platform made it. */
  refundRequested: outboxTopic<PaymentChangedPayload>('payment.refund-requested'),
  refunded: outboxTopic<PaymentChangedPayload>('payment.refunded'),
} as const;
export type PaymentChange = keyof typeof PAYMENT_TOPICS;
