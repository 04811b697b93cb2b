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

/**
 * An allowance: an admin lets one endpoint owner (an integrator's API key, or an admin) reach a URL
 * prefix although it resolves to a private or loopback address (government networks). Bound to
 * the owner and to `scheme://host:port` (see webhook-allowances.ts): another owner, another port
 * or another scheme of the same host is not allowed by it. (The table kept its first name; it held
 * bare hosts allowed for everyone until migration WebhookAllowances.)
 */
@Entity('webhook_allowed_hosts')
@Index('idx_webhook_allowed_hosts_owner', ['ownerKind', 'ownerId', 'urlPrefix'], { unique: true })
export class WebhookAllowedHost {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Whose endpoints it lets through: `api-key` or `user`, as webhook_endpoints.owner_kind. */
  @Column({ type: 'varchar', length: 10 })
  ownerKind: 'api-key' | 'user';

  @Column({ type: 'uuid' })
  ownerId: string;

  /** `scheme://host:port/path`, the port always written (normalizeAllowance). */
  @Column({ type: 'varchar', length: 2000 })
  urlPrefix: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
