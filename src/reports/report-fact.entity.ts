import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per dossier: what the Decision 766 figures read, kept by the reports module alone
 * (ReportFactsService: from the outbox after every status change and payment, and `rebuild` for a
 * backfill). Days are Vietnam dates. Flags that change without a message about the dossier (the
 * national portal's answer, ratings, complaints) are not copied here: the queries probe their
 * own tables by dossier id, so they are never stale.
 */
@Entity('report_dossier_facts')
// A period reads the dossiers received in it or in the LONG_RUN_DAYS before it (one range of this
// index), and the long-runners received earlier: open, or finished more than LONG_RUN_DAYS after
// receipt (a small partial index). A dossier received earlier and unfinished at the period's start
// is necessarily a long-runner, so the two ranges hold every dossier the period processes.
@Index('idx_report_facts_received', ['agencyCode', 'receivedDay'])
@Index('idx_report_facts_long_runners', ['agencyCode', 'receivedDay'], { where: `"finished_day" IS NULL OR "finished_day" > "received_day" + 60` })
export class ReportDossierFact {
  @PrimaryColumn({ type: 'uuid' })
  dossierId: string;

  /** The receiving centre (where it was filed): the figures are the centre's. */
  @Column({ type: 'varchar', length: 32 })
  agencyCode: string;

  @Column({ type: 'varchar', length: 40 })
  procedureCode: string;

  @Column({ type: 'text' })
  field: string;

  @Column({ type: 'varchar', length: 8 })
  channel: string;

  /** Accepted on (or filed on, when never accepted). */
  @Column({ type: 'date' })
  receivedDay: string;

  /** The effective due date (the OVERALL clock's, supplement and payment time left out); null when none or paused before due. */
  @Column({ type: 'date', nullable: true })
  dueDay: string | null;

  /** The end: resolved, else returned, else stopped / refused / withdrawn. */
  @Column({ type: 'date', nullable: true })
  finishedDay: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  endKind: string | null;

  /** EARLY / ON_TIME / LATE once finished (more than one supplement round or a re-appointment: LATE). */
  @Column({ type: 'varchar', length: 8, nullable: true })
  timeliness: string | null;

  /** The days of its supplement requests (one per round). */
  @Column({ type: 'date', array: true, default: () => "'{}'" })
  supplementDays: string[];

  @Column({ type: 'boolean' })
  digitised: boolean;

  @Column({ type: 'boolean' })
  reused: boolean;

  @Column({ type: 'boolean' })
  electronicResult: boolean;

  @Column({ type: 'boolean' })
  writtenResult: boolean;

  @Column({ type: 'boolean' })
  feeBearing: boolean;

  @Column({ type: 'boolean' })
  paidOnline: boolean;

  @Column({ type: 'timestamptz' })
  refreshedAt: Date;
}
