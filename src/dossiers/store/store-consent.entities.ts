import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A citizen's consent to open their data store (chia sẻ thông tin): a share code made from their
 * verified account, for one of their open dossiers, one staff member or one agency's staff, for a
 * few minutes and a bounded number of uses, covering all their documents or the ones they chose.
 * Only the code's hash is kept; the citizen may revoke it at any time.
 */
@Entity('store_share_codes')
@Index('idx_store_share_codes_holder', ['holderIdNumber', 'createdAt'])
export class StoreShareCode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 12 })
  holderIdNumber: string;

  @Column({ type: 'uuid' })
  createdByUserId: string;

  @Index('uq_store_share_codes_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  codeHash: string;

  @Column({ type: 'uuid', nullable: true })
  boundDossierId: string | null;

  @Column({ type: 'uuid', nullable: true })
  boundOfficerId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  boundAgencyCode: string | null;

  /** The documents it covers; null: every document of the store at the time of use. */
  @Column({ type: 'uuid', array: true, nullable: true })
  documentIds: string[] | null;

  @Column({ type: 'int' })
  maxUses: number;

  @Column({ type: 'int', default: 0 })
  uses: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}

/**
 * One read of a person's store by staff, or one check of their card: who (name, role and agency as
 * they were), when, what (the documents), through which dossier and under which consent. The
 * citizen reads it at GET /me/documents/access-log; rows are only ever added.
 */
@Entity('store_access_log')
@Index('idx_store_access_log_holder', ['holderIdNumber', 'at', 'id'])
export class StoreAccessEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 12 })
  holderIdNumber: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** LISTED, REUSED, DOWNLOADED (reads of the store) or IDENTITY_CHECKED (the card checked at a desk). */
  @Column({ type: 'varchar', length: 20 })
  action: string;

  @Column({ type: 'uuid' })
  actorUserId: string;

  @Column({ type: 'varchar', length: 200 })
  actorName: string;

  @Column({ type: 'varchar', length: 32 })
  actorRole: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  actorAgencyCode: string | null;

  @Column({ type: 'uuid', nullable: true })
  dossierId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  dossierCode: string | null;

  /** The consent it was read under; null: what the staff member's own agency digitised, or the applicant's own filing. */
  @Column({ type: 'uuid', nullable: true })
  shareCodeId: string | null;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  documentIds: string[];

  /** IDENTITY_CHECKED: the check's id, method and the card's issue date. */
  @Column({ type: 'jsonb', nullable: true })
  detail: Record<string, unknown> | null;
}

/**
 * An unusual pattern flagged for a centre's leaders: one officer's counter or postal filings of one
 * Vietnam day, for many distinct CCCDs, ending refused or withdrawn (a way to peek into strangers'
 * stores). One row per kind, officer and day, updated as more such filings end.
 */
@Entity('store_alerts')
@Index('idx_store_alerts_agency_day', ['agencyCode', 'day'])
export class StoreAlert {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  kind: string;

  @PrimaryColumn({ type: 'uuid' })
  officerId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'varchar', length: 32 })
  agencyCode: string;

  @Column({ type: 'int' })
  distinctIdNumbers: number;

  @Column({ type: 'uuid', array: true })
  dossierIds: string[];

  @Column({ type: 'timestamptz' })
  firstFlaggedAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
