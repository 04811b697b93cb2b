import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The person's data store opens only for the person or with their consent (issue 20): desk checks
 * of identity cards (the proof a filing's scans need to enter the store), citizens' share codes,
 * the access log of staff reads (append-only, like dossier_events) and the alerts for leaders.
 */
export class DataStoreConsent1796693470479 implements MigrationInterface {
  name = 'DataStoreConsent1796693470479';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "store_share_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "holder_id_number" character varying(12) NOT NULL, "created_by_user_id" uuid NOT NULL, "code_hash" character(64) NOT NULL, "bound_dossier_id" uuid, "bound_officer_id" uuid, "bound_agency_code" character varying(32), "document_ids" uuid array, "max_uses" integer NOT NULL, "uses" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_012364372df1f07924addd65814" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_store_share_codes_hash" ON "store_share_codes"  ("code_hash") `);
    await q.query(`CREATE INDEX "idx_store_share_codes_holder" ON "store_share_codes"  ("holder_id_number", "created_at") `);
    await q.query(
      `CREATE TABLE "store_access_log" ("id" BIGSERIAL NOT NULL, "holder_id_number" character varying(12) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "action" character varying(20) NOT NULL, "actor_user_id" uuid NOT NULL, "actor_name" character varying(200) NOT NULL, "actor_role" character varying(32) NOT NULL, "actor_agency_code" character varying(32), "dossier_id" uuid, "dossier_code" character varying(64), "share_code_id" uuid, "document_ids" uuid array NOT NULL DEFAULT '{}', "detail" jsonb, CONSTRAINT "PK_470d423b9a34472cd139072d428" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_store_access_log_holder" ON "store_access_log"  ("holder_id_number", "at", "id") `);
    await q.query(
      `CREATE TABLE "store_alerts" ("kind" character varying(32) NOT NULL, "officer_id" uuid NOT NULL, "day" date NOT NULL, "agency_code" character varying(32) NOT NULL, "distinct_id_numbers" integer NOT NULL, "dossier_ids" uuid array NOT NULL, "first_flagged_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_776469858a81666fef111e60f20" PRIMARY KEY ("kind", "officer_id", "day"))`,
    );
    await q.query(`CREATE INDEX "idx_store_alerts_agency_day" ON "store_alerts"  ("agency_code", "day") `);
    await q.query(
      `CREATE TABLE "identity_checks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "id_number" character varying(12) NOT NULL, "card_issued_on" date NOT NULL, "method" character varying(16) NOT NULL, "officer_id" uuid NOT NULL, "agency_code" character varying(32), "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "account_user_id" uuid, "used_by_dossier_id" uuid, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_04b6460e0e9b64eec1f50196b04" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_identity_checks_dossier" ON "identity_checks"  ("used_by_dossier_id") WHERE "used_by_dossier_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_identity_checks_id_number" ON "identity_checks"  ("id_number", "checked_at") `);
    await q.query(`
      CREATE FUNCTION store_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'store_access_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER store_access_log_no_update_delete BEFORE UPDATE OR DELETE ON store_access_log FOR EACH ROW EXECUTE FUNCTION store_access_log_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER store_access_log_no_truncate BEFORE TRUNCATE ON store_access_log FOR EACH STATEMENT EXECUTE FUNCTION store_access_log_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER store_access_log_no_truncate ON store_access_log`);
    await q.query(`DROP TRIGGER store_access_log_no_update_delete ON store_access_log`);
    await q.query(`DROP FUNCTION store_access_log_append_only()`);
    await q.query(`DROP TABLE "identity_checks"`);
    await q.query(`DROP TABLE "store_alerts"`);
    await q.query(`DROP TABLE "store_access_log"`);
    await q.query(`DROP TABLE "store_share_codes"`);
  }
}
