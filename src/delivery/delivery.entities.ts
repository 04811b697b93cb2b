import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Where outbound deliveries go (a webhook endpoint; later the national portal): one ordered queue
 * per target. `next_at` is when its oldest pending delivery is due (NULL: nothing pending), and a
 * worker holds `lease_until` while it works the queue, so one target is delivered by one worker at
 * a time, in order. A DISABLED target keeps its pending deliveries until it is enabled again.
 */
@Entity('delivery_targets')
@Index('idx_delivery_targets_due', ['nextAt'], { where: `"status" = 'ACTIVE' AND "next_at" IS NOT NULL` })
export class DeliveryTarget {
  /** The adapter that delivers to it (`webhook`, later `portal`). */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  kind: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  id: string;

  @Column({ type: 'varchar', length: 20, default: 'ACTIVE' })
  status: 'ACTIVE' | 'DISABLED';

  @Column({ type: 'varchar', length: 500, nullable: true })
  disabledReason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  /** Failed attempts since the last success (any delivery). */
  @Column({ type: 'int', default: 0 })
  consecutiveFailures: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'DEAD';

/**
 * One message to one target. PENDING until it succeeds, is refused for good (FAILED: e.g. 410 Gone)
 * or runs out of retries (DEAD, the dead letter). `dedupe_key` makes writing it idempotent (the
 * outbox may relay a row twice); a replay writes a new delivery of the same message.
 */
@Entity('deliveries')
@Index('idx_deliveries_key', ['targetKind', 'targetId', 'dedupeKey'], { unique: true })
@Index('idx_deliveries_pending', ['targetKind', 'targetId', 'id'], { where: `"status" = 'PENDING'` })
@Index('idx_deliveries_log', ['targetKind', 'targetId', 'id'])
export class Delivery {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 40 })
  targetKind: string;

  @Column({ type: 'varchar', length: 100 })
  targetId: string;

  @Column({ type: 'varchar', length: 200 })
  dedupeKey: string;

  /** The message's id as the receiver sees it (webhook-id); the same for its retries and replays. */
  @Column({ type: 'varchar', length: 100 })
  messageId: string;

  @Column({ type: 'varchar', length: 100 })
  eventType: string;

  /** What the adapter sends (for webhooks: the thin event body). */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 20, default: 'PENDING' })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'int', nullable: true })
  lastHttpStatus: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/** One attempt of a delivery: the request and the answer as sent and received, minus secrets. */
@Entity('delivery_attempts')
@Index('idx_delivery_attempts_delivery', ['deliveryId', 'attempt'], { unique: true })
export class DeliveryAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  deliveryId: string;

  @Column({ type: 'int' })
  attempt: number;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'int' })
  durationMs: number;

  /** SUCCEEDED, RETRY (failed, tried again later), FAILED (refused for good), DEAD (last of its retries). */
  @Column({ type: 'varchar', length: 20 })
  outcome: string;

  /** Method, URL and headers (secret-bearing headers redacted). */
  @Column({ type: 'jsonb' })
  request: Record<string, unknown>;

  /** Status, headers and the start of the body; NULL when no answer came. */
  @Column({ type: 'jsonb', nullable: true })
  response: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
