import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ownership follows a proven identity. Citizen accounts get an identity assurance: those created
 * by a VNeID login (no password) are VERIFIED, every password account starts UNVERIFIED. Dossiers
 * an integrator filed no longer point at the account that happened to carry the CCCD (it may have
 * typed someone else's number): they belong to the holder's CCCD, and so to the verified account
 * for it, if any.
 */
export class IdentityAssurance1795360000000 implements MigrationInterface {
  name = 'IdentityAssurance1795360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "identity_assurance" character varying(16) NOT NULL DEFAULT 'UNVERIFIED'`);
    await q.query(`ALTER TABLE "users" ADD "identity_method" character varying(16)`);
    await q.query(`ALTER TABLE "users" ADD "identity_verified_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "users" ADD "identity_verified_by" uuid`);
    await q.query(`UPDATE "users" SET "identity_assurance" = 'VERIFIED', "identity_method" = 'VNEID', "identity_verified_at" = "created_at"
                    WHERE "role" = 'CITIZEN' AND "password_hash" IS NULL AND "id_number" IS NOT NULL`);
    await q.query(`DROP INDEX "public"."IDX_0a2a7bd3f0e9ea0abd5818a6d3"`);
    await q.query(`CREATE INDEX "idx_users_id_number" ON "users" ("id_number") WHERE "id_number" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "idx_users_verified_id_number" ON "users" ("id_number") WHERE "identity_assurance" = 'VERIFIED'`);

    await q.query(`ALTER TABLE "dossiers" ADD "holder_id_number" character varying(12)`);
    await q.query(`UPDATE "dossiers" SET "owner_user_id" = NULL, "holder_id_number" = "applicant"->>'idNumber' WHERE "submitted_by_kind" <> 'user'`);
    await q.query(`CREATE INDEX "idx_dossiers_holder_submitted" ON "dossiers" ("holder_id_number", "submitted_at", "id") WHERE "owner_user_id" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_dossiers_holder_submitted"`);
    await q.query(`UPDATE "dossiers" d SET "owner_user_id" = u."id" FROM "users" u
                    WHERE d."owner_user_id" IS NULL AND u."id_number" = d."holder_id_number" AND u."identity_assurance" = 'VERIFIED'`);
    await q.query(`ALTER TABLE "dossiers" DROP COLUMN "holder_id_number"`);
    await q.query(`DROP INDEX "public"."idx_users_verified_id_number"`);
    await q.query(`DROP INDEX "public"."idx_users_id_number"`);
    await q.query(`CREATE UNIQUE INDEX "IDX_0a2a7bd3f0e9ea0abd5818a6d3" ON "users" ("id_number") WHERE "id_number" IS NOT NULL`);
    for (const c of ['identity_verified_by', 'identity_verified_at', 'identity_method', 'identity_assurance'])
      await q.query(`ALTER TABLE "users" DROP COLUMN "${c}"`);
  }
}
