import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CalendarDayType } from './working-calendar.js';

/**
 * A dated exception to the weekly office hours: national (agency_code NULL) or one agency's. One
 * row per (agency, date): PostgreSQL treats NULLs as distinct in a unique index, so the national
 * rows get a partial unique index of their own.
 */
@Entity('calendar_days')
@Index('uq_calendar_days_agency_date', ['agencyCode', 'date'], { unique: true, where: '"agency_code" IS NOT NULL' })
@Index('uq_calendar_days_national_date', ['date'], { unique: true, where: '"agency_code" IS NULL' })
export class CalendarDay {
  @PrimaryGeneratedColumn()
  id: number;

  /** The agency the exception belongs to; NULL for the national schedule. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  agencyCode: string | null;

  /** Local date (Vietnam), read back as YYYY-MM-DD. */
  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'varchar', length: 12 })
  type: CalendarDayType;

  @Column({ type: 'text' })
  name: string;

  /** Where the day comes from: a notice number and URL, or who entered it. */
  @Column({ type: 'text', nullable: true })
  source: string | null;

  /** official | reported | derived (data/README.md); NULL when entered by an administrator. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  confidence: string | null;

  /** Computed or assumed rather than read in a notice: re-check when the notice comes out. */
  @Column({ type: 'boolean', default: false })
  provisional: boolean;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
