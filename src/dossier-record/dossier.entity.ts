import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { DossierStatus, OPEN_STATUSES_SQL, ResultDelivery } from './dossier-status.js';
import type { AttachmentSource, Channel, ResultForm } from './channels.js';

export interface Applicant {
  fullName: string;
  idNumber: string;
  dateOfBirth?: string;
  phone: string;
  email?: string;
  address: string;
}

/**
 * A dossier (hồ sơ): one filing of one procedure. It records both the receiving centre (where it
 * was filed, which issues the code) and the competent agency that resolves it, and the version of
 * the procedure that applied when it was filed.
 */
@Entity('dossiers')
@Index('idx_dossiers_owner_submitted', ['ownerUserId', 'submittedAt', 'id'])
@Index('idx_dossiers_holder_submitted', ['holderIdNumber', 'submittedAt', 'id'], { where: '"owner_user_id" IS NULL' })
@Index('idx_dossiers_receiving_submitted', ['receivingAgencyCode', 'submittedAt', 'id'])
@Index('idx_dossiers_competent_submitted', ['competentAgencyCode', 'submittedAt', 'id'])
// The officers' queues (src/dossiers/queues/queues.ts): small partial indexes over the dossiers
// waiting for reception or being worked on, so a queue never walks an agency's whole history.
@Index('idx_dossiers_to_receive', ['receivingAgencyCode', 'submittedAt', 'id'], { where: `"status" = 'SUBMITTED'` })
@Index('idx_dossiers_open_competent', ['competentAgencyCode', 'id'], { where: `"status" IN (${OPEN_STATUSES_SQL})` })
@Index('idx_dossiers_open_receiving', ['receivingAgencyCode', 'competentAgencyCode', 'id'], { where: `"status" IN (${OPEN_STATUSES_SQL})` })
@Index('idx_dossiers_open_assignee', ['stepAssigneeId', 'id'], { where: `"status" IN (${OPEN_STATUSES_SQL})` })
@Index('idx_dossiers_resolved_receiving', ['receivingAgencyCode', 'id'], { where: `"status" = 'RESOLVED'` })
// Who may read a result document (the dossiers' file read policy looks it up by file id).
@Index('idx_dossiers_result_file', ['resultFileId'], { where: '"result_file_id" IS NOT NULL' })
// The register (mẫu 07) and the figures read a centre's dossiers by channel and filing time.
@Index('idx_dossiers_receiving_channel_submitted', ['receivingAgencyCode', 'channel', 'submittedAt'])
export class Dossier {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 32 })
  procedureCode: string;

  @Column({ type: 'int' })
  procedureVersion: number;

  @Column({ type: 'varchar', length: 20 })
  serviceLevel: string;

  @Column({ type: 'varchar', length: 32 })
  receivingAgencyCode: string;

  @Column({ type: 'varchar', length: 32 })
  competentAgencyCode: string;

  @Column({ type: 'varchar', length: 24 })
  status: DossierStatus;

  @Column({ type: 'smallint' })
  statusCode: number;

  @Column({ type: 'jsonb' })
  applicant: Applicant;

  /**
   * The citizen account that filed it itself. Null when an integrator or an officer filed it: then
   * it belongs to whoever holds the *verified* identity for holderIdNumber (src/dossiers/dossier-access.ts).
   */
  @Column({ type: 'uuid', nullable: true })
  ownerUserId: string | null;

  /** The applicant's CCCD, for a dossier filed by someone other than the citizen (owner_user_id null). */
  @Column({ type: 'varchar', length: 12, nullable: true })
  holderIdNumber: string | null;

  @Column({ type: 'varchar', length: 10 })
  submittedByKind: 'user' | 'api-key';

  @Column({ type: 'uuid' })
  submittedById: string;

  @Column({ type: 'jsonb', default: {} })
  formData: Record<string, unknown>;

  /** How it reached us (the national portal's KenhThucHien): online, in person at the counter, or by post. */
  @Column({ type: 'varchar', length: 8, default: 'ONLINE' })
  channel: Channel;

  /**
   * The flags the national portal and the Decision 766 figures read, stored when what they say
   * happened (never recomputed later): a component was scanned at the desk, a component was reused
   * from the data store, the dossier has an electronic result file (set at return), and the
   * applicant's identity was proven through VNeID when it was filed.
   */
  @Column({ type: 'boolean', default: false })
  digitised: boolean;

  @Column({ type: 'boolean', default: false })
  reused: boolean;

  @Column({ type: 'boolean', default: false })
  electronicResult: boolean;

  @Column({ type: 'boolean', default: false })
  applicantVneid: boolean;

  /** The result's form: ELECTRONIC (issued as a signed file) or SCANNED (a paper-only result, scanned in). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  resultForm: ResultForm | null;

  /** The result's last valid day, when it has one (given at approval; kept in the data store). */
  @Column({ type: 'date', nullable: true })
  resultValidUntil: string | null;

  @Column({ type: 'varchar', length: 10 })
  resultDelivery: ResultDelivery;

  @Column({ type: 'timestamptz' })
  submittedAt: Date;

  /** When the one-stop accepted it (status 2): the receipt's time. */
  @Column({ type: 'timestamptz', nullable: true })
  receivedAt: Date | null;

  /** Index of the current step of the procedure's internal process, and who holds it. */
  @Column({ type: 'int', nullable: true })
  stepIndex: number | null;

  @Column({ type: 'uuid', nullable: true })
  stepAssigneeId: string | null;

  /** A pending supplement request: from reception (1) or processing (4), its deadline and items. */
  @Column({ type: 'smallint', nullable: true })
  supplementFrom: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  supplementDueAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  supplementItems: Array<{ componentCode?: string; description: string }> | null;

  /** The one re-appointment (form 04) was made. */
  @Column({ type: 'boolean', default: false })
  rescheduled: boolean;

  /** The result: GRANTED or DENIED, its document, when, and whether on time (fixed at status 9). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  outcome: 'GRANTED' | 'DENIED' | null;

  @Column({ type: 'uuid', nullable: true })
  resultFileId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  timeliness: 'EARLY' | 'ON_TIME' | 'LATE' | null;

  @Column({ type: 'timestamptz', nullable: true })
  returnedAt: Date | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  returnMethod: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  trackingNumber: string | null;

  /** Optimistic-locking version: every change bumps it; a stale expectedVersion gets 409. */
  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A file attached as one component (thành phần hồ sơ) of a dossier. */
@Entity('dossier_attachments')
@Index('idx_dossier_attachments_file', ['fileId'])
export class DossierAttachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  dossierId: string;

  @Column({ type: 'varchar', length: 64 })
  componentCode: string;

  @Column({ type: 'uuid' })
  fileId: string;

  /** Where the component came from (its provenance). */
  @Column({ type: 'varchar', length: 12, default: 'UPLOADED' })
  source: AttachmentSource;

  /** SCANNED: the officer who scanned and attested the paper component, and when. */
  @Column({ type: 'uuid', nullable: true })
  scannedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  scannedAt: Date | null;

  /** REUSED: the document of the data store it was taken from. */
  @Column({ type: 'uuid', nullable: true })
  documentId: string | null;

  /** STATE_DATA: which state database record it was taken from (filled by integrations). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  stateDataRef: string | null;

  /** The paper's own issue date and validity, when the officer read them off it (they go to the data store). */
  @Column({ type: 'date', nullable: true })
  issuedOn: string | null;

  @Column({ type: 'date', nullable: true })
  validUntil: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * The append-only history of a dossier, hash-chained (see event-chain.ts). A database trigger
 * (migration DossierHistoryAppendOnly) refuses UPDATE and DELETE on this table.
 */
@Entity('dossier_events')
@Index('uq_dossier_events_seq', ['dossierId', 'seq'], { unique: true })
export class DossierEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  dossierId: string;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ type: 'varchar', length: 10 })
  actorKind: string;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'jsonb', default: {} })
  data: Record<string, unknown>;

  @Column({ type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}

/** Per receiving agency and Vietnam date, the last dossier sequence number handed out. */
@Entity('agency_day_sequences')
export class AgencyDaySequence {
  @Column({ type: 'varchar', length: 32, primary: true })
  agencyCode: string;

  @Column({ type: 'date', primary: true })
  day: string;

  @Column({ type: 'int' })
  last: number;
}

/**
 * An Idempotency-Key seen for a caller: the hash of the request it came with and the dossier it
 * created, so a retry gets the same dossier and a different body with the same key is refused.
 */
@Entity('idempotency_keys')
@Index('uq_idempotency_keys_scope_key', ['scope', 'key'], { unique: true })
export class IdempotencyKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `user:<id>` or `api-key:<id>`: keys are per caller. */
  @Column({ type: 'varchar', length: 80 })
  scope: string;

  @Column({ type: 'varchar', length: 128 })
  key: string;

  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'uuid', nullable: true })
  dossierId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
