import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SignatureLookups1795358435676 implements MigrationInterface {
  name = 'SignatureLookups1795358435676';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_result_signings_request" ON "result_signings"  ("request_id") WHERE "request_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_result_signings_signed_file" ON "result_signings"  ("signed_file_id") WHERE "signed_file_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_dossiers_result_file" ON "dossiers"  ("result_file_id") WHERE "result_file_id" IS NOT NULL`);
  }

  async down(_q: QueryRunner): Promise<void> {}
}
