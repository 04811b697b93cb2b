import type { ErrorDetail } from '../common/errors.js';
import type { RatingBand } from './rating.entity.js';
import { INDICATOR_CODES, MAX_SCORE, MIN_SCORE } from './indicators.js';
import { EVENT } from '../dossier-record/event-types.js';

/** How long after the rating (revision 1) its owner may still correct it, and how many times. */
export const CORRECTION_WINDOW_DAYS = 7;
export const MAX_CORRECTIONS = 3;

/** Free texts: a rating's comment and a complaint's content, in characters. */
export const COMMENT_MAX_CHARS = 1000;
export const COMPLAINT_MAX_CHARS = 2000;

/** Complaints per dossier: at most this many in any rolling 24 hours, and this many in all. */
export const COMPLAINTS_PER_DAY = 3;
export const COMPLAINTS_PER_DOSSIER = 20;
export const COMPLAINT_WINDOW_MS = 24 * 3600 * 1000;

/**
 * What is wrong with a rating's `scores`, one detail per field (`scores.<code>`): it must be an
 * object with exactly the indicator codes "1".."9" as keys, each an integer from 0 to 2. Empty
 * when it is right.
 */
export function checkScores(raw: unknown): ErrorDetail[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return [
      {
        field: 'scores',
        message: `an object with the ${INDICATOR_CODES.length} indicators "${INDICATOR_CODES[0]}".."${INDICATOR_CODES[INDICATOR_CODES.length - 1]}" as keys, each ${MIN_SCORE}–${MAX_SCORE}`,
      },
    ];
  }
  const scores = raw as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  for (const code of INDICATOR_CODES) {
    if (!Object.hasOwn(scores, code)) {
      details.push({ field: `scores.${code}`, message: 'missing: every indicator is scored' });
      continue;
    }
    const v = scores[code];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_SCORE || v > MAX_SCORE) {
      details.push({ field: `scores.${code}`, message: `an integer from ${MIN_SCORE} to ${MAX_SCORE}` });
    }
  }
  const known = new Set(INDICATOR_CODES);
  // At most a few extra keys are named: a body with thousands of them gets a short answer.
  const extra = Object.keys(scores).filter((k) => !known.has(k));
  for (const k of extra.slice(0, 10)) details.push({ field: `scores.${k.slice(0, 40)}`, message: 'no such indicator' });
  if (extra.length > 10) details.push({ field: 'scores', message: `${extra.length} keys that are no indicator` });
  return details;
}

/** The sum of the 9 indicators (0–18). */
export function totalScore(scores: Record<string, number>): number {
  return INDICATOR_CODES.reduce((sum, code) => sum + scores[code], 0);
}

/** Circular 01/2018's bands of the total: ≥ 15 excellent, 12–< 15 good, 9–< 12 fair, 6–< 9 average, < 6 weak. */
export function bandOf(total: number): RatingBand {
  if (total >= 15) return 'EXCELLENT';
  if (total >= 12) return 'GOOD';
  if (total >= 9) return 'FAIR';
  if (total >= 6) return 'AVERAGE';
  return 'WEAK';
}

/** The scores as stored: exactly the indicator codes, in order. */
export function normalisedScores(scores: Record<string, number>): Record<string, number> {
  return Object.fromEntries(INDICATOR_CODES.map((code) => [code, scores[code]]));
}

/** What an officer did in the dossier's life that the rating is tied to. */
export type OfficerRole = 'ACCEPTED' | 'PROCESSED' | 'APPROVED' | 'SIGNED' | 'RETURNED';

export interface StepOfficer {
  role: OfficerRole;
  /** The internal-process step's code; RETURN for the return of the result at the one-stop. */
  step: string;
  userId: string;
}

/** The return of the result is the one-stop's, after the internal process: its pseudo-step. */
export const RETURN_STEP: string = EVENT.RETURN;

interface HistoryEvent {
  type: string;
  actorKind: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

/**
 * The officers of each step, read from the dossier's history in order: who accepted it (at the
 * first step), who processed each step (the officer who handed it on: assign, forward or
 * send-back; a step processed again after a send-back counts again), who approved it and who
 * signed the result (at the last step), and who returned it. People only (system and API-key
 * actors are left out); each (role, step, officer) once.
 */
export function stepOfficers(events: readonly HistoryEvent[]): StepOfficer[] {
  const out: StepOfficer[] = [];
  const seen = new Set<string>();
  const add = (role: OfficerRole, step: string | null, e: HistoryEvent) => {
    if (e.actorKind !== 'user' || !e.actorId || step === null) return;
    const key = `${role}|${step}|${e.actorId}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ role, step, userId: e.actorId });
  };
  let current: string | null = null;
  for (const e of events) {
    const step = typeof e.data.step === 'string' ? e.data.step : null;
    switch (e.type) {
      case EVENT.ACCEPT:
        current = step;
        add('ACCEPTED', current, e);
        break;
      case EVENT.ASSIGN:
      case EVENT.FORWARD:
      case EVENT.SEND_BACK:
        add('PROCESSED', current, e);
        current = step ?? current;
        break;
      case EVENT.APPROVE:
        add('APPROVED', current, e);
        break;
      case EVENT.RESULT_SIGNED:
        add('SIGNED', current, e);
        break;
      case EVENT.RETURN:
        add('RETURNED', RETURN_STEP, e);
        break;
    }
  }
  return out;
}

/** The last instant a rating first made at `ratedAt` may be corrected. */
export function correctableUntil(ratedAt: Date): Date {
  return new Date(ratedAt.getTime() + CORRECTION_WINDOW_DAYS * 86_400_000);
}
