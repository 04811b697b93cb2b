import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityChecksService } from '../../auth/identity-checks.service.js';
import { UsersService } from '../../auth/users.service.js';
import type { DossierComponent, ProcedureView } from '../../catalog/catalog.types.js';
import { Role, STAFF_ROLES, type AuthUser } from '../../common/auth-context.js';
import { Clock, vietnamDate } from '../../common/clock.js';
import type { ErrorDetail } from '../../common/errors.js';
import { canSeeDossier, type DossierParties } from '../../dossier-record/dossier-access.js';
import { FINAL_STATUSES } from '../../dossier-record/dossier-status.js';
import { DossierErrors } from '../dossiers.errors.js';
import { documentTypeKey, type ResultForm } from '../intake.js';
import type { DossierRow } from '../../dossier-record/dossier-records.js';
import { standsFor } from './document-type.js';
import { StoreAccessLog } from './store-access-log.service.js';
import { SHARE_CODE_HEADER, StoreConsentsService, verifiedIdNumber, type OpenConsent } from './store-consents.service.js';
import { StoreErrors } from './store.errors.js';
import { DOSSIER_ATTACHMENTS_AS_A, DOSSIERS_AS_D, dossiersAs } from '../../dossier-record/dossier-records.js';

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

const COLUMNS = `p.id, p.holder_id_number, p.kind, p.type_code, p.type_name, p.type_key, p.procedure_code, p.source_dossier_id, p.source_dossier_code, p.file_id, p.form,
  to_char(p.issued_on, 'YYYY-MM-DD') AS issued_on, to_char(p.valid_until, 'YYYY-MM-DD') AS valid_until, p.created_at`;

/**
 * Which of a person's documents a staff member may read, as SQL on `person_documents p` (params
 * from `first`: the CCCD, the staff member's agency, whether a consent covers everything, the
 * documents it covers): what their own agency already held (the source dossier was received or
 * resolved there), and what the person's consent covers. `own` says which way each came.
 */
const STAFF_READABLE = (first: number) => {
  const [holder, agency, all, chosen] = [0, 1, 2, 3].map((i) => `$${first + i}`);
  return {
    own: `(s.receiving_agency_code = ${agency} OR s.competent_agency_code = ${agency})`,
    from: `person_documents p JOIN ${dossiersAs('s')} ON s.id = p.source_dossier_id`,
    where: `p.holder_id_number = ${holder} AND (s.receiving_agency_code = ${agency} OR s.competent_agency_code = ${agency} OR ${all}::boolean OR p.id = ANY(${chosen}::uuid[]))`,
  };
};

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

/** How an officer's filing read the applicant's store: what it reuses of their own agency's, and under the consent. */
export interface StoreReuse {
  holderIdNumber: string;
  actor: AuthUser;
  own: string[];
  consented: string[];
  consent: OpenConsent | null;
}

/** A filing's attachment given by documentId, with the component it stands for. */
export interface WantedDocument {
  index: number;
  documentId: string;
  componentCode: string;
}

const isStaff = (u: AuthUser) => u.kind === 'user' && (STAFF_ROLES as readonly Role[]).includes(u.role);

/**
 * The person's electronic data store (kho quản lý dữ liệu điện tử của tổ chức, cá nhân): the one
 * owner of `person_documents`. What goes in: the components scanned at the desk (or taken from a
 * state database) of a dossier once the one-stop accepts it, and the result of a dossier once it is
 * returned: what the state digitised or issued, never an applicant's own upload. Whose store: the
 * applicant's CCCD, for components only when that identity was proven for the filing (the card
 * checked at the desk and recorded for it, POST /auth/identity-checks; an integrator vouches for
 * its citizen; a citizen's own filing only from a verified account of that same CCCD): a typed-in
 * CCCD proves nothing. Who reads it: the verified account of that CCCD; staff, while they handle
 * an open dossier of that person, only what their own agency digitised or issued, and more only
 * with the person's consent (a share code, store-consents.service.ts). Every read by staff is in
 * the person's access log.
 */
@Injectable()
export class PersonDocumentsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(IdentityChecksService) private readonly identityChecks: IdentityChecksService,
    @Inject(StoreConsentsService) private readonly consents: StoreConsentsService,
    @Inject(StoreAccessLog) private readonly accessLog: StoreAccessLog,
  ) {}

  /** GET /me/documents: the caller's own store (verified accounts only). */
  async mine(user: AuthUser): Promise<PersonDocumentView[]> {
    return this.ofHolder(verifiedIdNumber(user));
  }

  /**
   * Once-only (Decree 118/2025 as amended by 309/2026): for each component of the procedure, the
   * caller's documents that can stand for it, matched by document type (same procedure and
   * component code, or the same component text in another procedure), usable ones first.
   */
  async reusableFor(user: AuthUser, procedure: ProcedureView): Promise<Array<DossierComponent & { documents: PersonDocumentView[] }>> {
    const documents = await this.ofHolder(verifiedIdNumber(user));
    return procedure.components.map((c) => ({
      ...c,
      documents: documents.filter((d) => standsFor(d, c, procedure.code)).sort((a, b) => Number(b.usable) - Number(a.usable)),
    }));
  }

  /**
   * The store of a dossier's applicant, for staff handling that dossier while it is open: what
   * their own agency digitised or issued for that person, and what the person's share code (if
   * presented, for this dossier, this staff member or their agency) covers. Logged for the person.
   */
  async forHandledDossier(user: AuthUser, row: DossierRow, parties: DossierParties, shareCode?: string): Promise<PersonDocumentView[]> {
    if (!isStaff(user) || !canSeeDossier(user, parties)) throw DossierErrors.DOSSIER_NOT_FOUND();
    if (FINAL_STATUSES.includes(row.status)) {
      throw DossierErrors.STORE_NOT_OPEN([{ field: 'idOrCode', message: `the dossier is ${row.status}` }]);
    }
    const holder = await this.holderOf(row);
    if (!holder) {
      // No proven applicant, so no store to open: a code presented anyway is not theirs (never silently ignored).
      if (shareCode !== undefined)
        throw StoreErrors.SHARE_CODE_INVALID([{ field: SHARE_CODE_HEADER, message: 'the dossier has no proven applicant whose code this could be' }]);
      return [];
    }
    const consent = shareCode === undefined ? null : await this.consents.open(user, shareCode, { holderIdNumber: holder, dossierId: row.id });
    return this.listForStaff(user, holder, consent, { id: row.id, code: row.code });
  }

  /**
   * GET /store/shared-documents: what a citizen's share code covers, for the staff member it was
   * given to, before any dossier exists (the desk scans the QR code, then files reusing them).
   */
  async sharedWith(user: AuthUser, shareCode: string | undefined): Promise<{ idNumber: string; documents: PersonDocumentView[] }> {
    if (!shareCode) throw StoreErrors.SHARE_CODE_REQUIRED([{ field: 'X-Share-Code', message: 'the code the citizen shows (or its QR payload)' }]);
    const consent = await this.consents.open(user, shareCode, {});
    return { idNumber: consent.holderIdNumber, documents: await this.listForStaff(user, consent.holderIdNumber, consent, null) };
  }

  /**
   * Checks the attachments a filing gives by documentId: each must be a document of the applicant
   * that this caller may use (the verified citizen themself; the reception officer filing for the
   * applicant: what their own agency digitised, or what the applicant's share code covers), of the
   * type the component asks for (same component of the same procedure, or the same component text:
   * the rule of GET /me/procedures/{code}/reusable), still valid today. Every failure of a kind is
   * collected, none written; an officer's reuse is returned to be logged with the filing.
   */
  async resolveForReuse(
    user: AuthUser,
    applicantIdNumber: string,
    procedure: ProcedureView,
    wanted: WantedDocument[],
    shareCode?: string,
  ): Promise<{ documents: ReusedDocument[]; reuse: StoreReuse | null }> {
    if (wanted.length === 0) return { documents: [], reuse: null };
    const ids = wanted.map((w) => w.documentId);
    const self = user.kind === 'user' && user.role === Role.CITIZEN && user.identityVerified === true && user.idNumber === applicantIdNumber;
    const officer = user.kind === 'user' && user.role === Role.RECEPTION_OFFICER;
    let consent: OpenConsent | null = null;
    let rows: Array<DocumentRow & { own: boolean }> = [];
    if (self) {
      rows = await this.db.query(`SELECT ${COLUMNS}, true AS own FROM person_documents p WHERE p.id = ANY($1::uuid[]) AND p.holder_id_number = $2`, [
        ids,
        applicantIdNumber,
      ]);
    } else if (officer) {
      consent = shareCode === undefined ? null : await this.consents.open(user, shareCode, { holderIdNumber: applicantIdNumber });
      const r = STAFF_READABLE(2);
      rows = await this.db.query(`SELECT ${COLUMNS}, ${r.own} AS own FROM ${r.from} WHERE p.id = ANY($1::uuid[]) AND ${r.where}`, [
        ids,
        applicantIdNumber,
        user.agencyCode ?? null,
        consent?.documentIds === null,
        consent?.documentIds ?? [],
      ]);
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const components = new Map(procedure.components.map((c) => [c.code, c]));
    const today = vietnamDate(this.clock.now());
    const missing: ErrorDetail[] = [];
    const wrongType: ErrorDetail[] = [];
    const expired: ErrorDetail[] = [];
    const out: ReusedDocument[] = [];
    for (const w of wanted) {
      const field = `attachments[${w.index}].documentId`;
      const r = byId.get(w.documentId);
      if (!r) missing.push({ field, message: 'not a document of the applicant’s data store that you may use' });
      else if (!standsFor(toView(r, today), components.get(w.componentCode)!, procedure.code)) {
        wrongType.push({
          field,
          message: `a ${r.type_code} of ${r.procedure_code} (${r.type_name}) does not stand for ${w.componentCode} of ${procedure.code}`,
          documentType: r.type_code,
          componentCode: w.componentCode,
        });
      } else if (r.valid_until && r.valid_until < today) expired.push({ field, message: `valid until ${r.valid_until}`, validUntil: r.valid_until });
      else out.push({ index: w.index, documentId: r.id, fileId: r.file_id, issuedOn: r.issued_on, validUntil: r.valid_until });
    }
    if (missing.length) throw DossierErrors.UNKNOWN_DOCUMENT(missing);
    if (wrongType.length) throw StoreErrors.DOCUMENT_TYPE_MISMATCH(wrongType);
    if (expired.length) throw DossierErrors.DOCUMENT_EXPIRED(String(expired[0].validUntil), expired);
    const reuse = officer
      ? {
          holderIdNumber: applicantIdNumber,
          actor: user,
          consent,
          own: out.filter((d) => byId.get(d.documentId)!.own).map((d) => d.documentId),
          consented: out.filter((d) => !byId.get(d.documentId)!.own).map((d) => d.documentId),
        }
      : null;
    return { documents: out, reuse };
  }

  /** In the filing's transaction: the consent's use counted, and the reuse in the applicant's access log. */
  async recordReuse(em: EntityManager, reuse: StoreReuse, dossier: { id: string; code: string }, now: Date): Promise<void> {
    if (reuse.consented.length && reuse.consent) await this.consents.use(em, reuse.consent, now);
    const entry = { holderIdNumber: reuse.holderIdNumber, action: 'REUSED' as const, actor: reuse.actor, at: now, dossier };
    await this.accessLog.record(em, [
      ...(reuse.own.length ? [{ ...entry, shareCodeId: null, documentIds: reuse.own }] : []),
      ...(reuse.consented.length ? [{ ...entry, shareCodeId: reuse.consent!.id, documentIds: reuse.consented }] : []),
    ]);
  }

  /**
   * Before staff download a file they may read because it was reused into a dossier they handle:
   * the download goes into the person's access log (through which dossier). Other reads are not
   * the store's (a dossier's own attachments, the caller's own uploads).
   */
  async recordDownload(user: AuthUser, fileId: string): Promise<void> {
    if (!isStaff(user)) return;
    const rows: Array<{
      document_id: string;
      holder_id_number: string;
      id: string;
      code: string;
      owner_user_id: string | null;
      holder: string | null;
      receiving_agency_code: string;
      competent_agency_code: string;
    }> = await this.db.query(
      `SELECT a.document_id, p.holder_id_number, d.id, d.code, d.owner_user_id, d.holder_id_number AS holder, d.receiving_agency_code, d.competent_agency_code
         FROM ${DOSSIER_ATTACHMENTS_AS_A} JOIN ${DOSSIERS_AS_D} ON d.id = a.dossier_id JOIN person_documents p ON p.id = a.document_id
        WHERE a.file_id = $1 AND a.source = 'REUSED' ORDER BY a.created_at`,
      [fileId],
    );
    const through = rows.find((r) =>
      canSeeDossier(user, {
        ownerUserId: r.owner_user_id,
        holderIdNumber: r.holder,
        receivingAgencyCode: r.receiving_agency_code,
        competentAgencyCode: r.competent_agency_code,
      }),
    );
    if (!through) return;
    await this.accessLog.record(this.db.manager, [
      {
        holderIdNumber: through.holder_id_number,
        action: 'DOWNLOADED',
        actor: user,
        at: this.clock.now(),
        dossier: { id: through.id, code: through.code },
        shareCodeId: null,
        documentIds: [through.document_id],
      },
    ]);
  }

  /** On acceptance: the components scanned at the desk or taken from state data go to the applicant's store. */
  async keepComponents(em: EntityManager, row: DossierRow, procedure: ProcedureView, at: Date): Promise<number> {
    const kept = (row.attachments ?? []).filter((a) => a.source === 'SCANNED' || a.source === 'STATE_DATA');
    if (kept.length === 0) return 0;
    const holder = await this.provenHolderOf(em, row);
    if (!holder) return 0;
    const names = new Map(procedure.components.map((c) => [c.code, c.name]));
    const rows = kept.map((a) => {
      const name = names.get(a.componentCode) ?? a.componentCode;
      return {
        typeCode: a.componentCode,
        typeName: name,
        typeKey: documentTypeKey(name),
        fileId: a.fileId,
        form: a.source === 'SCANNED' ? 'SCANNED' : 'ELECTRONIC',
        issuedOn: a.issuedOn ?? vietnamDate(at),
        validUntil: a.validUntil ?? null,
      };
    });
    return this.insert(em, holder, row, procedure.code, 'COMPONENT', rows);
  }

  /** On return: the result file (the signed one, or the scan of a paper-only result) goes to the applicant's store. */
  async keepResult(
    em: EntityManager,
    row: DossierRow,
    procedure: ProcedureView,
    r: { fileId: string; form: ResultForm; issuedAt: Date; validUntil: string | null },
  ): Promise<number> {
    const holder = await this.holderOf(row);
    if (!holder) return 0;
    const name = `Kết quả: ${procedure.name}`;
    return this.insert(em, holder, row, procedure.code, 'RESULT', [
      {
        typeCode: RESULT_TYPE_CODE,
        typeName: name,
        typeKey: documentTypeKey(name),
        fileId: r.fileId,
        form: r.form,
        issuedOn: vietnamDate(r.issuedAt),
        validUntil: r.validUntil,
      },
    ]);
  }

  /**
   * The CCCD whose store a dossier's components go to, or null when the applicant's identity was
   * not proven for this filing: a citizen's own filing from the verified account of that CCCD, an
   * integrator's (it vouches for its citizen), or an officer's whose card check it references.
   */
  private async provenHolderOf(em: EntityManager, row: DossierRow): Promise<string | null> {
    if (row.owner_user_id || row.submitted_by_kind === 'api-key') return this.holderOf(row);
    if (!row.holder_id_number) return null;
    return (await this.identityChecks.proves(em, row.id, row.holder_id_number)) ? row.holder_id_number : null;
  }

  /** The CCCD whose store a dossier concerns (its results go there), or null when a citizen's own filing is not from a verified account of it. */
  async holderOf(row: Pick<DossierRow, 'holder_id_number' | 'owner_user_id' | 'applicant'>): Promise<string | null> {
    if (row.holder_id_number) return row.holder_id_number;
    if (!row.owner_user_id) return null;
    const owner = await this.users.findById(row.owner_user_id);
    const verified = owner?.identityAssurance === 'VERIFIED' && owner.idNumber === row.applicant.idNumber;
    return verified ? row.applicant.idNumber : null;
  }

  private async ofHolder(idNumber: string): Promise<PersonDocumentView[]> {
    const rows: DocumentRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM person_documents p WHERE p.holder_id_number = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT 500`,
      [idNumber],
    );
    const today = vietnamDate(this.clock.now());
    return rows.map((r) => toView(r, today));
  }

  /** What staff may read of a person's store (own agency's, and the consent's), logged with the consent's use in one transaction. */
  private async listForStaff(
    user: AuthUser,
    holder: string,
    consent: OpenConsent | null,
    dossier: { id: string; code: string } | null,
  ): Promise<PersonDocumentView[]> {
    const r = STAFF_READABLE(1);
    const rows: DocumentRow[] = await this.db.query(`SELECT ${COLUMNS} FROM ${r.from} WHERE ${r.where} ORDER BY p.created_at DESC, p.id DESC LIMIT 500`, [
      holder,
      user.agencyCode ?? null,
      consent?.documentIds === null,
      consent?.documentIds ?? [],
    ]);
    const now = this.clock.now();
    // Logged even when nothing was shown: a look into a stranger's store is what the person wants to know of.
    await this.db.transaction(async (em) => {
      if (consent) await this.consents.use(em, consent, now);
      await this.accessLog.record(em, [
        { holderIdNumber: holder, action: 'LISTED', actor: user, at: now, dossier, shareCodeId: consent?.id ?? null, documentIds: rows.map((d) => d.id) },
      ]);
    });
    const today = vietnamDate(now);
    return rows.map((d) => toView(d, today));
  }

  private async insert(
    em: EntityManager,
    holder: string,
    row: DossierRow,
    procedureCode: string,
    kind: 'COMPONENT' | 'RESULT',
    docs: Array<{ typeCode: string; typeName: string; typeKey: string; fileId: string; form: string; issuedOn: string; validUntil: string | null }>,
  ): Promise<number> {
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
