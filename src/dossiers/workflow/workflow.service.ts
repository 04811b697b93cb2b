import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { UsersService } from '../../auth/users.service.js';
import { CatalogService } from '../../catalog/catalog.service.js';
import type { ProcedureView } from '../../catalog/catalog.types.js';
import { Role, type AuthUser } from '../../common/auth-context.js';
import { Clock } from '../../common/clock.js';
import { type ErrorDetail } from '../../common/errors.js';
import { DeadlinesService, SYSTEM_ACTOR, type Actor as ClockActor, type DossierDeadline } from '../../deadlines/deadlines.service.js';
import { chargesAtSubmission } from '../../catalog/fee-lines.js';
import { PaymentRequestsService, type PaymentView } from '../../payments/payment-requests.service.js';
import { dossierPayments } from '../../payments/dossier-payments.js';
import { PaymentSettlement } from '../../payments/payment-settlement.js';
import { ReceiptsService } from '../../payments/receipts/receipts.service.js';
import { DueDateCalculator } from '../../deadlines/due-date-calculator.js';
import { FilesService } from '../../documents/files.service.js';
import { SignatureVerifications, type SignatureSummary } from '../../signatures/verification/signature-verifications.js';
import { ResultSigningService, type ResultSignatureView } from '../../signatures/signing/result-signing.service.js';
import { enqueue } from '../../outbox/outbox.js';
import { journalTransaction, lockDossier, recordLockedDossierEvents } from '../../dossier-record/journal.js';
import { eventTypeOf } from '../../dossier-record/event-types.js';
import { DossierStatus as S, DOSSIER_UPDATED_TOPIC, STATUS_CHANGED_TOPIC, STATUS_CODE } from '../../dossier-record/dossier-status.js';
import { DossiersService, toParties, toView, type DossierRow } from '../dossiers.service.js';
import type { DossierDetailView } from '../dto/dossier.dto.js';
import type { ActionBody, SupplementBody } from './action-bodies.js';
import {
  allowedActions,
  decide,
  decideForSystem,
  guardError,
  TRANSITION_BY_ACTION,
  type Action,
  type EffectContext,
  type WorkflowFacts,
} from './transitions.js';
import { DossierErrors } from '../dossiers.errors.js';
import { SCAN_TYPES } from '../intake.js';
import { PersonDocumentsService } from '../store/person-documents.service.js';
import { StoreAlertsService } from '../store/store-alerts.service.js';
import { FileErrors } from '../../documents/files.errors.js';
import { addDossierAttachments, updateDossierColumns } from '../../dossier-record/dossier-records.js';

interface SignatureState {
  attachments: Map<string, SignatureSummary>;
  result: ResultSignatureView | null;
}

function describeSignature(s: SignatureSummary | undefined): string {
  if (!s || s.state === 'UNVERIFIED') return 'chưa kiểm tra chữ ký (POST /files/{id}/signatures/verify) / signature not verified yet';
  if (s.state === 'PENDING') return 'đang kiểm tra chữ ký / signature being verified';
  return [s.indication, s.subIndication].filter(Boolean).join('/');
}

/**
 * Carries out the workflow's actions: in one transaction it locks the dossier, checks the version
 * the caller saw, decides with the transition table, applies the action's effects (fields, clocks,
 * attachments), bumps the version and appends the history event; the status change also leaves an
 * outbox message for notifications.
 */
@Injectable()
export class WorkflowService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DossiersService) private readonly dossiers: DossiersService,
    @Inject(DeadlinesService) private readonly deadlines: DeadlinesService,
    @Inject(DueDateCalculator) private readonly calendar: DueDateCalculator,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SignatureVerifications) private readonly signatures: SignatureVerifications,
    @Inject(ResultSigningService) private readonly signing: ResultSigningService,
    @Inject(PersonDocumentsService) private readonly store: PersonDocumentsService,
    @Inject(StoreAlertsService) private readonly storeAlerts: StoreAlertsService,
    @Inject(PaymentRequestsService) private readonly payments: PaymentRequestsService,
    @Inject(ReceiptsService) private readonly receipts: ReceiptsService,
    @Inject(PaymentSettlement) settlement: PaymentSettlement,
  ) {
    // A payment settled online (the platform's callback, a desk or bank-statement match) resumes
    // a dossier waiting in status 6, in the payment's transaction: payments call this hook.
    settlement.onSettled(async (em, dossierId) => {
      await this.resumeAfterPayment(em, dossierId);
    });
  }

  /** The dossier as its detail page shows it: the view, its deadlines and what the caller may do. */
  async detail(user: AuthUser, row: DossierRow): Promise<DossierDetailView> {
    const [deadline, procedure, signatures, payments, receipts] = await Promise.all([
      this.deadlines.deadlineOf([row.id]).then((m) => m.get(row.id) ?? null),
      this.procedureOf(row),
      this.signatureState(row),
      this.payments.ofDossier(row.id),
      this.receipts.ofDossiers([row.id]),
    ]);
    const facts = this.facts(row, procedure, deadline, signatures, payments);
    const view = toView(row);
    return {
      ...view,
      attachments: view.attachments.map((a) => ({ ...a, signature: signatures.attachments.get(a.fileId)! })),
      result: view.result ? { ...view.result, fileId: signatures.result?.signedFileId ?? view.result.fileId, signature: signatures.result } : null,
      allowedActions: allowedActions(user, toParties(row), facts),
      deadline,
      fees: dossierPayments(row, procedure.fees, payments, receipts.get(row.id) ?? []),
    };
  }

  async act(user: AuthUser, idOrCode: string, action: Action, body: ActionBody): Promise<void> {
    const visible = await this.dossiers.findVisibleRow(user, idOrCode);
    // One lock of the dossier for the whole action (the clocks' calls find it held), and every
    // event of the action (its clocks' and its own) appended in one batch at the end.
    await journalTransaction(this.db, (em) => this.actIn(em, user, visible.id, action, body));
  }

  /**
   * Takes an action inside the caller's journal transaction (e.g. the acceptance of a dossier an
   * officer files at the counter, in the filing's own transaction): lock, version check, decide,
   * then apply.
   */
  async actIn(em: EntityManager, user: AuthUser, dossierId: string, action: Action, body: ActionBody): Promise<void> {
    await lockDossier(em, dossierId);
    const row = await this.dossiers.findRowById(dossierId, em);
    if (row.version !== body.expectedVersion) {
      throw DossierErrors.DOSSIER_VERSION_CONFLICT({ currentVersion: row.version, expectedVersion: body.expectedVersion });
    }
    const deadline = (await this.deadlines.deadlineOf([row.id], em)).get(row.id) ?? null;
    // Every read rides on the action's transaction: it holds the dossier's lock, so its connection,
    // and a second connection from the pool could wait for ever when the pool is all held by such.
    const procedure = await this.procedureOf(row, em);
    const signatures = await this.signatureState(row, em);
    const facts = this.facts(row, procedure, deadline, signatures, await this.payments.ofDossier(row.id, em));
    const decision = decide(action, user, toParties(row), facts, body as { originalsChecked?: boolean });
    if (!decision.allowed) {
      const allowed = allowedActions(user, toParties(row), facts)
        .filter((a) => a.allowed)
        .map((a) => a.action);
      if (decision.reason === 'GUARD') throw guardError(decision.failure!, { action, allowedActions: allowed });
      throw DossierErrors.ACTION_NOT_ALLOWED(action, row.status, { action, status: row.status, allowedActions: allowed });
    }
    await this.apply(em, row, action, body, { user, actor: { kind: user.kind, id: user.id }, to: decision.to, deadline, procedure, signatures });
  }

  /**
   * The system's step after a payment: once a dossier waiting in status 6 has no pending request
   * left (the last was paid online or by transfer), `confirm-payment` is taken for it (the clock
   * resumes). Inside the payment's transaction, which holds the dossier's lock; false when the
   * dossier is not waiting or something is still pending.
   */
  async resumeAfterPayment(em: EntityManager, dossierId: string): Promise<boolean> {
    await lockDossier(em, dossierId);
    const row = await this.dossiers.findRowById(dossierId, em);
    const payments = await this.payments.ofDossier(row.id, em);
    if (row.status !== S.AWAITING_PAYMENT || payments.some((p) => p.status === 'PENDING')) return false;
    const deadline = (await this.deadlines.deadlineOf([row.id], em)).get(row.id) ?? null;
    const procedure = await this.procedureOf(row, em);
    const signatures: SignatureState = { attachments: new Map(), result: null };
    const decision = decideForSystem('confirm-payment', this.facts(row, procedure, deadline, signatures, payments));
    if (!decision.allowed) return false;
    await this.apply(
      em,
      row,
      'confirm-payment',
      { expectedVersion: row.version, note: 'Đã thanh toán trực tuyến / paid online' },
      { user: null, actor: SYSTEM_ACTOR, to: decision.to, deadline, procedure, signatures },
    );
    return true;
  }

  /** An allowed action's effects, status, version, history event and outbox message. */
  private async apply(
    em: EntityManager,
    row: DossierRow,
    action: Action,
    body: ActionBody,
    base: { user: AuthUser | null; actor: ClockActor; to: S; deadline: DossierDeadline | null; procedure: ProcedureView; signatures: SignatureState },
  ): Promise<void> {
    const now = this.clock.now();
    const { actor, to } = base;
    const changes = await TRANSITION_BY_ACTION.get(action)!.effects(this.effectContext(em, action, row, body, { ...base, now }));
    const sets: Record<string, unknown> = { status: to, status_code: STATUS_CODE[to], ...changes.columns };
    await updateDossierColumns(em, row.id, sets);
    await recordLockedDossierEvents(em, [
      {
        dossierId: row.id,
        type: eventTypeOf(action),
        actorKind: actor.kind,
        actorId: actor.id,
        at: now,
        data: { action, from: row.status, to, note: body.note ?? null, ...changes.eventData },
      },
    ]);
    await enqueue(em, to !== row.status ? STATUS_CHANGED_TOPIC : DOSSIER_UPDATED_TOPIC, {
      dossierId: row.id,
      code: row.code,
      status: to,
      statusCode: STATUS_CODE[to],
      action,
      at: now.toISOString(),
    });
  }

  /** The signatures' side of a dossier: each attachment's verification, and the signing of its result. */
  private async signatureState(row: DossierRow, em?: EntityManager): Promise<SignatureState> {
    // One after the other inside a transaction (its one connection runs one query at a time).
    const attachments = await this.signatures.summaries(
      (row.attachments ?? []).map((a) => a.fileId),
      em,
    );
    const results = row.outcome === 'GRANTED' ? await this.signing.views([row.id], em) : new Map<string, ResultSignatureView>();
    return { attachments, result: results.get(row.id) ?? null };
  }

  private facts(
    row: DossierRow,
    procedure: ProcedureView,
    deadline: DossierDeadline | null,
    signatures: SignatureState,
    payments: PaymentView[],
  ): WorkflowFacts {
    const mustBeSigned = new Set(procedure.components.filter((c) => c.signatureRequired).map((c) => c.code));
    const unsignedRequiredComponents = (row.attachments ?? [])
      // A desk scan is of paper signed by hand and attested by the officer who scanned it: the
      // digital-signature rule is for what the applicant sends in electronically.
      .filter((a) => a.source !== 'SCANNED' && mustBeSigned.has(a.componentCode) && signatures.attachments.get(a.fileId)?.indication !== 'TOTAL_PASSED')
      .map((a) => `${a.componentCode}: ${describeSignature(signatures.attachments.get(a.fileId))}`);
    const originalsToCheck =
      row.service_level === 'PARTIAL_ONLINE'
        ? procedure.components.filter((c) => c.originalRequired && (row.attachments ?? []).some((a) => a.componentCode === c.code)).length
        : 0;
    return {
      status: row.status,
      supplementRequestedAt: row.supplement_from === 4 ? S.IN_PROGRESS : row.supplement_from === 1 ? S.SUBMITTED : undefined,
      supplementDueAt: row.supplement_due_at ? new Date(row.supplement_due_at) : undefined,
      dueAt: deadline?.dueAt ? new Date(deadline.dueAt) : undefined,
      rescheduled: row.rescheduled,
      // "No later than one working day before the due date": the overall clock's due-soon instant.
      rescheduleDeadline: deadline?.dueSoonAt ? new Date(deadline.dueSoonAt) : undefined,
      stepIndex: row.step_index ?? 0,
      stepCount: procedure.steps.length,
      stepAssigneeId: row.step_assignee_id,
      originalsToCheck,
      unsignedRequiredComponents,
      resultSignature: signatures.result ? { status: signatures.result.status, indication: signatures.result.indication } : undefined,
      // An online filing waits for its submission fee; a counter or postal one pays at the desk.
      submissionFeeUnpaid:
        row.channel === 'ONLINE' && chargesAtSubmission(procedure.fees) && !payments.some((p) => p.stage === 'AT_SUBMISSION' && p.status === 'PAID'),
      now: this.clock.now(),
    };
  }

  private procedureOf(row: DossierRow, em?: EntityManager): Promise<ProcedureView> {
    return this.catalog.getProcedureVersion(row.procedure_code, row.procedure_version, em);
  }

  /** The effect context of one action: every operation bound to its transaction, dossier and actor. */
  private effectContext(
    em: EntityManager,
    action: Action,
    row: DossierRow,
    body: ActionBody,
    context: {
      now: Date;
      actor: ClockActor;
      user: AuthUser | null;
      to: S;
      deadline: DossierDeadline | null;
      procedure: ProcedureView;
      signatures: SignatureState;
    },
  ): EffectContext {
    const { signatures, ...base } = context;
    const { actor, deadline, procedure } = base;
    // The system takes only confirm-payment, whose effects use no caller; the others always have one.
    const user = base.user!;
    const dossierId = row.id;
    const agencyCode = row.competent_agency_code;
    const stepReason = body.note ?? action;
    const running = (kind: 'OVERALL' | 'STEP') => (kind === 'OVERALL' ? deadline?.state : deadline?.stepState) ?? null;
    return {
      action,
      row,
      body,
      ...base,
      user,
      clocks: {
        startOverall: async (limit, reason) => void (await this.deadlines.start(em, { dossierId, kind: 'OVERALL', agencyCode, limit, reason, actor })),
        startStep: async (index, assigneeUserId) => {
          const step = procedure.steps[index];
          await this.deadlines.start(em, {
            dossierId,
            kind: 'STEP',
            agencyCode,
            limit: step.budget,
            stepCode: step.code,
            assigneeUserId,
            reason: stepReason,
            actor,
          });
          return step;
        },
        pause: async (kinds, reason) => {
          for (const kind of kinds) await this.deadlines.pause(em, { dossierId, kind, reason, actor });
        },
        resume: async (kinds, reason) => {
          for (const kind of kinds) await this.deadlines.resume(em, { dossierId, kind, reason, actor });
        },
        restart: async (kinds, reason) => {
          for (const kind of kinds) await this.deadlines.restart(em, { dossierId, kind, reason, actor });
        },
        stop: async (kinds) => {
          for (const kind of kinds)
            if (running(kind) && running(kind) !== 'STOPPED') await this.deadlines.stop(em, { dossierId, kind, reason: stepReason, actor });
        },
        extendOverall: async (newDueAt, reason) => void (await this.deadlines.extend(em, { dossierId, kind: 'OVERALL', newDueAt, reason, actor })),
      },
      supplementDueAt: async (days) => (await this.calendar.dueDate(row.receiving_agency_code, base.now, { value: days, unit: 'CALENDAR_DAYS' })).dueAt,
      addAttachments: async (attachments) => {
        await addDossierAttachments(em, dossierId, attachments, user.id, base.now);
      },
      signedResultFileId: signatures.result?.signedFileId ?? null,
      dataStore: {
        keepComponents: async () => void (await this.store.keepComponents(em, row, procedure, base.now)),
        keepResult: async (fileId, form) =>
          void (await this.store.keepResult(em, row, procedure, { fileId, form, issuedAt: base.now, validUntil: row.result_valid_until })),
        noteEnded: () => this.storeAlerts.noteEnded(em, row, base.now),
      },
      checks: {
        supplementFiles: (b) => this.checkSupplementFiles(user, procedure, b),
        assignee: (userId, role) => this.checkAssignee(userId, agencyCode, role),
        resultFile: async (fileId, form) => {
          const [file] = await this.files.findOwnedBy([fileId], user);
          if (!file) throw FileErrors.UNKNOWN_FILE([{ field: 'resultFileId', message: 'upload it first' }]);
          if (form === 'SIGNED' && file.contentType !== 'application/pdf') {
            throw DossierErrors.RESULT_NOT_PDF([{ field: 'resultFileId', message: `is ${file.contentType}` }]);
          }
          if (form === 'SCANNED' && !SCAN_TYPES.includes(file.contentType)) {
            throw DossierErrors.SCAN_TYPE_NOT_ALLOWED([{ field: 'resultFileId', message: `a scan is PDF, JPEG or PNG; this file is ${file.contentType}` }]);
          }
        },
      },
      payments: {
        open: async (stage, lines, description) => {
          const p = await this.payments.open(
            em,
            { id: row.id, code: row.code, procedureCode: row.procedure_code, collectingAgencyCode: row.competent_agency_code },
            { stage, lines, description, actor, now: base.now },
          );
          return { id: p.id, amountVnd: p.amountVnd };
        },
        payPendingAtCounter: async (method, payerName) => {
          const out: Array<{ paymentRequestId: string; receiptId: string; series: string; number: number }> = [];
          for (const p of (await this.payments.ofDossier(row.id, em)).filter((x) => x.status === 'PENDING')) {
            const names = await this.payments.receiptNames(p);
            const paid = await this.payments.markPaid(em, p.id, { method, transactionId: null, payerName, actor, now: base.now, names });
            if (paid) out.push({ paymentRequestId: p.id, receiptId: paid.receipt.id, series: paid.receipt.series, number: paid.receipt.number });
          }
          return out;
        },
      },
      requestSigning: (sourceFileId) =>
        this.signing.request(em, { dossierId, sourceFileId, signerUserId: user.id, reason: `Phê duyệt kết quả hồ sơ ${row.code}`, now: base.now }),
    };
  }

  private async checkSupplementFiles(user: AuthUser, procedure: ProcedureView, b: SupplementBody): Promise<void> {
    const known = new Set(procedure.components.map((c) => c.code));
    const details: ErrorDetail[] = [];
    b.attachments.forEach((a, i) => {
      if (!known.has(a.componentCode)) details.push({ field: `attachments[${i}].componentCode`, message: `unknown component ${a.componentCode}` });
    });
    if (details.length) throw DossierErrors.UNKNOWN_COMPONENT(details);
    b.attachments.forEach((a, i) => {
      if (!a.fileId || a.documentId || a.source)
        details.push({ field: `attachments[${i}]`, message: 'a supplement attaches files by fileId (the caller’s uploads; an officer’s are desk scans)' });
    });
    if (details.length) throw DossierErrors.ATTACHMENT_FILE_OR_DOCUMENT(details);
    const owned = new Map(
      (
        await this.files.findOwnedBy(
          b.attachments.map((a) => a.fileId!),
          user,
        )
      ).map((f) => [f.id, f.contentType]),
    );
    b.attachments.forEach((a, i) => {
      if (!owned.has(a.fileId!)) details.push({ field: `attachments[${i}].fileId`, message: 'no such file uploaded by you' });
    });
    if (details.length) throw FileErrors.UNKNOWN_FILE(details);
    if (user.kind === 'user' && user.role === Role.RECEPTION_OFFICER) {
      b.attachments.forEach((a, i) => {
        const type = owned.get(a.fileId!)!;
        if (!SCAN_TYPES.includes(type)) details.push({ field: `attachments[${i}].fileId`, message: `a scan is PDF, JPEG or PNG; this file is ${type}` });
      });
      if (details.length) throw DossierErrors.SCAN_TYPE_NOT_ALLOWED(details);
    }
  }

  private async checkAssignee(userId: string, agencyCode: string, role: Role): Promise<void> {
    const u = await this.users.findById(userId);
    if (!u || !u.active || u.agencyCode !== agencyCode || u.role !== role) {
      throw DossierErrors.INVALID_ASSIGNEE(role, agencyCode, [{ field: 'assigneeId', message: `not a ${role} of ${agencyCode}` }]);
    }
  }
}
