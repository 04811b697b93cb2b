import type { MigrationInterface, QueryRunner } from 'typeorm';

export class QueueIndexes1795357288823 implements MigrationInterface {
  name = 'QueueIndexes1795357288823';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_dossiers_resolved_receiving" ON "dossiers"  ("receiving_agency_code", "id") WHERE "status" = 'RESOLVED'`);
    await q.query(
      `CREATE INDEX "idx_dossiers_open_assignee" ON "dossiers"  ("step_assignee_id", "id") WHERE "status" IN ('RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT')`,
    );
    await q.query(
      `CREATE INDEX "idx_dossiers_open_receiving" ON "dossiers"  ("receiving_agency_code", "competent_agency_code", "id") WHERE "status" IN ('RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT')`,
    );
    await q.query(
      `CREATE INDEX "idx_dossiers_open_competent" ON "dossiers"  ("competent_agency_code", "id") WHERE "status" IN ('RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT')`,
    );
    await q.query(`CREATE INDEX "idx_dossiers_to_receive" ON "dossiers"  ("receiving_agency_code", "submitted_at", "id") WHERE "status" = 'SUBMITTED'`);
    await q.query(
      `CREATE INDEX "idx_dossier_clocks_overall_flagged" ON "dossier_clocks"  ("dossier_id", "status", "due_at") WHERE "kind" = 'OVERALL' AND "status" IN ('DUE_SOON', 'OVERDUE')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."idx_dossier_clocks_overall_flagged"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_to_receive"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_open_competent"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_open_receiving"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_open_assignee"`);
    await q.query(`DROP INDEX "public"."idx_dossiers_resolved_receiving"`);
  }
}
