/**
 * The one typed list of what a dossier's history records (`dossier_events.type`). Producers
 * (intake, the workflow, deadlines, payments, result signing, ratings) write these names and
 * readers (forms, ratings, reports, portal sync) compare with them, so renaming an action or an
 * event is a compile error everywhere it matters, not a silent mismatch. Names are stored in the
 * history: never rename one that has rows; add a new one instead.
 */

/** The workflow's actions as the API names them (`POST /dossiers/{id}/actions/{action}`). */
export const WORKFLOW_ACTIONS = [
  'accept',
  'request-supplement',
  'supplement',
  'refuse',
  'assign',
  'claim',
  'forward',
  'send-back',
  'request-payment',
  'confirm-payment',
  'approve',
  'request-signature',
  'reschedule',
  'return',
  'withdraw',
  'stop',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

type Upper<S extends string> = S extends `${infer A}-${infer B}` ? `${Uppercase<A>}_${Upper<B>}` : Uppercase<S>;
export type ActionEventType = Upper<WorkflowAction>;

/** The history event an action writes: `request-supplement` → `REQUEST_SUPPLEMENT`. */
export function eventTypeOf<A extends WorkflowAction>(action: A): Upper<A> {
  return action.toUpperCase().replace(/-/g, '_') as Upper<A>;
}

const ACTION_EVENTS = Object.fromEntries(WORKFLOW_ACTIONS.map((a) => [eventTypeOf(a), eventTypeOf(a)])) as { [K in ActionEventType]: K };

/** Every event type, by name: `EVENT.ACCEPT`, `EVENT.DEADLINE_OVERDUE`, `EVENT.PAYMENT_PAID`… */
export const EVENT = {
  /** The filing (intake), always seq 1. */
  SUBMITTED: 'SUBMITTED',
  ...ACTION_EVENTS,
  // The clocks (deadlines).
  DEADLINE_STARTED: 'DEADLINE_STARTED',
  DEADLINE_PAUSED: 'DEADLINE_PAUSED',
  DEADLINE_RESUMED: 'DEADLINE_RESUMED',
  DEADLINE_RESTARTED: 'DEADLINE_RESTARTED',
  DEADLINE_EXTENDED: 'DEADLINE_EXTENDED',
  DEADLINE_STOPPED: 'DEADLINE_STOPPED',
  DEADLINE_REPROJECTED: 'DEADLINE_REPROJECTED',
  DEADLINE_DUE_SOON: 'DEADLINE_DUE_SOON',
  DEADLINE_OVERDUE: 'DEADLINE_OVERDUE',
  // Fees (payments).
  PAYMENT_REQUESTED: 'PAYMENT_REQUESTED',
  PAYMENT_PAID: 'PAYMENT_PAID',
  PAYMENT_FAILED: 'PAYMENT_FAILED',
  PAYMENT_FLAGGED: 'PAYMENT_FLAGGED',
  PAYMENT_CANCELLED: 'PAYMENT_CANCELLED',
  PAYMENT_EXPIRED: 'PAYMENT_EXPIRED',
  PAYMENT_REFUND_REQUESTED: 'PAYMENT_REFUND_REQUESTED',
  PAYMENT_REFUNDED: 'PAYMENT_REFUNDED',
  // The result (signing) and the citizen's voice (ratings).
  RESULT_SIGNED: 'RESULT_SIGNED',
  RESULT_SIGNING_REJECTED: 'RESULT_SIGNING_REJECTED',
  RESULT_SIGNING_EXPIRED: 'RESULT_SIGNING_EXPIRED',
  RESULT_SIGNING_FAILED: 'RESULT_SIGNING_FAILED',
  RATED: 'RATED',
  RATING_CORRECTED: 'RATING_CORRECTED',
  COMPLAINT_FILED: 'COMPLAINT_FILED',
} as const;

export type DossierEventType = (typeof EVENT)[keyof typeof EVENT];

/** The event types of the clocks (a history reader skips or reads them as a group). */
export const DEADLINE_EVENT_TYPES: readonly DossierEventType[] = Object.values(EVENT).filter((t) => t.startsWith('DEADLINE_'));
