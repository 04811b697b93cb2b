import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import type { OwedLine } from '../catalog/fee-lines.js';
import { AppConfig } from '../config/app-config.js';
import { lockDossier, recordLockedDossierEvents, requireTransaction } from '../dossier-record/journal.js';
import { enqueue } from '../outbox/outbox.js';
import { ReceiptsService, type ReceiptView } from './receipts/receipts.service.js';
import type { PaymentMethod, PaymentStage, PaymentStatus } from './payment.entity.js';
import { publishIntegrationEvents } from '../integration-events/integration-events.js';
import { PAYMENT_TOPICS, type PaymentChange } from './payment-topics.js';
import { PaymentErrors } from './payments.errors.js';
import { EVENT, type DossierEventType } from '../dossier-record/event-types.js';

export interface PaymentView {
  id: string;
  reference: string;
  dossierId: string;
  dossierCode: string;
  procedureCode: string;
  collectingAgencyCode: string;
  stage: PaymentStage;
  status: PaymentStatus;
  amountVnd: number;
  currency: string;
  lines: OwedLine[];
  description: string;
  method: PaymentMethod | null;
  providerTransactionId: string | null;
  paymentUrl: string | null;
  payerName: string | null;
  flag: string | null;
  flagDetail: string | null;
  expiresAt: string;
  paidAt: string | null;
  closedAt: string | null;
  closeReason: string | null;
  /** Our refund id (the platform's idempotency key), set when the refund is claimed. */
  refundId: string | null;
  refundRequestedAt: string | null;
  refundAttempts: number;
  /** Why the last attempt to send the refund did not settle it (the reconciliation job tries again). */
  refundError: string | null;
  providerRefundId: string | null;
  createdAt: string;
}

/** What a receipt names besides the payment: the procedure and the collecting agency. */
export interface ReceiptNames {
  procedureName: string;
  agencyName: string;
}

export interface PaymentActor {
  kind: string;
  id: string | null;
}

/** The dossier a request is opened for (read by its caller under the dossier's lock). */
export interface PayingDossier {
  id: string;
  code: string;
  procedureCode: string;
  collectingAgencyCode: string;
}

const EVENT_OF: Record<PaymentChange, DossierEventType> = {
  requested: EVENT.PAYMENT_REQUESTED,
  paid: EVENT.PAYMENT_PAID,
  failed: EVENT.PAYMENT_FAILED,
  flagged: EVENT.PAYMENT_FLAGGED,
  cancelled: EVENT.PAYMENT_CANCELLED,
  expired: EVENT.PAYMENT_EXPIRED,
  refundRequested: EVENT.PAYMENT_REFUND_REQUESTED,
  refunded: EVENT.PAYMENT_REFUNDED,
};

/**
 * The one owner of `payment_requests` and `payment_transactions`: opening a request, marking it
 * paid (with its receipt), closing it. Every change is, in the caller's transaction and under the
 * dossier's lock, a dossier event (through the journal) and an outbox intent (payment-topics.ts).
 * Has no dependency on the workflow, so the workflow's effects can use it (request-payment,
 * confirm-payment); after a platform's callback the payments service resumes the dossier through
 * the PaymentSettlement hook the workflow registers.
 */
@Injectable()
export class PaymentRequestsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ReceiptsService) private readonly receipts: ReceiptsService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
  ) {}

  /**
   * Opens a request for these lines. Nothing owed (every line exempt) is settled at once as EXEMPT,
   * without a receipt. One PENDING request per dossier and stage.
   */
  async open(
    em: EntityManager,
    d: PayingDossier,
    p: { stage: PaymentStage; lines: OwedLine[]; description: string; actor: PaymentActor; now: Date },
  ): Promise<PaymentView> {
    await lockDossier(em, d.id);
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM payment_requests WHERE dossier_id = $1`, [d.id]);
    const [{ pending }] = await em.query(`SELECT count(*)::int AS pending FROM payment_requests WHERE dossier_id = $1 AND stage = $2 AND status = 'PENDING'`, [
      d.id,
      p.stage,
    ]);
    if (pending > 0) throw PaymentErrors.PAYMENT_ALREADY_PENDING();
    const amount = p.lines.reduce((s, l) => s + l.amountVnd, 0);
    const exempt = amount === 0;
    const id = randomUUID();
    const expiresAt = new Date(p.now.getTime() + this.config.payments.ttlMinutes * 60_000);
    await em.query(
      `INSERT INTO payment_requests (id, reference, dossier_id, dossier_code, procedure_code, collecting_agency_code, stage, status, amount_vnd, currency, lines, description,
         method, expires_at, paid_at, closed_at, created_by, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'VND',$10,$11,$12,$13,$14,$14,$15,$16,$16)`,
      [
        id,
        `${d.code}-${n + 1}`,
        d.id,
        d.code,
        d.procedureCode,
        d.collectingAgencyCode,
        p.stage,
        exempt ? 'PAID' : 'PENDING',
        amount,
        JSON.stringify(p.lines),
        p.description,
        exempt ? 'EXEMPT' : null,
        expiresAt,
        exempt ? p.now : null,
        p.actor.kind === 'user' ? p.actor.id : null,
        p.now,
      ],
    );
    const view = (await this.byIds([id], em))[0];
    await this.change(em, view, 'requested', p.actor, p.now, {});
    if (exempt) await this.change(em, view, 'paid', p.actor, p.now, { exempt: true });
    return view;
  }

  /**
   * Marks a PENDING request paid and issues its receipt. The caller holds the dossier's lock (this
   * locks the request row after it). Returns null when the request is no longer PENDING.
   */
  async markPaid(
    em: EntityManager,
    requestId: string,
    p: { method: PaymentMethod; transactionId: string | null; payerName: string | null; actor: PaymentActor; now: Date; names: ReceiptNames },
  ): Promise<{ payment: PaymentView; receipt: ReceiptView } | null> {
    requireTransaction(em);
    const [row] = await em.query(`SELECT status FROM payment_requests WHERE id = $1 FOR UPDATE`, [requestId]);
    if (!row || row.status !== 'PENDING') return null;
    await em.query(
      `UPDATE payment_requests SET status = 'PAID', method = $2, provider_transaction_id = $3, payer_name = $4, recorded_by = $5, paid_at = $6, closed_at = $6, updated_at = $6 WHERE id = $1`,
      [requestId, p.method, p.transactionId, p.payerName, p.actor.kind === 'user' ? p.actor.id : null, p.now],
    );
    const payment = (await this.byIds([requestId], em))[0];
    const receipt = await this.receipts.issue(em, {
      paymentRequestId: payment.id,
      dossierId: payment.dossierId,
      dossierCode: payment.dossierCode,
      agencyCode: payment.collectingAgencyCode,
      ...p.names,
      lines: payment.lines,
      amountVnd: payment.amountVnd,
      method: p.method,
      payerName: p.payerName,
      now: p.now,
    });
    await this.change(
      em,
      payment,
      'paid',
      p.actor,
      p.now,
      { transactionId: p.transactionId },
      { id: receipt.id, series: receipt.series, number: receipt.number },
    );
    return { payment, receipt };
  }

  /** Closes a PENDING request as CANCELLED or EXPIRED (false when it was not pending any more). */
  async close(em: EntityManager, requestId: string, to: 'CANCELLED' | 'EXPIRED', p: { reason: string; actor: PaymentActor; now: Date }): Promise<boolean> {
    const [row] = await em.query(
      `UPDATE payment_requests SET status = $2, closed_at = $3, close_reason = $4, recorded_by = $5, updated_at = $3 WHERE id = $1 AND status = 'PENDING' RETURNING id`,
      [requestId, to, p.now, p.reason, p.actor.kind === 'user' ? p.actor.id : null],
    );
    if (!row) return false;
    const view = (await this.byIds([requestId], em))[0];
    await this.change(em, view, to === 'CANCELLED' ? 'cancelled' : 'expired', p.actor, p.now, { reason: p.reason });
    return true;
  }

  /**
   * Claims the refund of a PAID request before anything is sent (PAID → REFUNDING, with the refund
   * id the platform will be given as its idempotency key). The caller holds the dossier's lock and
   * commits before calling the platform; null when the request is not PAID.
   */
  async claimRefund(
    em: EntityManager,
    requestId: string,
    p: { refundId: string; reason: string; actor: PaymentActor; now: Date },
  ): Promise<PaymentView | null> {
    requireTransaction(em);
    const [row] = await em.query(
      `UPDATE payment_requests SET status = 'REFUNDING', refund_id = $2, refund_requested_at = $3, close_reason = $4, recorded_by = $5, updated_at = $3
        WHERE id = $1 AND status = 'PAID' RETURNING id`,
      [requestId, p.refundId, p.now, p.reason, p.actor.kind === 'user' ? p.actor.id : null],
    );
    if (!row) return null;
    const view = (await this.byIds([requestId], em))[0];
    await this.change(em, view, 'refundRequested', p.actor, p.now, { reason: p.reason, refundId: p.refundId });
    return view;
  }

  /**
   * Settles a refund: a claimed one (REFUNDING with this refund id) once the platform made it, or a
   * PAID request paid back without a platform (desk, transfer). Null when the request is in neither
   * state (another pass settled it first). The caller holds the dossier's lock.
   */
  async markRefunded(
    em: EntityManager,
    requestId: string,
    p: { reason: string; refundId: string; providerRefundId: string | null; actor: PaymentActor; now: Date },
  ): Promise<PaymentView | null> {
    requireTransaction(em);
    const [row] = await em.query(
      `UPDATE payment_requests SET status = 'REFUNDED', refund_id = $2, refund_requested_at = COALESCE(refund_requested_at, $3), provider_refund_id = $4, refund_error = NULL,
          close_reason = $5, recorded_by = COALESCE($6, recorded_by), updated_at = $3
        WHERE id = $1 AND (status = 'PAID' AND refund_id IS NULL OR status = 'REFUNDING' AND refund_id = $2) RETURNING id`,
      [requestId, p.refundId, p.now, p.providerRefundId, p.reason, p.actor.kind === 'user' ? p.actor.id : null],
    );
    if (!row) return null;
    const view = (await this.byIds([requestId], em))[0];
    await this.change(em, view, 'refunded', p.actor, p.now, { reason: p.reason, refundId: p.refundId, providerRefundId: p.providerRefundId });
    return view;
  }

  /** Counts an attempt to send a claimed refund (before it is sent), so the reconciliation job leaves a fresh one alone. */
  async noteRefundAttempt(id: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE payment_requests SET refund_attempts = refund_attempts + 1, refund_attempted_at = $2 WHERE id = $1 AND status = 'REFUNDING'`, [
      id,
      now,
    ]);
  }

  /** Why an attempt did not settle the refund; the request stays REFUNDING. */
  async noteRefundError(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE payment_requests SET refund_error = $2 WHERE id = $1 AND status = 'REFUNDING'`, [id, error.slice(0, 1000)]);
  }

  /** Sets a request's flag for an officer (an amount mismatch, a second payment to pay back). */
  async flag(
    em: EntityManager,
    requestId: string,
    flag: string,
    detail: string,
    p: { actor: PaymentActor; now: Date; transactionId?: string | null },
  ): Promise<void> {
    await em.query(`UPDATE payment_requests SET flag = $2, flag_detail = $3, updated_at = $4 WHERE id = $1`, [requestId, flag, detail, p.now]);
    const view = (await this.byIds([requestId], em))[0];
    await this.change(em, view, 'flagged', p.actor, p.now, { flag, detail, transactionId: p.transactionId ?? null }, null, flag);
  }

  /** A failed attempt at the platform: the request stays PENDING (the citizen may try again); the history says so. */
  async recordFailure(em: EntityManager, requestId: string, p: { resultCode: string; transactionId: string; actor: PaymentActor; now: Date }): Promise<void> {
    const view = (await this.byIds([requestId], em))[0];
    await this.change(em, view, 'failed', p.actor, p.now, { resultCode: p.resultCode, transactionId: p.transactionId });
  }

  /**
   * Keeps a payment message; false when it was seen before (a replay): the same (provider, reference,
   * transaction id) for what is not a failure, and with the same result code for a failure, so a
   * recorded failure never stops the same transaction's later success.
   */
  async recordTransaction(
    em: EntityManager,
    t: {
      paymentRequestId: string | null;
      provider: string;
      reference: string;
      transactionId: string;
      via: string;
      resultCode: string | null;
      amountVnd: number | null;
      outcome: string;
      message: Record<string, unknown>;
      now: Date;
    },
  ): Promise<boolean> {
    const rows = await em.query(
      `INSERT INTO payment_transactions (payment_request_id, provider, reference, transaction_id, via, result_code, amount_vnd, outcome, message, received_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING RETURNING id`,
      [t.paymentRequestId, t.provider, t.reference, t.transactionId, t.via, t.resultCode, t.amountVnd, t.outcome, JSON.stringify(t.message), t.now],
    );
    return rows.length > 0;
  }

  async byIds(ids: string[], em: EntityManager | DataSource = this.db): Promise<PaymentView[]> {
    const rows: Array<Record<string, unknown>> = await em.query(`SELECT * FROM payment_requests WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toPaymentView);
  }

  async byReference(reference: string, em: EntityManager | DataSource = this.db): Promise<PaymentView | null> {
    const rows: Array<Record<string, unknown>> = await em.query(`SELECT * FROM payment_requests WHERE reference = $1`, [reference]);
    return rows[0] ? toPaymentView(rows[0]) : null;
  }

  async ofDossier(dossierId: string, em: EntityManager | DataSource = this.db): Promise<PaymentView[]> {
    const rows: Array<Record<string, unknown>> = await em.query(`SELECT * FROM payment_requests WHERE dossier_id = $1 ORDER BY created_at, id`, [dossierId]);
    return rows.map(toPaymentView);
  }

  /** Pending requests due for a query (older than `olderThan`), oldest first; and those past their expiry. */
  async pendingForReconciliation(olderThan: Date, limit: number): Promise<PaymentView[]> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT * FROM payment_requests WHERE status = 'PENDING' AND created_at <= $1 ORDER BY created_at, id LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map(toPaymentView);
  }

  /**
   * Claimed refunds to reconcile: REFUNDING, not refused by the platform (an officer looks at
   * those), and not sent since `notSince` (a refund being sent right now is left to its sender).
   */
  async refundsForReconciliation(notSince: Date, limit: number): Promise<PaymentView[]> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT * FROM payment_requests WHERE status = 'REFUNDING' AND flag IS DISTINCT FROM 'REFUND_REFUSED' AND COALESCE(refund_attempted_at, refund_requested_at) <= $1
        ORDER BY refund_requested_at, id LIMIT $2`,
      [notSince, limit],
    );
    return rows.map(toPaymentView);
  }

  async markQueried(id: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE payment_requests SET last_queried_at = $2 WHERE id = $1`, [id, now]);
  }

  async setPaymentUrl(id: string, url: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE payment_requests SET payment_url = $2, updated_at = $3 WHERE id = $1`, [id, url, now]);
  }

  /**
   * The names a receipt prints, read through the catalogue and agencies services before the
   * payment's transaction (a second pool connection taken while a transaction holds one would
   * starve the pool under a burst of callbacks).
   */
  async receiptNames(p: Pick<PaymentView, 'procedureCode' | 'collectingAgencyCode'>): Promise<ReceiptNames> {
    const [procedure, agencyName] = await Promise.all([
      this.catalog.getProcedure(p.procedureCode).catch(() => null),
      this.receipts.agencyName(p.collectingAgencyCode),
    ]);
    return { procedureName: procedure?.name ?? p.procedureCode, agencyName };
  }

  private async change(
    em: EntityManager,
    v: PaymentView,
    change: PaymentChange,
    actor: PaymentActor,
    now: Date,
    data: Record<string, unknown>,
    receipt: { id: string; series: string; number: number } | null = null,
    flag?: string,
  ): Promise<void> {
    await recordLockedDossierEvents(em, [
      {
        dossierId: v.dossierId,
        type: EVENT_OF[change],
        actorKind: actor.kind,
        actorId: actor.id,
        at: now,
        data: {
          paymentRequestId: v.id,
          reference: v.reference,
          stage: v.stage,
          status: v.status,
          amountVnd: v.amountVnd,
          method: v.method,
          ...(receipt ? { receipt } : {}),
          ...data,
        },
      },
    ]);
    await enqueue(em, PAYMENT_TOPICS[change], {
      paymentRequestId: v.id,
      dossierId: v.dossierId,
      dossierCode: v.dossierCode,
      reference: v.reference,
      stage: v.stage,
      status: v.status,
      amountVnd: v.amountVnd,
      method: v.method,
      transactionId: (data.transactionId as string | null | undefined) ?? v.providerTransactionId,
      receipt,
      ...(flag ? { flag } : {}),
      at: now.toISOString(),
    });
    // Integrators subscribed to payment.paid are told (webhooks), with the same thin data.
    if (change === 'paid') {
      await publishIntegrationEvents(em, 'payment.paid', [
        {
          dossierId: v.dossierId,
          at: now,
          data: { paymentRequestId: v.id, reference: v.reference, stage: v.stage, amountVnd: v.amountVnd, method: v.method, receipt: receipt ?? null },
        },
      ]);
    }
  }
}

export function toPaymentView(r: Record<string, unknown>): PaymentView {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: r.id as string,
    reference: r.reference as string,
    dossierId: r.dossier_id as string,
    dossierCode: r.dossier_code as string,
    procedureCode: r.procedure_code as string,
    collectingAgencyCode: r.collecting_agency_code as string,
    stage: r.stage as PaymentStage,
    status: r.status as PaymentStatus,
    amountVnd: Number(r.amount_vnd),
    currency: (r.currency as string).trim(),
    lines: r.lines as OwedLine[],
    description: r.description as string,
    method: (r.method as PaymentMethod | null) ?? null,
    providerTransactionId: (r.provider_transaction_id as string | null) ?? null,
    paymentUrl: (r.payment_url as string | null) ?? null,
    payerName: (r.payer_name as string | null) ?? null,
    flag: (r.flag as string | null) ?? null,
    flagDetail: (r.flag_detail as string | null) ?? null,
    expiresAt: iso(r.expires_at)!,
    paidAt: iso(r.paid_at),
    closedAt: iso(r.closed_at),
    closeReason: (r.close_reason as string | null) ?? null,
    refundId: (r.refund_id as string | null) ?? null,
    refundRequestedAt: iso(r.refund_requested_at),
    refundAttempts: Number(r.refund_attempts ?? 0),
    refundError: (r.refund_error as string | null) ?? null,
    providerRefundId: (r.provider_refund_id as string | null) ?? null,
    createdAt: iso(r.created_at)!,
  };
}
