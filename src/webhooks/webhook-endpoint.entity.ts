import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An integrator's (or an admin's) webhook endpoint. Its signing secret is stored sealed
 * (AES-256-GCM under SECRETS_KEY); during a rotation the previous one signs too, until
 * `previous_secret_until`. Whether it is active is its delivery target's state (delivery_targets).
 */
@Entity('webhook_endpoints')
@Index('idx_webhook_endpoints_owner', ['ownerKind', 'ownerId'])
export class WebhookEndpoint {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** `api-key` (an integrator) or `user` (an admin). */
  @Column({ type: 'varchar', length: 10 })
  ownerKind: 'api-key' | 'user';

  @Column({ type: 'uuid' })
  ownerId: string;

  /** Who is told when the endpoint is disabled: the admin, or the admin who issued the key. */
  @Column({ type: 'uuid', nullable: true })
  noticeUserId: string | null;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  @Column({ type: 'text', array: true })
  topics: string[];

  /** Agencies whose events it gets; empty = every agency (only for callers not limited to some). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  agencyCodes: string[];

  @Column({ type: 'text' })
  secretSealed: string;

  @Column({ type: 'text', nullable: true })
  previousSecretSealed: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  previousSecretUntil: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A host an admin allows webhooks to reach although it resolves to a private or loopback address (government networks). */
@Entity('webhook_allowed_hosts')
export class WebhookAllowedHost {
  /** Lower-case host name or address, as written in endpoint URLs. */
  @PrimaryColumn({ type: 'varchar', length: 253 })
  host: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
