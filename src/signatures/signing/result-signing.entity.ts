import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ResultSigningStatus = 'PENDING_SIGNATURE' | 'SIGNED' | 'REJECTED' | 'EXPIRED' | 'FAILED';

/**
 * The signing of a dossier's result, from the leader's approval until the signed document exists:
 * which file is to be signed, by whom, through which provider, and (remote signing) the provider's
 * request id and when it lapses. The signed document is a new stored file (`signedFileId`); its
 * verification report lives with it like any other file's.
 */
@Entity('result_signings')
// The file read policy finds a signed result by its file; the remote callback finds a request by its id.
@Index('idx_result_signings_signed_file', ['signedFileId'], { where: '"signed_file_id" IS NOT NULL' })
@Index('idx_result_signings_request', ['requestId'], { where: '"request_id" IS NOT NULL' })
export class ResultSigning {
  @PrimaryColumn({ type: 'uuid' })
  dossierId: string;

  @Column({ type: 'varchar', length: 20 })
  status: ResultSigningStatus;

  /** The result as the leader uploaded it (unsigned). */
  @Column({ type: 'uuid' })
  sourceFileId: string;

  @Column({ type: 'uuid', nullable: true })
  signedFileId: string | null;

  @Column({ type: 'uuid' })
  signerUserId: string;

  @Column({ type: 'varchar', length: 16 })
  provider: 'local' | 'remote';

  @Column({ type: 'varchar', length: 200, nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Why it was rejected or failed, for the leader. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  message: string | null;

  @Column({ type: 'int', default: 1 })
  round: number;
}
