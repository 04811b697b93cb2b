import { enqueue, outboxTopic } from '../../outbox/outbox.js';
import type { EntityManager } from 'typeorm';
import { SIGNABLE_TYPES, unsignedTypeReport } from './verify-document.js';

/** Outbox topic of "verify this file's signatures"; relayed to the signatures queue. */
export const SIGNATURE_VERIFY_TOPIC = outboxTopic<{ fileId: string }>('signatures.verify');

/**
 * Asks for a file's signatures to be verified, in the caller's transaction: the report goes (back)
 * to PENDING and an outbox row carries the request to the worker, so an upload and its
 * verification are never half-recorded. A file that cannot carry a signature (an image) gets its
 * final report at once.
 */
export async function requestSignatureVerification(em: EntityManager, file: { id: string; contentType: string }, now: Date): Promise<void> {
  if (!SIGNABLE_TYPES.has(file.contentType)) {
    const report = unsignedTypeReport(now);
    await em.query(
      `INSERT INTO file_signature_reports (file_id, state, indication, report, attempts, retrying, verified_at, updated_at)
       VALUES ($1, 'VERIFIED', 'NO_SIGNATURE_FOUND', $2, 0, false, $3, $3)
       ON CONFLICT (file_id) DO UPDATE SET state = 'VERIFIED', indication = 'NO_SIGNATURE_FOUND', sub_indication = NULL, report = $2, retrying = false, verified_at = $3, updated_at = $3`,
      [file.id, report, now],
    );
    return;
  }
  await em.query(
    `INSERT INTO file_signature_reports (file_id, state, attempts, retrying, updated_at) VALUES ($1, 'PENDING', 0, false, $2)
     ON CONFLICT (file_id) DO UPDATE SET state = 'PENDING', retrying = false, attempts = 0, updated_at = $2`,
    [file.id, now],
  );
  await enqueue(em, SIGNATURE_VERIFY_TOPIC, { fileId: file.id });
}
