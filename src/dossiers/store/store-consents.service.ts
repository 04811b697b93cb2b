import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../../agencies/agencies.service.js';
import { AgencyErrors } from '../../agencies/agencies.errors.js';
import { AuthErrors } from '../../auth/auth.errors.js';
import { UsersService } from '../../auth/users.service.js';
import { Role, STAFF_ROLES, type AuthUser } from '../../common/auth-context.js';
import { Clock } from '../../common/clock.js';
import { CommonErrors } from '../../common/common.errors.js';
import type { ErrorDetail } from '../../common/errors.js';
import { AppConfig } from '../../config/app-config.js';
import { FINAL_STATUSES, type DossierStatus } from '../../dossier-record/dossier-status.js';
import { DossierErrors } from '../dossiers.errors.js';
import { newShareCode, normaliseShareCode, shareCodeHash, shareCodeQrPayload, shareCodeRefusal, type ShareBinding, type ShareCodeState } from './share-code.js';
import { StoreErrors } from './store.errors.js';
import { readDossierHeaders } from '../../dossier-record/journal.js';

export const SHARE_CODE_HEADER = 'X-Share-Code';
export const DEFAULT_SHARE_CODE_USES = 3;

/** What the citizen asks for (validated by the DTO at the edge). */
export interface ShareCodeRequest {
  dossier?: { id: string; code: string; status: DossierStatus };
  officer?: string;
  agencyCode?: string;
  documentIds?: string[];
  minutes?: number;
  maxUses?: number;
}

export interface ShareCodeView {
  id: string;
  boundTo: { kind: ShareBinding['kind']; dossierId: string | null; dossierCode: string | null; officerName: string | null; agencyCode: string | null };
  documentIds: string[] | null;
  maxUses: number;
  uses: number;
  status: 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'USED_UP';
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A code opened by staff: whose store, and what of it the consent covers (null: all of it). */
export interface OpenConsent {
  id: string;
  holderIdNumber: string;
  documentIds: string[] | null;
}

interface CodeRow {
  id: string;
  holder_id_number: string;
  bound_dossier_id: string | null;
  bound_officer_id: string | null;
  bound_agency_code: string | null;
  document_ids: string[] | null;
  max_uses: number;
  uses: number;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const CODE_COLUMNS =
  'id, holder_id_number, bound_dossier_id, bound_officer_id, bound_agency_code, document_ids, max_uses, uses, created_at, expires_at, revoked_at, last_used_at';

const isStaff = (u: AuthUser) => u.kind === 'user' && (STAFF_ROLES as readonly Role[]).includes(u.role);

/**
 * Consents to open a person's data store (`store_share_codes`): the citizen makes, lists and
 * revokes them from their verified account; staff present the code (header X-Share-Code) and each
 * use is counted in the transaction of the read it allows.
 */
@Injectable()
export class StoreConsentsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
  ) {}

  /** POST /me/documents/share-codes: the code itself is shown this once. */
  async create(user: AuthUser, req: ShareCodeRequest): Promise<ShareCodeView & { code: string; qrPayload: string }> {
    const holder = verifiedIdNumber(user);
    const given = [req.dossier, req.officer, req.agencyCode].filter((v) => v !== undefined).length;
    if (given !== 1) throw StoreErrors.SHARE_BINDING_INVALID([{ field: 'dossier', message: 'give exactly one of dossier, officer, agencyCode' }]);
    let binding: ShareBinding;
    if (req.dossier) {
      if (FINAL_STATUSES.includes(req.dossier.status))
        throw StoreErrors.UNKNOWN_DOSSIER([{ field: 'dossier', message: `the dossier is ${req.dossier.status}` }]);
      binding = { kind: 'DOSSIER', dossierId: req.dossier.id };
    } else if (req.officer) {
      const officer = await this.users.findByUsername(req.officer.trim().toLowerCase());
      if (!officer || !officer.active || !(STAFF_ROLES as readonly Role[]).includes(officer.role)) {
        throw StoreErrors.UNKNOWN_OFFICER([{ field: 'officer', message: 'no active reception officer, specialist or leader' }]);
      }
      binding = { kind: 'OFFICER', officerId: officer.id };
    } else {
      const agency = await this.agencies.findByCode(req.agencyCode!);
      if (!agency || !agency.active) throw AgencyErrors.UNKNOWN_AGENCY(req.agencyCode!, [{ field: 'agencyCode', message: 'no such agency' }]);
      binding = { kind: 'AGENCY', agencyCode: agency.code };
    }
    const documentIds = req.documentIds ? [...new Set(req.documentIds)] : null;
    if (documentIds) await this.assertOwnDocuments(holder, req.documentIds!);
    const longest = this.config.dataStore.shareCodeMinutes;
    const minutes = req.minutes ?? longest;
    if (minutes > longest) {
      throw CommonErrors.VALIDATION_FAILED(`Mã chia sẻ có hiệu lực tối đa ${longest} phút`, `A share code lives at most ${longest} minutes`, [
        { field: 'minutes', message: `at most ${longest}` },
      ]);
    }
    const now = this.clock.now();
    const code = newShareCode();
    const [row]: CodeRow[] = await this.db.query(
      `INSERT INTO store_share_codes (holder_id_number, created_by_user_id, code_hash, bound_dossier_id, bound_officer_id, bound_agency_code, document_ids, max_uses, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9, $10) RETURNING ${CODE_COLUMNS}`,
      [
        holder,
        user.id,
        shareCodeHash(normaliseShareCode(code)!),
        binding.kind === 'DOSSIER' ? binding.dossierId : null,
        binding.kind === 'OFFICER' ? binding.officerId : null,
        binding.kind === 'AGENCY' ? binding.agencyCode : null,
        documentIds,
        req.maxUses ?? DEFAULT_SHARE_CODE_USES,
        now,
        new Date(now.getTime() + minutes * 60_000),
      ],
    );
    return { code, qrPayload: shareCodeQrPayload(normaliseShareCode(code)!), ...(await this.views([row]))[0] };
  }

  /** GET /me/documents/share-codes: the citizen's codes, newest first, with what became of each. */
  async mine(user: AuthUser): Promise<ShareCodeView[]> {
    const rows: CodeRow[] = await this.db.query(
      `SELECT ${CODE_COLUMNS} FROM store_share_codes WHERE holder_id_number = $1 ORDER BY created_at DESC, id DESC LIMIT 100`,
      [verifiedIdNumber(user)],
    );
    return this.views(rows);
  }

  /** DELETE /me/documents/share-codes/{id}: revoked at once (again: unchanged). */
  async revoke(user: AuthUser, id: string): Promise<ShareCodeView> {
    const holder = verifiedIdNumber(user);
    const rows: CodeRow[] = await this.db.query(
      `WITH r AS (UPDATE store_share_codes SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND holder_id_number = $2 RETURNING ${CODE_COLUMNS}) SELECT * FROM r`,
      [id, holder, this.clock.now()],
    );
    if (rows.length === 0) throw StoreErrors.SHARE_CODE_NOT_FOUND();
    return (await this.views(rows))[0];
  }

  /**
   * The consent a staff member presents, checked (not yet counted): for the store of `holder` (unset:
   * whoever's code it is), through `dossierId` when read for an open dossier.
   */
  async open(user: AuthUser, presented: string, ctx: { holderIdNumber?: string; dossierId?: string }): Promise<OpenConsent> {
    const field = SHARE_CODE_HEADER;
    if (!isStaff(user)) throw CommonErrors.FORBIDDEN('Chỉ cán bộ dùng mã chia sẻ của công dân', "Only staff present a citizen's share code");
    const normal = normaliseShareCode(presented);
    const [row]: CodeRow[] = normal ? await this.db.query(`SELECT ${CODE_COLUMNS} FROM store_share_codes WHERE code_hash = $1`, [shareCodeHash(normal)]) : [];
    const refusal = shareCodeRefusal(row && stateOf(row), { ...ctx, staff: { id: user.id, agencyCode: user.agencyCode ?? null }, now: this.clock.now() });
    if (refusal) throw StoreErrors[refusal]([{ field, message: 'ask the citizen for a new share code' }]);
    return { id: row.id, holderIdNumber: row.holder_id_number, documentIds: row.document_ids };
  }

  /** Counts one use of an opened consent, in the transaction of the read it allows; a use lost to a race or a revocation refuses the read. */
  async use(em: EntityManager, consent: OpenConsent, now: Date): Promise<void> {
    const used: unknown[] = await em.query(
      `WITH u AS (UPDATE store_share_codes SET uses = uses + 1, last_used_at = $2 WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 AND uses < max_uses RETURNING id)
       SELECT id FROM u`,
      [consent.id, now],
    );
    if (used.length === 0) {
      const [row]: CodeRow[] = await em.query(`SELECT ${CODE_COLUMNS} FROM store_share_codes WHERE id = $1`, [consent.id]);
      const state = stateOf(row);
      const why = state.revokedAt ? 'SHARE_CODE_REVOKED' : now.getTime() >= state.expiresAt.getTime() ? 'SHARE_CODE_EXPIRED' : 'SHARE_CODE_USED_UP';
      throw StoreErrors[why]([{ field: SHARE_CODE_HEADER, message: 'ask the citizen for a new share code' }]);
    }
  }

  private async assertOwnDocuments(holder: string, ids: string[]): Promise<void> {
    const found = new Set(
      (
        (await this.db.query('SELECT id FROM person_documents WHERE holder_id_number = $1 AND id = ANY($2::uuid[])', [holder, ids])) as Array<{ id: string }>
      ).map((r) => r.id),
    );
    const missing: ErrorDetail[] = ids.flatMap((id, i) =>
      found.has(id) ? [] : [{ field: `documentIds[${i}]`, message: 'not a document of your data store' }],
    );
    if (missing.length) throw DossierErrors.UNKNOWN_DOCUMENT(missing);
  }

  private async views(rows: CodeRow[]): Promise<ShareCodeView[]> {
    const dossierIds = rows.flatMap((r) => (r.bound_dossier_id ? [r.bound_dossier_id] : []));
    const codes = new Map((await readDossierHeaders(this.db, dossierIds)).map((d) => [d.id, d.code]));
    const officers = new Map<string, { name: string; agencyCode: string | null }>();
    for (const id of new Set(rows.flatMap((r) => (r.bound_officer_id ? [r.bound_officer_id] : [])))) {
      const u = await this.users.findById(id);
      officers.set(id, { name: u?.fullName ?? '', agencyCode: u?.agencyCode ?? null });
    }
    const now = this.clock.now();
    return rows.map((r) => {
      const s = stateOf(r);
      const officer = r.bound_officer_id ? officers.get(r.bound_officer_id) : undefined;
      return {
        id: r.id,
        boundTo: {
          kind: s.binding.kind,
          dossierId: r.bound_dossier_id,
          dossierCode: r.bound_dossier_id ? (codes.get(r.bound_dossier_id) ?? null) : null,
          officerName: officer?.name ?? null,
          agencyCode: r.bound_agency_code ?? officer?.agencyCode ?? null,
        },
        documentIds: r.document_ids,
        maxUses: r.max_uses,
        uses: r.uses,
        status: s.revokedAt ? 'REVOKED' : now.getTime() >= s.expiresAt.getTime() ? 'EXPIRED' : s.uses >= s.maxUses ? 'USED_UP' : 'ACTIVE',
        createdAt: new Date(r.created_at).toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
        lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
      };
    });
  }
}

function stateOf(r: CodeRow): ShareCodeState {
  const binding: ShareBinding = r.bound_dossier_id
    ? { kind: 'DOSSIER', dossierId: r.bound_dossier_id }
    : r.bound_officer_id
      ? { kind: 'OFFICER', officerId: r.bound_officer_id }
      : { kind: 'AGENCY', agencyCode: r.bound_agency_code! };
  return {
    holderIdNumber: r.holder_id_number,
    binding,
    expiresAt: new Date(r.expires_at),
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
    uses: r.uses,
    maxUses: r.max_uses,
  };
}

/** The caller's proven CCCD: only a verified citizen account has a store to share. */
export function verifiedIdNumber(user: AuthUser): string {
  if (user.kind !== 'user' || user.role !== Role.CITIZEN || !user.identityVerified || !user.idNumber) throw AuthErrors.IDENTITY_NOT_VERIFIED();
  return user.idNumber;
}
