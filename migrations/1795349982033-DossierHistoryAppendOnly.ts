import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dossier history is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE on
 * dossier_events, whoever connects (the hash chain makes any edit that bypasses this visible too).
 */
export class DossierHistoryAppendOnly1795349982033 implements MigrationInterface {
  name = 'DossierHistoryAppendOnly1795349982033';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION dossier_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'dossier_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER dossier_events_no_update_delete BEFORE UPDATE OR DELETE ON dossier_events FOR EACH ROW EXECUTE FUNCTION dossier_events_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER dossier_events_no_truncate BEFORE TRUNCATE ON dossier_events FOR EACH STATEMENT EXECUTE FUNCTION dossier_events_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER dossier_events_no_truncate ON dossier_events`);
    await q.query(`DROP TRIGGER dossier_events_no_update_delete ON dossier_events`);
    await q.query(`DROP FUNCTION dossier_events_append_only()`);
  }
}
