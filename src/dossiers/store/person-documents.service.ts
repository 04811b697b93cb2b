import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { UsersService } from '../../auth/users.service.js';
import type { DossierComponent, ProcedureView } from '../../catalog/catalog.types.js';
import { Role, STAFF_ROLES, type AuthUser } from '../../common/auth-context.js';
import { Clock, vietnamDate } from '../../common/clock.js';
import type { ErrorDetail } from '../../common/errors.js';
import { canSeeDossier, type DossierParties } from '../../dossier-record/dossier-access.js';
import { FINAL_STATUSES } from '../../dossier-record/dossier-status.js';
import { DossierErrors } from '../dossiers.errors.js';
import { AuthErrors } from '../../auth/auth.errors.js';
import { documentTypeKey, type ResultForm } from '../intake.js';
import type { DossierRow } from '../../dossier-record/dossier-records.js';

/** A document of the data store as the API shows it. */
export interface PersonDocumentView {
  id: string;
  kind: 'COMPONENT' | 'RESULT';
  type: { code: string; name: string; procedureCode: string };
  sourceDossier: { id: string; code: string };
  fileId: string;
  form: ResultForm;
  issuedOn: string;
  validUntil: string | null;
  /** Still valid today (Vietnam date): it can be reused. */
  usable: boolean;
  createdAt: string;
}

interface DocumentRow {
  id: string;
  holder_id_number: string;
  kind: 'COMPONENT' | 'RESULT';
  type_code: string;
  type_name: string;
  type_key: string;
  procedure_code: string;
  source_dossier_id: string;
  source_dossier_code: string;
  file_id: string;
  form: ResultForm;
  issued_on: string;
  valid_until: string | null;
  created_at: Date;
}

const COLUMNS = `id, holder_id_number, kind, type_code, type_name, type_key, procedure_code, source_dossier_id, source_dossier_code, file_id, form,
  to_char(issued_on, 'YYYY-MM-DD') AS issued_on, to_char(valid_until, 'YYYY-MM-DD') AS valid_until, created_at`;

/** The data store's reading of a result: a result is a document type of its own per procedure. */
export const RESULT_TYPE_CODE = 'KQ';

/** A document a new filing reuses, once checked: the attachment it becomes. */
export interface ReusedDocument {
  index: number;
  documentId: string;
  fileId: string;
  issuedOn: string;
  validUntil: string | null;
}

/**
 * The person's electronic data store (kho quản lý dữ liệu điện tử của tổ chức, cá nhân): the one
 * owner of `person_documents`. What goes in: the components scanned at the desk (or taken from a
 * state database) of a dossier once the one-stop accepts it, and the result of a dossier once it is
 * returned: what the state digitised or issued, never an applicant's own upload. Whose store: the
 * applicant's CCCD when that identity was proven for the filing (at the counter or by post the
 * officer saw the card; an integrator vouches for its citizen; a citizen's own filing only from a
 * verified account of that same CCCD). Who reads it: the verified account of that CCCD, and staff
 * while they handle an open dossier of that person.
 */
@Injectable()
export class PersonDocumentsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  /** GET /me/documents: the caller's own store (verified accounts only). */
  async mine(user: AuthUser): Promise<PersonDocumentView[]> {
    return this.ofHolder(this.verifiedIdNumber(user));
  }

  /**
   * Once-only (Decree 118/2025 as amended by 309/2026): for each component of the procedure, the
   * caller's documents that can stand for it, matched by document type (same procedure and
   * component code, or the same component text in another procedure), usable ones first.
   */
  async reusableFor(user: AuthUser, procedure: ProcedureView): Promise<Array<DossierComponent & { documents: PersonDocumentView[] }>> {
    const documents = await this.ofHolder(this.verifiedIdNumber(user));
    return procedure.components.map((c) => ({
      ...c,
      documents: documents.filter((d) => matches(d, c, procedure.code)).sort((a, b) => Number(b.usable) - Number(a.usable)),
    }));
  }

  /** The store of a dossier's applicant, for staff handling that dossier while it is open. */
  async forHandledDossier(user: AuthUser, row: DossierRow, parties: DossierParties): Promise<PersonDocumentView[]> {
    const staff = user.kind === 'user' && (STAFF_ROLES as readonly Role[]).includes(user.role);
    if (!staff || !canSeeDossier(user, parties)) throw DossierErrors.DOSSIER_NOT_FOUND();
    if (FINAL_STATUSES.includes(row.status)) {
      throw DossierErrors.STORE_NOT_OPEN([{ field: 'idOrCode', message: `the dossier is ${row.status}` }]);
    }
    const holder = await this.holderOf(row);
    return holder ? this.ofHolder(holder) : [];
  }

  /**
   * Checks the attachments a filing gives by documentId: each must be a document of the applicant
   * that this caller may use (the verified citizen themself, or the reception officer filing for
   * the applicant whose card they saw), still valid today. Every failure is collected, none written.
   */
  async resolveForReuse(user: AuthUser, applicantIdNumber: string, wanted: Array<{ index: number; documentId: string }>): Promise<ReusedDocument[]> {
    if (wanted.length === 0) return [];
    const mayUse =
      (user.kind === 'user' && user.role === Role.CITIZEN && user.identityVerified === true && user.idNumber === applicantIdNumber) ||
      (user.kind === 'user' && user.role === Role.RECEPTION_OFFICER);
    const rows: DocumentRow[] = mayUse
      ? await this.db.query(`SELECT ${COLUMNS} FROM person_documents WHERE id = ANY($1::uuid[]) AND holder_id_number = $2`, [wanted.map((w) => w.documentId), applicantIdNumber])
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const today = vietnamDate(this.clock.now());
    const missing: ErrorDetail[] = [];
    const expired: ErrorDetail[] = [];
    const out: ReusedDocument[] = [];
    for (const w of wanted) {
      const field = `attachments[${w.index}].documentId`;
      const r = byId.get(w.documentId);
      if (!r) missing.push({ field, message: 'not a document of the applicant’s data store that you may use' });
      else if (r.valid_until && r.valid_until < today) expired.push({ field, message: `valid until ${r.valid_until}`, validUntil: r.valid_until });
      else out.push({ index: w.index, documentId: r.id, fileId: r.file_id, issuedOn: r.issued_on, validUntil: r.valid_until });
    }
    if (missing.length) throw DossierErrors.UNKNOWN_DOCUMENT(missing);
    if (expired.length) throw DossierErrors.DOCUMENT_EXPIRED(String(expired[0].validUntil), expired);
    return out;
  }

  /** On acceptance: the components scanned at the desk or taken from state data go to the applicant's store. */
  async keepComponents(em: EntityManager, row: DossierRow, procedure: ProcedureView, at: Date): Promise<number> {
    const kept = (row.attachments ?? []).filter((a) => a.source === 'SCANNED' || a.source === 'STATE_DATA');
    if (kept.length === 0) return 0;
    const holder = await this.holderOf(row);
    if (!holder) return 0;
    const names = new Map(procedure.components.map((c) => [c.code, c.name]));
    const rows = kept.map((a) => {
      const name = names.get(a.componentCode) ?? a.componentCode;
      return { typeCode: a.componentCode, typeName: name, typeKey: documentTypeKey(name), fileId: a.fileId, form: a.source === 'SCANNED' ? 'SCANNED' : 'ELECTRONIC',
        issuedOn: a.issuedOn ?? vietnamDate(at), validUntil: a.validUntil ?? null };
    });
    return this.insert(em, holder, row, procedure.code, 'COMPONENT', rows);
  }

  /** On return: the result file (the signed one, or the scan of a paper-only result) goes to the applicant's store. */
  async keepResult(em: EntityManager, row: DossierRow, procedure: ProcedureView, r: { fileId: string; form: ResultForm; issuedAt: Date; validUntil: string | null }): Promise<number> {
    const holder = await this.holderOf(row);
    if (!holder) return 0;
    const name = `Kết quả: ${procedure.name}`;
    return this.insert(em, holder, row, procedure.code, 'RESULT', [{ typeCode: RESULT_TYPE_CODE, typeName: name, typeKey: documentTypeKey(name), fileId: r.fileId, form: r.form, issuedOn: vietnamDate(r.issuedAt), validUntil: r.validUntil }]);
  }

  /** The CCCD whose store a dossier feeds (see the class comment), or null when its identity was not proven. */
  async holderOf(row: Pick<DossierRow, 'holder_id_number' | 'owner_user_id' | 'applicant'>): Promise<string | null> {
    if (row.holder_id_number) return row.holder_id_number;
    if (!row.owner_user_id) return null;
    const owner = await this.users.findById(row.owner_user_id);
    const verified = owner?.identityAssurance === 'VERIFIED' && owner.idNumber === row.applicant.idNumber;
    return verified ? row.applicant.idNumber : null;
  }

  private verifiedIdNumber(user: AuthUser): string {
    if (user.kind !== 'user' || user.role !== Role.CITIZEN) throw AuthErrors.IDENTITY_NOT_VERIFIED();
    if (!user.identityVerified || !user.idNumber) throw AuthErrors.IDENTITY_NOT_VERIFIED();
    return user.idNumber;
  }

  private async ofHolder(idNumber: string): Promise<PersonDocumentView[]> {
    const rows: DocumentRow[] = await this.db.query(`SELECT ${COLUMNS} FROM person_documents WHERE holder_id_number = $1 ORDER BY created_at DESC, id DESC LIMIT 500`, [idNumber]);
    const today = vietnamDate(this.clock.now());
    return rows.map((r) => toView(r, today));
  }

  private async insert(em: EntityManager, holder: string, row: DossierRow, procedureCode: string, kind: 'COMPONENT' | 'RESULT',
    docs: Array<{ typeCode: string; typeName: string; typeKey: string; fileId: string; form: string; issuedOn: string; validUntil: string | null }>): Promise<number> {
    const inserted: unknown[] = await em.query(
      `INSERT INTO person_documents (holder_id_number, kind, type_code, type_name, type_key, procedure_code, source_dossier_id, source_dossier_code, file_id, form, issued_on, valid_until)
       SELECT $1, $2, t."typeCode", t."typeName", t."typeKey", $3, $4, $5, t."fileId", t.form, t."issuedOn", t."validUntil"
         FROM jsonb_to_recordset($6::jsonb) AS t("typeCode" varchar, "typeName" text, "typeKey" text, "fileId" uuid, form varchar, "issuedOn" date, "validUntil" date)
       ON CONFLICT (source_dossier_id, kind, type_code, file_id) DO NOTHING RETURNING id`,
      [holder, kind, procedureCode, row.id, row.code, JSON.stringify(docs)],
    );
    return inserted.length;
  }
}

function matches(d: PersonDocumentView, c: DossierComponent, procedureCode: string): boolean {
  if (d.kind !== 'COMPONENT') return false;
  return (d.type.procedureCode === procedureCode && d.type.code === c.code) || documentTypeKey(d.type.name) === documentTypeKey(c.name);
}

function toView(r: DocumentRow, today: string): PersonDocumentView {
  return {
    id: r.id,
    kind: r.kind,
    type: { code: r.type_code, name: r.type_name, procedureCode: r.procedure_code },
    sourceDossier: { id: r.source_dossier_id, code: r.source_dossier_code },
    fileId: r.file_id,
    form: r.form,
    issuedOn: r.issued_on,
    validUntil: r.valid_until,
    usable: !r.valid_until || r.valid_until >= today,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
