import { Inject, Injectable } from '@nestjs/common';
import { DeadlineAlerts, type DeadlineAlert } from '../deadlines/deadline-alerts.js';
import { NotificationsService, type Notice } from './notifications.service.js';

/**
 * The notices of a clock's warnings: the receiving one-stop's desk and, when the step is assigned,
 * the officer, stored in the firing's own transaction (DeadlineAlerts' subscriber).
 */
@Injectable()
export class DeadlineNotices {
  constructor(
    @Inject(DeadlineAlerts) alerts: DeadlineAlerts,
    @Inject(NotificationsService) private readonly notices: NotificationsService,
  ) {
    alerts.subscribe((em, list) => this.notices.store(em, list.flatMap(noticesOf)));
  }
}

export function noticesOf(a: DeadlineAlert): Notice[] {
  const base = { kind: a.type, dossierId: a.dossierId, payload: a.payload, at: a.at };
  return [
    { recipientKind: 'agency', recipientId: a.deskAgencyCode, ...base },
    ...(a.assigneeUserId ? [{ recipientKind: 'user' as const, recipientId: a.assigneeUserId, ...base }] : []),
  ];
}
