import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { AgencyLevel } from './agencies.types.js';
import type { OfficeHours } from './office-hours.js';

/** A unit of government that receives or resolves dossiers, keyed by its QCVN 102 id. */
@Entity('agency')
export class Agency {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'varchar', length: 10 })
  level: AgencyLevel;

  @Index()
  @Column({ type: 'varchar', length: 20, nullable: true })
  parentCode: string | null;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_code' })
  parent?: Agency;

  @Column({ type: 'jsonb' })
  officeHours: OfficeHours;

  /** A public administration service centre (or one-stop desk) that receives dossiers. */
  @Column({ type: 'boolean' })
  isServiceCentre: boolean;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * Which procedures an agency resolves (is competent for). The procedure code is checked against the
 * catalogue through CatalogService when set; there is no foreign key into the catalogue's table so
 * the two capabilities stay apart.
 */
@Entity('agency_procedure')
@Index(['procedureCode'])
export class AgencyProcedure {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  agencyCode: string;

  @PrimaryColumn({ type: 'varchar', length: 40 })
  procedureCode: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_code' })
  agency?: Agency;
}
