import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each subscriber of an outbox topic keeps its own progress: a relay pass of the topic copies its
 * rows once per subscriber into `outbox_fanout` (topic `<topic>@<subscriber>`, unique per source
 * row), where the subscriber's own relay claims, delivers and marks them, apart from the others.
 */
export class OutboxSubscribers1796698574376 implements MigrationInterface {
  name = 'OutboxSubscribers1796698574376';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "outbox_fanout" ("id" BIGSERIAL NOT NULL, "topic" character varying(140) NOT NULL, "source_id" bigint NOT NULL, "payload" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT 0, "claimed_until" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_outbox_fanout" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "idx_outbox_fanout_source" ON "outbox_fanout" ("topic", "source_id")`);
    await q.query(`CREATE INDEX "idx_outbox_fanout_unsent" ON "outbox_fanout" ("topic", "id") WHERE "sent_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "outbox_fanout"`);
  }
}
