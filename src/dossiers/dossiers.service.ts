import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { AgenciesService } from '../agencies/agencies.service.js';
import { UsersService } from '../auth/users.service.js';
import { CCCD_MESSAGES, checkCccd } from '../auth/cccd.js';
import { Role, type AuthUser } from '../common/auth-context.js';
import { Clock, vietnamDate } from '../common/clock.js';
import { type ErrorDetail } from '../common/errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { ProcedureView } from '../catalog/catalog.types.js';
import type { AgencyView } from '../agencies/agencies.types.js';
import { FilesService } from '../documents/files.service.js';
import { mayActForAgency, requireScope } from '../auth/scopes.js';
import { canSeeDossier, visibilityCondition, type DossierParties } from './dossier-access.js';
import { formatDossierCode, looksLikeDossierCode } from './dossier-code.js';
import { poolQuery } from '../database/pool-query.js';
import { SequenceAllocator } from './sequence-allocator.js';
import { INSERT_SUBMISSION_SQL } from './submission-sql.js';
import { DossierStatus, ResultDelivery, STATUS_CHANGED_TOPIC, STATUS_CODE, STATUS_LABEL_VI } from './dossier-status.js';
import type { Applicant } from './dossier.entity.js';
import type { DossierHistory, DossierPage, DossierView, ListDossiersQuery, SubmitDossierDto } from './dto/dossier.dto.js';
import { canonicalJson, eventHash, GENESIS_HASH } from './event-chain.js';
import { readDossierHistory } from './journal.js';
import { DossierErrors } from './dossiers.errors.js';
import { CommonErrors } from '../common/common.errors.js';
import { AuthErrors } from '../auth/auth.errors.js';
import { CatalogErrors } from '../catalog/catalog.errors.js';
import { AgencyErrors } from '../agencies/agencies.errors.js';
import { FileErrors } from '../documents/files.errors.js';

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
  attachments: Array<{ componentCode: string; fileId: string }> | null;
}

/** The columns of a DossierRow (with `d` = dossiers), for queries that add their own FROM. */
export const SELECT_DOSSIER_COLUMNS = `d.id, d.code, d.procedure_code, d.procedure_version, d.service_level, d.receiving_agency_code,
         d.competent_agency_code, d.status, d.status_code, d.applicant, d.owner_user_id, d.holder_id_number, d.form_data,
         d.result_delivery, d.submitted_at, d.version, d.received_at, d.step_index, d.step_assignee_id,
         d.supplement_from, d.supplement_due_at, d.supplement_items, d.rescheduled, d.outcome, d.result_file_id,
         d.resolved_at, d.timeliness, d.returned_at, d.return_method, d.tracking_number,
         (SELECT json_agg(json_build_object('componentCode', a.component_code, 'fileId', a.file_id) ORDER BY a.created_at, a.component_code)
            FROM dossier_attachments a WHERE a.dossier_id = d.id) AS attachments`;

const SELECT_DOSSIER = `SELECT ${SELECT_DOSSIER_COLUMNS} FROM dossiers d`;

const PLACEMENT_TTL_MS = 10_000;

interface Placement {
  procedure: ProcedureView | null;
  receiving: AgencyView | null;
  candidates: string[];
}

/**
 * The agency that resolves the dossier: the one given (if it may), else the receiving centre
 * itself when it resolves the procedure, else the only agency of the province that does.
 */
export function chooseCompetentAgency(candidates: string[], receivingCode: string, given?: string): string {
  if (candidates.length === 0) {
    throw DossierErrors.PROCEDURE_NOT_AVAILABLE([{ field: 'procedureCode', message: `not available at ${receivingCode}` }]);
  }
  if (given) {
    if (!candidates.includes(given)) {
      throw DossierErrors.COMPETENT_AGENCY_INVALID([{ field: 'competentAgencyCode', message: 'does not resolve this procedure', candidates }]);
    }
    return given;
  }
  if (candidates.includes(receivingCode)) return receivingCode;
  if (candidates.length === 1) return candidates[0];
  throw DossierErrors.COMPETENT_AGENCY_REQUIRED([{ field: 'competentAgencyCode', message: 'required: one of the candidates', candidates }]);
}

export interface SubmitResult {
  dossier: DossierView;
  /** True when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

/** The dossier aggregate: submission, reading, listing and history. */
@Injectable()
export class DossiersService implements OnModuleInit {
  private readonly placements = new LRUCache<string, Placement>({ max: 10_000, ttl: PLACEMENT_TTL_MS });

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SequenceAllocator) private readonly sequences: SequenceAllocator,
  ) {}

  /**
   * Whoever may see a dossier may read the files attached to it, and its result document: staff
   * from the approval on, the applicant once it is returned (before that it is a draft).
   */
  onModuleInit(): void {
    this.files.registerReadPolicy({ name: 'dossier-parties', readableIds: (user, ids) => this.fileIdsVisibleTo(user, [...ids]) });
    // Linking a citizen's unverified password account into their verified one brings its own
    // filings and uploads along (UsersService.linkPasswordAccount).
    this.users.registerAccountMergeStep(async (em, from, to) => {
      await em.query('UPDATE dossiers SET owner_user_id = $2 WHERE owner_user_id = $1', [from, to]);
      await this.files.transferUserFiles(em, from, to);
    });
  }

  /**
   * The account a dossier's notices go to: the citizen who filed it, else the verified account for
   * its holder's CCCD (none yet: no in-app notice; e-mail and SMS still reach the applicant).
   */
  async ownerAccountId(row: Pick<DossierRow, 'owner_user_id' | 'holder_id_number'>): Promise<string | null> {
    if (row.owner_user_id) return row.owner_user_id;
    if (!row.holder_id_number) return null;
    return (await this.users.findVerifiedByIdNumber(row.holder_id_number))?.id ?? null;
  }

  /** Of these file ids, those attached to (or the result of) a dossier the caller may see. */
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

  /**
   * Files a dossier. Everything is checked before the transaction; inside it, in one commit: the
   * idempotency key, the agency's daily sequence, the dossier, its attachments, the first history
   * event and the outbox message. The same key and body again return the same dossier.
   */
  async submit(user: AuthUser, idempotencyKey: string, dto: SubmitDossierDto): Promise<SubmitResult> {
    const scope = `${user.kind}:${user.id}`;
    const requestHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    const plan = await this.checkSubmission(user, dto);
    const now = this.clock.now();
    const dossierId = randomUUID();
    const sequence = await this.sequences.next(dto.agencyCode, vietnamDate(now));
    const code = formatDossierCode(dto.agencyCode, now, sequence);
    const event = {
      dossierId, seq: 1, prevHash: GENESIS_HASH, type: 'SUBMITTED', actorKind: user.kind, actorId: user.id, at: now,
      data: { status: DossierStatus.SUBMITTED, statusCode: 1, code, procedureCode: plan.procedure.code, procedureVersion: plan.procedure.version,
        receivingAgencyCode: dto.agencyCode, competentAgencyCode: plan.competentAgencyCode, attachments: dto.attachments.length },
    };
    const [{ created }] = await poolQuery<{ created: number }>(this.db, INSERT_SUBMISSION_SQL, [
      scope, idempotencyKey, requestHash, dossierId, code, plan.procedure.code, plan.procedure.version, plan.procedure.serviceLevel,
      dto.agencyCode, plan.competentAgencyCode, plan.applicant, plan.ownerUserId, user.kind, user.id, dto.formData ?? {},
      dto.resultDelivery, now, dto.attachments.map((a) => a.componentCode), dto.attachments.map((a) => a.fileId),
      event.type, event.data, event.prevHash, eventHash(event),
      STATUS_CHANGED_TOPIC.name, { dossierId, code, status: DossierStatus.SUBMITTED, statusCode: 1, at: now.toISOString() },
      plan.holderIdNumber,
    ]);
    if (!created) {
      // The key was already used by this caller (an earlier or concurrent request): nothing was
      // written by this one, and its sequence number stays a gap.
      const again = await this.replayed(scope, idempotencyKey, requestHash);
      if (again) return again;
      throw DossierErrors.IDEMPOTENCY_IN_PROGRESS([{ field: 'Idempotency-Key', message: 'in progress' }]);
    }
    return {
      replayed: false,
      dossier: {
        id: dossierId, code, status: DossierStatus.SUBMITTED, statusCode: STATUS_CODE.SUBMITTED, statusLabel: STATUS_LABEL_VI.SUBMITTED,
        serviceLevel: plan.procedure.serviceLevel, procedureCode: plan.procedure.code, procedureVersion: plan.procedure.version,
        agencyCode: dto.agencyCode, competentAgencyCode: plan.competentAgencyCode, applicant: plan.applicant, formData: dto.formData ?? {},
        attachments: dto.attachments.map((a) => ({ componentCode: a.componentCode, fileId: a.fileId })), resultDelivery: dto.resultDelivery,
        submittedAt: now.toISOString(), version: 1, receivedAt: null, stepIndex: null, stepAssigneeId: null, supplement: null,
        rescheduled: false, result: null, returned: null,
      },
    };
  }

  /** The dossier's row if the caller may see it; 404 otherwise (existence does not leak). */
  async findVisibleRow(user: AuthUser, idOrCode: string): Promise<DossierRow> {
    const row = await this.findRow(idOrCode);
    if (!row || !canSeeDossier(user, toParties(row))) throw DossierErrors.DOSSIER_NOT_FOUND();
    return row;
  }

  /** The row of a dossier code, for the public lookup (which shows no personal data). */
  async findByCode(code: string): Promise<DossierRow | undefined> {
    return looksLikeDossierCode(code) ? (await this.db.query(`${SELECT_DOSSIER} WHERE d.code = $1`, [code]))[0] : undefined;
  }

  /** The row by id, inside the caller's transaction when given one. */
  async findRowById(id: string, em: EntityManager = this.db.manager): Promise<DossierRow> {
    const [row] = await em.query(`${SELECT_DOSSIER} WHERE d.id = $1`, [id]);
    if (!row) throw DossierErrors.DOSSIER_NOT_FOUND();
    return row;
  }

  async list(user: AuthUser, q: ListDossiersQuery): Promise<DossierPage> {
    const visible = visibilityCondition(user, 1);
    if (!visible) throw CommonErrors.FORBIDDEN('Vai trò này không có danh sách hồ sơ', 'This role has no dossier list');
    const params: unknown[] = [...visible.params];
    const where = [visible.sql];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.status) add((p) => `d.status = ${p}`, q.status);
    if (q.procedureCode) add((p) => `d.procedure_code = ${p}`, q.procedureCode);
    if (q.from) add((p) => `d.submitted_at >= (${p}::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`, q.from);
    if (q.to) add((p) => `d.submitted_at < (${p}::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`, q.to);
    const cursor = decodeCursor(q.cursor, 2) as [string, string] | undefined;
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(d.submitted_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const limit = q.limit ?? 20;
    params.push(limit + 1);
    const rows: DossierRow[] = await this.db.query(
      `${SELECT_DOSSIER} WHERE ${where.join(' AND ')} ORDER BY d.submitted_at DESC, d.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor: rows.length > limit && last ? encodeCursor([new Date(last.submitted_at).toISOString(), last.id]) : null,
    };
  }

  async history(user: AuthUser, idOrCode: string): Promise<DossierHistory> {
    const row = await this.findVisibleRow(user, idOrCode);
    const { events, brokenAtSeq: broken } = await readDossierHistory(this.db, row.id);
    return {
      events: events.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), actorKind: e.actorKind, actorId: e.actorId, data: e.data, prevHash: e.prevHash, hash: e.hash })),
      integrity: broken === null ? 'VALID' : 'BROKEN',
      ...(broken === null ? {} : { brokenAtSeq: broken }),
    };
  }

  private async replayed(scope: string, key: string, requestHash: string): Promise<SubmitResult | null> {
    const rows = await this.db.query(`SELECT request_hash, dossier_id FROM idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]);
    if (rows.length === 0) return null;
    if (rows[0].request_hash !== requestHash) {
      throw DossierErrors.IDEMPOTENCY_KEY_REUSED([{ field: 'Idempotency-Key', message: 'already used with another body' }]);
    }
    return { dossier: await this.load(rows[0].dossier_id), replayed: true };
  }

  private async load(id: string): Promise<DossierView> {
    return toView(await this.findRowById(id));
  }

  private async findRow(idOrCode: string): Promise<DossierRow | undefined> {
    if (UUID.test(idOrCode)) return (await this.db.query(`${SELECT_DOSSIER} WHERE d.id = $1`, [idOrCode]))[0];
    if (looksLikeDossierCode(idOrCode)) return (await this.db.query(`${SELECT_DOSSIER} WHERE d.code = $1`, [idOrCode]))[0];
    return undefined;
  }

  /** Every rule a submission must pass, checked before anything is written. */
  private async checkSubmission(user: AuthUser, dto: SubmitDossierDto) {
    if (user.kind === 'api-key') {
      requireScope(user, 'dossiers:write');
      if (!mayActForAgency(user, dto.agencyCode)) throw DossierErrors.AGENCY_NOT_ALLOWED([{ field: 'agencyCode', message: 'not covered by the API key' }]);
    } else if (user.role !== Role.CITIZEN) {
      throw CommonErrors.FORBIDDEN('Chỉ công dân hoặc hệ thống tích hợp được nộp hồ sơ', 'Only citizens and integrators file dossiers');
    }
    const problem = checkCccd(dto.applicant.idNumber, dto.applicant.dateOfBirth);
    if (problem) throw AuthErrors.INVALID_ID_NUMBER(problem, [{ field: 'applicant.idNumber', message: CCCD_MESSAGES[problem] }]);

    const { procedure, receiving, candidates } = await this.placement(dto.procedureCode, dto.agencyCode);
    if (!procedure) throw CatalogErrors.UNKNOWN_PROCEDURE(dto.procedureCode, [{ field: 'procedureCode', message: 'no such procedure' }]);
    if (!receiving || !receiving.active) throw AgencyErrors.UNKNOWN_AGENCY(dto.agencyCode, [{ field: 'agencyCode', message: 'no such agency' }]);
    if (!receiving.isServiceCentre) throw DossierErrors.AGENCY_NOT_RECEIVING([{ field: 'agencyCode', message: 'not a receiving centre' }]);
    if (procedure.serviceLevel === 'FULL_ONLINE' && dto.resultDelivery === ResultDelivery.COUNTER) {
      throw DossierErrors.DELIVERY_NOT_ALLOWED([{ field: 'resultDelivery', message: 'ONLINE or POSTAL for a FULL_ONLINE procedure' }]);
    }
    const competentAgencyCode = chooseCompetentAgency(candidates, receiving.code, dto.competentAgencyCode);
    await this.checkAttachments(user, procedure, dto);
    const applicant: Applicant = { ...dto.applicant, fullName: dto.applicant.fullName.trim() };
    // A citizen's own filing is theirs; anyone else's filing belongs to the applicant's verified
    // identity (isDossierOwner), looked up when it is read, never to whichever account typed the CCCD.
    const ownerUserId = user.kind === 'user' ? user.id : null;
    const holderIdNumber = ownerUserId ? null : applicant.idNumber;
    return { procedure, competentAgencyCode, applicant, ownerUserId, holderIdNumber };
  }

  /**
   * The procedure, the receiving agency and the agencies of its province that resolve the procedure.
   * Cached for a few seconds per (procedure, agency): every submission needs them and they change
   * only through admin edits, which this instance then sees within PLACEMENT_TTL_MS.
   */
  private async placement(procedureCode: string, agencyCode: string): Promise<Placement> {
    const key = `${procedureCode}|${agencyCode}`;
    const cached = this.placements.get(key);
    if (cached) return cached;
    const [procedure, receiving] = await Promise.all([this.catalog.findProcedure(procedureCode), this.agencies.findByCode(agencyCode)]);
    let candidates: string[] = [];
    if (procedure && receiving) {
      const province = await this.agencies.province(receiving.code);
      candidates = (await this.agencies.competentAgencies(procedure.code, province.code)).map((a) => a.code);
    }
    const found = { procedure, receiving, candidates };
    if (procedure && receiving) this.placements.set(key, found);
    return found;
  }

  private async checkAttachments(user: AuthUser, procedure: ProcedureView, dto: SubmitDossierDto): Promise<void> {
    const known = new Set(procedure.components.map((c) => c.code));
    const details: ErrorDetail[] = [];
    dto.attachments.forEach((a, i) => {
      if (!known.has(a.componentCode)) details.push({ field: `attachments[${i}].componentCode`, message: `unknown component ${a.componentCode} of ${procedure.code}` });
    });
    if (details.length) throw DossierErrors.UNKNOWN_COMPONENT(details);
    const attached = new Set(dto.attachments.map((a) => a.componentCode));
    const missing = procedure.components.filter((c) => c.required && !attached.has(c.code));
    if (missing.length) {
      throw DossierErrors.MISSING_COMPONENT(missing.map((c) => c.code),
        missing.map((c) => ({ field: 'attachments', componentCode: c.code, message: `required: ${c.name}` })));
    }
    const owned = await this.files.ownedIds(dto.attachments.map((a) => a.fileId), user);
    dto.attachments.forEach((a, i) => {
      if (!owned.has(a.fileId)) details.push({ field: `attachments[${i}].fileId`, message: 'no such file uploaded by you' });
    });
    if (details.length) throw FileErrors.UNKNOWN_FILE(details);
  }
}

/** The columns toParties needs (with `d` = dossiers). */
export const PARTIES_COLUMNS = 'd.owner_user_id, d.holder_id_number, d.receiving_agency_code, d.competent_agency_code';
type PartiesColumns = Pick<DossierRow, 'owner_user_id' | 'holder_id_number' | 'receiving_agency_code' | 'competent_agency_code'>;

export function toParties(r: PartiesColumns): DossierParties {
  return { ownerUserId: r.owner_user_id, holderIdNumber: r.holder_id_number, receivingAgencyCode: r.receiving_agency_code, competentAgencyCode: r.competent_agency_code };
}

export function toView(r: DossierRow): DossierView {
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    statusCode: r.status_code,
    statusLabel: STATUS_LABEL_VI[r.status],
    serviceLevel: r.service_level,
    procedureCode: r.procedure_code,
    procedureVersion: r.procedure_version,
    agencyCode: r.receiving_agency_code,
    competentAgencyCode: r.competent_agency_code,
    applicant: r.applicant,
    formData: r.form_data,
    attachments: r.attachments ?? [],
    resultDelivery: r.result_delivery,
    submittedAt: new Date(r.submitted_at).toISOString(),
    version: r.version,
    receivedAt: iso(r.received_at),
    stepIndex: r.step_index,
    stepAssigneeId: r.step_assignee_id,
    supplement: r.supplement_items ? { items: r.supplement_items, dueAt: iso(r.supplement_due_at), requestedAtStatusCode: r.supplement_from } : null,
    rescheduled: r.rescheduled,
    result: r.outcome ? { outcome: r.outcome, fileId: r.result_file_id, resolvedAt: iso(r.resolved_at), timeliness: r.timeliness } : null,
    returned: r.returned_at ? { at: iso(r.returned_at), method: r.return_method, trackingNumber: r.tracking_number } : null,
  };
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
