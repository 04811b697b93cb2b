import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryChannel = 'EMAIL' | 'SMS';

/**
 * One message sent (or to send) to an applicant about their dossier, by e-mail or SMS. Written
 * PENDING before the provider is called and marked SENT after (FAILED when retries run out), so a retried job resends only what
 * did not go out; `(outboxId, channel)` is unique, so a replayed outbox row sends nothing twice.
 */
@Entity('notification_deliveries')
@Index('uq_notification_deliveries_outbox_channel', ['outboxId', 'channel'], { unique: true })
export class NotificationDelivery {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** The outbox row (status change) this message announces. */
  @Column({ type: 'bigint' })
  outboxId: string;

  @Index()
  @Column({ type: 'uuid' })
  dossierId: string;

  @Column({ type: 'varchar', length: 8 })
  channel: DeliveryChannel;

  /** E-mail address or phone number, as the applicant gave it. */
  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  /** FAILED: the provider still refused it on the last retry. */
  @Column({ type: 'varchar', length: 10, default: 'PENDING' })
  status: 'PENDING' | 'SENT' | 'FAILED';

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
