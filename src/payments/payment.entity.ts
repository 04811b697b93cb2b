import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { OwedLine } from '../catalog/fee-lines.js';

export const PAYMENT_STATUSES = ['PENDING', 'PAID', 'CANCELLED', 'EXPIRED', 'REFUNDING', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What a request collects: a collection point of the catalogue's lines, or a variable fee an officer set. */
export const PAYMENT_STAGES = ['AT_SUBMISSION', 'AT_RECEPTION', 'AT_RESULT', 'VARIABLE'] as const;
export type PaymentStage = (typeof PAYMENT_STAGES)[number];

/** How it was paid: the national payment platform, a VietQR bank transfer, at the desk, or nothing owed (exempt). */
export const PAYMENT_METHODS = ['PAYGOV', 'VIETQR', 'COUNTER_CASH', 'COUNTER_CARD', 'EXEMPT'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * A payment request (yêu cầu thanh toán) of a dossier: its lines and total, where it stands
 * (PENDING → PAID | CANCELLED | EXPIRED; PAID → REFUNDING → REFUNDED, or PAID → REFUNDED when no
 * platform is involved), how it was paid, and the platform's transaction. Owned by the payments
 * capability; at most one PENDING request per dossier and stage.
 */
@Entity('payment_requests')
@Index('uq_payment_requests_pending_stage', ['dossierId', 'stage'], { unique: true, where: `"status" = 'PENDING'` })
@Index('idx_payment_requests_pending', ['createdAt', 'id'], { where: `"status" = 'PENDING'` })
@Index('idx_payment_requests_refunding', ['refundRequestedAt', 'id'], { where: `"status" = 'REFUNDING'` })
@Index('idx_payment_requests_dossier', ['dossierId', 'createdAt'])
export class PaymentRequest {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Our reference at the platform (mã tham chiếu): the dossier code and a counter, unique. */
  @Index('uq_payment_requests_reference', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  reference: string;

  @Column({ type: 'uuid' })
  dossierId: string;

  @Column({ type: 'varchar', length: 40 })
  dossierCode: string;

  @Column({ type: 'varchar', length: 40 })
  procedureCode: string;

  /** The agency that collects (issues the receipt): the dossier's competent agency. */
  @Column({ type: 'varchar', length: 40 })
  collectingAgencyCode: string;

  @Column({ type: 'varchar', length: 16 })
  stage: PaymentStage;

  @Column({ type: 'varchar', length: 12 })
  status: PaymentStatus;

  @Column({ type: 'bigint' })
  amountVnd: string;

  @Column({ type: 'char', length: 3, default: 'VND' })
  currency: string;

  @Column({ type: 'jsonb' })
  lines: OwedLine[];

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  method: PaymentMethod | null;

  /** The platform's transaction id of the payment that settled it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  providerTransactionId: string | null;

  @Column({ type: 'text', nullable: true })
  paymentUrl: string | null;

  /** The payer as the desk recorded them, or the platform reported. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  payerName: string | null;

  /** Who recorded a desk or bank-transfer payment, a cancel or a refund. */
  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  /** Something for an officer to look at: an amount mismatch, a second payment to refund, … */
  @Column({ type: 'varchar', length: 40, nullable: true })
  flag: string | null;

  @Column({ type: 'text', nullable: true })
  flagDetail: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  closeReason: string | null;

  /**
   * Our id of its refund, generated when the refund is claimed (PAID → REFUNDING) and sent as the
   * platform's idempotency key: however often it is sent, it is one refund.
   */
  @Index('uq_payment_requests_refund_id', { unique: true, where: `"refund_id" IS NOT NULL` })
  @Column({ type: 'varchar', length: 64, nullable: true })
  refundId: string | null;

  /** When the refund was claimed: from then on the request no longer counts as paid. */
  @Column({ type: 'timestamptz', nullable: true })
  refundRequestedAt: Date | null;

  /** How often the refund was sent to the platform, when last, and why the last attempt did not settle it. */
  @Column({ type: 'int', default: 0 })
  refundAttempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  refundAttemptedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  refundError: string | null;

  /** The platform's id of the refund it made. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  providerRefundId: string | null;

  /** When the reconciliation job last asked the platform about it. */
  @Column({ type: 'timestamptz', nullable: true })
  lastQueriedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * Every payment message about a request (its signed fields): callbacks, query answers, desk and
 * transfer records, refunds. (provider, reference, transaction id) is unique among what is not a
 * failure, so a replayed callback is recognised and changes nothing; a failure is unique with its
 * result code, so it never holds the transaction id against a later success. What a message
 * decided is in `outcome`.
 */
@Entity('payment_transactions')
@Index('uq_payment_transactions_txn', ['provider', 'reference', 'transactionId'], { unique: true, where: `"outcome" <> 'FAILED'` })
@Index('uq_payment_transactions_failure', ['provider', 'reference', 'transactionId', 'resultCode'], { unique: true, where: `"outcome" = 'FAILED'` })
export class PaymentTransaction {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  paymentRequestId: string | null;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ type: 'varchar', length: 64 })
  reference: string;

  @Column({ type: 'varchar', length: 64 })
  transactionId: string;

  /** CALLBACK, QUERY (reconciliation), COUNTER, BANK_TRANSFER, REFUND. */
  @Column({ type: 'varchar', length: 16 })
  via: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  resultCode: string | null;

  @Column({ type: 'bigint', nullable: true })
  amountVnd: string | null;

  /** APPLIED (settled the request), FAILED, AMOUNT_MISMATCH, DUPLICATE (paid twice: to refund), LATE (request already closed), REFUNDED. */
  @Column({ type: 'varchar', length: 20 })
  outcome: string;

  @Column({ type: 'jsonb' })
  message: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  receivedAt: Date;
}

/**
 * A collecting agency's payment and receipt settings: its tax code and receipt form/series, the
 * beneficiary account and State Treasury the platform pays into, and its VietQR account if it takes
 * bank transfers. An agency without a row collects with the defaults (docs/PAYMENTS.md).
 */
@Entity('fee_collectors')
export class FeeCollector {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  agencyCode: string;

  @Column({ type: 'varchar', length: 14, nullable: true })
  taxCode: string | null;

  /** Ký hiệu mẫu biên lai, e.g. 01BLP0-001. */
  @Column({ type: 'varchar', length: 20 })
  formCode: string;

  /** The series' letters; the series is `<letters>-<yy>E` (e.g. HT-26E), a new one each year. */
  @Column({ type: 'varchar', length: 6 })
  seriesPrefix: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  beneficiaryAccount: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  treasuryCode: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  vietqrBankBin: string | null;

  @Column({ type: 'varchar', length: 19, nullable: true })
  vietqrAccountNo: string | null;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
