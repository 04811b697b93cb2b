import { DossierStatus, STATUS_LABEL_VI } from '../dossier-record/dossier-status.js';
import type { PortalSnapshot } from './portal-mapping.js';
import { DEADLINE_EVENT_TYPES, EVENT, type DossierEventType, type WorkflowAction } from '../dossier-record/event-types.js';

/** A history event as the fold reads it. */
export interface HistoryEvent {
  seq: number;
  type: string;
  at: Date;
  data: Record<string, unknown>;
}

/** What does not change along a dossier's life (read from its row). */
export type DossierFacts = Pick<
  PortalSnapshot,
  'dossierId' | 'code' | 'procedureCode' | 'procedureName' | 'fieldCode' | 'receivingAgencyCode' | 'competentAgencyCode' | 'channel' | 'applicant'
> & {
  reused: boolean;
  applicantVneid: boolean;
  resultFileId: string | null;
};

const date = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : null);

/**
 * The history event a status change wrote: the filing's SUBMITTED event or the action event
 * leading to `status`, at the change's instant (a change and its event share `at`); the last
 * event leading to `status` when none matches exactly (null when the history has none).
 */
export function eventOfChange(events: HistoryEvent[], change: { status: DossierStatus; at: string }): HistoryEvent | null {
  const at = new Date(change.at).getTime();
  const leadsTo = (e: HistoryEvent) => (e.type === EVENT.SUBMITTED ? DossierStatus.SUBMITTED : e.data.to) === change.status;
  return events.find((e) => leadsTo(e) && e.at.getTime() === at) ?? [...events].reverse().find(leadsTo) ?? null;
}

/** The status an event led to, when it changed the status (the filing, or an action whose `to` differs from its `from`). */
export function statusChangeOf(e: HistoryEvent): DossierStatus | null {
  if (e.type === EVENT.SUBMITTED) return DossierStatus.SUBMITTED;
  const to = e.data.to;
  return typeof to === 'string' && to !== e.data.from ? (to as DossierStatus) : null;
}

/**
 * The dossier AS OF history event `upToSeq` (all of it when null): its status, dates, supplement
 * rounds (with the due date before and after each), result and flags, folded from the hash-chained
 * history, so a push made late carries that change's state and never a later one.
 */
export function snapshotAsOf(
  facts: DossierFacts,
  events: HistoryEvent[],
  upToSeq: number | null,
  links: { resultLink: (fileId: string) => string },
): PortalSnapshot {
  const upTo = upToSeq ?? Number.MAX_SAFE_INTEGER;
  let status = DossierStatus.SUBMITTED;
  let changedAt = events[0]?.at ?? new Date(0);
  let changeLabel = STATUS_LABEL_VI.SUBMITTED;
  let receivedAt: Date | null = null;
  let dueAt: Date | null = null;
  let digitised = false;
  let electronicResult = false;
  const rounds: PortalSnapshot['supplementRounds'] = [];
  let result: PortalSnapshot['result'] = null;
  for (const e of events) {
    if (e.seq > upTo) break;
    if (e.type === EVENT.SUBMITTED) {
      digitised = ((e.data.sources as Array<{ source: string }> | undefined) ?? []).some((s) => s.source === 'SCANNED');
      continue;
    }
    if (DEADLINE_EVENT_TYPES.includes(e.type as DossierEventType)) {
      if (e.data.kind === 'OVERALL' && typeof e.data.newDueAt === 'string') dueAt = new Date(e.data.newDueAt);
      continue;
    }
    const to = e.data.to as DossierStatus | undefined;
    if (!to) continue;
    // Typed: an action renamed in the kernel's list makes these comparisons a compile error.
    const action = e.data.action as WorkflowAction | undefined;
    if (to !== status || action === 'reschedule') {
      changedAt = e.at;
      changeLabel = to !== status ? STATUS_LABEL_VI[to] : 'Hẹn lại ngày trả kết quả';
    }
    status = to;
    if (to === DossierStatus.RECEIVED && !receivedAt) receivedAt = e.at;
    if (action === 'request-supplement')
      rounds.push({
        requestedAt: e.at,
        items: e.data.items ?? null,
        supplementDueAt: date(e.data.supplementDueAt),
        oldDueAt: dueAt,
        suppliedAt: null,
        newDueAt: null,
      });
    if (action === 'supplement') {
      const open = rounds[rounds.length - 1];
      if (open && !open.suppliedAt) Object.assign(open, { suppliedAt: e.at, newDueAt: dueAt });
      if (e.data.source === 'SCANNED') digitised = true;
    }
    if (action === 'approve')
      result = { outcome: (e.data.outcome as string) ?? null, resolvedAt: e.at, returnedAt: null, returnMethod: null, electronicLink: null };
    if (action === 'return') {
      electronicResult = e.data.electronicResult === true;
      result = {
        ...(result ?? { outcome: null, resolvedAt: null, electronicLink: null }),
        returnedAt: e.at,
        returnMethod: (e.data.method as string) ?? null,
        electronicLink: electronicResult && facts.resultFileId ? links.resultLink(facts.resultFileId) : null,
      };
    }
  }
  return {
    dossierId: facts.dossierId,
    code: facts.code,
    asOfSeq: upToSeq,
    changeLabel,
    status,
    changedAt,
    procedureCode: facts.procedureCode,
    procedureName: facts.procedureName,
    fieldCode: facts.fieldCode,
    receivingAgencyCode: facts.receivingAgencyCode,
    competentAgencyCode: facts.competentAgencyCode,
    channel: facts.channel,
    applicant: facts.applicant,
    submittedAt: events[0]?.at ?? changedAt,
    receivedAt,
    dueAt,
    supplementRounds: rounds,
    result,
    flags: { digitised, reused: facts.reused, electronicResult, applicantVneid: facts.applicantVneid },
  };
}
