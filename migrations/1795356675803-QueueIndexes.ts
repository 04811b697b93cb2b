import type { MigrationInterface, QueryRunner } from 'typeorm';

export class QueueIndexes1795356675803 implements MigrationInterface {
  name = 'QueueIndexes1795356675803';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_dossiers_open_assignee" ON "dossiers"  ("step_assignee_id") WHERE "status" IN ('RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT')`);
    await q.query(`CREATE INDEX "idx_dossiers_active_receiving" ON "dossiers"  ("receiving_agency_code") WHERE "status" IN ('RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT', 'RESOLVED')`);
    await q.query(`CREATE INDEX "idx_dossiers_open_competent" ON "dossiers"  ("competent_agency_code") WHERE "status" IN ('RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT')`);
    await q.query(`CREATE INDEX "idx_dossiers_to_receive" ON "dossiers"  ("receiving_agency_code", "submitted_at", "id") WHERE "status" = 'SUBMITTED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_dossiers_to_receive"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_open_competent"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_active_receiving"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_open_assignee"`);
  }
}
