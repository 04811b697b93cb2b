import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DossierWorkflow1795353044830 implements MigrationInterface {
  name = 'DossierWorkflow1795353044830';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dossiers" ADD "received_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "dossiers" ADD "step_index" integer`);
    await q.query(`ALTER TABLE "dossiers" ADD "step_assignee_id" uuid`);
    await q.query(`ALTER TABLE "dossiers" ADD "supplement_from" smallint`);
    await q.query(`ALTER TABLE "dossiers" ADD "supplement_due_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "dossiers" ADD "supplement_items" jsonb`);
    await q.query(`ALTER TABLE "dossiers" ADD "rescheduled" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "dossiers" ADD "outcome" character varying(10)`);
    await q.query(`ALTER TABLE "dossiers" ADD "result_file_id" uuid`);
    await q.query(`ALTER TABLE "dossiers" ADD "resolved_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "dossiers" ADD "timeliness" character varying(8)`);
    await q.query(`ALTER TABLE "dossiers" ADD "returned_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "dossiers" ADD "return_method" character varying(10)`);
    await q.query(`ALTER TABLE "dossiers" ADD "tracking_number" character varying(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "tracking_number"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "return_method"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "returned_at"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "timeliness"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "resolved_at"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "result_file_id"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "outcome"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "rescheduled"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "supplement_items"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "supplement_due_at"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "supplement_from"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "step_assignee_id"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "step_index"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "received_at"`);
  }
}
