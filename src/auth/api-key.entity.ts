import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An integrator's API key (national portal, provincial or sector systems). The key itself is shown
 * once at creation; only a SHA-256 of its random secret is stored, which is enough because the
 * secret has 256 bits of entropy (no password-style slow hash needed).
 */
@Entity('api_keys')
export class ApiKey {
  /** Also the readable middle part of the key, so a lookup is by primary key. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'char', length: 64 })
  secretHash: string;

  @Column({ type: 'text', array: true })
  scopes: string[];

  /** Agencies the key may act for; empty means every agency. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  agencyCodes: string[];

  /** The admin who created it. */
  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Refreshed at most once a minute (see ApiKeysService), so it costs no write per call. */
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
