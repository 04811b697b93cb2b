import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Ratings1796319222677 implements MigrationInterface {
  name = 'Ratings1796319222677';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "dossier_ratings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dossier_id" uuid NOT NULL, "revision" integer NOT NULL, "agency_code" character varying(32) NOT NULL, "overall" character varying(16) NOT NULL, "scores" jsonb NOT NULL, "total" smallint NOT NULL, "band" character varying(10) NOT NULL, "comment" text, "officers" jsonb NOT NULL DEFAULT '[]', "rated_by" uuid NOT NULL, "rated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4246571d32ec5372d920b64216a" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_dossier_ratings_agency" ON "dossier_ratings"  ("agency_code", "rated_at") `);
    await q.query(`CREATE UNIQUE INDEX "uq_dossier_ratings_revision" ON "dossier_ratings"  ("dossier_id", "revision") `);
    await q.query(
      `CREATE TABLE "dossier_complaints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dossier_id" uuid NOT NULL, "agency_code" character varying(32) NOT NULL, "content" text NOT NULL, "filed_by" uuid NOT NULL, "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_15296aadfafab2767bc9c8e1307" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_dossier_complaints_agency" ON "dossier_complaints"  ("agency_code", "filed_at") `);
    await q.query(`CREATE INDEX "idx_dossier_complaints_dossier" ON "dossier_complaints"  ("dossier_id") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_dossier_complaints_dossier"`);
    await q.query(`DROP INDEX "public"."idx_dossier_complaints_agency"`);
    await q.query(`DROP TABLE "dossier_complaints"`);
    await q.query(`DROP INDEX "public"."uq_dossier_ratings_revision"`);
    await q.query(`DROP INDEX "public"."idx_dossier_ratings_agency"`);
    await q.query(`DROP TABLE "dossier_ratings"`);
  }
}
