import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public figures' monthly rollup (issue 20). Empty at first: the first pass of the reports'
 * rollup (on a worker) recomputes every month from the earliest dossier's to the current one, and
 * the public route answers 503 PUBLIC_REPORT_NOT_READY for a month not yet computed.
 */
export class PublicReportRollup1796693027807 implements MigrationInterface {
  name = 'PublicReportRollup1796693027807';

  async up(q: QueryRunner): Promise<void> {
    const counts = [
      'processed',
      'received',
      'online',
      'counter',
      'postal',
      'finished',
      'early',
      'on_time',
      'late',
      'in_progress',
      'in_progress_overdue',
      'refused',
      'withdrawn',
      'stopped',
      'supplement_rounds',
      'digitised',
      'reused',
      'electronic_result',
      'paid_online',
      'synced',
      'rated',
      'very_satisfied',
      'satisfied',
      'not_satisfied',
      'complaints',
      'online_with_eresult',
      'fee_bearing',
      'paid_online_fee_bearing',
      'written_result',
      'electronic_written_result',
      'digitised_with_eresult',
      'complained_or_not_satisfied',
    ]
      .map((c) => `"${c}" integer NOT NULL`)
      .join(', ');
    await q.query(
      `CREATE TABLE "report_monthly_rollup" ("agency_code" character varying(32) NOT NULL, "month" date NOT NULL, ${counts}, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ce5adf729f3903ef65dfb9f38bf" PRIMARY KEY ("agency_code", "month"))`,
    );
    await q.query(
      `CREATE TABLE "report_rollup_months" ("month" date NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1f2110d4586f9b0cfca24a6c5f5" PRIMARY KEY ("month"))`,
    );
    await q.query(
      `CREATE TABLE "report_rollup_dirty" ("agency_code" character varying(32) NOT NULL, "from_month" date NOT NULL, "version" integer NOT NULL DEFAULT 1, CONSTRAINT "PK_3f18d65c4a8618edbaa9e5c3d2a" PRIMARY KEY ("agency_code"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "report_rollup_dirty"`);
    await q.query(`DROP TABLE "report_rollup_months"`);
    await q.query(`DROP TABLE "report_monthly_rollup"`);
  }
}
