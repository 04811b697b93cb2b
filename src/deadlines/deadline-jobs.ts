import type { JobsOptions } from 'bullmq';

export const DEADLINES_QUEUE = 'deadlines';
/** Outbox topic of a clock's scheduling intent (see ScheduleIntent). */
export const SCHEDULE_TOPIC = 'deadline.schedule';

export type FiringKind = 'DUE_SOON' | 'OVERDUE';

/** What a delayed job carries: which clock, for which schedule version, and what it flags. */
export interface DeadlineJobData {
  clockId: string;
  version: number;
  kind: FiringKind;
  /** The instant it is meant to fire (ISO), for lag measurement and promotion. */
  fireAt: string;
}

/**
 * The payload of an outbox row: the jobs a clock's current schedule needs, and the ids of the jobs
 * of its previous schedule, which are removed (they would be ignored anyway, as stale versions, but
 * removing them keeps Redis small).
 */
export interface ScheduleIntent {
  clockId: string;
  dossierId: string;
  version: number;
  firings: Array<{ kind: FiringKind; at: string }>;
  cancel: string[];
}

/**
 * Deterministic job id: the same firing of the same schedule always has the same id, so a relay
 * that adds it twice (crash between add and mark, two relays, reconciliation) creates one job.
 * BullMQ 6.7 refuses custom ids containing ':' (unless split into exactly three parts, a legacy
 * case), so the parts are separated by dots.
 */
export function deadlineJobId(clockId: string, kind: FiringKind, version: number): string {
  return `deadline.${clockId}.${kind === 'DUE_SOON' ? 'due-soon' : 'overdue'}.v${version}`;
}

/** Retries with backoff so a database hiccup delays a warning instead of losing it. */
export const DEADLINE_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  // A fired job's effect is in PostgreSQL (the clock's status): keep nothing of it in Redis.
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86400 },
};
