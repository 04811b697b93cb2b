import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DossierEventType } from '../dossier-record/event-types.js';

/** A clock that has just been flagged due soon or overdue: whom it concerns and what the history recorded. */
export interface DeadlineAlert {
  type: DossierEventType;
  dossierId: string;
  /** The agency whose desk answers for the dossier (its receiving one-stop). */
  deskAgencyCode: string;
  /** The officer the step is assigned to, if any. */
  assigneeUserId: string | null;
  /** The clock's facts as the history event carries them. */
  payload: Record<string, unknown>;
  at: Date;
}

export type DeadlineAlertSubscriber = (em: EntityManager, alerts: DeadlineAlert[]) => Promise<void>;

/**
 * Where the deadline engine publishes its warnings, inside the firing's transaction, for whoever
 * must hear of them (the notices of the one-stop and the assignee, registered by the notifications
 * capability): the engine never imports who listens. A subscriber runs in the firing's
 * transaction, so a notice exists exactly when the flag does; one that throws rolls the firing
 * back and BullMQ retries it (subscribers are idempotent per firing, as the flag is).
 */
@Injectable()
export class DeadlineAlerts {
  private readonly subscribers: DeadlineAlertSubscriber[] = [];

  subscribe(subscriber: DeadlineAlertSubscriber): void {
    this.subscribers.push(subscriber);
  }

  async publish(em: EntityManager, alerts: DeadlineAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    for (const s of this.subscribers) await s(em, alerts);
  }
}
