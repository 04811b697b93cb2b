import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type RecipientKind = 'user' | 'agency';

/**
 * A notice to someone: an officer (user) or an agency's desk (e.g. the one-stop of the receiving
 * centre). Stored in the same transaction as what caused it; delivery (in-app, e-mail, SMS) comes
 * later and reads from here.
 */
@Entity('notifications')
@Index('idx_notifications_recipient', ['recipientKind', 'recipientId', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 10 })
  recipientKind: RecipientKind;

  /** A user id, or an agency code for an agency's desk. */
  @Column({ type: 'varchar', length: 64 })
  recipientId: string;

  @Column({ type: 'varchar', length: 64 })
  kind: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  dossierId: string | null;

  @Column({ type: 'jsonb', default: {} })
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
