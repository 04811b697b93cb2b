import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { journalTransaction, lockDossier, recordLockedDossierEvents } from '../dossier-record/journal.js';
import { deadlineJobId, nextFiring, recordScheduleIntents, scheduleIntent } from './deadline-jobs.js';
import { DossierClock, type ClockKind, type ClockStatus } from './dossier-clock.entity.js';
import { DueDateCalculator, type TimeLimit } from './due-date-calculator.js';
import { DeadlineErrors } from './deadlines.errors.js';
import type { DossierEventType } from '../dossier-record/event-types.js';

/** Who caused a change, as written in the dossier's history. */
export interface Actor {
  kind: string;
  id: string | null;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null };

export interface StartClock {
  dossierId: string;
  kind: ClockKind;
  /** The agency whose calendar applies (usually the competent agency). */
  agencyCode: string;
  limit: TimeLimit;
  stepCode?: string | null;
  assigneeUserId?: string | null;
  reason?: string;
  actor?: Actor;
}

export interface ClockRef {
  dossierId: string;
  /** Default OVERALL. */
  kind?: ClockKind;
  reason: string;
  actor?: Actor;
}

export interface ClockView {
  id: string;
  dossierId: string;
  kind: ClockKind;
  stepCode: string | null;
  state: DossierClock['state'];
  status: ClockStatus;
  clockStartsAt: string;
  dueAt: string;
  dueSoonAt: string;
  extended: boolean;
  version: number;
}

/** What GET /dossiers/{id} shows as `deadline`. */
export interface DossierDeadline {
  dueAt: string | null;
  /** When the overall clock warns: one working day before dueAt (25 % of the budget for short limits). */
  dueSoonAt: string | null;
  state: DossierClock['state'] | null;
  status: ClockStatus | null;
  stepCode: string | null;
  stepDueAt: string | null;
  stepState: DossierClock['state'] | null;
  stepStatus: ClockStatus | null;
}

const STATUS_RANK: Record<ClockStatus, number> = { ON_TRACK: 0, DUE_SOON: 1, OVERDUE: 2 };

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * The deadlines of dossiers: the OVERALL clock and the current STEP's. The workflow calls these
 * inside its own transaction (each takes its EntityManager); every change writes a history event
 * with the reason and the old and new due instants, and an outbox row with the scheduling intent,
 * which the relay turns into delayed BullMQ jobs after commit.
 */
@Injectable()
export class DeadlinesService {
  private readonly log = new Logger('Deadlines');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DueDateCalculator) private readonly calendar: DueDateCalculator,
  ) {}

  /** Starts (or, for a new step, re-starts) a clock from now with a fresh budget. */
  start(em: EntityManager, s: StartClock): Promise<ClockView> {
    return this.begin(em, s, 'DEADLINE_STARTED');
  }

  private async begin(em: EntityManager, s: StartClock, type: DossierEventType): Promise<ClockView> {
    await lockDossier(em, s.dossierId);
    const now = this.clock.now();
    const prev = await this.findForUpdate(em, s.dossierId, s.kind);
    const { clockStartsAt, dueAt } = await this.calendar.dueDate(s.agencyCode, now, s.limit);
    const dueSoonAt = await this.calendar.dueSoonAt(s.agencyCode, clockStartsAt, dueAt);
    const next = Object.assign(prev ? { ...prev } : new DossierClock(), {
      dossierId: s.dossierId,
      kind: s.kind,
      stepCode: s.stepCode ?? null,
      assigneeUserId: s.assigneeUserId ?? null,
      agencyCode: s.agencyCode,
      limitValue: s.limit.value,
      limitUnit: s.limit.unit,
      state: 'RUNNING',
      startedAt: now,
      clockStartsAt,
      dueAt,
      dueSoonAt,
      runningSince: clockStartsAt,
      pausedAt: null,
      consumedMs: '0',
      status: 'ON_TRACK',
      dueSoonFlaggedAt: null,
      overdueFlaggedAt: null,
      // A new step gets its own re-appointment; the OVERALL clock keeps its one for the dossier's life.
      ...(s.kind === 'STEP' || !prev ? { extended: false, extensionReason: null } : {}),
    } satisfies Partial<DossierClock>) as DossierClock;
    return this.record(em, prev, next, type, s.reason ?? 'started', s.actor);
  }

  /** Stops the count (e.g. waiting for payment): the working time left is kept for resume. */
  async pause(em: EntityManager, r: ClockRef): Promise<ClockView> {
    const prev = await this.existing(em, r);
    if (prev.state !== 'RUNNING') throw DeadlineErrors.CLOCK_NOT_RUNNING({ state: prev.state });
    const now = this.clock.now();
    const ran = await this.calendar.workingTimeBetween(prev.agencyCode, new Date(prev.runningSince), now);
    const next = { ...prev, state: 'PAUSED', pausedAt: now, consumedMs: String(Number(prev.consumedMs) + Math.max(0, ran)) } as DossierClock;
    return this.record(em, prev, next, 'DEADLINE_PAUSED', r.reason, r.actor);
  }

  /**
   * Counts on from now. What the pause gave back is one rule, resumeAfterPause in
   * src/calendar/working-calendar.ts: a limit in days moves by the working days the pause took
   * (a pause within one working day, or outside working time, moves nothing); a limit in hours by
   * the paused working time. A clock paused before it started counting (accepted after the 15:00
   * cut-off, it starts the next working morning) was paused from that start.
   */
  async resume(em: EntityManager, r: ClockRef): Promise<ClockView> {
    const prev = await this.existing(em, r);
    if (prev.state !== 'PAUSED' || !prev.pausedAt) throw DeadlineErrors.CLOCK_NOT_PAUSED({ state: prev.state });
    const { runningSince, dueAt, dueSoonAt } = await this.calendar.resumed(
      prev.agencyCode,
      {
        unit: prev.limitUnit,
        clockStartsAt: new Date(prev.clockStartsAt),
        runningSince: new Date(prev.runningSince),
        pausedAt: new Date(prev.pausedAt),
        dueAt: new Date(prev.dueAt),
        dueSoonAt: new Date(prev.dueSoonAt),
      },
      this.clock.now(),
    );
    const next = { ...prev, state: 'RUNNING', pausedAt: null, runningSince, dueAt, dueSoonAt } as DossierClock;
    return this.record(em, prev, next, 'DEADLINE_RESUMED', r.reason, r.actor);
  }

  /** From zero again (supplement received during processing: Decree 61/2018 art. 19). */
  async restart(em: EntityManager, r: ClockRef): Promise<ClockView> {
    const prev = await this.existing(em, r);
    if (prev.state === 'STOPPED') throw DeadlineErrors.CLOCK_STOPPED();
    return this.begin(
      em,
      {
        dossierId: prev.dossierId,
        kind: prev.kind,
        agencyCode: prev.agencyCode,
        limit: { value: prev.limitValue, unit: prev.limitUnit },
        stepCode: prev.stepCode,
        assigneeUserId: prev.assigneeUserId,
        reason: r.reason,
        actor: r.actor,
      },
      'DEADLINE_RESTARTED',
    );
  }

  /** The one re-appointment (form 04): a later due instant with a reason. A second is refused. */
  async extend(em: EntityManager, r: ClockRef & { newDueAt: Date }): Promise<ClockView> {
    const prev = await this.existing(em, r);
    if (prev.state === 'STOPPED') throw DeadlineErrors.CLOCK_STOPPED();
    if (prev.extended) {
      throw DeadlineErrors.EXTENSION_ALREADY_USED({ extensionReason: prev.extensionReason, dueAt: iso(prev.dueAt) });
    }
    if (!(r.newDueAt.getTime() > new Date(prev.dueAt).getTime())) {
      throw DeadlineErrors.EXTENSION_NOT_LATER([{ field: 'newDueAt', message: `after ${iso(prev.dueAt)}` }]);
    }
    const next = {
      ...prev,
      extended: true,
      extensionReason: r.reason,
      dueAt: r.newDueAt,
      dueSoonAt: await this.calendar.dueSoonAt(prev.agencyCode, new Date(prev.clockStartsAt), r.newDueAt),
    } as DossierClock;
    return this.record(em, prev, next, 'DEADLINE_EXTENDED', r.reason, r.actor);
  }

  /** Ends the clock (resolved, refused, withdrawn, stopped). Stopping a stopped clock is a no-op. */
  async stop(em: EntityManager, r: ClockRef): Promise<ClockView> {
    const prev = await this.existing(em, r);
    if (prev.state === 'STOPPED') return toView(prev);
    return this.record(em, prev, { ...prev, state: 'STOPPED' } as DossierClock, 'DEADLINE_STOPPED', r.reason, r.actor);
  }

  /** The deadline summary of each dossier (absent clocks give nulls). */
  async deadlineOf(dossierIds: string[], em: EntityManager = this.db.manager): Promise<Map<string, DossierDeadline>> {
    const out = new Map<string, DossierDeadline>();
    for (const id of dossierIds)
      out.set(id, { dueAt: null, dueSoonAt: null, state: null, status: null, stepCode: null, stepDueAt: null, stepState: null, stepStatus: null });
    if (dossierIds.length === 0) return out;
    const rows: Array<{
      dossier_id: string;
      kind: ClockKind;
      step_code: string | null;
      due_at: Date;
      due_soon_at: Date;
      state: DossierClock['state'];
      status: ClockStatus;
    }> = await em.query(`SELECT dossier_id, kind, step_code, due_at, due_soon_at, state, status FROM dossier_clocks WHERE dossier_id = ANY($1::uuid[])`, [
      dossierIds,
    ]);
    for (const r of rows) {
      const d = out.get(r.dossier_id)!;
      if (r.kind === 'OVERALL') Object.assign(d, { dueAt: iso(r.due_at), dueSoonAt: iso(r.due_soon_at), state: r.state, status: r.status });
      else Object.assign(d, { stepCode: r.step_code, stepDueAt: iso(r.due_at), stepState: r.state, stepStatus: r.status });
    }
    return out;
  }

  /**
   * After a calendar change (holidays published, office hours changed): recomputes the due instants
   * of the running clocks of one agency (null = all), writes an event per clock that changed, bumps
   * its version and reschedules. A clock never paused nor extended is recomputed from when it was
   * started; an extended one keeps the date people agreed on (only its warning instant is
   * recomputed); one resumed after a pause is left as it is (its instants were moved by what its
   * pauses gave back; re-projecting it needs the pause history). Returns how many changed.
   */
  async reprojectAgency(agencyCode: string | null, reason: string): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let changed = 0;
    for (;;) {
      const batch: Array<{ id: string; dossier_id: string; kind: ClockKind }> = await this.db.query(
        `SELECT id, dossier_id, kind FROM dossier_clocks WHERE state = 'RUNNING' AND ($1::varchar IS NULL OR agency_code = $1) AND id > $2 ORDER BY id LIMIT 500`,
        [agencyCode, after],
      );
      if (batch.length === 0) return changed;
      after = batch[batch.length - 1].id;
      for (const c of batch) {
        const did = await journalTransaction(this.db, async (em) => {
          await lockDossier(em, c.dossier_id);
          const prev = await this.findForUpdate(em, c.dossier_id, c.kind);
          if (!prev || prev.id !== c.id || prev.state !== 'RUNNING') return false;
          const next = { ...prev } as DossierClock;
          const neverPaused = Number(prev.consumedMs) === 0 && new Date(prev.runningSince).getTime() === new Date(prev.clockStartsAt).getTime();
          // A resumed clock's instants were moved by what its pauses gave back; re-projecting it
          // would need the pause history, so it keeps them (see the method's comment).
          if (!neverPaused) return false;
          if (!prev.extended) {
            Object.assign(next, await this.calendar.dueDate(prev.agencyCode, new Date(prev.startedAt), { value: prev.limitValue, unit: prev.limitUnit }));
            next.runningSince = next.clockStartsAt;
          }
          next.dueSoonAt = await this.calendar.dueSoonAt(prev.agencyCode, new Date(next.clockStartsAt), new Date(next.dueAt));
          const same = (a: Date, b: Date) => new Date(a).getTime() === new Date(b).getTime();
          if (same(prev.dueAt, next.dueAt) && same(prev.dueSoonAt, next.dueSoonAt) && same(prev.clockStartsAt, next.clockStartsAt)) return false;
          await this.record(em, prev, next, 'DEADLINE_REPROJECTED', reason, SYSTEM_ACTOR);
          return true;
        });
        if (did) changed += 1;
      }
    }
  }

  private async existing(em: EntityManager, r: ClockRef): Promise<DossierClock> {
    await lockDossier(em, r.dossierId);
    const c = await this.findForUpdate(em, r.dossierId, r.kind ?? 'OVERALL');
    if (!c) throw DeadlineErrors.CLOCK_NOT_FOUND({ kind: r.kind ?? 'OVERALL' });
    return c;
  }

  private findForUpdate(em: EntityManager, dossierId: string, kind: ClockKind): Promise<DossierClock | null> {
    return em.getRepository(DossierClock).findOne({ where: { dossierId, kind }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Saves the new state of a clock with a bumped version, its history event and its scheduling
   * intent, all in the caller's transaction. The status the caller carried over (a fresh start
   * sets ON_TRACK) is lowered when the new due instants are later, and never raised here: the
   * firing raises it, with its warning, so a warning is sent once per threshold crossed.
   */
  private async record(
    em: EntityManager,
    prev: DossierClock | null,
    next: DossierClock,
    type: DossierEventType,
    reason: string,
    actor: Actor = SYSTEM_ACTOR,
  ): Promise<ClockView> {
    const now = this.clock.now();
    if (next.state === 'RUNNING') {
      const reached: ClockStatus = now >= new Date(next.dueAt) ? 'OVERDUE' : now >= new Date(next.dueSoonAt) ? 'DUE_SOON' : 'ON_TRACK';
      if (STATUS_RANK[reached] < STATUS_RANK[next.status]) next.status = reached;
    }
    next.version = prev ? prev.version + 1 : 1;
    const saved = await em.getRepository(DossierClock).save(next);
    // Every caller has locked the dossier (begin/existing/reprojection) before reading its clock.
    await recordLockedDossierEvents(em, [
      {
        dossierId: saved.dossierId,
        type,
        actorKind: actor.kind,
        actorId: actor.id,
        at: now,
        data: {
          clockId: saved.id,
          kind: saved.kind,
          stepCode: saved.stepCode,
          reason,
          state: saved.state,
          version: saved.version,
          oldDueAt: iso(prev?.dueAt),
          newDueAt: iso(saved.dueAt),
          oldDueSoonAt: iso(prev?.dueSoonAt),
          newDueSoonAt: iso(saved.dueSoonAt),
        },
      },
    ]);
    const previous = prev ? nextFiring(prev) : null;
    const intent = scheduleIntent(saved, previous ? [deadlineJobId(prev!.id, previous.kind, prev!.version)] : []);
    await recordScheduleIntents(em, [intent], now);
    this.log.debug(`${type} ${saved.dossierId}/${saved.kind} v${saved.version}`);
    return toView(saved);
  }
}

export function toView(c: DossierClock): ClockView {
  return {
    id: c.id,
    dossierId: c.dossierId,
    kind: c.kind,
    stepCode: c.stepCode,
    state: c.state,
    status: c.status,
    clockStartsAt: iso(c.clockStartsAt)!,
    dueAt: iso(c.dueAt)!,
    dueSoonAt: iso(c.dueSoonAt)!,
    extended: c.extended,
    version: c.version,
  };
}
