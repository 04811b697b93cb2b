import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DeadlineSweeps1795352499866 implements MigrationInterface {
  name = 'DeadlineSweeps1795352499866';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_dossier_clocks_overdue_sweep" ON "dossier_clocks"  ("due_at") WHERE "state" = 'RUNNING' AND "status" <> 'OVERDUE'`);
    await q.query(`CREATE INDEX "idx_dossier_clocks_due_soon_sweep" ON "dossier_clocks"  ("due_soon_at") WHERE "state" = 'RUNNING' AND "status" = 'ON_TRACK'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The generator's table filter leaves out DROP INDEX (it names no table): written by hand.
    await q.query(`DROP INDEX "public"."idx_dossier_clocks_due_soon_sweep"`);
    await q.query(`DROP INDEX "public"."idx_dossier_clocks_overdue_sweep"`);
  }
}
