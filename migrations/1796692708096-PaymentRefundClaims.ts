import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A refund is claimed before the platform is called (PAID → REFUNDING with our refund id, the
 * platform's idempotency key), then settled; a REFUNDING left behind is reconciled by refund id.
 * A failed payment attempt no longer holds its transaction id: only a non-failure is unique per
 * (provider, reference, transaction id), a failure per result code too, so a later success of the
 * same transaction is applied.
 */
export class PaymentRefundClaims1796692708096 implements MigrationInterface {
  name = 'PaymentRefundClaims1796692708096';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "payment_requests" ADD "refund_id" character varying(64)`);
    await q.query(`ALTER TABLE "payment_requests" ADD "refund_requested_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "payment_requests" ADD "refund_attempts" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "payment_requests" ADD "refund_attempted_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "payment_requests" ADD "refund_error" text`);
    await q.query(`ALTER TABLE "payment_requests" ADD "provider_refund_id" character varying(64)`);
    // Refunds made before this change were stamped only in updated_at.
    await q.query(`UPDATE "payment_requests" SET "refund_requested_at" = "updated_at" WHERE "status" = 'REFUNDED'`);
    await q.query(`CREATE UNIQUE INDEX "uq_payment_requests_refund_id" ON "payment_requests" ("refund_id") WHERE "refund_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_payment_requests_refunding" ON "payment_requests" ("refund_requested_at", "id") WHERE "status" = 'REFUNDING'`);
    await q.query(`DROP INDEX "public"."uq_payment_transactions_txn"`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_payment_transactions_txn" ON "payment_transactions" ("provider", "reference", "transaction_id") WHERE "outcome" <> 'FAILED'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_payment_transactions_failure" ON "payment_transactions" ("provider", "reference", "transaction_id", "result_code") WHERE "outcome" = 'FAILED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."uq_payment_transactions_failure"`);
    await q.query(`DROP INDEX "public"."uq_payment_transactions_txn"`);
    // A failure and a later success of one transaction are two rows now: keep the success.
    await q.query(`DELETE FROM "payment_transactions" f USING "payment_transactions" o
      WHERE f."outcome" = 'FAILED' AND o."outcome" <> 'FAILED' AND (f."provider", f."reference", f."transaction_id") = (o."provider", o."reference", o."transaction_id")`);
    await q.query(`DELETE FROM "payment_transactions" f USING "payment_transactions" o
      WHERE f."outcome" = 'FAILED' AND o."outcome" = 'FAILED' AND f."id" > o."id" AND (f."provider", f."reference", f."transaction_id") = (o."provider", o."reference", o."transaction_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_payment_transactions_txn" ON "payment_transactions" ("provider", "reference", "transaction_id")`);
    await q.query(`DROP INDEX "public"."idx_payment_requests_refunding"`);
    await q.query(`DROP INDEX "public"."uq_payment_requests_refund_id"`);
    // A claim not settled goes back to PAID (its refund id stays in the history's event).
    await q.query(`UPDATE "payment_requests" SET "status" = 'PAID' WHERE "status" = 'REFUNDING'`);
    for (const c of ['provider_refund_id', 'refund_error', 'refund_attempted_at', 'refund_attempts', 'refund_requested_at', 'refund_id'])
      await q.query(`ALTER TABLE "payment_requests" DROP COLUMN "${c}"`);
  }
}
