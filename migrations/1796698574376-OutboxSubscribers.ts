import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each subscriber of a topic keeps its own progress: a relay pass of the topic copies its rows
 * once per subscriber (topic `<topic>@<subscriber>`, keyed `copy:<id>`), and `source_id` keeps
 * the original row's id, which the subscriber sees as the row's id.
 */
export class OutboxSubscribers1796698574376 implements MigrationInterface {
  name = 'OutboxSubscribers1796698574376';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" ADD "source_id" bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "source_id"`);
  }
}
