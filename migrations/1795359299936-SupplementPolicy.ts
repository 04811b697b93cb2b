import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SupplementPolicy1795359299936 implements MigrationInterface {
  name = 'SupplementPolicy1795359299936';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "procedure" ADD "supplement" jsonb NOT NULL DEFAULT '{"days": 30, "clock": "RESTART"}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "procedure" DROP COLUMN "supplement"`);
  }
}
