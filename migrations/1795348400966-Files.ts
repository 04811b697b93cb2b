import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Files1795348400966 implements MigrationInterface {
  name = 'Files1795348400966';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "stored_files" ("id" uuid NOT NULL, "owner_id" character varying(64) NOT NULL, "owner_kind" character varying(16) NOT NULL, "sha256" character(64) NOT NULL, "size" integer NOT NULL, "content_type" character varying(100) NOT NULL, "file_name" character varying(255) NOT NULL, "storage_key" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5d5be862bf53851c1794b4adf4e" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_c4c766866da676e8cda0f7de3b" ON "stored_files"  ("owner_kind", "owner_id") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "stored_files"`);
  }
}
