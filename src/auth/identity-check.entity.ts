import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * How the officer saw the card. CARD_SHOWN: the physical card, read by eye, its number and issue
 * date typed in. Reading the card's QR code or its chip (a later issue) will add their own methods;
 * the column has room for them.
 */
export const IDENTITY_CHECK_METHODS = ['CARD_SHOWN'] as const;
export type IdentityCheckMethod = (typeof IDENTITY_CHECK_METHODS)[number];

/**
 * One check of a citizen's identity card at the desk: what the officer saw (the card's number and
 * its issue date, which a CCCD typed from memory does not carry), how, who, where and when. It
 * verifies an account (accountUserId) and/or proves the applicant's identity for one filing
 * (usedByDossierId, set once by that filing): only then do the filing's scans enter the person's
 * data store. The citizen sees every check of their CCCD in their access log.
 */
@Entity('identity_checks')
@Index('idx_identity_checks_id_number', ['idNumber', 'checkedAt'])
@Index('uq_identity_checks_dossier', ['usedByDossierId'], { unique: true, where: '"used_by_dossier_id" IS NOT NULL' })
export class IdentityCheck {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 12 })
  idNumber: string;

  @Column({ type: 'date' })
  cardIssuedOn: string;

  @Column({ type: 'varchar', length: 16 })
  method: IdentityCheckMethod;

  @Column({ type: 'uuid' })
  officerId: string;

  /** The officer's agency when they checked (null for an administrator). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  agencyCode: string | null;

  @Column({ type: 'timestamptz' })
  checkedAt: Date;

  /** The citizen account this check verified, if it was asked to. */
  @Column({ type: 'uuid', nullable: true })
  accountUserId: string | null;

  /** The one filing whose applicant this check proves. */
  @Column({ type: 'uuid', nullable: true })
  usedByDossierId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
