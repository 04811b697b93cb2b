import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counter and postal intake, digitisation and the person's data store (issue 12): the channel and
 * the stored flags the national portal and the Decision 766 figures read, each attachment's
 * provenance, and the person's documents (kho dữ liệu điện tử).
 */
export class CounterIntake1796307609286 implements MigrationInterface {
  name = 'CounterIntake1796307609286';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "person_documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "holder_id_number" character varying(12) NOT NULL, "kind" character varying(10) NOT NULL, "type_code" character varying(64) NOT NULL, "type_name" text NOT NULL, "type_key" text NOT NULL, "procedure_code" character varying(32) NOT NULL, "source_dossier_id" uuid NOT NULL, "source_dossier_code" character varying(64) NOT NULL, "file_id" uuid NOT NULL, "form" character varying(10) NOT NULL, "issued_on" date NOT NULL, "valid_until" date, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_01c97611450ec13b16fa4a2f3e5" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_person_documents_source" ON "person_documents"  ("source_dossier_id", "kind", "type_code", "file_id") `);
    await q.query(`CREATE INDEX "idx_person_documents_holder" ON "person_documents"  ("holder_id_number", "created_at", "id") `);
    await q.query(`ALTER TABLE "dossiers" ADD "channel" character varying(8) NOT NULL DEFAULT 'ONLINE'`);
    await q.query(`ALTER TABLE "dossiers" ADD "digitised" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "dossiers" ADD "reused" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "dossiers" ADD "electronic_result" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "dossiers" ADD "applicant_vneid" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "dossiers" ADD "result_form" character varying(10)`);
    await q.query(`ALTER TABLE "dossiers" ADD "result_valid_until" date`);
    await q.query(`ALTER TABLE "dossier_attachments" ADD "source" character varying(12) NOT NULL DEFAULT 'UPLOADED'`);
    await q.query(`ALTER TABLE "dossier_attachments" ADD "scanned_by_id" uuid`);
    await q.query(`ALTER TABLE "dossier_attachments" ADD "scanned_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "dossier_attachments" ADD "document_id" uuid`);
    await q.query(`ALTER TABLE "dossier_attachments" ADD "state_data_ref" character varying(200)`);
    await q.query(`ALTER TABLE "dossier_attachments" ADD "issued_on" date`);
    await q.query(`ALTER TABLE "dossier_attachments" ADD "valid_until" date`);
    await q.query(`CREATE INDEX "idx_dossiers_receiving_channel_submitted" ON "dossiers"  ("receiving_agency_code", "channel", "submitted_at") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dossier_attachments" DROP COLUMN "valid_until"`);
    await q.query(`ALTER TABLE "dossier_attachments" DROP COLUMN "issued_on"`);
    await q.query(`ALTER TABLE "dossier_attachments" DROP COLUMN "state_data_ref"`);
    await q.query(`ALTER TABLE "dossier_attachments" DROP COLUMN "document_id"`);
    await q.query(`ALTER TABLE "dossier_attachments" DROP COLUMN "scanned_at"`);
    await q.query(`ALTER TABLE "dossier_attachments" DROP COLUMN "scanned_by_id"`);
    await q.query(`ALTER TABLE "dossier_attachments" DROP COLUMN "source"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "result_valid_until"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "result_form"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "applicant_vneid"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "electronic_result"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "reused"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "digitised"`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "channel"`);
    await q.query(`DROP TABLE "person_documents"`);
  }
}
