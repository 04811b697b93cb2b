import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { STATUS_CHANGED_TOPIC, type DossierStatus, type StatusChangedPayload } from '../dossier-record/dossier-status.js';
import { UsersService } from '../auth/users.service.js';
import { DossierRecords, ownerAccountOf } from '../dossier-record/dossier-records.js';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxRow } from '../outbox/outbox-relay.js';
import { NotificationProvider, NotificationRetry } from './notification-provider.js';
import { NotificationsService } from './notifications.service.js';
import { statusMessage } from './status-message.js';

export const NOTIFICATIONS_QUEUE = 'notifications';

interface StatusJob {
  outboxId: string;
  dossierId: string;
  status: DossierStatus;
  at: string;
}

/**
 * Tells applicants when their dossier changes status: the outbox rows that every status change
 * writes are relayed to a BullMQ queue (job id = outbox id, so a relayed-twice row is one job);
 * the job stores an in-app notice for the owner's account and sends e-mail and SMS through the
 * provider, retried with backoff when the provider fails. Runs where `config.runsWorkers`.
 */
@Injectable()
export class StatusNotifier {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Outbox) outbox: Outbox,
    @Inject(DossierRecords) private readonly dossiers: DossierRecords,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(NotificationsService) private readonly notices: NotificationsService,
    @Inject(NotificationProvider) private readonly provider: NotificationProvider,
    @Inject(NotificationRetry) private readonly retry: NotificationRetry,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    outbox.handleWithQueue(STATUS_CHANGED_TOPIC, {
      queue: NOTIFICATIONS_QUEUE,
      concurrency: 10,
      toJob: (r) => this.jobFor(r),
      process: (job) => this.deliver(job.data, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
    });
  }

  private jobFor(r: OutboxRow<StatusChangedPayload>) {
    const p = r.payload;
    return {
      name: 'status',
      data: { outboxId: r.id, dossierId: p.dossierId, status: p.status, at: p.at },
      opts: {
        jobId: `notify.${r.id}`,
        attempts: this.retry.attempts,
        backoff: { type: 'exponential' as const, delay: this.retry.backoffMs },
        removeOnComplete: 1000,
        removeOnFail: 10000,
      },
    };
  }

  /**
   * One status change: the in-app notice and the delivery rows once, then whatever is still unsent.
   * On the job's last attempt, a delivery that fails again is marked FAILED (with its last error).
   */
  async deliver(job: StatusJob, lastAttempt = false): Promise<void> {
    const row = await this.dossiers.findRowById(job.dossierId);
    const procedure = await this.catalog.getProcedureVersion(row.procedure_code, row.procedure_version);
    const lookupUrl = `${this.config.publicBaseUrl}/api/v1/public/dossiers/${encodeURIComponent(row.code)}`;
    const msg = statusMessage({ code: row.code, status: job.status, procedureName: procedure.name, lookupUrl });
    const recipientId = await ownerAccountOf(row, (idNumber) => this.users.findVerifiedByIdNumber(idNumber));
    await this.db.transaction(async (em) => {
      const created = await em.query(
        `INSERT INTO notification_deliveries (outbox_id, dossier_id, channel, recipient, subject, body)
         SELECT $1, $2, c.channel, c.recipient, $3, c.body FROM (VALUES ('EMAIL', $4::varchar, $5::text), ('SMS', $6::varchar, $7::text)) AS c(channel, recipient, body)
          WHERE c.recipient IS NOT NULL
         ON CONFLICT (outbox_id, channel) DO NOTHING RETURNING id`,
        [job.outboxId, row.id, msg.subject, row.applicant.email ?? null, msg.body, row.applicant.phone ?? null, msg.sms],
      );
      // The in-app notice goes with the first creation of the deliveries, so a retry adds none.
      if (created.length > 0 && recipientId) {
        await this.notices.store(em, [
          {
            recipientKind: 'user',
            recipientId,
            kind: 'DOSSIER_STATUS',
            dossierId: row.id,
            payload: { code: row.code, status: job.status, subject: msg.subject },
            at: new Date(job.at),
          },
        ]);
      }
    });
    const pending: Array<{ id: string; channel: 'EMAIL' | 'SMS'; recipient: string; subject: string; body: string }> = await this.db.query(
      `SELECT id, channel, recipient, subject, body FROM notification_deliveries WHERE outbox_id = $1 AND status <> 'SENT'`,
      [job.outboxId],
    );
    let failure: Error | undefined;
    for (const d of pending) {
      try {
        await this.provider.send({ channel: d.channel, recipient: d.recipient, subject: d.subject, body: d.body });
        await this.db.query(`UPDATE notification_deliveries SET status = 'SENT', attempts = attempts + 1, sent_at = $2, last_error = NULL WHERE id = $1`, [
          d.id,
          this.clock.now(),
        ]);
      } catch (e) {
        failure = e as Error;
        await this.db.query(`UPDATE notification_deliveries SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1`, [
          d.id,
          failure.message.slice(0, 500),
          lastAttempt ? 'FAILED' : 'PENDING',
        ]);
      }
    }
    if (failure) throw failure; // BullMQ retries with backoff (unless this was the last attempt); what was sent stays sent
  }
}
