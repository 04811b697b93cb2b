import type { Duration, ProcedureView, ProcessStep } from '../../catalog/catalog.types.js';
import { timeliness } from '../../calendar/working-calendar.js';
import { Role, type AuthUser } from '../../common/auth-context.js';
import { HttpStatus } from '@nestjs/common';
import { CommonErrors } from '../../common/common.errors.js';
import { AppError, declaredErrorCodes, type ErrorDetail } from '../../common/errors.js';
import { DossierErrors as E } from '../dossiers.errors.js';
import type { DossierDeadline } from '../../deadlines/deadlines.service.js';
import { isDossierOwner, type DossierParties } from '../../dossier-record/dossier-access.js';
import { owedLines, type OwedLine } from '../../catalog/fee-lines.js';
import type { PaymentStage } from '../../payments/payment.entity.js';
import { DossierStatus as S } from '../../dossier-record/dossier-status.js';
import type { DossierRow } from '../dossiers.service.js';
import type { ResultForm } from '../intake.js';
import { WORKFLOW_ACTIONS, type WorkflowAction } from '../../dossier-record/event-types.js';
import type {
  ActionBody,
  ApproveBody,
  AssignBody,
  PaymentConfirmBody,
  PaymentRequestBody,
  ReasonBody,
  ReasonsBody,
  RequestSupplementBody,
  RescheduleBody,
  ReturnBody,
  SupplementBody,
} from './action-bodies.js';

/**
 * The one-stop workflow as data (Decree 61/2018 as amended, Decree 118/2025): every action, the
 * statuses it applies in, where it leads, who may take it, the guards that must hold, and what it
 * does (its effects: clocks, columns, attachments, signing, the history event's data). The action
 * endpoint, `allowedActions` and the permission snapshot test all read this one table; the
 * WorkflowService only runs it (lock, version check, decide, effects, status, event, outbox).
 */
export const ACTIONS = WORKFLOW_ACTIONS;
export type Action = WorkflowAction;

/** Where the actor must work for the dossier: its receiving centre or its competent agency. */
export type Desk = 'RECEIVING' | 'COMPETENT';

export type Actor = { role: Role.RECEPTION_OFFICER | Role.SPECIALIST | Role.LEADER; at: Desk } | { owner: true } | { integrator: 'dossiers:write' };

/** What the guards look at: facts about the dossier and the moment, gathered by the caller. */
export interface WorkflowFacts {
  status: S;
  /** Where a pending supplement request came from (decides where `supplement` leads). */
  supplementRequestedAt?: S.SUBMITTED | S.IN_PROGRESS;
  /** The citizen's deadline to supplement; `stop` needs it passed. */
  supplementDueAt?: Date;
  /** The overall clock's due date and whether the one re-appointment was used. */
  dueAt?: Date;
  rescheduled?: boolean;
  /** The last instant a re-appointment may be made: one working day before dueAt. */
  rescheduleDeadline?: Date;
  /** The internal process: index of the current step, how many there are, its assignee. */
  stepIndex?: number;
  stepCount?: number;
  stepAssigneeId?: string | null;
  /** Components whose original must be checked at return (partial online). */
  originalsToCheck?: number;
  /**
   * Components marked signatureRequired whose attachment has no passing signature, each as
   * "<component>: <what the verifier said>" (e.g. "TP01: INDETERMINATE/TRY_LATER").
   */
  unsignedRequiredComponents?: string[];
  /**
   * The signing of a GRANTED result: its state and the verifier's indication for the signed file.
   * Absent when the result has no document to sign (DENIED).
   */
  resultSignature?: { status: string; indication: string | null };
  /** The procedure collects a fee with the online submission and it is not paid yet (the one-stop waits). */
  submissionFeeUnpaid?: boolean;
  now: Date;
}

export interface GuardFailure {
  code: string;
  message: string;
}

type Guard = (f: WorkflowFacts, input: ActionInput) => GuardFailure | null;

/** The parts of an action's body that guards read (the endpoint validates the rest). */
export interface ActionInput {
  originalsChecked?: boolean;
}

export interface Transition {
  action: Action;
  from: readonly S[];
  /** The status after the action; a function when it depends on the facts. */
  to: S | ((f: WorkflowFacts) => S);
  actors: readonly Actor[];
  guards: readonly Guard[];
  /** For the reader and the API docs. */
  summary: string;
  /** What the action does once allowed, inside its transaction (the status itself is set by the caller). */
  effects: Effect;
}

type ClockKind = 'OVERALL' | 'STEP';

/**
 * What an effect may use: the dossier as read under its lock, the action's input, and the
 * operations of the capabilities it drives, all bound to the action's transaction and actor.
 */
export interface EffectContext {
  action: Action;
  row: DossierRow;
  body: ActionBody;
  user: AuthUser;
  now: Date;
  /** Where the decision leads. */
  to: S;
  deadline: DossierDeadline | null;
  procedure: ProcedureView;
  clocks: {
    startOverall(limit: Duration, reason: string): Promise<void>;
    /** Starts the step's own clock (stopping the previous step's is the caller's business). */
    startStep(index: number, assigneeUserId: string | null): Promise<ProcessStep>;
    pause(kinds: ClockKind[], reason: string): Promise<void>;
    resume(kinds: ClockKind[], reason: string): Promise<void>;
    restart(kinds: ClockKind[], reason: string): Promise<void>;
    /** Stops the clocks of these kinds that are running or paused (none is an error). */
    stop(kinds: ClockKind[]): Promise<void>;
    extendOverall(newDueAt: Date, reason: string): Promise<void>;
  };
  /** The citizen's deadline to supplement, counted from now at the receiving centre. */
  supplementDueAt(days: number): Promise<Date>;
  /** Adds files as components: uploaded by the caller, or (`scanned`) desk scans by the calling officer. */
  addAttachments(attachments: Array<{ componentCode: string; fileId: string; scanned?: boolean }>): Promise<void>;
  checks: {
    supplementFiles(b: SupplementBody): Promise<void>;
    assignee(userId: string, role: Role): Promise<void>;
    /** The caller's own upload: a PDF when it is to be signed, a PDF/JPEG/PNG when it is a scan of a paper result. */
    resultFile(fileId: string, form: 'SIGNED' | 'SCANNED' | 'ANY'): Promise<void>;
  };
  requestSigning(sourceFileId: string): Promise<void>;
  /** The signed result's file once signing finished (what an ELECTRONIC result is returned as). */
  signedResultFileId: string | null;
  /** The applicant's data store (src/dossiers/store/): what this action digitised or issued goes there. */
  dataStore: {
    keepComponents(): Promise<void>;
    keepResult(fileId: string, form: ResultForm): Promise<void>;
    /** A counter or postal filing ends refused or withdrawn: it counts toward its officer's unusual-pattern alert. */
    noteEnded(): Promise<void>;
  };
  payments: {
    /** Opens a payment request for these lines (payments capability); returns its id and total. */
    open(stage: PaymentStage, lines: OwedLine[], description: string): Promise<{ id: string; amountVnd: number }>;
    /** Records the desk payment of every pending request, each with its e-receipt; returns the receipts. */
    payPendingAtCounter(
      method: 'COUNTER_CASH' | 'COUNTER_CARD',
      payerName: string | null,
    ): Promise<Array<{ paymentRequestId: string; receiptId: string; series: string; number: number }>>;
  };
}

/** An action's own changes: columns of the dossier to set and extra data for its history event. */
export interface Effects {
  columns: Record<string, unknown>;
  eventData: Record<string, unknown>;
}

type Effect = (c: EffectContext) => Promise<Effects>;

const nothing = async (): Promise<Effects> => ({ columns: {}, eventData: {} });

/** Processing ends (withdrawn, stopped, approved): whatever clocks run stop. */
const endClocks = (c: EffectContext) => c.clocks.stop(['STEP', 'OVERALL']);

/** assign, forward and send-back: the next (or previous) step of the internal process, with its own clock. */
const moveStep =
  (delta: 1 | -1): Effect =>
  async (c) => {
    const b = c.body as AssignBody;
    const next = (c.row.step_index ?? 0) + delta;
    const step = c.procedure.steps[next];
    if (b.assigneeId) await c.checks.assignee(b.assigneeId, step.role);
    await c.clocks.stop(['STEP']);
    await c.clocks.startStep(next, b.assigneeId ?? null);
    return { columns: { step_index: next, step_assignee_id: b.assigneeId ?? null }, eventData: { step: step.code, assigneeId: b.assigneeId ?? null } };
  };

const OPEN_BEFORE_RESULT = [S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT] as const;

/** A guard's refusal: a code and message declared in dossiers.errors.ts (answered with its status). */
const refusal = (e: AppError): GuardFailure => ({ code: e.code, message: e.message });

/** The error an action refused by a guard answers with (the status the guard's code was declared with). */
export function guardError(failure: GuardFailure, details: Record<string, unknown>): AppError {
  return new AppError(declaredErrorCodes().get(failure.code)?.status ?? HttpStatus.UNPROCESSABLE_ENTITY, failure.code, failure.message, details);
}

const guards = {
  signaturesPass: ((f) => (f.unsignedRequiredComponents?.length ? refusal(E.SIGNATURE_REQUIRED(f.unsignedRequiredComponents)) : null)) as Guard,
  supplementDeadlinePassed: ((f) =>
    !f.supplementDueAt || f.now.getTime() <= f.supplementDueAt.getTime() ? refusal(E.SUPPLEMENT_DEADLINE_NOT_PASSED()) : null) as Guard,
  notYetRescheduled: ((f) => (f.rescheduled ? refusal(E.ALREADY_RESCHEDULED()) : null)) as Guard,
  beforeRescheduleDeadline: ((f) =>
    f.rescheduleDeadline && f.now.getTime() > f.rescheduleDeadline.getTime() ? refusal(E.RESCHEDULE_TOO_LATE()) : null) as Guard,
  stepUnassigned: ((f) => (f.stepAssigneeId ? refusal(E.STEP_ALREADY_ASSIGNED()) : null)) as Guard,
  hasNextStep: ((f) => ((f.stepIndex ?? 0) + 1 >= (f.stepCount ?? 1) ? refusal(E.LAST_STEP()) : null)) as Guard,
  hasPreviousStep: ((f) => ((f.stepIndex ?? 0) === 0 ? refusal(E.FIRST_STEP()) : null)) as Guard,
  atLastStep: ((f) => ((f.stepIndex ?? 0) + 1 < (f.stepCount ?? 1) ? refusal(E.NOT_AT_LAST_STEP()) : null)) as Guard,
  resultSigned: ((f) => {
    const r = f.resultSignature;
    if (!r || (r.status === 'SIGNED' && r.indication === 'TOTAL_PASSED')) return null;
    const state =
      r.status === 'SIGNED'
        ? `chữ ký chưa được xác nhận hợp lệ (${r.indication ?? 'đang kiểm tra'}) / the signature is not verified as valid (${r.indication ?? 'verifying'})`
        : `${r.status}`;
    return refusal(E.RESULT_NOT_SIGNED(state, r.status));
  }) as Guard,
  signingCanBeRetried: ((f) => {
    const r = f.resultSignature;
    if (!r) return refusal(E.NOTHING_TO_SIGN());
    const stuck =
      ['REJECTED', 'EXPIRED', 'FAILED'].includes(r.status) ||
      (r.status === 'SIGNED' && (r.indication === 'TOTAL_FAILED' || r.indication === 'NO_SIGNATURE_FOUND'));
    return stuck ? null : refusal(E.SIGNING_IN_PROGRESS(r.status));
  }) as Guard,
  submissionFeePaid: ((f) => (f.submissionFeeUnpaid ? refusal(E.SUBMISSION_FEE_UNPAID()) : null)) as Guard,
  originalsChecked: ((f, input) => ((f.originalsToCheck ?? 0) > 0 && !input.originalsChecked ? refusal(E.ORIGINALS_NOT_CHECKED()) : null)) as Guard,
};

const receptionist: Actor = { role: Role.RECEPTION_OFFICER, at: 'RECEIVING' };
const specialist: Actor = { role: Role.SPECIALIST, at: 'COMPETENT' };
const leader: Actor = { role: Role.LEADER, at: 'COMPETENT' };
const owner: Actor = { owner: true };
const integrator: Actor = { integrator: 'dossiers:write' };

export const TRANSITIONS: readonly Transition[] = [
  {
    action: 'accept',
    from: [S.SUBMITTED],
    to: S.RECEIVED,
    actors: [receptionist],
    guards: [guards.submissionFeePaid, guards.signaturesPass],
    summary: 'Tiếp nhận: phiếu tiếp nhận và hẹn trả kết quả (mẫu 01); the overall clock starts',
    effects: async (c) => {
      await c.clocks.startOverall(c.procedure.timeLimit, 'accepted');
      const step = await c.clocks.startStep(0, c.user.id);
      // What was scanned at the desk (or taken from state data) is now the applicant's, for reuse.
      await c.dataStore.keepComponents();
      return { columns: { received_at: c.now, step_index: 0, step_assignee_id: c.user.id }, eventData: { step: step.code } };
    },
  },
  {
    action: 'request-supplement',
    from: [S.SUBMITTED, S.IN_PROGRESS],
    to: S.SUPPLEMENT_REQUESTED,
    actors: [receptionist, specialist, leader],
    guards: [],
    summary: 'Yêu cầu bổ sung, một lần đầy đủ (mẫu 02): at reception by the one-stop, during processing by the processing unit through it',
    effects: async (c) => {
      const b = c.body as RequestSupplementBody;
      const from = c.row.status === S.IN_PROGRESS ? 4 : 1;
      // Until the citizen supplements, the processing clocks wait; after, they restart from zero or resume (the procedure's rule).
      if (from === 4) await c.clocks.pause(['OVERALL', 'STEP'], 'supplement requested');
      const dueAt = await c.supplementDueAt(c.procedure.supplement.days);
      // jsonb: an array must go as JSON text (pg would send a JS array as a PostgreSQL array).
      return {
        columns: { supplement_from: from, supplement_due_at: dueAt, supplement_items: JSON.stringify(b.items) },
        eventData: { items: b.items, supplementDueAt: dueAt.toISOString() },
      };
    },
  },
  {
    action: 'supplement',
    from: [S.SUPPLEMENT_REQUESTED],
    to: (f) => f.supplementRequestedAt ?? S.SUBMITTED,
    actors: [owner, integrator, receptionist],
    guards: [],
    summary:
      'Công dân bổ sung (online, or the papers brought to the desk and scanned by the one-stop): back to where the request came from; during processing the clock restarts from zero',
    effects: async (c) => {
      const b = c.body as SupplementBody;
      await c.checks.supplementFiles(b);
      // Papers brought to the desk are scanned by the officer: SCANNED, like a counter filing's.
      const scanned = c.user.kind === 'user' && c.user.role === Role.RECEPTION_OFFICER;
      await c.addAttachments(b.attachments.map((a) => ({ componentCode: a.componentCode, fileId: a.fileId!, scanned })));
      if (c.to === S.IN_PROGRESS && c.procedure.supplement.clock === 'PAUSE') {
        // This procedure's law counts the time limit on: the clocks resume where they stopped.
        await c.clocks.resume(['OVERALL'], 'supplemented: the time limit resumes');
        await c.clocks.resume(['STEP'], 'supplemented');
      } else if (c.to === S.IN_PROGRESS) {
        // Decree 61/2018 Art. 19: after a supplement requested during processing, the time limit restarts from zero.
        await c.clocks.restart(['OVERALL'], 'supplemented: the time limit restarts');
        await c.clocks.restart(['STEP'], 'supplemented');
      }
      return {
        columns: { supplement_from: null, supplement_due_at: null, supplement_items: null, ...(scanned ? { digitised: true } : {}) },
        eventData: {
          attachments: b.attachments,
          source: scanned ? 'SCANNED' : 'UPLOADED',
          clock: c.to === S.IN_PROGRESS ? c.procedure.supplement.clock : null,
        },
      };
    },
  },
  {
    action: 'refuse',
    from: [S.SUBMITTED],
    to: S.REFUSED,
    actors: [receptionist],
    guards: [],
    summary: 'Từ chối tiếp nhận, nêu rõ lý do (mẫu 03)',
    effects: async (c) => {
      await c.dataStore.noteEnded();
      return { columns: {}, eventData: { reasons: (c.body as ReasonsBody).reasons } };
    },
  },
  {
    action: 'assign',
    from: [S.RECEIVED],
    to: S.IN_PROGRESS,
    actors: [receptionist, leader],
    guards: [],
    summary: 'Chuyển hồ sơ cho bộ phận giải quyết (a unit or a named specialist)',
    effects: moveStep(1),
  },
  {
    action: 'claim',
    from: [S.IN_PROGRESS],
    to: S.IN_PROGRESS,
    actors: [specialist],
    guards: [guards.stepUnassigned],
    summary: 'Chuyên viên nhận xử lý bước chưa có người nhận',
    effects: async (c) => ({ columns: { step_assignee_id: c.user.id }, eventData: { assigneeId: c.user.id } }),
  },
  {
    action: 'forward',
    from: [S.IN_PROGRESS],
    to: S.IN_PROGRESS,
    actors: [specialist, leader],
    guards: [guards.hasNextStep],
    summary: 'Chuyển bước tiếp theo của quy trình nội bộ (each step has its own clock)',
    effects: moveStep(1),
  },
  {
    action: 'send-back',
    from: [S.IN_PROGRESS],
    to: S.IN_PROGRESS,
    actors: [specialist, leader],
    guards: [guards.hasPreviousStep],
    summary: 'Trả lại bước trước',
    effects: moveStep(-1),
  },
  {
    action: 'request-payment',
    from: [S.IN_PROGRESS],
    to: S.AWAITING_PAYMENT,
    actors: [specialist, leader],
    guards: [],
    summary: 'Yêu cầu thực hiện nghĩa vụ tài chính: a payment request from the fee lines of a stage, or a variable amount; the clock pauses until it is paid',
    effects: async (c) => {
      const b = c.body as PaymentRequestBody;
      const stage = b.stage ?? 'AT_RESULT';
      const lines: OwedLine[] =
        b.amountVnd !== undefined
          ? [{ code: 'VARIABLE', name: b.description ?? 'Phí, lệ phí', kind: 'LE_PHI', amountVnd: b.amountVnd }]
          : owedLines(c.procedure.fees, stage, c.row.channel, b.applicantCategory).filter((l) => !b.lineCodes || b.lineCodes.includes(l.code));
      if (lines.reduce((sum, l) => sum + l.amountVnd, 0) === 0)
        throw E.NOTHING_TO_PAY([{ field: 'amountVnd', message: `no fee line of ${stage} to charge: give amountVnd` }]);
      const description = b.description ?? lines.map((l) => l.name).join('; ');
      const request = await c.payments.open(b.amountVnd !== undefined ? 'VARIABLE' : stage, lines, description);
      await c.clocks.pause(['OVERALL', 'STEP'], 'awaiting payment');
      return { columns: {}, eventData: { paymentRequestId: request.id, amountVnd: request.amountVnd, description } };
    },
  },
  {
    action: 'confirm-payment',
    from: [S.AWAITING_PAYMENT],
    to: S.IN_PROGRESS,
    actors: [receptionist, specialist, leader],
    guards: [],
    summary:
      'Xác nhận đã nộp phí, lệ phí: at the desk, every pending request is paid (an e-receipt each); the clock resumes. Taken by the system when the last request is paid online',
    effects: async (c) => {
      const b = c.body as PaymentConfirmBody;
      const receipts = await c.payments.payPendingAtCounter(b.method ?? 'COUNTER_CASH', b.payerName ?? c.row.applicant?.fullName ?? null);
      await c.clocks.resume(['OVERALL', 'STEP'], 'paid');
      return { columns: {}, eventData: { receiptNumber: b.receiptNumber ?? null, receipts } };
    },
  },
  {
    action: 'approve',
    from: [S.IN_PROGRESS],
    to: S.RESOLVED,
    actors: [leader],
    guards: [guards.atLastStep],
    summary: 'Lãnh đạo phê duyệt: GRANTED with a result (sent for signing), or DENIED with reasons; timeliness is fixed',
    effects: async (c) => {
      const b = c.body as ApproveBody;
      const details: ErrorDetail[] = [];
      if (b.outcome === 'GRANTED' && !b.resultFileId) details.push({ field: 'resultFileId', message: 'required when GRANTED' });
      if (b.outcome === 'DENIED' && !b.reasons?.length) details.push({ field: 'reasons', message: 'required when DENIED' });
      if (details.length) throw CommonErrors.VALIDATION_FAILED(`Thiếu ${details[0].field}`, `Missing ${details[0].field}`, details);
      // A GRANTED result issued electronically is signed (PAdES) before it is returned: it must be
      // a PDF. A paper-only result (signed and stamped on paper) is scanned in instead: no signing.
      const form: ResultForm | null = b.outcome === 'GRANTED' ? (b.resultForm ?? 'ELECTRONIC') : b.resultFileId ? 'ELECTRONIC' : null;
      if (b.resultFileId) await c.checks.resultFile(b.resultFileId, b.outcome !== 'GRANTED' ? 'ANY' : form === 'SCANNED' ? 'SCANNED' : 'SIGNED');
      if (b.outcome === 'GRANTED' && form === 'ELECTRONIC') await c.requestSigning(b.resultFileId!);
      await endClocks(c);
      const due = c.deadline?.dueAt ? new Date(c.deadline.dueAt) : null;
      const onTime = due ? timeliness(c.now, due) : null;
      return {
        columns: {
          outcome: b.outcome,
          result_file_id: b.resultFileId ?? null,
          resolved_at: c.now,
          timeliness: onTime,
          result_form: form,
          result_valid_until: b.resultValidUntil ?? null,
        },
        eventData: {
          outcome: b.outcome,
          resultFileId: b.resultFileId ?? null,
          reasons: b.reasons ?? null,
          timeliness: onTime,
          resultForm: form,
          resultValidUntil: b.resultValidUntil ?? null,
        },
      };
    },
  },
  {
    action: 'request-signature',
    from: [S.RESOLVED],
    to: S.RESOLVED,
    actors: [leader],
    guards: [guards.signingCanBeRetried],
    summary: 'Ký lại kết quả: a new signing request after one was rejected, lapsed or failed',
    effects: async (c) => {
      await c.requestSigning(c.row.result_file_id!);
      return { columns: {}, eventData: {} };
    },
  },
  {
    action: 'reschedule',
    from: [S.IN_PROGRESS, S.AWAITING_PAYMENT],
    to: (f) => f.status,
    actors: [specialist, leader],
    guards: [guards.notYetRescheduled, guards.beforeRescheduleDeadline],
    summary: 'Xin lỗi và hẹn lại ngày trả (mẫu 04), at most once; the dossier still counts as late',
    effects: async (c) => {
      const b = c.body as RescheduleBody;
      const newDueAt = new Date(b.newDueAt);
      if (!c.deadline?.dueAt || newDueAt <= new Date(c.deadline.dueAt)) {
        throw CommonErrors.VALIDATION_FAILED('Ngày hẹn mới phải sau hạn hiện tại', 'The new date must be after the current due date', [
          { field: 'newDueAt', message: `after ${c.deadline?.dueAt}` },
        ]);
      }
      await c.clocks.extendOverall(newDueAt, b.reason);
      return { columns: { rescheduled: true }, eventData: { newDueAt: newDueAt.toISOString(), reason: b.reason, previousDueAt: c.deadline.dueAt } };
    },
  },
  {
    action: 'return',
    from: [S.RESOLVED],
    to: S.RETURNED,
    actors: [receptionist],
    guards: [guards.resultSigned, guards.originalsChecked],
    summary: 'Trả kết quả: ONLINE, POSTAL (tracking number) or COUNTER',
    effects: async (c) => {
      const b = c.body as ReturnBody;
      if (b.method === 'POSTAL' && !b.trackingNumber)
        throw CommonErrors.VALIDATION_FAILED('Cần mã vận đơn', 'A tracking number is required for POSTAL', [
          { field: 'trackingNumber', message: 'required for POSTAL' },
        ]);
      // The electronic result file the dossier is returned with: the signed file, or the scan of a
      // paper-only result. It goes to the applicant's data store; the flag is stored now, once.
      const resultFile = c.row.outcome !== 'GRANTED' ? null : c.row.result_form === 'SCANNED' ? c.row.result_file_id : c.signedResultFileId;
      if (resultFile) await c.dataStore.keepResult(resultFile, c.row.result_form ?? 'ELECTRONIC');
      return {
        columns: { returned_at: c.now, return_method: b.method, tracking_number: b.trackingNumber ?? null, electronic_result: resultFile !== null },
        eventData: {
          method: b.method,
          trackingNumber: b.trackingNumber ?? null,
          originalsChecked: b.originalsChecked ?? false,
          electronicResult: resultFile !== null,
        },
      };
    },
  },
  {
    action: 'withdraw',
    from: OPEN_BEFORE_RESULT,
    to: S.WITHDRAWN,
    actors: [owner],
    guards: [],
    summary: 'Công dân rút hồ sơ',
    effects: async (c) => {
      await endClocks(c);
      await c.dataStore.noteEnded();
      return nothing();
    },
  },
  {
    action: 'stop',
    from: [S.SUPPLEMENT_REQUESTED],
    to: S.STOPPED,
    actors: [receptionist, { role: Role.LEADER, at: 'COMPETENT' }],
    guards: [guards.supplementDeadlinePassed],
    summary: 'Dừng xử lý khi quá hạn bổ sung (mẫu 05)',
    effects: async (c) => {
      await endClocks(c);
      return { columns: {}, eventData: { reason: (c.body as ReasonBody).reason } };
    },
  },
];

export const TRANSITION_BY_ACTION: ReadonlyMap<Action, Transition> = new Map(TRANSITIONS.map((t) => [t.action, t]));

/** Whether the caller is one of the transition's actors for this dossier. */
export function actorMatches(actor: Actor, user: AuthUser, d: DossierParties): boolean {
  if ('owner' in actor) return isDossierOwner(user, d);
  if ('integrator' in actor) return user.kind === 'api-key' && !!user.scopes?.includes(actor.integrator);
  if (user.kind !== 'user' || user.role !== actor.role) return false;
  return user.agencyCode === (actor.at === 'RECEIVING' ? d.receivingAgencyCode : d.competentAgencyCode);
}

/**
 * `request-supplement` is the one action whose actors depend on the status: the one-stop at
 * reception, the processing unit during processing.
 */
function actorsFor(t: Transition, status: S): readonly Actor[] {
  if (t.action !== 'request-supplement') return t.actors;
  return status === S.SUBMITTED ? [receptionist] : [specialist, leader];
}

export type Decision = { allowed: true; to: S } | { allowed: false; reason: 'NOT_IN_THIS_STATUS' | 'NOT_YOUR_ROLE' | 'GUARD'; failure?: GuardFailure };

/** May this caller take this action now, and where does it lead? */
export function decide(action: Action, user: AuthUser, d: DossierParties, facts: WorkflowFacts, input: ActionInput = {}): Decision {
  const t = TRANSITION_BY_ACTION.get(action)!;
  if (!t.from.includes(facts.status)) return { allowed: false, reason: 'NOT_IN_THIS_STATUS' };
  if (!actorsFor(t, facts.status).some((a) => actorMatches(a, user, d))) return { allowed: false, reason: 'NOT_YOUR_ROLE' };
  for (const g of t.guards) {
    const failure = g(facts, input);
    if (failure) return { allowed: false, reason: 'GUARD', failure };
  }
  return { allowed: true, to: typeof t.to === 'function' ? t.to(facts) : t.to };
}

/** The system's own step (e.g. confirm-payment once the last request is paid online): status and guards only, no actor. */
export function decideForSystem(action: Action, facts: WorkflowFacts): Decision {
  const t = TRANSITION_BY_ACTION.get(action)!;
  if (!t.from.includes(facts.status)) return { allowed: false, reason: 'NOT_IN_THIS_STATUS' };
  for (const g of t.guards) {
    const failure = g(facts, {});
    if (failure) return { allowed: false, reason: 'GUARD', failure };
  }
  return { allowed: true, to: typeof t.to === 'function' ? t.to(facts) : t.to };
}

/**
 * The actions the caller could take now, each with whether a guard blocks it and why (actions of
 * other statuses or roles are left out: they are not the caller's to take).
 */
export function allowedActions(user: AuthUser, d: DossierParties, facts: WorkflowFacts): Array<{ action: Action; allowed: boolean; blockedBy?: GuardFailure }> {
  const out: Array<{ action: Action; allowed: boolean; blockedBy?: GuardFailure }> = [];
  for (const t of TRANSITIONS) {
    // Guards that read the action's body (e.g. originalsChecked) are judged as if it were given.
    const decision = decide(t.action, user, d, facts, { originalsChecked: true });
    if (decision.allowed) out.push({ action: t.action, allowed: true });
    else if (decision.reason === 'GUARD') out.push({ action: t.action, allowed: false, blockedBy: decision.failure });
  }
  return out;
}
