import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox messages may carry a key, written once per topic and key (Outbox.enqueue's `key`). */
export class OutboxKeys1795360000001 implements MigrationInterface {
  name = 'OutboxKeys1795360000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" ADD "dedupe_key" character varying(200)`);
    await q.query(`CREATE UNIQUE INDEX "idx_outbox_topic_key" ON "outbox" ("topic", "dedupe_key") WHERE "dedupe_key" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_outbox_topic_key"`);
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "dedupe_key"`);
  }
}
