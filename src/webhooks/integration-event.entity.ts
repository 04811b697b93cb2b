import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What happened, as integrators are told it (thin: ids, codes, status, times; never CCCD, phone or
 * address): the log webhooks fan out from and replay from (the id is the replay cursor).
 * Written once per source (`source_key`), since the outbox may relay a row twice.
 */
@Entity('integration_events')
@Index('idx_integration_events_source', ['sourceKey'], { unique: true })
export class IntegrationEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  sourceKey: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'uuid', nullable: true })
  dossierId: string | null;

  /** The agencies the event concerns (receiving and competent): an endpoint's scope is matched on them. */
  @Column({ type: 'text', array: true })
  agencyCodes: string[];

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
