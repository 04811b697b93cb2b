import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { QRPay } from 'vietnam-qr-pay';
import { CatalogService } from '../catalog/catalog.service.js';
import { chargesAtSubmission, owedLines, type ApplicantCategory } from '../catalog/fee-lines.js';
import { STAFF_ROLES, type AuthUser, type Role } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { isDossierOwner } from '../dossier-record/dossier-access.js';
import { DossierStatus } from '../dossier-record/dossier-status.js';
import { DossierRecords, toParties, type DossierRow } from '../dossier-record/dossier-records.js';
import { journalTransaction, lockDossier } from '../dossier-record/journal.js';
import { PaymentSettlement } from './payment-settlement.js';
import { ReceiptsService, type ReceiptView } from './receipts/receipts.service.js';
import type { PaymentMethod } from './payment.entity.js';
import { PaymentProvider, type CallbackOutcome, type PaymentResult, type RefundAnswer } from './payment-provider.js';
import { dossierPayments, type DossierPayments } from './dossier-payments.js';
import { PaymentRequestsService, type PaymentActor, type PaymentView } from './payment-requests.service.js';
import { PaymentErrors } from './payments.errors.js';

const SYSTEM: PaymentActor = { kind: 'system', id: null };
const RECONCILE_BATCH = 200;
/** Requests whose reference a statement line's content carries, looked at per line (a reference inside a longer one matches too). */
const STATEMENT_CANDIDATES = 20;

/** What became of one bank-statement line. */
export interface StatementLineResult {
  bankReference: string;
  outcome: 'PAID' | 'NO_MATCH' | 'AMOUNT_MISMATCH' | 'ALREADY_RECORDED' | 'ERROR';
  paymentRequestId?: string;
  receiptNumber?: number;
  /** ERROR: the error's code. */
  code?: string;
}

/** Our stable code beside the platform's errorCode when a callback is refused (payments.errors.ts). */
const CALLBACK_REFUSALS: Partial<Record<CallbackOutcome, () => { code: string }>> = {
  MALFORMED: PaymentErrors.PAYMENT_CALLBACK_MALFORMED,
  BAD_SIGNATURE: PaymentErrors.PAYMENT_CALLBACK_BAD_SIGNATURE,
  STALE: PaymentErrors.PAYMENT_CALLBACK_STALE,
  UNKNOWN_REFERENCE: PaymentErrors.PAYMENT_CALLBACK_UNKNOWN_REFERENCE,
  AMOUNT_MISMATCH: PaymentErrors.PAYMENT_CALLBACK_AMOUNT_MISMATCH,
};

/**
 * Payments of dossiers: requests at submission, online payment through the platform (initiate,
 * callback, reconciliation by query, refund), VietQR transfers, desk payments, and the step of the
 * workflow that follows (a dossier in status 6 resumes when nothing is pending). Every state change
 * goes through PaymentRequestsService under the dossier's lock, in one transaction with its
 * receipt, its dossier events and its outbox intents.
 */
@Injectable()
export class PaymentsService {
  private readonly log = new Logger('Payments');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DossierRecords) private readonly dossiers: DossierRecords,
    @Inject(PaymentSettlement) private readonly settlement: PaymentSettlement,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(PaymentRequestsService) private readonly requests: PaymentRequestsService,
    @Inject(ReceiptsService) private readonly receipts: ReceiptsService,
    @Inject(PaymentProvider) private readonly provider: PaymentProvider | null,
  ) {}

  async ofDossier(user: AuthUser, idOrCode: string): Promise<DossierPayments> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    const [procedure, payments, receipts] = await Promise.all([
      this.catalog.getProcedureVersion(row.procedure_code, row.procedure_version),
      this.requests.ofDossier(row.id),
      this.receipts.ofDossiers([row.id]),
    ]);
    return dossierPayments(row, procedure.fees, payments, receipts.get(row.id) ?? []);
  }

  async receiptsOf(user: AuthUser, idOrCode: string): Promise<ReceiptView[]> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    return (await this.receipts.ofDossiers([row.id])).get(row.id) ?? [];
  }

  /** A receipt its dossier's viewers may read. */
  async receiptPdf(user: AuthUser, receiptId: string): Promise<{ pdf: Buffer; signed: boolean; receipt: ReceiptView }> {
    const r = await this.receipts.byId(receiptId);
    await this.dossiers.findVisibleRow(user, r.dossierId).catch(() => {
      throw PaymentErrors.RECEIPT_NOT_FOUND();
    });
    return this.receipts.pdf(receiptId);
  }

  /** The applicant opens the request of the fee due with the online submission (exempt lines at 0). */
  async openAtSubmission(user: AuthUser, idOrCode: string, category?: ApplicantCategory): Promise<PaymentView> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    if (!isDossierOwner(user, toParties(row)) && user.kind !== 'api-key') throw PaymentErrors.NOT_AT_SUBMISSION();
    const procedure = await this.catalog.getProcedureVersion(row.procedure_code, row.procedure_version);
    if (row.status !== DossierStatus.SUBMITTED || !chargesAtSubmission(procedure.fees)) throw PaymentErrors.NOT_AT_SUBMISSION();
    const lines = owedLines(procedure.fees, 'AT_SUBMISSION', 'ONLINE', category);
    return journalTransaction(this.db, (em) =>
      this.requests.open(em, payingDossier(row), {
        stage: 'AT_SUBMISSION',
        lines,
        description: `Phí, lệ phí nộp hồ sơ ${row.code}: ${lines.map((l) => l.name).join('; ')}`,
        actor: { kind: user.kind, id: user.id },
        now: this.clock.now(),
      }),
    );
  }

  /** Registers a pending request at the platform; answers where the citizen pays. */
  async payOnline(user: AuthUser, paymentId: string): Promise<{ paymentUrl: string; reference: string }> {
    const { payment, row } = await this.visiblePayment(user, paymentId);
    if (payment.status !== 'PENDING') throw PaymentErrors.PAYMENT_NOT_PENDING(payment.status);
    if (!this.provider) throw PaymentErrors.NO_ONLINE_PAYMENT();
    if (payment.paymentUrl) return { paymentUrl: payment.paymentUrl, reference: payment.reference };
    const [procedure, collector] = await Promise.all([
      this.catalog.getProcedureVersion(row.procedure_code, row.procedure_version),
      this.receipts.collector(payment.collectingAgencyCode),
    ]);
    const agencyName = await this.receipts.agencyName(payment.collectingAgencyCode);
    const now = this.clock.now();
    let paymentUrl: string;
    try {
      ({ paymentUrl } = await this.provider.initiate({
        reference: payment.reference,
        amountVnd: payment.amountVnd,
        description: payment.description,
        dossierCode: payment.dossierCode,
        procedureCode: procedure.code,
        procedureName: procedure.name,
        agencyCode: payment.collectingAgencyCode,
        agencyName,
        lines: payment.lines,
        beneficiaryAccount: collector.beneficiaryAccount,
        treasuryCode: collector.treasuryCode,
        callbackUrl: `${this.config.publicBaseUrl}/api/v1/payments/callbacks/paygov`,
        returnUrl: `${this.config.publicBaseUrl}/api/v1/dossiers/${row.id}/payments`,
        expiresAt: new Date(payment.expiresAt),
        now,
      }));
    } catch (e) {
      throw PaymentErrors.PLATFORM_UNAVAILABLE((e as Error).message);
    }
    await this.requests.setPaymentUrl(payment.id, paymentUrl, now);
    return { paymentUrl, reference: payment.reference };
  }

  /**
   * The platform's callback: authenticated, read from its signed fields only, refused when its
   * signed send time is outside the window (a replay of an old message; the reconciliation query
   * settles a genuine one), matched, applied once; answered as the platform expects.
   */
  async handlePaygovCallback(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    if (!this.provider) throw PaymentErrors.CALLBACKS_NOT_ENABLED();
    const parsed = this.provider.parseCallback(body);
    if (!parsed.ok) {
      // A forged or broken message is never stored where a real transaction id could collide with it.
      this.log.warn(`PayGov callback refused (${parsed.reason}) for reference ${String(parsed.message.orderId ?? '?')}`);
      return this.callbackAnswer(parsed.reason === 'MALFORMED' ? 'MALFORMED' : 'BAD_SIGNATURE');
    }
    const sentAt = parsed.result.sentAt;
    if (!sentAt || Math.abs(this.clock.now().getTime() - sentAt.getTime()) > this.config.payments.callbackWindowMs) {
      this.log.warn(`PayGov callback refused (STALE: sent ${sentAt?.toISOString() ?? '?'}) for reference ${parsed.result.reference}`);
      return this.callbackAnswer('STALE');
    }
    return this.callbackAnswer(await this.applyResult(parsed.result, 'CALLBACK'));
  }

  private callbackAnswer(outcome: CallbackOutcome): { status: number; body: Record<string, unknown> } {
    const answer = this.provider!.callbackAnswer(outcome);
    const refusal = CALLBACK_REFUSALS[outcome];
    return refusal ? { ...answer, body: { ...answer.body, code: refusal().code } } : answer;
  }

  /**
   * Applies a platform result (callback or query answer) under the dossier's lock. Idempotent on
   * (reference, transaction id): a replay finds its transaction stored and changes nothing.
   */
  async applyResult(result: PaymentResult, via: 'CALLBACK' | 'QUERY'): Promise<CallbackOutcome> {
    const known = await this.requests.byReference(result.reference);
    if (!known) return 'UNKNOWN_REFERENCE';
    const [names, dossier] = await Promise.all([this.requests.receiptNames(known), this.dossiers.findRowById(known.dossierId)]);
    return journalTransaction(this.db, async (em) => {
      await lockDossier(em, known.dossierId);
      const [payment] = await this.requests.byIds([known.id], em);
      const now = this.clock.now();
      const matches = result.amountVnd === payment.amountVnd && result.currency === payment.currency;
      const outcome = !result.paid
        ? 'FAILED'
        : !matches
          ? 'AMOUNT_MISMATCH'
          : payment.status === 'PENDING'
            ? 'APPLIED'
            : payment.status === 'PAID'
              ? 'DUPLICATE'
              : 'LATE';
      const fresh = await this.requests.recordTransaction(em, {
        paymentRequestId: payment.id,
        provider: this.provider?.name ?? 'PAYGOV',
        reference: result.reference,
        transactionId: result.transactionId,
        via,
        resultCode: result.resultCode,
        amountVnd: result.amountVnd,
        outcome,
        message: result.message,
        now,
      });
      if (!fresh) return 'ALREADY_PROCESSED';
      switch (outcome) {
        case 'FAILED':
          // Kept, but a failure reported after the request was settled changes nothing (nor does it hold the transaction id).
          if (payment.status !== 'PENDING') return 'ALREADY_PROCESSED';
          await this.requests.recordFailure(em, payment.id, { resultCode: result.resultCode, transactionId: result.transactionId, actor: SYSTEM, now });
          return 'FAILED_RECORDED';
        case 'AMOUNT_MISMATCH':
          await this.requests.flag(
            em,
            payment.id,
            'AMOUNT_MISMATCH',
            `asked ${payment.amountVnd} ${payment.currency}, platform reported ${result.amountVnd} ${result.currency} (transaction ${result.transactionId})`,
            { actor: SYSTEM, now, transactionId: result.transactionId },
          );
          return 'AMOUNT_MISMATCH';
        case 'APPLIED':
          await this.requests.markPaid(em, payment.id, {
            method: 'PAYGOV',
            transactionId: result.transactionId,
            payerName: dossier.applicant?.fullName ?? null,
            actor: SYSTEM,
            now,
            names,
          });
          await this.settlement.settled(em, payment.dossierId);
          return 'ACCEPTED';
        default:
          // Paid twice, or paid after the request closed: the money is there, so the platform is told
          // "received"; an officer refunds it (the flag and its outbox intent say so).
          await this.requests.flag(
            em,
            payment.id,
            outcome === 'DUPLICATE' ? 'PAID_TWICE' : 'LATE_PAYMENT',
            `transaction ${result.transactionId} of ${result.amountVnd} VND after the request was ${payment.status}: refund it`,
            { actor: SYSTEM, now, transactionId: result.transactionId },
          );
          return 'ACCEPTED';
      }
    });
  }

  /**
   * One pass of the reconciliation job: pending requests old enough that their callback should
   * have come are queried at the platform and settled; those past their expiry are closed.
   */
  async reconcile(): Promise<{ queried: number; settled: number; expired: number; refunded: number; errors: number }> {
    const now = this.clock.now();
    const due = await this.requests.pendingForReconciliation(new Date(now.getTime() - this.config.payments.queryAfterMs), RECONCILE_BATCH);
    const stats = { queried: 0, settled: 0, expired: 0, refunded: 0, errors: 0 };
    for (const p of due) {
      try {
        if (this.provider && p.paymentUrl) {
          stats.queried++;
          const answer = await this.provider.query(p.reference, now);
          await this.requests.markQueried(p.id, now);
          if (answer.state === 'PAID' || answer.state === 'FAILED') {
            const outcome = await this.applyResult(answer.result, 'QUERY');
            if (outcome === 'ACCEPTED') stats.settled++;
            if (answer.state === 'PAID') continue;
          }
        }
        if (new Date(p.expiresAt) <= now) {
          const closed = await journalTransaction(this.db, async (em) => {
            await lockDossier(em, p.dossierId);
            return this.requests.close(em, p.id, 'EXPIRED', { reason: 'quá hạn thanh toán / not paid in time', actor: SYSTEM, now });
          });
          if (closed) stats.expired++;
        }
      } catch (e) {
        stats.errors++;
        this.log.warn(`reconciliation of ${p.reference} failed: ${(e as Error).message}`);
      }
    }
    await this.reconcileRefunds(now, stats);
    return stats;
  }

  /**
   * Claimed refunds left REFUNDING (the platform failed, or the process died between the claim and
   * the settlement): the platform is asked about our refund id; a refund it made is settled, one it
   * never received is sent again with the same id (so it cannot be made twice).
   */
  private async reconcileRefunds(now: Date, stats: { queried: number; refunded: number; errors: number }): Promise<void> {
    if (!this.provider) return;
    for (const p of await this.requests.refundsForReconciliation(new Date(now.getTime() - this.config.payments.queryAfterMs), RECONCILE_BATCH)) {
      try {
        stats.queried++;
        const found = await this.provider.queryRefund({ refundId: p.refundId!, reference: p.reference, now });
        let settled = false;
        if (found.state === 'REFUNDED') settled = (await this.settleRefund(p, found.platformRefundId, SYSTEM)) !== null;
        else if (found.state === 'UNKNOWN') settled = (await this.sendRefund(p, SYSTEM)).settled;
        // PENDING: the platform is on it; asked again on the next pass.
        if (settled) stats.refunded++;
      } catch (e) {
        stats.errors++;
        await this.requests.noteRefundError(p.id, `reconciliation: ${(e as Error).message}`);
        this.log.warn(`reconciliation of the refund of ${p.reference} failed: ${(e as Error).message}`);
      }
    }
  }

  /** An officer records a payment at the desk (cash or card): who, when, how much. */
  async recordCounter(
    user: AuthUser,
    paymentId: string,
    p: { method: 'COUNTER_CASH' | 'COUNTER_CARD'; amountVnd: number; payerName?: string },
  ): Promise<{ payment: PaymentView; receipt: ReceiptView }> {
    return this.recordOffline(user, paymentId, p.method, 'COUNTER', `COUNTER-${randomUUID()}`, p.amountVnd, p.payerName ?? null, 'COUNTER');
  }

  /** An officer (or a bank-statement import) matches a VietQR transfer to a request; the bank's reference makes it idempotent. */
  async matchTransfer(
    user: AuthUser,
    paymentId: string,
    p: { bankReference: string; amountVnd: number; payerName?: string },
  ): Promise<{ payment: PaymentView; receipt: ReceiptView }> {
    return this.recordOffline(user, paymentId, 'VIETQR', 'BANK', p.bankReference, p.amountVnd, p.payerName ?? null, 'BANK_TRANSFER');
  }

  /**
   * A bank statement's lines matched to pending requests: the transfer's content must carry the
   * request's reference (the VietQR purpose); banks drop punctuation, so both are compared as
   * letters and digits only. Each line is matched once (its bank reference is the transaction id).
   * Only requests the officer collects for are looked at (their agency receives or decides the
   * dossier): a line naming another agency's reference is NO_MATCH, word for word what an unknown
   * reference gets, so an import cannot probe other agencies' references. Each line stands alone:
   * one that cannot be recorded is reported (ERROR with its code) and the next ones still run, since
   * the earlier ones are already committed.
   */
  async importStatement(
    user: AuthUser,
    lines: Array<{ bankReference: string; amountVnd: number; content: string; payerName?: string }>,
  ): Promise<StatementLineResult[]> {
    const out: StatementLineResult[] = [];
    for (const line of lines) {
      try {
        out.push(await this.importStatementLine(user, line));
      } catch (e) {
        const code = (e as { code?: string }).code;
        this.log.warn(`bank statement line ${line.bankReference} not recorded: ${(e as Error).message}`);
        out.push({ bankReference: line.bankReference, outcome: 'ERROR', code: typeof code === 'string' ? code : 'INTERNAL_ERROR' });
      }
    }
    return out;
  }

  private async importStatementLine(
    user: AuthUser,
    line: { bankReference: string; amountVnd: number; content: string; payerName?: string },
  ): Promise<StatementLineResult> {
    const key = line.content.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    const noMatch: StatementLineResult = { bankReference: line.bankReference, outcome: 'NO_MATCH' };
    // The officer's own agency's requests first; those of dossiers it only receives are checked one by one below.
    const candidates: Array<{ id: string; dossier_id: string }> = await this.db.query(
      `SELECT id, dossier_id FROM payment_requests WHERE status IN ('PENDING', 'PAID') AND position(upper(regexp_replace(reference, '[^0-9A-Za-z]', '', 'g')) in $1) > 0
        ORDER BY collecting_agency_code = $2 DESC, status DESC, created_at LIMIT ${STATEMENT_CANDIDATES}`,
      [key, user.agencyCode ?? ''],
    );
    let hit: string | null = null;
    for (const c of candidates) {
      const row = await this.dossiers.findRowById(c.dossier_id).catch(() => null);
      if (row && this.collectsFor(user, row)) {
        hit = c.id;
        break;
      }
    }
    if (!hit) return noMatch;
    try {
      const paid = await this.matchTransfer(user, hit, line);
      return { bankReference: line.bankReference, outcome: 'PAID', paymentRequestId: hit, receiptNumber: paid.receipt.number };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'AMOUNT_MISMATCH') return { bankReference: line.bankReference, outcome: 'AMOUNT_MISMATCH', paymentRequestId: hit };
      if (code === 'PAYMENT_NOT_PENDING') return { bankReference: line.bankReference, outcome: 'ALREADY_RECORDED', paymentRequestId: hit };
      throw e;
    }
  }

  private async recordOffline(
    user: AuthUser,
    paymentId: string,
    method: PaymentMethod,
    provider: string,
    transactionId: string,
    amountVnd: number,
    payerName: string | null,
    via: string,
  ) {
    const { payment, row } = await this.visiblePayment(user, paymentId);
    this.requireCollectingStaff(user, row);
    if (amountVnd !== payment.amountVnd)
      throw PaymentErrors.AMOUNT_MISMATCH(payment.amountVnd, amountVnd, [{ field: 'amountVnd', message: `must be ${payment.amountVnd}` }]);
    const actor: PaymentActor = { kind: user.kind, id: user.id };
    const names = await this.requests.receiptNames(payment);
    return journalTransaction(this.db, async (em) => {
      await lockDossier(em, row.id);
      const now = this.clock.now();
      const [current] = await this.requests.byIds([payment.id], em);
      if (current.status !== 'PENDING') throw PaymentErrors.PAYMENT_NOT_PENDING(current.status);
      const fresh = await this.requests.recordTransaction(em, {
        paymentRequestId: payment.id,
        provider,
        reference: payment.reference,
        transactionId,
        via,
        resultCode: null,
        amountVnd,
        outcome: 'APPLIED',
        message: { recordedBy: user.id, payerName },
        now,
      });
      if (!fresh) throw PaymentErrors.PAYMENT_NOT_PENDING('PAID');
      const paid = (await this.requests.markPaid(em, payment.id, {
        method,
        transactionId,
        payerName: payerName ?? row.applicant?.fullName ?? null,
        actor,
        now,
        names,
      }))!;
      await this.settlement.settled(em, row.id);
      return paid;
    });
  }

  /** The VietQR (EMVCo) payload and its image for a pending request, where the collecting agency takes transfers. */
  async vietqr(
    user: AuthUser,
    paymentId: string,
  ): Promise<{ payload: string; imageDataUrl: string; bankBin: string; accountNo: string; amountVnd: number; purpose: string }> {
    const { payment } = await this.visiblePayment(user, paymentId);
    if (payment.status !== 'PENDING') throw PaymentErrors.PAYMENT_NOT_PENDING(payment.status);
    const c = await this.receipts.collector(payment.collectingAgencyCode);
    if (!c.vietqrBankBin || !c.vietqrAccountNo) throw PaymentErrors.NO_VIETQR();
    // The purpose carries the reference, so a bank statement line can be matched to the request.
    const purpose = payment.reference;
    const payload = QRPay.initVietQR({ bankBin: c.vietqrBankBin, bankNumber: c.vietqrAccountNo, amount: String(payment.amountVnd), purpose }).build();
    const imageDataUrl = await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, width: 320 });
    return { payload, imageDataUrl, bankBin: c.vietqrBankBin, accountNo: c.vietqrAccountNo, amountVnd: payment.amountVnd, purpose };
  }

  async cancel(user: AuthUser, paymentId: string, reason: string): Promise<PaymentView> {
    const { payment, row } = await this.visiblePayment(user, paymentId);
    this.requireCollectingStaff(user, row);
    const ok = await journalTransaction(this.db, async (em) => {
      await lockDossier(em, row.id);
      return this.requests.close(em, payment.id, 'CANCELLED', { reason, actor: { kind: user.kind, id: user.id }, now: this.clock.now() });
    });
    if (!ok) throw PaymentErrors.PAYMENT_NOT_PENDING((await this.requests.byIds([payment.id]))[0].status);
    return (await this.requests.byIds([payment.id]))[0];
  }

  /**
   * Pays a PAID request back. Paid through the platform: the refund is claimed first (PAID →
   * REFUNDING with a new refund id, under the dossier's lock, committed), then sent with that id as
   * the platform's idempotency key, then settled (REFUNDED); of concurrent requests one claims, the
   * others get REFUND_IN_PROGRESS. When the platform fails, the request stays REFUNDING
   * (`settled: false`) and the reconciliation job finishes it. Paid at the desk or by transfer:
   * recorded REFUNDED at once (the money goes back by hand).
   */
  async refund(user: AuthUser, paymentId: string, reason: string): Promise<{ payment: PaymentView; settled: boolean }> {
    const { payment, row } = await this.visiblePayment(user, paymentId);
    this.requireCollectingStaff(user, row);
    const actor: PaymentActor = { kind: user.kind, id: user.id };
    const claimed = await journalTransaction(this.db, async (em) => {
      await lockDossier(em, row.id);
      const [current] = await this.requests.byIds([payment.id], em);
      if (current.status === 'REFUNDING') throw PaymentErrors.REFUND_IN_PROGRESS();
      if (current.status !== 'PAID') throw PaymentErrors.NOT_PAID(current.status);
      // How it was paid is read under the lock: a request read PENDING a moment ago may have been paid online since.
      const throughPlatform = current.method === 'PAYGOV' && !!current.providerTransactionId;
      if (throughPlatform && !this.provider) throw PaymentErrors.NO_ONLINE_PAYMENT();
      const now = this.clock.now();
      const refundId = randomUUID();
      if (throughPlatform) return { claim: (await this.requests.claimRefund(em, payment.id, { refundId, reason, actor, now }))! };
      await this.requests.recordTransaction(em, {
        paymentRequestId: payment.id,
        provider: current.method ?? 'COUNTER',
        reference: payment.reference,
        transactionId: `REFUND-${refundId}`,
        via: 'REFUND',
        resultCode: null,
        amountVnd: payment.amountVnd,
        outcome: 'REFUNDED',
        message: { reason, refundId, recordedBy: user.id },
        now,
      });
      return { done: (await this.requests.markRefunded(em, payment.id, { reason, refundId, providerRefundId: null, actor, now }))! };
    });
    if (claimed.done) return { payment: claimed.done, settled: true };
    return this.sendRefund(claimed.claim!, actor);
  }

  /** Sends a claimed refund with its refund id and settles it when the platform made it; otherwise it stays REFUNDING with the reason noted. */
  private async sendRefund(p: PaymentView, actor: PaymentActor): Promise<{ payment: PaymentView; settled: boolean }> {
    const now = this.clock.now();
    await this.requests.noteRefundAttempt(p.id, now);
    const current = async () => (await this.requests.byIds([p.id]))[0];
    let answer: RefundAnswer;
    try {
      answer = await this.provider!.refund({
        refundId: p.refundId!,
        reference: p.reference,
        transactionId: p.providerTransactionId!,
        amountVnd: p.amountVnd,
        reason: p.closeReason ?? '',
        now,
      });
    } catch (e) {
      // Sent or not, made or not: only a query by refund id can tell, so the reconciliation job asks.
      await this.requests.noteRefundError(p.id, `platform: ${(e as Error).message}`);
      this.log.warn(`refund ${p.refundId} of ${p.reference} not confirmed by the platform: ${(e as Error).message}`);
      return { payment: await current(), settled: false };
    }
    if (answer.state === 'REFUNDED') return { payment: (await this.settleRefund(p, answer.platformRefundId, actor)) ?? (await current()), settled: true };
    // The platform answered no: sending it again would be answered no again, so an officer looks (the flag says so).
    const detail = `the platform refused refund ${p.refundId}: ${answer.code} ${answer.message}`.trim();
    await this.requests.noteRefundError(p.id, detail);
    await journalTransaction(this.db, async (em) => {
      await lockDossier(em, p.dossierId);
      const [latest] = await this.requests.byIds([p.id], em);
      if (latest.status === 'REFUNDING' && latest.refundId === p.refundId)
        await this.requests.flag(em, p.id, 'REFUND_REFUSED', detail, { actor: SYSTEM, now: this.clock.now(), transactionId: p.providerTransactionId });
    });
    return { payment: await current(), settled: false };
  }

  /** Records a refund the platform made (once: a second settler finds it REFUNDED and changes nothing). */
  private async settleRefund(p: PaymentView, providerRefundId: string, actor: PaymentActor): Promise<PaymentView | null> {
    return journalTransaction(this.db, async (em) => {
      await lockDossier(em, p.dossierId);
      const [current] = await this.requests.byIds([p.id], em);
      if (current.status !== 'REFUNDING' || current.refundId !== p.refundId) return null;
      const now = this.clock.now();
      await this.requests.recordTransaction(em, {
        paymentRequestId: p.id,
        provider: this.provider?.name ?? 'PAYGOV',
        reference: p.reference,
        transactionId: providerRefundId,
        via: 'REFUND',
        resultCode: null,
        amountVnd: p.amountVnd,
        outcome: 'REFUNDED',
        message: { reason: current.closeReason, refundId: p.refundId, providerRefundId, recordedBy: actor.id },
        now,
      });
      return this.requests.markRefunded(em, p.id, { reason: current.closeReason ?? '', refundId: p.refundId!, providerRefundId, actor, now });
    });
  }

  private async visiblePayment(user: AuthUser, paymentId: string): Promise<{ payment: PaymentView; row: DossierRow }> {
    const [payment] = await this.requests.byIds([paymentId]);
    if (!payment) throw PaymentErrors.PAYMENT_NOT_FOUND();
    const row = await this.dossiers.findVisibleRow(user, payment.dossierId).catch(() => {
      throw PaymentErrors.PAYMENT_NOT_FOUND();
    });
    return { payment, row };
  }

  private requireCollectingStaff(user: AuthUser, row: DossierRow): void {
    if (!this.collectsFor(user, row)) throw PaymentErrors.NOT_COLLECTED_HERE();
  }

  /** Staff of the dossier's receiving or competent agency record its payments. */
  private collectsFor(user: AuthUser, row: DossierRow): boolean {
    const staff = user.kind === 'user' && (STAFF_ROLES as readonly Role[]).includes(user.role);
    return staff && (user.agencyCode === row.receiving_agency_code || user.agencyCode === row.competent_agency_code);
  }
}

function payingDossier(row: DossierRow) {
  return { id: row.id, code: row.code, procedureCode: row.procedure_code, collectingAgencyCode: row.competent_agency_code };
}
