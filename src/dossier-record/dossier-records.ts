import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Role, type AuthUser } from '../common/auth-context.js';
import type { AttachmentSource, Channel, ResultForm } from './channels.js';
import { canSeeDossier, type DossierParties } from './dossier-access.js';
import { looksLikeDossierCode } from './dossier-code.js';
import { DossierRecordErrors } from './dossier-record.errors.js';
import { DossierStatus, type ResultDelivery } from './dossier-status.js';
import type { Applicant } from './dossier.entity.js';
import { readDossierHistory } from './journal.js';

/**
 * The readers of a dossier's record that the capabilities above need (forms, payments, ratings,
 * notifications, portal sync): its row, what the caller may see, its history, the dossiers a
 * centre received. Their SQL is kept here, beside the tables, so nothing above names
 * `dossiers`, `dossier_attachments` or `dossier_events`.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DossierRow {
  id: string;
  code: string;
  procedure_code: string;
  procedure_version: number;
  service_level: string;
  receiving_agency_code: string;
  competent_agency_code: string;
  status: DossierStatus;
  status_code: number;
  applicant: Applicant;
  owner_user_id: string | null;
  holder_id_number: string | null;
  form_data: Record<string, unknown>;
  result_delivery: ResultDelivery;
  submitted_at: Date;
  version: number;
  received_at: Date | null;
  step_index: number | null;
  step_assignee_id: string | null;
  supplement_from: number | null;
  supplement_due_at: Date | null;
  supplement_items: Array<{ componentCode?: string; description: string }> | null;
  rescheduled: boolean;
  outcome: 'GRANTED' | 'DENIED' | null;
  result_file_id: string | null;
  resolved_at: Date | null;
  timeliness: 'EARLY' | 'ON_TIME' | 'LATE' | null;
  returned_at: Date | null;
  return_method: string | null;
  tracking_number: string | null;
  submitted_by_kind: 'user' | 'api-key';
  submitted_by_id: string;
  channel: Channel;
  digitised: boolean;
  reused: boolean;
  electronic_result: boolean;
  result_form: ResultForm | null;
  result_valid_until: string | null;
  applicant_vneid: boolean;
  attachments: AttachmentRow[] | null;
}

/** One attachment as SELECT_DOSSIER_COLUMNS reads it, with its provenance. */
export interface AttachmentRow {
  componentCode: string;
  fileId: string;
  source: AttachmentSource;
  scannedBy: string | null;
  scannedAt: string | null;
  documentId: string | null;
  stateDataRef: string | null;
  issuedOn: string | null;
  validUntil: string | null;
}

/** The columns of a DossierRow (with `d` = dossiers), for queries that add their own FROM. */
export const SELECT_DOSSIER_COLUMNS = `d.id, d.code, d.procedure_code, d.procedure_version, d.service_level, d.receiving_agency_code,
         d.competent_agency_code, d.status, d.status_code, d.applicant, d.owner_user_id, d.holder_id_number, d.form_data,
         d.result_delivery, d.submitted_at, d.version, d.received_at, d.step_index, d.step_assignee_id,
         d.supplement_from, d.supplement_due_at, d.supplement_items, d.rescheduled, d.outcome, d.result_file_id,
         d.resolved_at, d.timeliness, d.returned_at, d.return_method, d.tracking_number, d.submitted_by_kind, d.submitted_by_id,
         d.channel, d.digitised, d.reused, d.electronic_result, d.result_form, to_char(d.result_valid_until, 'YYYY-MM-DD') AS result_valid_until, d.applicant_vneid,
         (SELECT json_agg(json_build_object('componentCode', a.component_code, 'fileId', a.file_id, 'source', a.source, 'scannedBy', a.scanned_by_id,
                 'scannedAt', a.scanned_at, 'documentId', a.document_id, 'stateDataRef', a.state_data_ref, 'issuedOn', a.issued_on, 'validUntil', a.valid_until)
                 ORDER BY a.created_at, a.component_code)
            FROM dossier_attachments a WHERE a.dossier_id = d.id) AS attachments`;

/** The dossiers table as `alias`, for a FROM clause or a join (queries that add their own conditions). */
export const dossiersAs = (alias: string) => `dossiers ${alias}`;

/** The dossiers table as `d`. */
export const DOSSIERS_AS_D = dossiersAs('d');

/** The attachments as `a` (dossier_id, component_code, file_id, source, document_id…), for a FROM clause or a join. */
export const DOSSIER_ATTACHMENTS_AS_A = 'dossier_attachments a';

/** The history table as `ev` (dossier_id, seq, type, at, data…), for a FROM clause. */
export const DOSSIER_EVENTS_AS_EV = 'dossier_events ev';

/** `SELECT <every DossierRow column> FROM dossiers d`: add a WHERE. */
export const SELECT_DOSSIER = `SELECT ${SELECT_DOSSIER_COLUMNS} FROM ${DOSSIERS_AS_D}`;

/** The columns toParties needs (with `d` = dossiers). */
export const PARTIES_COLUMNS = 'd.owner_user_id, d.holder_id_number, d.receiving_agency_code, d.competent_agency_code';
type PartiesColumns = Pick<DossierRow, 'owner_user_id' | 'holder_id_number' | 'receiving_agency_code' | 'competent_agency_code'>;

export function toParties(r: PartiesColumns): DossierParties {
  return {
    ownerUserId: r.owner_user_id,
    holderIdNumber: r.holder_id_number,
    receivingAgencyCode: r.receiving_agency_code,
    competentAgencyCode: r.competent_agency_code,
  };
}

/** One event of a dossier's history as the API shows it. */
export interface HistoryEntry {
  seq: number;
  type: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface RecordHistory {
  events: HistoryEntry[];
  integrity: 'VALID' | 'BROKEN';
  brokenAtSeq?: number;
}

/**
 * The account a dossier's notices go to: the citizen who filed it, else the verified account for
 * its holder's CCCD (`findVerified`, the auth capability's lookup; none yet: no in-app notice).
 */
export async function ownerAccountOf(
  row: Pick<DossierRow, 'owner_user_id' | 'holder_id_number'>,
  findVerified: (idNumber: string) => Promise<{ id: string } | null>,
): Promise<string | null> {
  if (row.owner_user_id) return row.owner_user_id;
  if (!row.holder_id_number) return null;
  return (await findVerified(row.holder_id_number))?.id ?? null;
}

@Injectable()
export class DossierRecords {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** The dossier's row if the caller may see it; 404 otherwise (existence does not leak). */
  async findVisibleRow(user: AuthUser, idOrCode: string): Promise<DossierRow> {
    const row = await this.findRow(idOrCode);
    if (!row || !canSeeDossier(user, toParties(row))) throw DossierRecordErrors.DOSSIER_NOT_FOUND();
    return row;
  }

  /** The row of a dossier code, for the public lookup (which shows no personal data). */
  async findByCode(code: string): Promise<DossierRow | undefined> {
    return looksLikeDossierCode(code) ? (await this.db.query(`${SELECT_DOSSIER} WHERE d.code = $1`, [code]))[0] : undefined;
  }

  /** The row by id, inside the caller's transaction when given one. */
  async findRowById(id: string, em: EntityManager = this.db.manager): Promise<DossierRow> {
    const [row] = await em.query(`${SELECT_DOSSIER} WHERE d.id = $1`, [id]);
    if (!row) throw DossierRecordErrors.DOSSIER_NOT_FOUND();
    return row;
  }

  /** The row by id or code (undefined for anything else, or nothing). */
  async findRow(idOrCode: string): Promise<DossierRow | undefined> {
    if (UUID.test(idOrCode)) return (await this.db.query(`${SELECT_DOSSIER} WHERE d.id = $1`, [idOrCode]))[0];
    if (looksLikeDossierCode(idOrCode)) return (await this.db.query(`${SELECT_DOSSIER} WHERE d.code = $1`, [idOrCode]))[0];
    return undefined;
  }

  /** The dossiers filed at a centre between two Vietnam dates (inclusive), oldest first: the register's lines (mẫu 07). */
  async receivedBetween(agencyCode: string, from: string, to: string, limit: number): Promise<DossierRow[]> {
    return this.db.query(
      `${SELECT_DOSSIER} WHERE d.receiving_agency_code = $1
         AND d.submitted_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AND d.submitted_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
       ORDER BY d.submitted_at, d.code LIMIT $4`,
      [agencyCode, from, to, limit],
    );
  }

  /** The history of a dossier the caller may see, with the verdict on its hash chain. */
  async history(user: AuthUser, idOrCode: string): Promise<RecordHistory> {
    const row = await this.findVisibleRow(user, idOrCode);
    const { events, brokenAtSeq: broken } = await readDossierHistory(this.db, row.id);
    return {
      events: events.map((e) => ({
        seq: e.seq,
        type: e.type,
        at: e.at.toISOString(),
        actorKind: e.actorKind,
        actorId: e.actorId,
        data: e.data,
        prevHash: e.prevHash,
        hash: e.hash,
      })),
      integrity: broken === null ? 'VALID' : 'BROKEN',
      ...(broken === null ? {} : { brokenAtSeq: broken }),
    };
  }

  /**
   * Of these file ids, those attached to (or the result of) a dossier the caller may see: staff
   * from the approval on, the applicant once it is returned (before that it is a draft).
   */
  async fileIdsVisibleTo(user: AuthUser, fileIds: string[]): Promise<string[]> {
    if (fileIds.length === 0) return [];
    const rows: Array<{ file_id: string; is_result: boolean; status: DossierStatus } & PartiesColumns> = await this.db.query(
      `SELECT a.file_id, false AS is_result, d.status, ${PARTIES_COLUMNS}
         FROM dossier_attachments a JOIN dossiers d ON d.id = a.dossier_id WHERE a.file_id = ANY($1::uuid[])
       UNION ALL
       SELECT d.result_file_id, true, d.status, ${PARTIES_COLUMNS}
         FROM dossiers d WHERE d.result_file_id = ANY($1::uuid[])`,
      [fileIds],
    );
    const mayRead = (r: (typeof rows)[number]) =>
      canSeeDossier(user, toParties(r)) && (!r.is_result || user.role !== Role.CITIZEN || r.status === DossierStatus.RETURNED);
    return [...new Set(rows.filter(mayRead).map((r) => r.file_id))];
  }
}

/**
 * Sets columns of a dossier's row (the workflow's status and the action's changes) and bumps its
 * version, in the caller's transaction (which holds the dossier's lock: see journal.ts).
 */
export async function updateDossierColumns(em: EntityManager, dossierId: string, sets: Record<string, unknown>): Promise<void> {
  const names = Object.keys(sets);
  if (names.some((n) => !/^[a-z_]+$/.test(n))) throw new Error(`not a dossier column: ${names.join(', ')}`);
  await em.query(`UPDATE dossiers SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`, [
    dossierId,
    ...names.map((n) => sets[n]),
  ]);
}

/** Adds components to a dossier (a supplement): each an upload or, when `scanned`, the officer's desk scan (`scannedById`, `at`). */
export async function addDossierAttachments(
  em: EntityManager,
  dossierId: string,
  attachments: Array<{ componentCode: string; fileId: string; scanned?: boolean }>,
  scannedById: string | null,
  at: Date,
): Promise<void> {
  await em.query(
    `INSERT INTO dossier_attachments (dossier_id, component_code, file_id, source, scanned_by_id, scanned_at)
     SELECT $1, c, f, CASE WHEN s THEN 'SCANNED' ELSE 'UPLOADED' END, CASE WHEN s THEN $5::uuid END, CASE WHEN s THEN $6::timestamptz END
       FROM unnest($2::varchar[], $3::uuid[], $4::boolean[]) AS t(c, f, s)`,
    [dossierId, attachments.map((a) => a.componentCode), attachments.map((a) => a.fileId), attachments.map((a) => a.scanned === true), scannedById, at],
  );
}

/** The ids of all dossiers after `afterId`, in id order, `limit` at a time (a rebuild's batches). */
export async function dossierIdsAfter(db: DataSource | EntityManager, afterId: string, limit: number): Promise<string[]> {
  const rows: Array<{ id: string }> = await db.query('SELECT id FROM dossiers WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit]);
  return rows.map((r) => r.id);
}

/** SQL: whether the dossier `x` (an expression holding its id) exists. */
export const dossierExistsSql = (x: string) => `EXISTS (SELECT 1 FROM dossiers d WHERE d.id = ${x})`;

/** The code and status of each of these dossiers (missing ones are left out). */
export async function dossierCodesAndStatuses(db: DataSource | EntityManager, ids: string[]): Promise<Array<{ id: string; code: string; status: string }>> {
  if (ids.length === 0) return [];
  return db.query('SELECT id, code, status FROM dossiers WHERE id = ANY($1::uuid[])', [ids]);
}

/** Moves the dossiers a citizen account filed to another account (the merge of a password account into a verified one). */
export async function transferDossierOwnership(em: EntityManager, fromUserId: string, toUserId: string): Promise<void> {
  await em.query('UPDATE dossiers SET owner_user_id = $2 WHERE owner_user_id = $1', [fromUserId, toUserId]);
}
