import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Signatures1795357629133 implements MigrationInterface {
  name = 'Signatures1795357629133';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "file_signature_reports" ("file_id" uuid NOT NULL, "state" character varying(16) NOT NULL, "indication" character varying(24), "sub_indication" character varying(40), "report" jsonb, "attempts" integer NOT NULL DEFAULT '0', "retrying" boolean NOT NULL DEFAULT false, "verified_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_09664823e781a21c77c3994aebb" PRIMARY KEY ("file_id"))`,
    );
    await q.query(
      `CREATE TABLE "trust_anchors" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "sha256" character(64) NOT NULL, "der" bytea NOT NULL, "subject" character varying(1000) NOT NULL, "issuer" character varying(1000) NOT NULL, "not_after" TIMESTAMP WITH TIME ZONE NOT NULL, "label" character varying(200), "added_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8982f35b024cb1edffd6109dacd" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_trust_anchors_sha256" ON "trust_anchors"  ("sha256") `);
    await q.query(
      `CREATE TABLE "result_signings" ("dossier_id" uuid NOT NULL, "status" character varying(20) NOT NULL, "source_file_id" uuid NOT NULL, "signed_file_id" uuid, "signer_user_id" uuid NOT NULL, "provider" character varying(16) NOT NULL, "request_id" character varying(200), "reason" character varying(500) NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "message" character varying(1000), "round" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_5fd22b721942ead9cdeb5ee4afc" PRIMARY KEY ("dossier_id"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "result_signings"`);
    await q.query(`DROP TABLE "trust_anchors"`);
    await q.query(`DROP TABLE "file_signature_reports"`);
  }
}
