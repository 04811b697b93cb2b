import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '../common/auth-context.js';

/**
 * How sure we are that a citizen account belongs to the person whose CCCD it carries: VERIFIED by
 * the national identity provider (VNeID) or by a one-stop officer who checked the card at the desk;
 * UNVERIFIED when the number was only typed in at registration.
 */
export enum IdentityAssurance {
  VERIFIED = 'VERIFIED',
  UNVERIFIED = 'UNVERIFIED',
}

export enum IdentityMethod {
  VNEID = 'VNEID',
  DESK = 'DESK',
}

/**
 * A person who logs in: a citizen (username = CCCD, or `vneid.<CCCD>` for a VNeID account created
 * while an unverified password account held the CCCD as its username) or a staff member of one agency.
 */
@Entity('users')
// One verified account per CCCD; unverified ones may share a number typed in by someone else.
@Index('idx_users_verified_id_number', ['idNumber'], { unique: true, where: `"identity_assurance" = 'VERIFIED'` })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  username: string;

  /** argon2id; null for accounts that only log in through VNeID (OpenID Connect). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 32 })
  role: Role;

  @Column({ type: 'varchar', length: 200 })
  fullName: string;

  /** Staff: the agency they work for (QCVN 102 id). */
  @Index()
  @Column({ type: 'varchar', length: 32, nullable: true })
  agencyCode: string | null;

  /** Citizens: 12-digit CCCD (proven only when identityAssurance is VERIFIED). */
  @Index('idx_users_id_number', { where: '"id_number" IS NOT NULL' })
  @Column({ type: 'varchar', length: 12, nullable: true })
  idNumber: string | null;

  @Column({ type: 'varchar', length: 16, default: IdentityAssurance.UNVERIFIED })
  identityAssurance: IdentityAssurance;

  /** How the identity was verified (null while unverified). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  identityMethod: IdentityMethod | null;

  @Column({ type: 'timestamptz', nullable: true })
  identityVerifiedAt: Date | null;

  /** The officer who checked the card at the desk (DESK only). */
  @Column({ type: 'uuid', nullable: true })
  identityVerifiedBy: string | null;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /**
   * Created by the demo seed (SEED_DEMO), with a password the README publishes: a production start
   * refuses while such an account is active (src/seed/production-accounts.ts).
   */
  @Index('idx_users_demo_account', { where: '"demo_account"' })
  @Column({ type: 'boolean', default: false })
  demoAccount: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
