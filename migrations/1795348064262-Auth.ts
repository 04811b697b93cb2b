import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Auth1795348064262 implements MigrationInterface {
  name = 'Auth1795348064262';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "secret_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_3ddc983c5f7bcf132fd8732c3f" ON "refresh_tokens"  ("user_id") `);
    await q.query(`CREATE INDEX "IDX_d5e27da0cd39bc3bb2811fc8ba" ON "refresh_tokens"  ("family_id") `);
    await q.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "password_hash" character varying(255), "role" character varying(32) NOT NULL, "full_name" character varying(200) NOT NULL, "agency_code" character varying(32), "id_number" character varying(12), "date_of_birth" date, "phone" character varying(20), "email" character varying(254), "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "IDX_fe0bb3f6520ee0469504521e71" ON "users"  ("username") `);
    await q.query(`CREATE INDEX "IDX_129a0672f2c3e3902023db27d0" ON "users"  ("agency_code") `);
    await q.query(`CREATE UNIQUE INDEX "IDX_0a2a7bd3f0e9ea0abd5818a6d3" ON "users"  ("id_number") WHERE "id_number" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_0a2a7bd3f0e9ea0abd5818a6d3"`);
    await q.query(`DROP INDEX "public"."IDX_129a0672f2c3e3902023db27d0"`);
    await q.query(`DROP INDEX "public"."IDX_fe0bb3f6520ee0469504521e71"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP INDEX "public"."IDX_d5e27da0cd39bc3bb2811fc8ba"`);
    await q.query(`DROP INDEX "public"."IDX_3ddc983c5f7bcf132fd8732c3f"`);
    await q.query(`DROP TABLE "refresh_tokens"`);
  }
}
