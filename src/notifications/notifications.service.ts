import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecipientKind } from './notification.entity.js';

export interface Notice {
  recipientKind: RecipientKind;
  recipientId: string;
  kind: string;
  dossierId: string | null;
  payload: Record<string, unknown>;
  at: Date;
}

/** Stores notices in the caller's transaction, so a notice exists exactly when its cause does. */
@Injectable()
export class NotificationsService {
  async store(em: EntityManager, notices: Notice[]): Promise<void> {
    if (notices.length === 0) return;
    await em.query(
      `INSERT INTO notifications (recipient_kind, recipient_id, kind, dossier_id, payload, created_at)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::uuid[], $5::jsonb[], $6::timestamptz[])`,
      [
        notices.map((n) => n.recipientKind),
        notices.map((n) => n.recipientId),
        notices.map((n) => n.kind),
        notices.map((n) => n.dossierId),
        notices.map((n) => JSON.stringify(n.payload)),
        notices.map((n) => n.at),
      ],
    );
  }
}
