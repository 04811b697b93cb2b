import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { journalTransaction, lockDossier, lockDossiers, recordLockedDossierEvents } from '../dossier-record/journal.js';
import { DeadlineAlerts } from './deadline-alerts.js';
import { publishIntegrationEvents } from '../integration-events/integration-events.js';
import { recordScheduleIntents, scheduleIntent, type DeadlineJobData, type FiringKind } from './deadline-jobs.js';
import { EVENT, type DossierEventType } from '../dossier-record/event-types.js';

export type FiringOutcome = 'flagged' | 'stale';

/** Other clocks due by now that one firing flags along with its own. */
const SWEEP_BATCH = 1000;
/** Further sweeps one firing may run when clocks were left out or more are due. */
const EXTRA_SWEEPS = 5;
const NO_CLOCK = '00000000-0000-0000-0000-000000000000';
/** First key of the advisory locks that keep concurrent sweeps apart (an arbitrary constant). */
const SWEEP_LOCK_SPACE = 402_177;

const RULES: Record<FiringKind, { flagColumn: string; dueColumn: string; raises: string; event: DossierEventType }> = {
  DUE_SOON: { flagColumn: 'due_soon_flagged_at', dueColumn: 'due_soon_at', raises: `status = 'ON_TRACK'`, event: EVENT.DEADLINE_DUE_SOON },
  OVERDUE: { flagColumn: 'overdue_flagged_at', dueColumn: 'due_at', raises: `status <> 'OVERDUE'`, event: EVENT.DEADLINE_OVERDUE },
};

interface Flagged {
  id: string;
  dossier_id: string;
  kind: string;
  step_code: string | null;
  assignee_user_id: string | null;
  due_at: Date;
  due_soon_at: Date;
  version: number;
  state: 'RUNNING';
  status: 'DUE_SOON' | 'OVERDUE';
}

/**
 * What a delayed job does when it fires: re-reads the clock from PostgreSQL, and only when the job
 * belongs to the clock's current schedule and the status was not raised yet, marks DUE_SOON or
 * OVERDUE, writes the history event and publishes the alerts (the notices are stored by their subscriber), in one transaction. The status change
 * is a conditional UPDATE, so two workers handling the same firing flag it once. A warning also
 * schedules the overdue job (outbox, same transaction). Errors propagate to BullMQ, which retries
 * with backoff.
 *
 * Many clocks fall due at the same instant (a whole day's receipts at 17:00): one firing flags, in
 * the same transaction, up to SWEEP_BATCH other clocks already due by then, so their own jobs then
 * find nothing to do. That is what keeps the lag low when 10,000 fall due at once.
 */
@Injectable()
export class DeadlineFiring {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DeadlineAlerts) private readonly alerts: DeadlineAlerts,
  ) {}

  async fire(job: DeadlineJobData): Promise<FiringOutcome> {
    const rule = RULES[job.kind];
    // Cheap look first, outside any transaction: a job an earlier sweep already covered ends here.
    const [current] = await this.db.query(`SELECT 1 FROM dossier_clocks WHERE id = $1 AND version = $2 AND state = 'RUNNING' AND ${rule.raises}`, [
      job.clockId,
      job.version,
    ]);
    if (!current) return 'stale';
    const first = await journalTransaction(this.db, (em) => this.sweep(em, job.kind, job));
    if (!first) return 'stale';
    // Clocks a concurrent firing had locked were left out; once it commits they are free, and
    // their own jobs may come late: sweep again (bounded) rather than leave them to those jobs.
    let last = first;
    for (let round = 0; round < EXTRA_SWEEPS && (last.skipped > 0 || last.full); round++) {
      last = (await journalTransaction(this.db, (em) => this.sweep(em, job.kind, null)))!;
    }
    return first.ownFlagged ? 'flagged' : 'stale';
  }

  /**
   * One transaction's worth: the job's own clock (when given) and up to SWEEP_BATCH other clocks
   * due by now. The own dossier is waited for (dossier before clock: the order every writer of a
   * dossier uses); after it nothing is waited for: the other due clocks are claimed with
   * try-locks and their dossiers taken with SKIP LOCKED, so concurrent firings sweep disjoint
   * batches and cannot deadlock.
   */
  private async sweep(
    em: EntityManager,
    kind: FiringKind,
    job: DeadlineJobData | null,
  ): Promise<{ ownFlagged: boolean; skipped: number; full: boolean } | null> {
    const rule = RULES[kind];
    const now = this.clock.now();
    // A clock's dossier never changes, so reading it before the lock is safe.
    const [ownClock]: Array<{ dossier_id: string }> = job ? await em.query(`SELECT dossier_id FROM dossier_clocks WHERE id = $1`, [job.clockId]) : [];
    if (job && !ownClock) return null;
    const own = ownClock ? [await lockDossier(em, ownClock.dossier_id)] : [];
    // Concurrent sweeps claim disjoint candidates with a transaction-scoped advisory lock, not a
    // row lock: a row lock on a clock whose dossier another firing holds could close a wait cycle
    // with that firing's UPDATE. Clock rows are only ever written under their dossier's lock.
    const candidates: Array<{ dossier_id: string }> = await em.query(
      `SELECT dossier_id FROM dossier_clocks WHERE state = 'RUNNING' AND ${rule.raises} AND ${rule.dueColumn} <= $1 AND id <> $2
          AND pg_try_advisory_xact_lock(${SWEEP_LOCK_SPACE}, hashtext(id::text))
        ORDER BY ${rule.dueColumn} LIMIT $3`,
      [now, job?.clockId ?? NO_CLOCK, SWEEP_BATCH],
    );
    const wanted = [...new Set(candidates.map((c) => c.dossier_id))].filter((id) => id !== own[0]?.id);
    const others = wanted.length === 0 ? [] : await lockDossiers(em, wanted, { skipLocked: true });
    const desks = new Map<string, string>([...own, ...others].map((d) => [d.id, d.receivingAgencyCode]));
    const result = await em.query(
      `UPDATE dossier_clocks SET status = $1, ${rule.flagColumn} = $2, updated_at = $2
        WHERE state = 'RUNNING' AND ${rule.raises}
          AND ((id = $3 AND version = $4) OR (dossier_id = ANY($5::uuid[]) AND id <> $3 AND ${rule.dueColumn} <= $2))
        RETURNING id, dossier_id, kind, step_code, assignee_user_id, due_at, due_soon_at, version, state, status`,
      [kind, now, job?.clockId ?? NO_CLOCK, job?.version ?? 0, [...desks.keys()]],
    );
    const flagged: Flagged[] = Array.isArray(result[0]) ? result[0] : result;
    await this.record(em, kind, flagged, desks, now);
    return { ownFlagged: !!job && flagged.some((c) => c.id === job.clockId), skipped: wanted.length - others.length, full: candidates.length >= SWEEP_BATCH };
  }

  /** History events, the alerts (whose subscribers tell the receiving one-stop and the assignee) and, after a warning, the overdue job. */
  private async record(em: EntityManager, kind: FiringKind, flagged: Flagged[], desks: Map<string, string>, now: Date): Promise<void> {
    if (flagged.length === 0) return;
    const type = RULES[kind].event;
    const payloads = flagged.map((c) => ({
      clockId: c.id,
      kind: c.kind,
      stepCode: c.step_code,
      dueAt: new Date(c.due_at).toISOString(),
      dueSoonAt: new Date(c.due_soon_at).toISOString(),
      version: c.version,
    }));
    await recordLockedDossierEvents(
      em,
      flagged.map((c, i) => ({ dossierId: c.dossier_id, type, actorKind: 'system', actorId: null, at: now, data: payloads[i] })),
    );
    await this.alerts.publish(
      em,
      flagged.map((c, i) => ({
        type,
        dossierId: c.dossier_id,
        deskAgencyCode: desks.get(c.dossier_id)!,
        assigneeUserId: c.assignee_user_id,
        payload: payloads[i],
        at: now,
      })),
    );
    await publishIntegrationEvents(
      em,
      kind === 'DUE_SOON' ? 'dossier.deadline.due_soon' : 'dossier.deadline.overdue',
      flagged.map((c) => ({ dossierId: c.dossier_id, data: { clockKind: c.kind, stepCode: c.step_code, dueAt: new Date(c.due_at).toISOString() }, at: now })),
    );
    if (kind === 'DUE_SOON') {
      // A clock waits for one job at a time: the warning, once given, schedules the due instant.
      await recordScheduleIntents(
        em,
        flagged.map((c) =>
          scheduleIntent({
            id: c.id,
            dossierId: c.dossier_id,
            version: c.version,
            state: c.state,
            status: c.status,
            dueSoonAt: c.due_soon_at,
            dueAt: c.due_at,
          }),
        ),
        now,
      );
    }
  }
}
