import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeys1795348404135 implements MigrationInterface {
  name = 'ApiKeys1795348404135';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL, "name" character varying(100) NOT NULL, "secret_hash" character(64) NOT NULL, "scopes" text array NOT NULL, "agency_codes" text array NOT NULL DEFAULT '{}', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "api_keys"`);
  }
}
