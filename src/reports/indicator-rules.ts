import { vietnamDate } from '../common/clock.js';
import type { IndicatorCounts, IndicatorRow, Label } from './report-types.js';

/**
 * The Decision 766 rules (DOMAIN.md "What is measured"), as pure functions: what one dossier
 * contributes to a period's figures, and the indicator rows from the counts. The fast path
 * (report_dossier_facts + SQL, indicator-facts.sql.ts) implements the same rules in SQL; the
 * direct recount (IndicatorsService.recount) runs these functions over rows read from the primary
 * tables, and the e2e test checks the two agree.
 *
 * What "received or processed in the period" (2.1's denominator, `counts.processed`) means here:
 * the dossiers RECEIVED in the period (accepted, or filed when never accepted, by Vietnam date)
 * plus those CARRIED OVER: received before the period and not finished before its first day.
 * Each of them is judged as of the period's last day: finished by then (on its end date against
 * its due date), or unfinished then (overdue when its due date is before that day).
 * 2.1 = (finished early or on time + unfinished and not overdue at the period's end) ÷ processed.
 * The flag indicators (1.4, 3.3, 3.6, 4.1, 4.2, 4.3) and the satisfaction share of 5.4 count the
 * dossiers received in the period.
 */

export type EndKind = 'RESOLVED' | 'RETURNED' | 'STOPPED' | 'REFUSED' | 'WITHDRAWN';
export type Timeliness = 'EARLY' | 'ON_TIME' | 'LATE';
export type Channel = 'ONLINE' | 'COUNTER' | 'POSTAL';
export type Verdict = 'VERY_SATISFIED' | 'SATISFIED' | 'NOT_SATISFIED';

/** One dossier as the figures see it (a row of report_dossier_facts). Days are yyyy-mm-dd, Vietnam time. */
export interface DossierFact {
  dossierId: string;
  agencyCode: string;
  procedureCode: string;
  field: string;
  channel: Channel;
  receivedDay: string;
  /** The effective due date: null when none (never accepted, refused) or while paused before it was due. */
  dueDay: string | null;
  finishedDay: string | null;
  endKind: EndKind | null;
  /** Fixed when finished (supplement rounds > 1 and a re-appointment make it LATE). */
  timeliness: Timeliness | null;
  /** The Vietnam days of its supplement requests. */
  supplementDays: string[];
  /** Components born electronic (filed online) or scanned at the desk. */
  digitised: boolean;
  reused: boolean;
  electronicResult: boolean;
  /** A result document was issued and returned (outcome GRANTED, returned). */
  writtenResult: boolean;
  feeBearing: boolean;
  paidOnline: boolean;
  synced: boolean;
  complaint: boolean;
  rating: Verdict | null;
}

/** What the primary tables hold about a dossier, as the fact derivation needs it. */
export interface DossierRaw {
  id: string;
  receivingAgencyCode: string;
  procedureCode: string;
  field: string;
  channel: Channel;
  status: string;
  submittedAt: Date;
  receivedAt: Date | null;
  resolvedAt: Date | null;
  returnedAt: Date | null;
  /** When it became STOPPED, REFUSED or WITHDRAWN (its event's time). */
  closedAt: Date | null;
  /** dossiers.timeliness, fixed at status 9. */
  timeliness: Timeliness | null;
  rescheduled: boolean;
  outcome: 'GRANTED' | 'DENIED' | null;
  digitised: boolean;
  reused: boolean;
  electronicResult: boolean;
  /** The OVERALL clock: its due instant, state and when paused. */
  clock: { dueAt: Date; state: 'RUNNING' | 'PAUSED' | 'STOPPED'; pausedAt: Date | null } | null;
  supplementRequestedAt: Date[];
  feeBearing: boolean;
  paidOnline: boolean;
  synced: boolean;
  complaint: boolean;
  rating: Verdict | null;
}

/** A due date compared by Vietnam date (DOMAIN.md "Timeliness"). */
export function timelinessOn(endDay: string, dueDay: string | null): Timeliness {
  if (dueDay === null) return 'ON_TIME';
  return endDay < dueDay ? 'EARLY' : endDay === dueDay ? 'ON_TIME' : 'LATE';
}

/**
 * The due date the figures use. The OVERALL clock already leaves supplement and payment time out
 * (src/deadlines: it pauses while the citizen supplements or pays, and resumes or restarts). A
 * clock paused before it fell due cannot become overdue while paused: no due date then.
 */
export function effectiveDueDay(clock: DossierRaw['clock']): string | null {
  if (!clock) return null;
  if (clock.state === 'PAUSED' && clock.pausedAt && clock.pausedAt.getTime() <= clock.dueAt.getTime()) return null;
  return vietnamDate(clock.dueAt);
}

/** The end of a dossier: the RESOLVED time, else RETURNED, else when it was stopped, refused or withdrawn. */
export function endOf(d: Pick<DossierRaw, 'status' | 'resolvedAt' | 'returnedAt' | 'closedAt'>): { kind: EndKind; at: Date } | null {
  if (d.resolvedAt) return { kind: d.status === 'RETURNED' ? 'RETURNED' : 'RESOLVED', at: d.resolvedAt };
  if (d.returnedAt) return { kind: 'RETURNED', at: d.returnedAt };
  if ((d.status === 'STOPPED' || d.status === 'REFUSED' || d.status === 'WITHDRAWN') && d.closedAt) return { kind: d.status, at: d.closedAt };
  return null;
}

/**
 * A finished dossier's timeliness: the one fixed at status 9 when it was resolved, else its end
 * date against its due date. More than one supplement request, or a re-appointment (form 04: "a
 * late dossier still counts as late"), makes it LATE.
 */
export function finishedTimeliness(d: DossierRaw, end: { kind: EndKind; at: Date }): Timeliness {
  if (d.supplementRequestedAt.length > 1 || d.rescheduled) return 'LATE';
  if (d.resolvedAt && d.timeliness) return d.timeliness;
  return timelinessOn(vietnamDate(end.at), effectiveDueDay(d.clock));
}

export function deriveFact(d: DossierRaw): DossierFact {
  const end = endOf(d);
  return {
    dossierId: d.id,
    agencyCode: d.receivingAgencyCode,
    procedureCode: d.procedureCode,
    field: d.field,
    channel: d.channel,
    receivedDay: vietnamDate(d.receivedAt ?? d.submittedAt),
    dueDay: effectiveDueDay(d.clock),
    finishedDay: end ? vietnamDate(end.at) : null,
    endKind: end?.kind ?? null,
    timeliness: end ? finishedTimeliness(d, end) : null,
    supplementDays: d.supplementRequestedAt.map((t) => vietnamDate(t)).sort(),
    digitised: d.digitised || d.channel === 'ONLINE',
    reused: d.reused,
    electronicResult: d.electronicResult,
    writtenResult: d.outcome === 'GRANTED' && d.returnedAt !== null,
    feeBearing: d.feeBearing,
    paidOnline: d.paidOnline,
    synced: d.synced,
    complaint: d.complaint,
    rating: d.rating,
  };
}

/** A dossier's place in a period [from, to] (inclusive Vietnam days). */
export interface PeriodRole {
  received: boolean;
  processed: boolean;
  /** Finished within the period. */
  finished: Timeliness | null;
  /** Unfinished at the period's end, judged on its last day. */
  inProgress: 'ON_TIME' | 'OVERDUE' | null;
  supplementRounds: number;
}

export function roleIn(f: DossierFact, from: string, to: string): PeriodRole {
  const received = f.receivedDay >= from && f.receivedDay <= to;
  const carriedOver = f.receivedDay < from && (f.finishedDay === null || f.finishedDay >= from);
  const processed = received || carriedOver;
  const finishedByEnd = f.finishedDay !== null && f.finishedDay <= to;
  return {
    received,
    processed,
    finished: processed && finishedByEnd ? f.timeliness : null,
    // Unfinished on the period's last day: overdue once its due date has passed by then.
    inProgress: processed && !finishedByEnd ? (f.supplementDays.length > 1 || (f.dueDay !== null && f.dueDay < to) ? 'OVERDUE' : 'ON_TIME') : null,
    supplementRounds: processed ? f.supplementDays.filter((s) => s >= from && s <= to).length : 0,
  };
}

export function emptyCounts(): IndicatorCounts {
  return {
    received: { total: 0, online: 0, counter: 0, postal: 0 },
    processed: 0,
    finished: { total: 0, early: 0, onTime: 0, late: 0 },
    inProgress: { total: 0, onTime: 0, overdue: 0 },
    refused: 0,
    withdrawn: 0,
    stopped: 0,
    supplementRounds: 0,
    digitised: 0,
    reused: 0,
    electronicResult: 0,
    paidOnline: 0,
    synced: 0,
    ratings: { total: 0, verySatisfied: 0, satisfied: 0, notSatisfied: 0 },
    complaints: 0,
  };
}

/**
 * The parts of the indicators that IndicatorCounts does not carry (the denominators of 3.3, 3.6,
 * 4.1 and 4.2's numerator, the dossiers counted against 5.4). Kept beside the counts.
 */
export interface IndicatorExtras {
  /** Received online, with an electronic result where a written result was returned (3.3's numerator). */
  onlineWithEResult: number;
  feeBearing: number;
  paidOnlineFeeBearing: number;
  writtenResult: number;
  electronicWrittenResult: number;
  /** Digitised components and an electronic result (4.2's numerator). */
  digitisedWithEResult: number;
  /** Received, with a complaint or a latest rating NOT_SATISFIED (5.4). */
  complainedOrNotSatisfied: number;
}

export function emptyExtras(): IndicatorExtras {
  return {
    onlineWithEResult: 0,
    feeBearing: 0,
    paidOnlineFeeBearing: 0,
    writtenResult: 0,
    electronicWrittenResult: 0,
    digitisedWithEResult: 0,
    complainedOrNotSatisfied: 0,
  };
}

/** Adds one dossier to a period's counts (the direct recount; the SQL in indicator-facts.sql.ts does the same). */
export function addFact(c: IndicatorCounts, x: IndicatorExtras, f: DossierFact, from: string, to: string): void {
  const r = roleIn(f, from, to);
  if (r.processed) c.processed++;
  c.supplementRounds += r.supplementRounds;
  if (r.finished) {
    c.finished.total++;
    if (r.finished === 'EARLY') c.finished.early++;
    else if (r.finished === 'ON_TIME') c.finished.onTime++;
    else c.finished.late++;
    if (f.endKind === 'REFUSED') c.refused++;
    if (f.endKind === 'WITHDRAWN') c.withdrawn++;
    if (f.endKind === 'STOPPED') c.stopped++;
  }
  if (r.inProgress) {
    c.inProgress.total++;
    if (r.inProgress === 'OVERDUE') c.inProgress.overdue++;
    else c.inProgress.onTime++;
  }
  if (!r.received) return;
  c.received.total++;
  if (f.channel === 'ONLINE') c.received.online++;
  else if (f.channel === 'COUNTER') c.received.counter++;
  else c.received.postal++;
  if (f.digitised) c.digitised++;
  if (f.reused) c.reused++;
  if (f.electronicResult) c.electronicResult++;
  if (f.paidOnline) c.paidOnline++;
  if (f.synced) c.synced++;
  if (f.rating) {
    c.ratings.total++;
    if (f.rating === 'VERY_SATISFIED') c.ratings.verySatisfied++;
    else if (f.rating === 'SATISFIED') c.ratings.satisfied++;
    else c.ratings.notSatisfied++;
  }
  if (f.complaint) c.complaints++;
  if (f.channel === 'ONLINE' && (!f.writtenResult || f.electronicResult)) x.onlineWithEResult++;
  if (f.feeBearing) x.feeBearing++;
  if (f.feeBearing && f.paidOnline) x.paidOnlineFeeBearing++;
  if (f.writtenResult) x.writtenResult++;
  if (f.writtenResult && f.electronicResult) x.electronicWrittenResult++;
  if (f.digitised && f.electronicResult) x.digitisedWithEResult++;
  if (f.complaint || f.rating === 'NOT_SATISFIED') x.complainedOrNotSatisfied++;
}

export function countFacts(facts: Iterable<DossierFact>, from: string, to: string): { counts: IndicatorCounts; extras: IndicatorExtras } {
  const counts = emptyCounts();
  const extras = emptyExtras();
  for (const f of facts) addFact(counts, extras, f, from, to);
  return { counts, extras };
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

const LABELS: Record<IndicatorRow['code'], Label> = {
  '1.4': { vi: 'Tỷ lệ hồ sơ đồng bộ lên Cổng DVC quốc gia', en: 'Dossiers synced to the national portal' },
  '2.1': { vi: 'Tỷ lệ hồ sơ giải quyết đúng hạn', en: 'Dossiers handled on time' },
  '3.1': { vi: 'Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến', en: 'Procedures offered online (full or partial)' },
  '3.3': { vi: 'Tỷ lệ hồ sơ trực tuyến', en: 'Dossiers filed online' },
  '3.6': { vi: 'Tỷ lệ thanh toán trực tuyến', en: 'Fee-bearing dossiers paid online' },
  '4.1': { vi: 'Tỷ lệ cấp kết quả điện tử', en: 'Results issued electronically' },
  '4.2': { vi: 'Tỷ lệ số hóa hồ sơ, kết quả', en: 'Dossiers digitised with an electronic result' },
  '4.3': { vi: 'Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa', en: 'Dossiers reusing digitised data' },
  '5.4': { vi: 'Mức độ hài lòng', en: 'Satisfaction' },
};

const row = (
  code: IndicatorRow['code'],
  numerator: number,
  denominator: number,
  fullMarksAt: number | null,
  rate = ratio(numerator, denominator),
  note?: Label,
): IndicatorRow => ({ code, label: LABELS[code], numerator, denominator, rate, fullMarksAt, points: null, maxPoints: null, ...(note ? { note } : {}) });

/**
 * The indicator table from the counts. Points: the published formulas as DOMAIN.md gives them
 * state the full-marks thresholds, not each indicator's share of the 100 points, so `points` is
 * null everywhere and `fullMarksAt` carries the threshold where one is given.
 */
export function indicatorRows(
  c: IndicatorCounts,
  x: IndicatorExtras,
  procedures: { total: number; fullOnline: number; partialOnline: number },
): IndicatorRow[] {
  const syncRate = ratio(c.synced, c.received.total);
  const onlineShare = ratio(x.onlineWithEResult, c.received.total);
  const overdue = c.finished.late + c.inProgress.overdue;
  const overdueShare = ratio(overdue, c.processed) ?? 0;
  const complainedShare = ratio(x.complainedOrNotSatisfied, c.received.total) ?? 0;
  const satisfaction = c.processed === 0 && c.received.total === 0 ? null : Math.max(0, 1 - (overdueShare + complainedShare));
  return [
    row('1.4', c.synced, c.received.total, null),
    row('2.1', c.finished.early + c.finished.onTime + c.inProgress.onTime, c.processed, null, undefined, {
      vi: 'Đúng hạn = giải quyết trước/đúng hạn + đang giải quyết trong hạn vào ngày cuối kỳ; mẫu số = tiếp nhận trong kỳ + kỳ trước chuyển sang',
      en: 'On time = finished early or on time + unfinished and not overdue on the period’s last day; of those received in the period plus carried over',
    }),
    row('3.1', procedures.fullOnline + procedures.partialOnline, procedures.total, 0.8),
    row('3.3', x.onlineWithEResult, c.received.total, 0.5, onlineShare === null || syncRate === null ? null : onlineShare * syncRate, {
      vi: 'Tỷ lệ = (hồ sơ trực tuyến ÷ hồ sơ tiếp nhận) × tỷ lệ đồng bộ (1.4)',
      en: 'Rate = (online ÷ received) × the sync rate (1.4)',
    }),
    row('3.6', x.paidOnlineFeeBearing, x.feeBearing, null),
    row('4.1', x.electronicWrittenResult, x.writtenResult, null),
    row('4.2', x.digitisedWithEResult, c.received.total, 0.8),
    row('4.3', c.reused, c.received.total, 0.8),
    row('5.4', overdue + x.complainedOrNotSatisfied, c.processed, 0.9, satisfaction, {
      vi: 'Tỷ lệ = 100% − (tỷ lệ quá hạn trên hồ sơ đã và đang giải quyết + tỷ lệ hồ sơ có phản ánh hoặc “không hài lòng” trên hồ sơ tiếp nhận); tử số = số hồ sơ bị trừ',
      en: 'Rate = 100% − (overdue share of those processed + share of those received with a complaint or “not satisfied”); numerator = the dossiers counted against',
    }),
  ];
}
