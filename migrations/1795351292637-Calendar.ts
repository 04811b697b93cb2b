import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Calendar1795351292637 implements MigrationInterface {
  name = 'Calendar1795351292637';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "calendar_days" ("id" SERIAL NOT NULL, "agency_code" character varying(20), "date" date NOT NULL, "type" character varying(12) NOT NULL, "name" text NOT NULL, "source" text, "confidence" character varying(10), "provisional" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4e038bb33a6b17e98fee1f30ad9" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_calendar_days_national_date" ON "calendar_days"  ("date") WHERE "agency_code" IS NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_calendar_days_agency_date" ON "calendar_days"  ("agency_code", "date") WHERE "agency_code" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "calendar_days"`);
  }
}
