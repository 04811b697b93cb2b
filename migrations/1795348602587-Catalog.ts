import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Catalog1795348602587 implements MigrationInterface {
  name = 'Catalog1795348602587';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "agency" ("code" character varying(20) NOT NULL, "name" text NOT NULL, "level" character varying(10) NOT NULL, "parent_code" character varying(20), "office_hours" jsonb NOT NULL, "is_service_centre" boolean NOT NULL, "active" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_fbda24d0286deca69d0b8d30f10" PRIMARY KEY ("code"))`,
    );
    await q.query(`CREATE INDEX "IDX_de0ced1cff59b1ed70796e4a5a" ON "agency"  ("parent_code") `);
    await q.query(
      `CREATE TABLE "agency_procedure" ("agency_code" character varying(20) NOT NULL, "procedure_code" character varying(40) NOT NULL, CONSTRAINT "PK_9b69f9225acada3cac8f838ee7f" PRIMARY KEY ("agency_code", "procedure_code"))`,
    );
    await q.query(`CREATE INDEX "IDX_0ebad6a83a2ba64f307cf101ce" ON "agency_procedure"  ("procedure_code") `);
    await q.query(
      `CREATE TABLE "procedure" ("code" character varying(40) NOT NULL, "name" text NOT NULL, "name_en" text, "field" text NOT NULL, "service_level" character varying(20) NOT NULL, "agency_levels" character varying(20) array NOT NULL, "time_limit" jsonb NOT NULL, "fees" jsonb NOT NULL, "components" jsonb NOT NULL, "steps" jsonb NOT NULL, "version" integer NOT NULL, "search_text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5b9ee346c174d4b2682947d1984" PRIMARY KEY ("code"))`,
    );
    await q.query(`CREATE INDEX "IDX_2fa4f41ed36f2da579f93d653d" ON "procedure"  ("field") `);
    await q.query(
      `CREATE TABLE "procedure_revision" ("procedure_code" character varying(40) NOT NULL, "version" integer NOT NULL, "snapshot" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_9dfb159ce7aa182664cfd4d7a8e" PRIMARY KEY ("procedure_code", "version"))`,
    );
    await q.query(
      `ALTER TABLE "agency" ADD CONSTRAINT "FK_de0ced1cff59b1ed70796e4a5ad" FOREIGN KEY ("parent_code") REFERENCES "agency"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "agency_procedure" ADD CONSTRAINT "FK_0ad74c34f10b013ef042025a835" FOREIGN KEY ("agency_code") REFERENCES "agency"("code") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "agency_procedure" DROP CONSTRAINT "FK_0ad74c34f10b013ef042025a835"`);
    await q.query(`ALTER TABLE "agency" DROP CONSTRAINT "FK_de0ced1cff59b1ed70796e4a5ad"`);
    await q.query(`DROP TABLE "procedure_revision"`);
    await q.query(`DROP INDEX "public"."IDX_2fa4f41ed36f2da579f93d653d"`);
    await q.query(`DROP TABLE "procedure"`);
    await q.query(`DROP INDEX "public"."IDX_0ebad6a83a2ba64f307cf101ce"`);
    await q.query(`DROP TABLE "agency_procedure"`);
    await q.query(`DROP INDEX "public"."IDX_de0ced1cff59b1ed70796e4a5a"`);
    await q.query(`DROP TABLE "agency"`);
  }
}
