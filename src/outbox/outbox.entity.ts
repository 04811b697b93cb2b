import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The transactional outbox: a side effect (a job to schedule, a notification to send) written in
 * the same transaction as the change that causes it. A relay moves unsent rows to BullMQ and marks
 * them sent, so a change and its consequences are never half-applied and Redis may be down.
 */
@Entity('outbox')
@Index('idx_outbox_unsent', ['id'], { where: '"sent_at" IS NULL' })
// Each relay claims the unsent rows of its own topics.
@Index('idx_outbox_unsent_topic', ['topic', 'id'], { where: '"sent_at" IS NULL' })
// A message enqueued with a key is written once per topic and key.
@Index('idx_outbox_topic_key', ['topic', 'dedupeKey'], { unique: true, where: '"dedupe_key" IS NOT NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  topic: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** enqueue()'s `key`: a second message of the same topic and key is dropped. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  dedupeKey: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /**
   * A relay's lease on the row: it claims rows in a short statement, talks to Redis with no lock
   * held, then marks them sent. Another relay takes the row over only once the lease has expired.
   */
  @Column({ type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;
}

/**
 * A subscriber's copy of an outbox row (`Outbox.observe`): written by the topic's relay when it
 * claims the row, once per subscriber, then claimed, delivered and marked by that subscriber's own
 * relay, so subscribers progress apart. The subscriber sees the source row's id.
 */
@Entity('outbox_fanout')
@Index('idx_outbox_fanout_source', ['topic', 'sourceId'], { unique: true })
@Index('idx_outbox_fanout_unsent', ['topic', 'id'], { where: '"sent_at" IS NULL' })
export class OutboxFanout {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** `<topic>@<subscriber>`. */
  @Column({ type: 'varchar', length: 140 })
  topic: string;

  @Column({ type: 'bigint' })
  sourceId: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;
}
