// The SQL of a submission, shared by the service and by `npm run bench:submit` (raw pg baseline).
import { outboxInsertSelect } from '../outbox/outbox.js';
import type { AttachmentSource, Channel } from './channels.js';
import type { DataSource, EntityManager } from 'typeorm';

/** The SQL that hands out the next number of an agency's day (shared with the benchmark). */
export const NEXT_SEQUENCE_SQL = `INSERT INTO agency_day_sequences (agency_code, day, last) VALUES ($1, $2, 1)
  ON CONFLICT (agency_code, day) DO UPDATE SET last = agency_day_sequences.last + 1 RETURNING last`;

/** One component of a submission as stored, with its provenance. */
export interface SubmittedAttachment {
  componentCode: string;
  fileId: string;
  source: AttachmentSource;
  scannedById?: string | null;
  scannedAt?: string | null;
  documentId?: string | null;
  stateDataRef?: string | null;
  issuedOn?: string | null;
  validUntil?: string | null;
}

/** Everything one submission writes (the values of INSERT_SUBMISSION_SQL, by name). */
export interface SubmissionRecord {
  scope: string;
  idempotencyKey: string;
  requestHash: string;
  dossierId: string;
  code: string;
  procedureCode: string;
  procedureVersion: number;
  serviceLevel: string;
  receivingAgencyCode: string;
  competentAgencyCode: string;
  applicant: unknown;
  ownerUserId: string | null;
  holderIdNumber: string | null;
  submittedByKind: string;
  submittedById: string;
  formData: unknown;
  resultDelivery: string;
  submittedAt: Date;
  channel: Channel;
  digitised: boolean;
  reused: boolean;
  applicantVneid: boolean;
  attachments: SubmittedAttachment[];
  event: { type: string; data: unknown; prevHash: string; hash: string };
  outbox: { topic: string; payload: unknown };
}

/**
 * One statement writes a whole submission: the idempotency key, the dossier, its attachments, its
 * first history event and the outbox message. It is atomic on its own, and when the caller's key
 * already exists nothing at all is written (every insert reads from the key's RETURNING). One
 * round trip and one commit per dossier; the benchmark runs the same SQL through raw `pg`.
 * Its parameters come from submissionParams.
 */
export const INSERT_SUBMISSION_SQL = `
  WITH idem AS (
    INSERT INTO idempotency_keys (scope, key, request_hash, dossier_id) VALUES ($1, $2, $3, $4)
    ON CONFLICT (scope, key) DO NOTHING RETURNING dossier_id
  ), d AS (
    INSERT INTO dossiers (id, code, procedure_code, procedure_version, service_level, receiving_agency_code,
      competent_agency_code, status, status_code, applicant, owner_user_id, holder_id_number, submitted_by_kind, submitted_by_id,
      form_data, result_delivery, submitted_at, version, channel, digitised, reused, applicant_vneid)
    SELECT idem.dossier_id, $5, $6, $7, $8, $9, $10, 'SUBMITTED', 1, $11, $12, $26, $13, $14, $15, $16, $17, 1, $19, $27, $28, $29 FROM idem
    RETURNING id
  ), att AS (
    INSERT INTO dossier_attachments (dossier_id, component_code, file_id, source, scanned_by_id, scanned_at, document_id, state_data_ref, issued_on, valid_until)
    SELECT d.id, t."componentCode", t."fileId", t.source, t."scannedById", t."scannedAt", t."documentId", t."stateDataRef", t."issuedOn", t."validUntil"
      FROM d, jsonb_to_recordset($18::jsonb) AS t("componentCode" varchar, "fileId" uuid, source varchar, "scannedById" uuid,
        "scannedAt" timestamptz, "documentId" uuid, "stateDataRef" varchar, "issuedOn" date, "validUntil" date)
  ), ev AS (
    INSERT INTO dossier_events (dossier_id, seq, type, actor_kind, actor_id, at, data, prev_hash, hash)
    SELECT d.id, 1, $20, $13, $14, $17, $21, $22, $23 FROM d
  ), ob AS (
    ${outboxInsertSelect('$24', '$25', 'd')}
  )
  SELECT count(*)::int AS created FROM d`;

/** The stored outcome of an earlier submission with this key (its body's hash and the dossier it made), if any. */
export async function readIdempotentSubmission(
  db: DataSource | EntityManager,
  scope: string,
  key: string,
): Promise<{ requestHash: string; dossierId: string } | null> {
  const [r] = await db.query(`SELECT request_hash, dossier_id FROM idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]);
  return r ? { requestHash: r.request_hash, dossierId: r.dossier_id } : null;
}

/** The positional parameters of INSERT_SUBMISSION_SQL. */
export function submissionParams(s: SubmissionRecord): unknown[] {
  return [
    s.scope,
    s.idempotencyKey,
    s.requestHash,
    s.dossierId,
    s.code,
    s.procedureCode,
    s.procedureVersion,
    s.serviceLevel,
    s.receivingAgencyCode,
    s.competentAgencyCode,
    s.applicant,
    s.ownerUserId,
    s.submittedByKind,
    s.submittedById,
    s.formData,
    s.resultDelivery,
    s.submittedAt,
    JSON.stringify(s.attachments),
    s.channel,
    s.event.type,
    s.event.data,
    s.event.prevHash,
    s.event.hash,
    s.outbox.topic,
    s.outbox.payload,
    s.holderIdNumber,
    s.digitised,
    s.reused,
    s.applicantVneid,
  ];
}
