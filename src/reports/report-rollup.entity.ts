import { Column, Entity, PrimaryColumn } from 'typeorm';

const count = () => Column({ type: 'int' });

/**
 * The public figures' precomputed source (issue 20): per receiving centre and calendar month, the
 * counts of periodCountsSql with that month as the period, kept by ReportRollupService from
 * report_dossier_facts (and the probed flags). Any run of whole months is then exact from these
 * rows (report-rollup.sql.ts): what is counted in a month adds up (received and its flags,
 * finished, supplement rounds); what is carried over comes from the first month
 * (processed − received); what is still open, and overdue, from the last. A group with nothing in
 * it has no row (all zeros).
 */
@Entity('report_monthly_rollup')
export class ReportMonthlyRollup {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  agencyCode: string;

  /** The month's first day (Vietnam dates). */
  @PrimaryColumn({ type: 'date' })
  month: string;

  @count() processed: number;
  @count() received: number;
  @count() online: number;
  @count() counter: number;
  @count() postal: number;
  @count() finished: number;
  @count() early: number;
  @count() onTime: number;
  @count() late: number;
  @count() inProgress: number;
  @count() inProgressOverdue: number;
  @count() refused: number;
  @count() withdrawn: number;
  @count() stopped: number;
  @count() supplementRounds: number;
  @count() digitised: number;
  @count() reused: number;
  @count() electronicResult: number;
  @count() paidOnline: number;
  @count() synced: number;
  @count() rated: number;
  @count() verySatisfied: number;
  @count() satisfied: number;
  @count() notSatisfied: number;
  @count() complaints: number;
  @count() onlineWithEresult: number;
  @count() feeBearing: number;
  @count() paidOnlineFeeBearing: number;
  @count() writtenResult: number;
  @count() electronicWrittenResult: number;
  @count() digitisedWithEresult: number;
  @count() complainedOrNotSatisfied: number;

  @Column({ type: 'timestamptz' })
  computedAt: Date;
}

/** The months recomputed for every agency, and when: a public period is answered once each of its months has a row. */
@Entity('report_rollup_months')
export class ReportRollupMonth {
  @PrimaryColumn({ type: 'date' })
  month: string;

  @Column({ type: 'timestamptz' })
  computedAt: Date;
}

/**
 * Agencies whose months from `fromMonth` on must be recomputed: marked in the statement that
 * changes a dossier's facts (and when a rating or complaint is relayed), cleared by the pass that
 * recomputed them unless `version` moved meanwhile.
 */
@Entity('report_rollup_dirty')
export class ReportRollupDirty {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  agencyCode: string;

  @Column({ type: 'date' })
  fromMonth: string;

  @Column({ type: 'int', default: 1 })
  version: number;
}
