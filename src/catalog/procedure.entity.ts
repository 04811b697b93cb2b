import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DossierComponent, Duration, Fee, ProcedureAgencyLevel, ProcessStep, ProcedureView, ServiceLevel, SupplementPolicy } from './catalog.types.js';

/**
 * A procedure of the catalogue. Fees, components and steps are value objects of one version of
 * the procedure and change together with it, so they live in jsonb rather than child tables;
 * every change bumps `version` and is kept whole in procedure_revision.
 */
@Entity('procedure')
export class Procedure {
  /** National code (mã TTHC), an opaque key such as 1.001193. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  nameEn: string | null;

  @Index()
  @Column({ type: 'text' })
  field: string;

  @Column({ type: 'varchar', length: 20 })
  serviceLevel: ServiceLevel;

  @Column({ type: 'varchar', length: 20, array: true })
  agencyLevels: ProcedureAgencyLevel[];

  @Column({ type: 'jsonb' })
  timeLimit: Duration;

  @Column({ type: 'jsonb' })
  fees: Fee[];

  @Column({ type: 'jsonb' })
  components: DossierComponent[];

  @Column({ type: 'jsonb' })
  steps: ProcessStep[];

  /** Days to supplement and what happens to the clock (see SupplementPolicy). */
  @Column({ type: 'jsonb', default: () => `'{"days": 30, "clock": "RESTART"}'` })
  supplement: SupplementPolicy;

  @Column({ type: 'integer' })
  version: number;

  /** Code, names and field folded (lower case, no diacritics, đ→d), kept by the service. */
  @Column({ type: 'text' })
  searchText: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * Every version of a procedure as it stood, so a dossier that records the version it was filed
 * under can still show that version's components, fees and time limit after the law changes.
 */
@Entity('procedure_revision')
export class ProcedureRevision {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  procedureCode: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  snapshot: ProcedureView;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
