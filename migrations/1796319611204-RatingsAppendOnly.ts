import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rating is never changed: a correction is the next revision. The database itself refuses
 * UPDATE, DELETE and TRUNCATE on dossier_ratings, as on dossier_events.
 */
export class RatingsAppendOnly1796319611204 implements MigrationInterface {
  name = 'RatingsAppendOnly1796319611204';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION dossier_ratings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'dossier_ratings is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER dossier_ratings_no_update_delete BEFORE UPDATE OR DELETE ON dossier_ratings FOR EACH ROW EXECUTE FUNCTION dossier_ratings_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER dossier_ratings_no_truncate BEFORE TRUNCATE ON dossier_ratings FOR EACH STATEMENT EXECUTE FUNCTION dossier_ratings_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER dossier_ratings_no_truncate ON dossier_ratings`);
    await q.query(`DROP TRIGGER dossier_ratings_no_update_delete ON dossier_ratings`);
    await q.query(`DROP FUNCTION dossier_ratings_append_only()`);
  }
}
