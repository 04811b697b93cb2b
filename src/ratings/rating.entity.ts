import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Circular 01/2018's overall verdict on a dossier (Decision 766's 5.4 counts NOT_SATISFIED). */
export const OVERALL_VERDICTS = ['VERY_SATISFIED', 'SATISFIED', 'NOT_SATISFIED'] as const;
export type OverallVerdict = (typeof OVERALL_VERDICTS)[number];

/** The bands of the 9-indicator total (0–18): ≥ 15 excellent, 12–< 15 good, 9–< 12 fair, 6–< 9 average, < 6 weak. */
export const RATING_BANDS = ['EXCELLENT', 'GOOD', 'FAIR', 'AVERAGE', 'WEAK'] as const;
export type RatingBand = (typeof RATING_BANDS)[number];

/**
 * A dossier owner's satisfaction rating, once per dossier after its result (issue 15). Rows are
 * never updated: a correction is a new row with the next revision, and the figures read the
 * latest revision per dossier.
 */
@Entity('dossier_ratings')
@Index('uq_dossier_ratings_revision', ['dossierId', 'revision'], { unique: true })
@Index('idx_dossier_ratings_agency', ['agencyCode', 'ratedAt'])
export class DossierRating {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  dossierId: string;

  /** 1 for the rating, 2… for each correction. */
  @Column({ type: 'int' })
  revision: number;

  /** The dossier's receiving agency, copied for the figures. */
  @Column({ type: 'varchar', length: 32 })
  agencyCode: string;

  @Column({ type: 'varchar', length: 16 })
  overall: OverallVerdict;

  /** The 9 indicators' scores, 0–2 each, keyed "1".."9". */
  @Column({ type: 'jsonb' })
  scores: Record<string, number>;

  @Column({ type: 'smallint' })
  total: number;

  @Column({ type: 'varchar', length: 10 })
  band: RatingBand;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /** The officers of each step at the time of rating: [{ role, step, userId }]. */
  @Column({ type: 'jsonb', default: [] })
  officers: Array<{ role: string; step: string; userId: string }>;

  @Column({ type: 'uuid' })
  ratedBy: string;

  @Column({ type: 'timestamptz' })
  ratedAt: Date;
}

/** A complaint or petition (phản ánh, kiến nghị) about a dossier by its owner; counts in Decision 766's 5.4. */
@Entity('dossier_complaints')
@Index('idx_dossier_complaints_dossier', ['dossierId'])
@Index('idx_dossier_complaints_agency', ['agencyCode', 'filedAt'])
export class DossierComplaint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  dossierId: string;

  @Column({ type: 'varchar', length: 32 })
  agencyCode: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'uuid' })
  filedBy: string;

  @Column({ type: 'timestamptz' })
  filedAt: Date;
}
