import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ResultForm } from '../intake.js';

/**
 * One document of a person's electronic data store (kho quản lý dữ liệu điện tử của tổ chức, cá
 * nhân): a digitised component or an electronic result of one of their dossiers, kept for reuse in
 * later dossiers. It belongs to a CCCD, and is readable by the verified account of that CCCD and by
 * officers while they handle a dossier of that person (src/dossiers/store/person-documents.service.ts).
 */
@Entity('person_documents')
@Index('idx_person_documents_holder', ['holderIdNumber', 'createdAt', 'id'])
@Index('uq_person_documents_source', ['sourceDossierId', 'kind', 'typeCode', 'fileId'], { unique: true })
export class PersonDocument {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 12 })
  holderIdNumber: string;

  /** A component of the source dossier, or its result. */
  @Column({ type: 'varchar', length: 10 })
  kind: 'COMPONENT' | 'RESULT';

  /** The document type: the component's code and name in its procedure (RESULT for a result). */
  @Column({ type: 'varchar', length: 64 })
  typeCode: string;

  @Column({ type: 'text' })
  typeName: string;

  /** documentTypeKey(typeName): what a component of another procedure is matched by. */
  @Column({ type: 'text' })
  typeKey: string;

  @Column({ type: 'varchar', length: 32 })
  procedureCode: string;

  @Column({ type: 'uuid' })
  sourceDossierId: string;

  @Column({ type: 'varchar', length: 64 })
  sourceDossierCode: string;

  @Column({ type: 'uuid' })
  fileId: string;

  /** SCANNED (a desk scan of paper) or ELECTRONIC (born digital: a signed result, a state-data file). */
  @Column({ type: 'varchar', length: 10 })
  form: ResultForm;

  @Column({ type: 'date' })
  issuedOn: string;

  /** Last day it may be used; null: no end. An ended document cannot be reused. */
  @Column({ type: 'date', nullable: true })
  validUntil: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
