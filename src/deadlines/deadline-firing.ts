import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { appendDossierEvent } from '../dossiers/append-event.js';
import { NotificationsService, type Notice } from '../notifications/notifications.service.js';
import { recordScheduleIntent, scheduleIntent, type DeadlineJobData } from './deadline-jobs.js';

export type FiringOutcome = 'flagged' | 'stale';

/**
 * What a delayed job does when it fires: re-reads the clock from PostgreSQL, and only when the job
 * belongs to the clock's current schedule and the status was not raised yet, marks DUE_SOON or
 * OVERDUE, writes the history event and stores the notices, in one transaction. The status change
 * is a conditional UPDATE, so two workers handling the same firing flag it once. A warning also
 * schedules the overdue job (outbox, same transaction). Errors propagate
 * to BullMQ, which retries with backoff.
 */
@Injectable()
export class DeadlineFiring {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  async fire(job: DeadlineJobData): Promise<FiringOutcome> {
    return this.db.transaction(async (em) => {
      // Dossier first, then the clock: the order every writer of a dossier uses (no deadlock).
      const [found] = await em.query(
        `SELECT d.id AS dossier_id, d.receiving_agency_code FROM dossier_clocks c JOIN dossiers d ON d.id = c.dossier_id WHERE c.id = $1 FOR UPDATE OF d`,
        [job.clockId]);
      if (!found) return 'stale';
      const now = this.clock.now();
      const overdue = job.kind === 'OVERDUE';
      const rows = await em.query(
        `UPDATE dossier_clocks SET status = $3, ${overdue ? 'overdue_flagged_at' : 'due_soon_flagged_at'} = $4, updated_at = $4
          WHERE id = $1 AND version = $2 AND state = 'RUNNING' AND ${overdue ? `status <> 'OVERDUE'` : `status = 'ON_TRACK'`}
          RETURNING id, dossier_id, kind, step_code, assignee_user_id, due_at, due_soon_at, version, state, status`,
        [job.clockId, job.version, job.kind, now],
      );
      const [c] = Array.isArray(rows[0]) ? rows[0] : rows;
      if (!c) return 'stale';
      const data = { clockId: job.clockId, kind: c.kind, stepCode: c.step_code, dueAt: new Date(c.due_at).toISOString(), dueSoonAt: new Date(c.due_soon_at).toISOString(), version: c.version };
      const type = overdue ? 'DEADLINE_OVERDUE' : 'DEADLINE_DUE_SOON';
      await appendDossierEvent(em, { dossierId: c.dossier_id, type, actorKind: 'system', actorId: null, at: now, data }, { dossierLocked: true });
      const notices: Notice[] = [{ recipientKind: 'agency', recipientId: found.receiving_agency_code, kind: type, dossierId: c.dossier_id, payload: data, at: now }];
      if (c.assignee_user_id) notices.push({ recipientKind: 'user', recipientId: c.assignee_user_id, kind: type, dossierId: c.dossier_id, payload: data, at: now });
      await this.notifications.store(em, notices);
      if (!overdue) {
        // A clock waits for one job at a time: the warning, once given, schedules the due instant.
        const intent = scheduleIntent({ id: c.id, dossierId: c.dossier_id, version: c.version, state: c.state, status: c.status, dueSoonAt: c.due_soon_at, dueAt: c.due_at });
        await recordScheduleIntent(em, intent, now);
      }
      return 'flagged';
    });
  }
}
