import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files uploaded before signatures were verified get their verification now: PDF and XML files a
 * PENDING report and a request in the outbox (the worker verifies them after the upgrade), others
 * their final "no signature" report, as an upload does today (src/documents/signatures/
 * verification-request.ts). Data only; the schema is unchanged.
 */
export class BackfillSignatureReports1795359299937 implements MigrationInterface {
  name = 'BackfillSignatureReports1795359299937';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO file_signature_reports (file_id, state, attempts, retrying, updated_at)
      SELECT f.id, 'PENDING', 0, false, now() FROM stored_files f
       WHERE f.content_type IN ('application/pdf', 'application/xml')
         AND NOT EXISTS (SELECT 1 FROM file_signature_reports r WHERE r.file_id = f.id)`);
    await q.query(`
      INSERT INTO outbox (topic, payload)
      SELECT 'signatures.verify', jsonb_build_object('fileId', r.file_id) FROM file_signature_reports r
       WHERE r.state = 'PENDING' AND r.attempts = 0
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.topic = 'signatures.verify' AND o.sent_at IS NULL AND o.payload->>'fileId' = r.file_id::text)`);
    await q.query(`
      INSERT INTO file_signature_reports (file_id, state, indication, report, attempts, retrying, verified_at, updated_at)
      SELECT f.id, 'VERIFIED', 'NO_SIGNATURE_FOUND',
             jsonb_build_object('indication', 'NO_SIGNATURE_FOUND', 'subIndication', null, 'format', 'OTHER', 'signatures', '[]'::jsonb,
                                'messages', jsonb_build_array('Loại tệp này không mang chữ ký số / This file type carries no embedded signature'),
                                'validationTime', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
             0, false, now(), now()
        FROM stored_files f
       WHERE f.content_type NOT IN ('application/pdf', 'application/xml')
         AND NOT EXISTS (SELECT 1 FROM file_signature_reports r WHERE r.file_id = f.id)`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the reports are what the service would have recorded at upload.
  }
}
