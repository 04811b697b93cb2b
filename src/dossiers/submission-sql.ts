// The SQL of a submission, shared by the service and by `npm run bench:submit` (raw pg baseline).
import { outboxInsertSelect } from '../outbox/outbox.js';

/** The SQL that hands out the next number of an agency's day (shared with the benchmark). */
export const NEXT_SEQUENCE_SQL = `INSERT INTO agency_day_sequences (agency_code, day, last) VALUES ($1, $2, 1)
  ON CONFLICT (agency_code, day) DO UPDATE SET last = agency_day_sequences.last + 1 RETURNING last`;

/**
 * One statement writes a whole submission: the idempotency key, the dossier, its attachments, its
 * first history event and the outbox message. It is atomic on its own, and when the caller's key
 * already exists nothing at all is written (every insert reads from the key's RETURNING). One
 * round trip and one commit per dossier; the benchmark runs the same SQL through raw `pg`.
 */
export const INSERT_SUBMISSION_SQL = `
  WITH idem AS (
    INSERT INTO idempotency_keys (scope, key, request_hash, dossier_id) VALUES ($1, $2, $3, $4)
    ON CONFLICT (scope, key) DO NOTHING RETURNING dossier_id
  ), d AS (
    INSERT INTO dossiers (id, code, procedure_code, procedure_version, service_level, receiving_agency_code,
      competent_agency_code, status, status_code, applicant, owner_user_id, holder_id_number, submitted_by_kind, submitted_by_id,
      form_data, result_delivery, submitted_at, version)
    SELECT idem.dossier_id, $5, $6, $7, $8, $9, $10, 'SUBMITTED', 1, $11, $12, $26, $13, $14, $15, $16, $17, 1 FROM idem
    RETURNING id
  ), att AS (
    INSERT INTO dossier_attachments (dossier_id, component_code, file_id)
    SELECT d.id, t.c, t.f FROM d, unnest($18::varchar[], $19::uuid[]) AS t(c, f)
  ), ev AS (
    INSERT INTO dossier_events (dossier_id, seq, type, actor_kind, actor_id, at, data, prev_hash, hash)
    SELECT d.id, 1, $20, $13, $14, $17, $21, $22, $23 FROM d
  ), ob AS (
    ${outboxInsertSelect('$24', '$25', 'd')}
  )
  SELECT count(*)::int AS created FROM d`;
