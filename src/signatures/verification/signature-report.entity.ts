import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DocumentIndication, DocumentReport, SubIndication } from '../report.js';

/**
 * The verification of one stored file's signatures, kept with the file: PENDING from upload until
 * the worker has run, then VERIFIED with the report. `retrying` is set while an INDETERMINATE
 * result waits for another attempt (a CRL that could not be fetched); after the last attempt the
 * result is kept as it is.
 */
@Entity('file_signature_reports')
export class FileSignatureReport {
  @PrimaryColumn({ type: 'uuid' })
  fileId: string;

  @Column({ type: 'varchar', length: 16 })
  state: 'PENDING' | 'VERIFIED';

  @Column({ type: 'varchar', length: 24, nullable: true })
  indication: DocumentIndication | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  subIndication: SubIndication | null;

  @Column({ type: 'jsonb', nullable: true })
  report: DocumentReport | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'boolean', default: false })
  retrying: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
