import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The demo seed marks the accounts it creates, so that a production start can refuse a database
 * that still lets them log in. Accounts seeded before this are not marked: the start also checks
 * the demo's published usernames against their published passwords (src/seed/production-accounts.ts).
 */
export class DemoAccounts1796692791185 implements MigrationInterface {
  name = 'DemoAccounts1796692791185';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "demo_account" boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX "idx_users_demo_account" ON "users" ("demo_account") WHERE "demo_account"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_users_demo_account"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "demo_account"`);
  }
}
