import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationDeliveries1795354841422 implements MigrationInterface {
  name = 'NotificationDeliveries1795354841422';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "notification_deliveries" ("id" BIGSERIAL NOT NULL, "outbox_id" bigint NOT NULL, "dossier_id" uuid NOT NULL, "channel" character varying(8) NOT NULL, "recipient" character varying(254) NOT NULL, "subject" character varying(300) NOT NULL, "body" text NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_81daeff81f237bd384f7cfc4a4c" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_823d9f4dc3d5f119702ddf3dc7" ON "notification_deliveries"  ("dossier_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_notification_deliveries_outbox_channel" ON "notification_deliveries"  ("outbox_id", "channel") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "notification_deliveries"`);
  }
}
