import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportFacts1796321530961 implements MigrationInterface {
  name = 'ReportFacts1796321530961';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "report_dossier_facts" ("dossier_id" uuid NOT NULL, "agency_code" character varying(32) NOT NULL, "procedure_code" character varying(40) NOT NULL, "field" text NOT NULL, "channel" character varying(8) NOT NULL, "received_day" date NOT NULL, "due_day" date, "finished_day" date, "end_kind" character varying(10), "timeliness" character varying(8), "supplement_days" date array NOT NULL DEFAULT '{}', "digitised" boolean NOT NULL, "reused" boolean NOT NULL, "electronic_result" boolean NOT NULL, "written_result" boolean NOT NULL, "fee_bearing" boolean NOT NULL, "paid_online" boolean NOT NULL, "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_21d0f95d705dab7576b0f5e912c" PRIMARY KEY ("dossier_id"))`,
    );
    await q.query(
      `CREATE INDEX "idx_report_facts_long_runners" ON "report_dossier_facts"  ("agency_code", "received_day") WHERE "finished_day" IS NULL OR "finished_day" > "received_day" + 60`,
    );
    await q.query(`CREATE INDEX "idx_report_facts_received" ON "report_dossier_facts"  ("agency_code", "received_day") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "report_dossier_facts"`);
  }
}
