import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Payments1796307231360 implements MigrationInterface {
  name = 'Payments1796307231360';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "payment_requests" ("id" uuid NOT NULL, "reference" character varying(64) NOT NULL, "dossier_id" uuid NOT NULL, "dossier_code" character varying(40) NOT NULL, "procedure_code" character varying(40) NOT NULL, "collecting_agency_code" character varying(40) NOT NULL, "stage" character varying(16) NOT NULL, "status" character varying(12) NOT NULL, "amount_vnd" bigint NOT NULL, "currency" character(3) NOT NULL DEFAULT 'VND', "lines" jsonb NOT NULL, "description" text NOT NULL, "method" character varying(16), "provider_transaction_id" character varying(64), "payment_url" text, "payer_name" character varying(200), "recorded_by" uuid, "flag" character varying(40), "flag_detail" text, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "paid_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "close_reason" text, "last_queried_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_9299e570c6d9babbe54752e16ec" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_payment_requests_reference" ON "payment_requests"  ("reference") `);
    await q.query(`CREATE INDEX "idx_payment_requests_dossier" ON "payment_requests"  ("dossier_id", "created_at") `);
    await q.query(`CREATE INDEX "idx_payment_requests_pending" ON "payment_requests"  ("created_at", "id") WHERE "status" = 'PENDING'`);
    await q.query(`CREATE UNIQUE INDEX "uq_payment_requests_pending_stage" ON "payment_requests"  ("dossier_id", "stage") WHERE "status" = 'PENDING'`);
    await q.query(
      `CREATE TABLE "payment_transactions" ("id" BIGSERIAL NOT NULL, "payment_request_id" uuid, "provider" character varying(16) NOT NULL, "reference" character varying(64) NOT NULL, "transaction_id" character varying(64) NOT NULL, "via" character varying(16) NOT NULL, "result_code" character varying(8), "amount_vnd" bigint, "outcome" character varying(20) NOT NULL, "message" jsonb NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d32b3c6b0d2c1d22604cbcc8c49" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_08b12bfa853092546a347c2533" ON "payment_transactions"  ("payment_request_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_payment_transactions_txn" ON "payment_transactions"  ("provider", "reference", "transaction_id") `);
    await q.query(
      `CREATE TABLE "fee_collectors" ("agency_code" character varying(40) NOT NULL, "tax_code" character varying(14), "form_code" character varying(20) NOT NULL, "series_prefix" character varying(6) NOT NULL, "beneficiary_account" character varying(40), "treasury_code" character varying(20), "vietqr_bank_bin" character varying(8), "vietqr_account_no" character varying(19), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f7d366ed2518215a252ae2bce9b" PRIMARY KEY ("agency_code"))`,
    );
    await q.query(
      `CREATE TABLE "receipts" ("id" uuid NOT NULL, "payment_request_id" uuid NOT NULL, "dossier_id" uuid NOT NULL, "dossier_code" character varying(40) NOT NULL, "agency_code" character varying(40) NOT NULL, "agency_name" text NOT NULL, "tax_code" character varying(14), "form_code" character varying(20) NOT NULL, "series" character varying(12) NOT NULL, "year" smallint NOT NULL, "number" integer NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payer_name" character varying(200), "method" character varying(16) NOT NULL, "amount_vnd" bigint NOT NULL, "amount_in_words" text NOT NULL, "lines" jsonb NOT NULL, "procedure_name" text NOT NULL, CONSTRAINT "PK_5e8182d7c29e023da6e1ff33bfe" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_receipts_payment_request" ON "receipts"  ("payment_request_id") `);
    await q.query(`CREATE INDEX "IDX_aa284118c48e4a2c2d190e15d5" ON "receipts"  ("dossier_id") `);
    await q.query(`CREATE INDEX "idx_receipts_issued" ON "receipts"  ("issued_at", "agency_code") `);
    await q.query(`CREATE UNIQUE INDEX "uq_receipts_series_number" ON "receipts"  ("agency_code", "series", "number") `);
    await q.query(
      `CREATE TABLE "receipt_counters" ("agency_code" character varying(40) NOT NULL, "series" character varying(12) NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_2b9af206911266a22b7c1915f1a" PRIMARY KEY ("agency_code", "series"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "receipt_counters"`);
    await q.query(`DROP INDEX "public"."uq_receipts_series_number"`);
    await q.query(`DROP INDEX "public"."idx_receipts_issued"`);
    await q.query(`DROP INDEX "public"."IDX_aa284118c48e4a2c2d190e15d5"`);
    await q.query(`DROP INDEX "public"."uq_receipts_payment_request"`);
    await q.query(`DROP TABLE "receipts"`);
    await q.query(`DROP TABLE "fee_collectors"`);
    await q.query(`DROP INDEX "public"."uq_payment_transactions_txn"`);
    await q.query(`DROP INDEX "public"."IDX_08b12bfa853092546a347c2533"`);
    await q.query(`DROP TABLE "payment_transactions"`);
    await q.query(`DROP INDEX "public"."uq_payment_requests_pending_stage"`);
    await q.query(`DROP INDEX "public"."idx_payment_requests_pending"`);
    await q.query(`DROP INDEX "public"."idx_payment_requests_dossier"`);
    await q.query(`DROP INDEX "public"."uq_payment_requests_reference"`);
    await q.query(`DROP TABLE "payment_requests"`);
  }
}
