import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1796307782635 implements MigrationInterface {
  name = 'Webhooks1796307782635';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "delivery_targets" ("kind" character varying(40) NOT NULL, "id" character varying(100) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'ACTIVE', "disabled_reason" character varying(500), "disabled_at" TIMESTAMP WITH TIME ZONE, "next_at" TIMESTAMP WITH TIME ZONE, "lease_until" TIMESTAMP WITH TIME ZONE, "consecutive_failures" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d4037cca716805109e56b395fc" PRIMARY KEY ("kind", "id"))`,
    );
    await q.query(`CREATE INDEX "idx_delivery_targets_due" ON "delivery_targets"  ("next_at") WHERE "status" = 'ACTIVE' AND "next_at" IS NOT NULL`);
    await q.query(
      `CREATE TABLE "deliveries" ("id" BIGSERIAL NOT NULL, "target_kind" character varying(40) NOT NULL, "target_id" character varying(100) NOT NULL, "dedupe_key" character varying(200) NOT NULL, "message_id" character varying(100) NOT NULL, "event_type" character varying(100) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_http_status" integer, "last_error" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a6ef225c5c5f0974e503bfb731f" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_deliveries_log" ON "deliveries"  ("target_kind", "target_id", "id") `);
    await q.query(`CREATE INDEX "idx_deliveries_pending" ON "deliveries"  ("target_kind", "target_id", "id") WHERE "status" = 'PENDING'`);
    await q.query(`CREATE UNIQUE INDEX "idx_deliveries_key" ON "deliveries"  ("target_kind", "target_id", "dedupe_key") `);
    await q.query(
      `CREATE TABLE "delivery_attempts" ("id" BIGSERIAL NOT NULL, "delivery_id" bigint NOT NULL, "attempt" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "outcome" character varying(20) NOT NULL, "request" jsonb NOT NULL, "response" jsonb, "error" character varying(500), CONSTRAINT "PK_41eba4eb5401d72860f7cd9a7ac" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "idx_delivery_attempts_delivery" ON "delivery_attempts"  ("delivery_id", "attempt") `);
    await q.query(
      `CREATE TABLE "integration_events" ("id" BIGSERIAL NOT NULL, "source_key" character varying(200) NOT NULL, "type" character varying(100) NOT NULL, "dossier_id" uuid, "agency_codes" text array NOT NULL, "data" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a2d1c976c11f47866a9e4273192" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "idx_integration_events_source" ON "integration_events"  ("source_key") `);
    await q.query(
      `CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL, "owner_kind" character varying(10) NOT NULL, "owner_id" uuid NOT NULL, "notice_user_id" uuid, "url" character varying(2000) NOT NULL, "description" character varying(200), "topics" text array NOT NULL, "agency_codes" text array NOT NULL DEFAULT '{}', "secret_sealed" text NOT NULL, "previous_secret_sealed" text, "previous_secret_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_webhook_endpoints_owner" ON "webhook_endpoints"  ("owner_kind", "owner_id") `);
    await q.query(
      `CREATE TABLE "webhook_allowed_hosts" ("host" character varying(253) NOT NULL, "note" character varying(200), "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c212cb7d31659ef9770abdbfade" PRIMARY KEY ("host"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "webhook_allowed_hosts"`);
    await q.query(`DROP INDEX "public"."idx_webhook_endpoints_owner"`);
    await q.query(`DROP TABLE "webhook_endpoints"`);
    await q.query(`DROP INDEX "public"."idx_integration_events_source"`);
    await q.query(`DROP TABLE "integration_events"`);
    await q.query(`DROP INDEX "public"."idx_delivery_attempts_delivery"`);
    await q.query(`DROP TABLE "delivery_attempts"`);
    await q.query(`DROP INDEX "public"."idx_deliveries_key"`);
    await q.query(`DROP INDEX "public"."idx_deliveries_pending"`);
    await q.query(`DROP INDEX "public"."idx_deliveries_log"`);
    await q.query(`DROP TABLE "deliveries"`);
    await q.query(`DROP INDEX "public"."idx_delivery_targets_due"`);
    await q.query(`DROP TABLE "delivery_targets"`);
  }
}
