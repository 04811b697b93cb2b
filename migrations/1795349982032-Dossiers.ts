import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Dossiers1795349982032 implements MigrationInterface {
  name = 'Dossiers1795349982032';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "dossiers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(64) NOT NULL, "procedure_code" character varying(32) NOT NULL, "procedure_version" integer NOT NULL, "service_level" character varying(20) NOT NULL, "receiving_agency_code" character varying(32) NOT NULL, "competent_agency_code" character varying(32) NOT NULL, "status" character varying(24) NOT NULL, "status_code" smallint NOT NULL, "applicant" jsonb NOT NULL, "owner_user_id" uuid, "submitted_by_kind" character varying(10) NOT NULL, "submitted_by_id" uuid NOT NULL, "form_data" jsonb NOT NULL DEFAULT '{}', "result_delivery" character varying(10) NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d84a24a9d2c52ec01142de45e42" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "IDX_2f408e41e65ebf503dad3ec713" ON "dossiers"  ("code") `);
    await q.query(`CREATE INDEX "idx_dossiers_competent_submitted" ON "dossiers"  ("competent_agency_code", "submitted_at", "id") `);
    await q.query(`CREATE INDEX "idx_dossiers_receiving_submitted" ON "dossiers"  ("receiving_agency_code", "submitted_at", "id") `);
    await q.query(`CREATE INDEX "idx_dossiers_owner_submitted" ON "dossiers"  ("owner_user_id", "submitted_at", "id") `);
    await q.query(
      `CREATE TABLE "dossier_attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dossier_id" uuid NOT NULL, "component_code" character varying(64) NOT NULL, "file_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_110c94a91ece181cd940d2ba5f2" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_dc9a18f714d0b5c339725075cc" ON "dossier_attachments"  ("dossier_id") `);
    await q.query(`CREATE INDEX "idx_dossier_attachments_file" ON "dossier_attachments"  ("file_id") `);
    await q.query(
      `CREATE TABLE "dossier_events" ("id" BIGSERIAL NOT NULL, "dossier_id" uuid NOT NULL, "seq" integer NOT NULL, "type" character varying(64) NOT NULL, "actor_kind" character varying(10) NOT NULL, "actor_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_dc472db0f082aa7b1da60ed88f1" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_dossier_events_seq" ON "dossier_events"  ("dossier_id", "seq") `);
    await q.query(
      `CREATE TABLE "agency_day_sequences" ("agency_code" character varying(32) NOT NULL, "day" date NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_80837cc6177863123f3b1f853e0" PRIMARY KEY ("agency_code", "day"))`,
    );
    await q.query(
      `CREATE TABLE "idempotency_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "scope" character varying(80) NOT NULL, "key" character varying(128) NOT NULL, "request_hash" character(64) NOT NULL, "dossier_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8ad20779ad0411107a56e53d0f6" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_idempotency_keys_scope_key" ON "idempotency_keys"  ("scope", "key") `);
    await q.query(
      `CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "topic" character varying(100) NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_outbox_unsent" ON "outbox"  ("id") WHERE "sent_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_outbox_unsent"`);
    await q.query(`DROP TABLE "outbox"`);
    await q.query(`DROP INDEX "public"."uq_idempotency_keys_scope_key"`);
    await q.query(`DROP TABLE "idempotency_keys"`);
    await q.query(`DROP TABLE "agency_day_sequences"`);
    await q.query(`DROP INDEX "public"."uq_dossier_events_seq"`);
    await q.query(`DROP TABLE "dossier_events"`);
    await q.query(`DROP INDEX "public"."idx_dossier_attachments_file"`);
    await q.query(`DROP INDEX "public"."IDX_dc9a18f714d0b5c339725075cc"`);
    await q.query(`DROP TABLE "dossier_attachments"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_owner_submitted"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_receiving_submitted"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_competent_submitted"`);
    await q.query(`DROP INDEX "public"."IDX_2f408e41e65ebf503dad3ec713"`);
    await q.query(`DROP TABLE "dossiers"`);
  }
}
