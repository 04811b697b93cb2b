import { enqueue, outboxTopic } from '../outbox/outbox.js';
import type { JobsOptions } from 'bullmq';
import type { EntityManager } from 'typeorm';
import type { ClockState, ClockStatus } from './dossier-clock.entity.js';

export const DEADLINES_QUEUE = 'deadlines';
/** Outbox topic of a clock's scheduling intent (see ScheduleIntent). */
export const SCHEDULE_TOPIC = outboxTopic<ScheduleIntent>('deadline.schedule');

export type FiringKind = 'DUE_SOON' | 'OVERDUE';

/** What a delayed job carries: which clock, for which schedule version, and what it flags. */
export interface DeadlineJobData {
  clockId: string;
  version: number;
  kind: FiringKind;
}

/**
 * The one firing a running clock waits for next: its warning while on track, then its due instant.
 * A clock has a single delayed job at a time (the warning's handler schedules the overdue job):
 * half the Redis memory of scheduling both at once, which is what keeps a million clocks within
 * about 1 KB each.
 */
export function nextFiring(c: { state: ClockState; status: ClockStatus; dueSoonAt: Date; dueAt: Date }): { kind: FiringKind; at: Date } | null {
  if (c.state !== 'RUNNING' || c.status === 'OVERDUE') return null;
  return c.status === 'ON_TRACK' ? { kind: 'DUE_SOON', at: new Date(c.dueSoonAt) } : { kind: 'OVERDUE', at: new Date(c.dueAt) };
}

/** The outbox intent of a clock's schedule (`cancel`: the previous schedule's job ids). */
export function scheduleIntent(
  c: { id: string; dossierId: string; version: number; state: ClockState; status: ClockStatus; dueSoonAt: Date; dueAt: Date },
  cancel: string[] = [],
): ScheduleIntent {
  const next = nextFiring(c);
  return { clockId: c.id, dossierId: c.dossierId, version: c.version, firings: next ? [{ kind: next.kind, at: next.at.toISOString() }] : [], cancel };
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
  return `deadline.${clockId}.${kind === 'DUE_SOON' ? 'soon' : 'due'}.v${version}`;
}

/** Retries with backoff so a database hiccup delays a warning instead of losing it. */
export const DEADLINE_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  // A fired job's effect is in PostgreSQL (the clock's status): keep nothing of it in Redis.
  removeOnComplete: true,
  // Failed jobs stay for inspection (a count, not an age: shorter in every job's stored options).
  removeOnFail: 10_000,
};

/** Writes schedule intents to the outbox in the caller's transaction; the relay adds the jobs after commit. */
export async function recordScheduleIntents(em: EntityManager, intents: ScheduleIntent[], at: Date): Promise<void> {
  if (intents.length === 0) return;
  await enqueue(em, SCHEDULE_TOPIC, intents, { at });
}
