import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Deadlines1795350967664 implements MigrationInterface {
  name = 'Deadlines1795350967664';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "dossier_clocks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dossier_id" uuid NOT NULL, "kind" character varying(10) NOT NULL, "step_code" character varying(64), "assignee_user_id" uuid, "agency_code" character varying(32) NOT NULL, "limit_value" integer NOT NULL, "limit_unit" character varying(16) NOT NULL, "state" character varying(10) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "clock_starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_soon_at" TIMESTAMP WITH TIME ZONE NOT NULL, "running_since" TIMESTAMP WITH TIME ZONE NOT NULL, "paused_at" TIMESTAMP WITH TIME ZONE, "consumed_ms" bigint NOT NULL DEFAULT '0', "extended" boolean NOT NULL DEFAULT false, "extension_reason" text, "version" integer NOT NULL DEFAULT '1', "status" character varying(10) NOT NULL DEFAULT 'ON_TRACK', "due_soon_flagged_at" TIMESTAMP WITH TIME ZONE, "overdue_flagged_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9fbec106591f9d5de289ccc442f" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_dossier_clocks_running" ON "dossier_clocks"  ("agency_code", "id") WHERE "state" = 'RUNNING'`);
    await q.query(`CREATE UNIQUE INDEX "uq_dossier_clocks_dossier_kind" ON "dossier_clocks"  ("dossier_id", "kind") `);
    await q.query(
      `CREATE TABLE "notifications" ("id" BIGSERIAL NOT NULL, "recipient_kind" character varying(10) NOT NULL, "recipient_id" character varying(64) NOT NULL, "kind" character varying(64) NOT NULL, "dossier_id" uuid, "payload" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_eb24804cda2a3ffe1013110bd4" ON "notifications"  ("dossier_id") `);
    await q.query(`CREATE INDEX "idx_notifications_recipient" ON "notifications"  ("recipient_kind", "recipient_id", "created_at") `);
    await q.query(`ALTER TABLE "outbox" ADD "claimed_until" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "idx_outbox_unsent_topic" ON "outbox"  ("topic", "id") WHERE "sent_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The generator's table filter leaves out DROP INDEX (it names no table): dropped by hand.
    await q.query(`DROP INDEX "public"."idx_outbox_unsent_topic"`);
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "claimed_until"`);
    await q.query(`DROP TABLE "notifications"`);
    await q.query(`DROP TABLE "dossier_clocks"`);
  }
}
