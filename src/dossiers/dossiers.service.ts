import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { AgenciesService } from '../agencies/agencies.service.js';
import { IdentityChecksService } from '../auth/identity-checks.service.js';
import { UsersService } from '../auth/users.service.js';
import { CCCD_MESSAGES, checkCccd } from '../auth/cccd.js';
import { Role, type AuthUser } from '../common/auth-context.js';
import { Clock, vietnamDate } from '../common/clock.js';
import { type ErrorDetail } from '../common/errors.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { isRequiredOnChannel } from '../catalog/component-rules.js';
import type { ProcedureView } from '../catalog/catalog.types.js';
import type { AgencyView } from '../agencies/agencies.types.js';
import { FilesService } from '../documents/files.service.js';
import { mayActForAgency, requireScope } from '../auth/scopes.js';
import { visibilityCondition } from '../dossier-record/dossier-access.js';
import { formatDossierCode } from '../dossier-record/dossier-code.js';
import { poolQuery } from '../common/pool-query.js';
import { SequenceAllocator } from '../dossier-record/sequence-allocator.js';
import { INSERT_SUBMISSION_SQL, readIdempotentSubmission, submissionParams, type SubmittedAttachment } from '../dossier-record/submission-sql.js';
import { channelFor, SCAN_TYPES, sourceFor, type Channel, type IntakeRefusal } from './intake.js';
import { PersonDocumentsService, type StoreReuse } from './store/person-documents.service.js';
import { DossierStatus, ResultDelivery, STATUS_CHANGED_TOPIC, STATUS_CODE, STATUS_LABEL_VI } from '../dossier-record/dossier-status.js';
import type { Applicant } from '../dossier-record/dossier.entity.js';
import type { DossierHistory, DossierPage, DossierView, ListDossiersQuery, SubmitDossierDto } from './dto/dossier.dto.js';
import { canonicalJson, eventHash, GENESIS_HASH } from '../dossier-record/event-chain.js';
import { journalTransaction } from '../dossier-record/journal.js';
import {
  DossierRecords,
  ownerAccountOf,
  SELECT_DOSSIER,
  transferDossierOwnership,
  type AttachmentRow,
  type DossierRow,
} from '../dossier-record/dossier-records.js';
import { DossierErrors } from './dossiers.errors.js';
import { CommonErrors } from '../common/common.errors.js';
import { AuthErrors } from '../auth/auth.errors.js';
import { CatalogErrors } from '../catalog/catalog.errors.js';
import { AgencyErrors } from '../agencies/agencies.errors.js';
import { FileErrors } from '../documents/files.errors.js';

export { PARTIES_COLUMNS, SELECT_DOSSIER_COLUMNS, toParties, type AttachmentRow, type DossierRow } from '../dossier-record/dossier-records.js';

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

export interface SubmitOptions {
  /** Runs in the submission's own transaction once the dossier is written (e.g. the officer's acceptance). */
  within?: (em: EntityManager, dossierId: string) => Promise<void>;
  /** The applicant's share code an officer presents (header X-Share-Code), to reuse what it covers of their store. */
  shareCode?: string;
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
  private readonly vneid = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SequenceAllocator) private readonly sequences: SequenceAllocator,
    @Inject(PersonDocumentsService) private readonly store: PersonDocumentsService,
    @Inject(DossierRecords) private readonly records: DossierRecords,
    @Inject(IdentityChecksService) private readonly identityChecks: IdentityChecksService,
  ) {}

  /**
   * Whoever may see a dossier may read the files attached to it, and its result document: staff
   * from the approval on, the applicant once it is returned (before that it is a draft).
   */
  onModuleInit(): void {
    // A file reused from a person's store into a dossier is read through it: that read is logged for the person.
    this.files.registerReadPolicy({
      name: 'dossier-parties',
      readableIds: (user, ids) => this.fileIdsVisibleTo(user, [...ids]),
      contentRead: (user, fileId) => this.store.recordDownload(user, fileId),
    });
    // Linking a citizen's unverified password account into their verified one brings its own
    // filings and uploads along (UsersService.linkPasswordAccount).
    this.users.registerAccountMergeStep(async (em, from, to) => {
      await transferDossierOwnership(em, from, to);
      await this.files.transferUserFiles(em, from, to);
    });
  }

  /**
   * The account a dossier's notices go to: the citizen who filed it, else the verified account for
   * its holder's CCCD (none yet: no in-app notice; e-mail and SMS still reach the applicant).
   */
  async ownerAccountId(row: Pick<DossierRow, 'owner_user_id' | 'holder_id_number'>): Promise<string | null> {
    return ownerAccountOf(row, (idNumber) => this.users.findVerifiedByIdNumber(idNumber));
  }

  /** Of these file ids, those attached to (or the result of) a dossier the caller may see. */
  fileIdsVisibleTo(user: AuthUser, fileIds: string[]): Promise<string[]> {
    return this.records.fileIdsVisibleTo(user, fileIds);
  }

  /**
   * Files a dossier. Everything is checked before the transaction; inside it, in one commit: the
   * idempotency key, the agency's daily sequence, the dossier, its attachments, the first history
   * event and the outbox message. The same key and body again return the same dossier.
   */
  async submit(user: AuthUser, idempotencyKey: string, dto: SubmitDossierDto, opts: SubmitOptions = {}): Promise<SubmitResult> {
    const scope = `${user.kind}:${user.id}`;
    const requestHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    if (dto.identityCheckId || opts.shareCode) {
      // A retry of a filing that used up its card check or its share code is a replay, not a second use.
      const again = await this.replayed(scope, idempotencyKey, requestHash);
      if (again) return again;
    }
    const plan = await this.checkSubmission(user, dto, opts.shareCode);
    const now = this.clock.now();
    const dossierId = randomUUID();
    const sequence = await this.sequences.next(dto.agencyCode, vietnamDate(now));
    const code = formatDossierCode(dto.agencyCode, now, sequence);
    const attachments = plan.attachments.map((a) => (a.source === 'SCANNED' ? { ...a, scannedAt: now.toISOString() } : a));
    const event = {
      dossierId,
      seq: 1,
      prevHash: GENESIS_HASH,
      type: 'SUBMITTED',
      actorKind: user.kind,
      actorId: user.id,
      at: now,
      data: {
        status: DossierStatus.SUBMITTED,
        statusCode: 1,
        code,
        procedureCode: plan.procedure.code,
        procedureVersion: plan.procedure.version,
        receivingAgencyCode: dto.agencyCode,
        competentAgencyCode: plan.competentAgencyCode,
        attachments: attachments.length,
        channel: plan.channel,
        ...(plan.channel === 'ONLINE' ? {} : { sources: attachments.map((a) => ({ componentCode: a.componentCode, source: a.source })) }),
        ...(dto.identityCheckId ? { identityCheckId: dto.identityCheckId } : {}),
      },
    };
    const params = submissionParams({
      scope,
      idempotencyKey,
      requestHash,
      dossierId,
      code,
      procedureCode: plan.procedure.code,
      procedureVersion: plan.procedure.version,
      serviceLevel: plan.procedure.serviceLevel,
      receivingAgencyCode: dto.agencyCode,
      competentAgencyCode: plan.competentAgencyCode,
      applicant: plan.applicant,
      ownerUserId: plan.ownerUserId,
      holderIdNumber: plan.holderIdNumber,
      submittedByKind: user.kind,
      submittedById: user.id,
      formData: dto.formData ?? {},
      resultDelivery: dto.resultDelivery,
      submittedAt: now,
      channel: plan.channel,
      digitised: attachments.some((a) => a.source === 'SCANNED'),
      reused: attachments.some((a) => a.source === 'REUSED'),
      applicantVneid: plan.applicantVneid,
      attachments,
      event: { type: event.type, data: event.data, prevHash: event.prevHash, hash: eventHash(event) },
      outbox: { topic: STATUS_CHANGED_TOPIC.name, payload: { dossierId, code, status: DossierStatus.SUBMITTED, statusCode: 1, at: now.toISOString() } },
    });
    // An officer's filing commits with what it proves and reads (the card check it uses up, its
    // reuse in the applicant's access log) and, accepted in the same step, with its acceptance
    // (which puts the scans in the store only once the check is claimed), or not at all.
    const { identityCheckId } = dto;
    const { reuse } = plan;
    const within =
      identityCheckId || reuse || opts.within
        ? async (em: EntityManager) => {
            if (identityCheckId) await this.identityChecks.claim(em, identityCheckId, dossierId, now);
            if (reuse) await this.store.recordReuse(em, reuse, { id: dossierId, code }, now);
            if (opts.within) await opts.within(em, dossierId);
          }
        : undefined;
    const created = within
      ? await journalTransaction(this.db, async (em) => {
          const [{ created: n }] = (await em.query(INSERT_SUBMISSION_SQL, params)) as Array<{ created: number }>;
          if (n) await within(em);
          return n;
        })
      : (await poolQuery<{ created: number }>(this.db, INSERT_SUBMISSION_SQL, params))[0].created;
    if (!created) {
      // The key was already used by this caller (an earlier or concurrent request): nothing was
      // written by this one, and its sequence number stays a gap.
      const again = await this.replayed(scope, idempotencyKey, requestHash);
      if (again) return again;
      throw DossierErrors.IDEMPOTENCY_IN_PROGRESS([{ field: 'Idempotency-Key', message: 'in progress' }]);
    }
    if (opts.within) return { replayed: false, dossier: await this.load(dossierId) };
    return {
      replayed: false,
      dossier: {
        id: dossierId,
        code,
        status: DossierStatus.SUBMITTED,
        statusCode: STATUS_CODE.SUBMITTED,
        statusLabel: STATUS_LABEL_VI.SUBMITTED,
        serviceLevel: plan.procedure.serviceLevel,
        procedureCode: plan.procedure.code,
        procedureVersion: plan.procedure.version,
        agencyCode: dto.agencyCode,
        competentAgencyCode: plan.competentAgencyCode,
        applicant: plan.applicant,
        formData: dto.formData ?? {},
        attachments: attachments.map(attachmentView),
        resultDelivery: dto.resultDelivery,
        channel: plan.channel,
        flags: {
          channel: plan.channel,
          digitised: params[26] as boolean,
          reused: params[27] as boolean,
          electronicResult: false,
          resultForm: null,
          applicantVneid: plan.applicantVneid,
        },
        filedBy: { kind: user.kind, id: user.id },
        submittedAt: now.toISOString(),
        version: 1,
        receivedAt: null,
        stepIndex: null,
        stepAssigneeId: null,
        supplement: null,
        rescheduled: false,
        result: null,
        returned: null,
      },
    };
  }

  /** The dossier's row if the caller may see it; 404 otherwise (existence does not leak). */
  findVisibleRow(user: AuthUser, idOrCode: string): Promise<DossierRow> {
    return this.records.findVisibleRow(user, idOrCode);
  }

  /** The row of a dossier code, for the public lookup (which shows no personal data). */
  findByCode(code: string): Promise<DossierRow | undefined> {
    return this.records.findByCode(code);
  }

  /** The row by id, inside the caller's transaction when given one. */
  findRowById(id: string, em?: EntityManager): Promise<DossierRow> {
    return this.records.findRowById(id, em);
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
    if (q.channel) add((p) => `d.channel = ${p}`, q.channel);
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

  history(user: AuthUser, idOrCode: string): Promise<DossierHistory> {
    return this.records.history(user, idOrCode);
  }

  private async replayed(scope: string, key: string, requestHash: string): Promise<SubmitResult | null> {
    const earlier = await readIdempotentSubmission(this.db, scope, key);
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) {
      throw DossierErrors.IDEMPOTENCY_KEY_REUSED([{ field: 'Idempotency-Key', message: 'already used with another body' }]);
    }
    return { dossier: await this.load(earlier.dossierId), replayed: true };
  }

  private async load(id: string): Promise<DossierView> {
    return toView(await this.findRowById(id));
  }

  /** Every rule a submission must pass, checked before anything is written. */
  private async checkSubmission(user: AuthUser, dto: SubmitDossierDto, shareCode: string | undefined) {
    const channel = refuseUnless(channelFor(user, dto.channel));
    const officer = channel !== 'ONLINE';
    if (user.kind === 'api-key') {
      requireScope(user, 'dossiers:write');
      if (!mayActForAgency(user, dto.agencyCode)) throw DossierErrors.AGENCY_NOT_ALLOWED([{ field: 'agencyCode', message: 'not covered by the API key' }]);
    }
    if (officer && user.agencyCode !== dto.agencyCode) {
      throw DossierErrors.NOT_YOUR_CENTRE([{ field: 'agencyCode', message: `you receive at ${user.agencyCode ?? 'no centre'}` }]);
    }
    if (dto.accept && !officer) {
      throw CommonErrors.VALIDATION_FAILED(
        'Chỉ cán bộ tiếp nhận tại quầy mới tiếp nhận ngay',
        'Only a reception officer filing COUNTER or POSTAL accepts in the same step',
        [{ field: 'accept', message: 'only for COUNTER or POSTAL filings' }],
      );
    }
    if (officer && !dto.applicant.dateOfBirth) {
      // The officer copies the identity off the card: the CCCD is checked against the birth date.
      throw CommonErrors.VALIDATION_FAILED('Cần ngày sinh như trên thẻ căn cước', 'The applicant’s date of birth, as on the ID card, is required', [
        { field: 'applicant.dateOfBirth', message: 'required for COUNTER and POSTAL filings' },
      ]);
    }
    const problem = checkCccd(dto.applicant.idNumber, dto.applicant.dateOfBirth);
    if (problem) throw AuthErrors.INVALID_ID_NUMBER(problem, [{ field: 'applicant.idNumber', message: CCCD_MESSAGES[problem] }]);
    if (dto.identityCheckId) {
      // The card is seen only at the counter: a posted copy or an online filing proves nothing by it.
      if (channel !== 'COUNTER') {
        throw CommonErrors.VALIDATION_FAILED(
          'Chỉ hồ sơ nộp trực tiếp tại quầy dùng lượt kiểm tra thẻ',
          'A card check proves a COUNTER filing by the officer who saw the card',
          [{ field: 'identityCheckId', message: 'only for COUNTER filings' }],
        );
      }
      await this.identityChecks.assertUsableForFiling(user, dto.identityCheckId, dto.applicant.idNumber);
    }

    const { procedure, receiving, candidates } = await this.placement(dto.procedureCode, dto.agencyCode);
    if (!procedure) throw CatalogErrors.UNKNOWN_PROCEDURE(dto.procedureCode, [{ field: 'procedureCode', message: 'no such procedure' }]);
    if (!receiving || !receiving.active) throw AgencyErrors.UNKNOWN_AGENCY(dto.agencyCode, [{ field: 'agencyCode', message: 'no such agency' }]);
    if (!receiving.isServiceCentre) throw DossierErrors.AGENCY_NOT_RECEIVING([{ field: 'agencyCode', message: 'not a receiving centre' }]);
    if (procedure.serviceLevel === 'FULL_ONLINE' && dto.resultDelivery === ResultDelivery.COUNTER && channel === 'ONLINE') {
      throw DossierErrors.DELIVERY_NOT_ALLOWED([{ field: 'resultDelivery', message: 'ONLINE or POSTAL for a FULL_ONLINE procedure' }]);
    }
    const competentAgencyCode = chooseCompetentAgency(candidates, receiving.code, dto.competentAgencyCode);
    const { attachments, reuse } = await this.checkAttachments(user, procedure, dto, channel, shareCode);
    const applicant: Applicant = { ...dto.applicant, fullName: dto.applicant.fullName.trim() };
    // A citizen's own filing is theirs; anyone else's filing belongs to the applicant's verified
    // identity (isDossierOwner), looked up when it is read, never to whichever account typed the CCCD.
    const ownerUserId = user.kind === 'user' && user.role === Role.CITIZEN ? user.id : null;
    const holderIdNumber = ownerUserId ? null : applicant.idNumber;
    return {
      procedure,
      competentAgencyCode,
      applicant,
      ownerUserId,
      holderIdNumber,
      channel,
      attachments,
      reuse,
      applicantVneid: await this.applicantVneid(user, applicant.idNumber),
    };
  }

  /**
   * Whether the applicant's identity is proven through VNeID, as the portal's flag reads it when
   * the dossier is filed: the filing citizen's own account, or (filed by someone else) the verified
   * account of the applicant's CCCD. A verified account does not lose its VNeID proof, so a yes is cached.
   */
  private async applicantVneid(user: AuthUser, idNumber: string): Promise<boolean> {
    if (user.kind === 'user' && user.role === Role.CITIZEN && (!user.identityVerified || user.idNumber !== idNumber)) return false;
    if (this.vneid.get(idNumber)) return true;
    const account = await this.users.findVerifiedByIdNumber(idNumber);
    const yes = account?.identityMethod === 'VNEID';
    if (yes) this.vneid.set(idNumber, true);
    return yes;
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

  /**
   * The components of a filing, each with its provenance: known to the procedure, every required
   * one present, each given by exactly one of fileId (the caller's own upload; a desk scan must be
   * a PDF, JPEG or PNG) and documentId (a document of the applicant's data store the caller may use,
   * of the component's type, still valid). Every failure of a kind is reported at once; nothing is written.
   */
  private async checkAttachments(
    user: AuthUser,
    procedure: ProcedureView,
    dto: SubmitDossierDto,
    channel: Channel,
    shareCode: string | undefined,
  ): Promise<{ attachments: SubmittedAttachment[]; reuse: StoreReuse | null }> {
    const known = new Set(procedure.components.map((c) => c.code));
    const details: ErrorDetail[] = [];
    dto.attachments.forEach((a, i) => {
      if (!known.has(a.componentCode))
        details.push({ field: `attachments[${i}].componentCode`, message: `unknown component ${a.componentCode} of ${procedure.code}` });
    });
    if (details.length) throw DossierErrors.UNKNOWN_COMPONENT(details);
    dto.attachments.forEach((a, i) => {
      if (!a.fileId === !a.documentId) details.push({ field: `attachments[${i}]`, message: 'give exactly one of fileId and documentId' });
    });
    if (details.length) throw DossierErrors.ATTACHMENT_FILE_OR_DOCUMENT(details);
    const attached = new Set(dto.attachments.map((a) => a.componentCode));
    const missing = procedure.components.filter((c) => isRequiredOnChannel(c, channel) && !attached.has(c.code));
    if (missing.length) {
      throw DossierErrors.MISSING_COMPONENT(
        missing.map((c) => c.code),
        missing.map((c) => ({ field: 'attachments', componentCode: c.code, message: `required: ${c.name}` })),
      );
    }
    const sources = dto.attachments.map((a, i) => (a.documentId ? ('REUSED' as const) : refuseUnless(sourceFor(user, a.source, `attachments[${i}].source`))));
    const today = vietnamDate(this.clock.now());
    dto.attachments.forEach((a, i) => {
      if (a.fileId && a.validUntil && a.validUntil < today)
        details.push({ field: `attachments[${i}].validUntil`, message: `${a.validUntil} is before today (${today})` });
    });
    if (details.length) throw DossierErrors.DOCUMENT_ALREADY_EXPIRED(details);

    const fileIds = dto.attachments.flatMap((a) => (a.fileId ? [a.fileId] : []));
    // The hot path (an online filing) asks only which files are the caller's; a desk scan also needs their types.
    const scans = sources.includes('SCANNED');
    const owned = scans
      ? new Map((await this.files.findOwnedBy(fileIds, user)).map((f) => [f.id, f.contentType]))
      : new Map([...(await this.files.ownedIds(fileIds, user))].map((id) => [id, '']));
    dto.attachments.forEach((a, i) => {
      if (a.fileId && !owned.has(a.fileId)) details.push({ field: `attachments[${i}].fileId`, message: 'no such file uploaded by you' });
    });
    if (details.length) throw FileErrors.UNKNOWN_FILE(details);
    dto.attachments.forEach((a, i) => {
      const type = a.fileId ? owned.get(a.fileId)! : '';
      if (sources[i] === 'SCANNED' && !SCAN_TYPES.includes(type))
        details.push({ field: `attachments[${i}].fileId`, message: `a scan is PDF, JPEG or PNG; this file is ${type}` });
    });
    if (details.length) throw DossierErrors.SCAN_TYPE_NOT_ALLOWED(details);

    const { documents, reuse } = await this.store.resolveForReuse(
      user,
      dto.applicant.idNumber,
      procedure,
      dto.attachments.flatMap((a, i) => (a.documentId ? [{ index: i, documentId: a.documentId, componentCode: a.componentCode }] : [])),
      shareCode,
    );
    const reused = new Map(documents.map((r) => [r.index, r]));
    const attachments = dto.attachments.map((a, i): SubmittedAttachment => {
      const doc = reused.get(i);
      if (doc)
        return {
          componentCode: a.componentCode,
          fileId: doc.fileId,
          source: 'REUSED',
          documentId: doc.documentId,
          issuedOn: doc.issuedOn,
          validUntil: doc.validUntil,
        };
      const source = sources[i];
      return {
        componentCode: a.componentCode,
        fileId: a.fileId!,
        source,
        ...(source === 'SCANNED' ? { scannedById: user.id } : {}),
        ...(source === 'STATE_DATA' && a.stateDataRef ? { stateDataRef: a.stateDataRef } : {}),
        ...(a.issuedOn ? { issuedOn: a.issuedOn } : {}),
        ...(a.validUntil ? { validUntil: a.validUntil } : {}),
      };
    });
    return { attachments, reuse };
  }
}

/** A refusal of the intake rules as the error it answers with. */
function refuseUnless<T extends string>(r: T | IntakeRefusal): T {
  if (typeof r === 'string') return r;
  if (r.code === 'FORBIDDEN') throw CommonErrors.FORBIDDEN('Chỉ công dân, hệ thống tích hợp hoặc cán bộ tiếp nhận được nộp hồ sơ', r.message);
  if (r.code === 'CHANNEL_NOT_ALLOWED') throw DossierErrors.CHANNEL_NOT_ALLOWED([{ field: r.field, message: r.message }]);
  throw DossierErrors.SOURCE_NOT_ALLOWED([{ field: r.field, message: r.message }]);
}

/** The API's view of one attachment. */
export function attachmentView(
  a: Pick<AttachmentRow, 'componentCode' | 'fileId' | 'source'> & Partial<AttachmentRow> & { scannedById?: string | null },
): DossierView['attachments'][number] {
  return {
    componentCode: a.componentCode,
    fileId: a.fileId,
    source: a.source ?? 'UPLOADED',
    scannedBy: a.scannedBy ?? a.scannedById ?? null,
    scannedAt: a.scannedAt ? new Date(a.scannedAt).toISOString() : null,
    documentId: a.documentId ?? null,
    stateDataRef: a.stateDataRef ?? null,
  };
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
    attachments: (r.attachments ?? []).map(attachmentView),
    resultDelivery: r.result_delivery,
    channel: r.channel,
    flags: {
      channel: r.channel,
      digitised: r.digitised,
      reused: r.reused,
      electronicResult: r.electronic_result,
      resultForm: r.result_form,
      applicantVneid: r.applicant_vneid,
    },
    filedBy: { kind: r.submitted_by_kind, id: r.submitted_by_id },
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
