import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { TimeLimit } from './due-date-calculator.js';

export type ClockKind = 'OVERALL' | 'STEP';
export type ClockState = 'RUNNING' | 'PAUSED' | 'STOPPED';
export type ClockStatus = 'ON_TRACK' | 'DUE_SOON' | 'OVERDUE';

/**
 * A running deadline of a dossier: the OVERALL one (the legal time limit) and the one of its
 * current internal STEP (one row per kind; a new step re-starts the STEP row). PostgreSQL is the
 * truth: the delayed jobs in Redis that fire the warnings are derived from these rows and rebuilt
 * from them by reconciliation.
 */
@Entity('dossier_clocks')
@Index('uq_dossier_clocks_dossier_kind', ['dossierId', 'kind'], { unique: true })
// Reconciliation, re-projection and metrics walk the running clocks only.
@Index('idx_dossier_clocks_running', ['agencyCode', 'id'], { where: `"state" = 'RUNNING'` })
// A firing also flags the other clocks due by then (10,000 may fall due at the same instant).
@Index('idx_dossier_clocks_due_soon_sweep', ['dueSoonAt'], { where: `"state" = 'RUNNING' AND "status" = 'ON_TRACK'` })
@Index('idx_dossier_clocks_overdue_sweep', ['dueAt'], { where: `"state" = 'RUNNING' AND "status" <> 'OVERDUE'` })
// The officers' due-soon and overdue queues probe the flagged OVERALL clocks of an agency's open
// dossiers, reading the due instant from the index alone (src/dossiers/queues/queues.ts).
@Index('idx_dossier_clocks_overall_flagged', ['dossierId', 'status', 'dueAt'], { where: `"kind" = 'OVERALL' AND "status" IN ('DUE_SOON', 'OVERDUE')` })
export class DossierClock {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  dossierId: string;

  @Column({ type: 'varchar', length: 10 })
  kind: ClockKind;

  /** The internal-process step this clock times (STEP clocks only). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  stepCode: string | null;

  /** The officer the step is assigned to, who gets the warnings (optional). */
  @Column({ type: 'uuid', nullable: true })
  assigneeUserId: string | null;

  /** The agency whose working-time calendar applies. */
  @Column({ type: 'varchar', length: 32 })
  agencyCode: string;

  @Column({ type: 'int' })
  limitValue: number;

  @Column({ type: 'varchar', length: 16 })
  limitUnit: TimeLimit['unit'];

  @Column({ type: 'varchar', length: 10 })
  state: ClockState;

  /** When start() was called: re-projection recomputes from here with the current calendar. */
  @Column({ type: 'timestamptz' })
  startedAt: Date;

  /** When the clock really started counting (after the calendar's cut-off rule). */
  @Column({ type: 'timestamptz' })
  clockStartsAt: Date;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz' })
  dueSoonAt: Date;

  /** Since when it has been counting without a pause (clockStartsAt, or the last resume). */
  @Column({ type: 'timestamptz' })
  runningSince: Date;

  @Column({ type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  /** Working time (ms) counted before the current pause, summed over every running stretch. */
  @Column({ type: 'bigint', default: 0 })
  consumedMs: string;

  /** Once re-appointed (form 04) it may not be again: at most one extension. */
  @Column({ type: 'boolean', default: false })
  extended: boolean;

  @Column({ type: 'text', nullable: true })
  extensionReason: string | null;

  /**
   * The schedule version: bumped on every change of state or due instants. A delayed job carries the
   * version it was scheduled for and is ignored once the clock has moved on. Flagging DUE_SOON or
   * OVERDUE does not bump it (the other job of the same schedule must still count); those updates
   * are guarded by the status instead.
   */
  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 10, default: 'ON_TRACK' })
  status: ClockStatus;

  @Column({ type: 'timestamptz', nullable: true })
  dueSoonFlaggedAt: Date | null;

  /** When the overdue flag was set: minus dueAt, the firing lag the metrics report. */
  @Column({ type: 'timestamptz', nullable: true })
  overdueFlaggedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
