import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../../agencies/agencies.service.js';
import { IdentityChecksService } from '../../auth/identity-checks.service.js';
import type { AuthUser } from '../../common/auth-context.js';
import { decodeCursor, DEFAULT_PAGE_SIZE, pageOf, type Page } from '../../common/pagination.js';

/** What staff did with a person's store: listed it, reused a document in a filing, downloaded a reused file. */
export type StoreReadAction = 'LISTED' | 'REUSED' | 'DOWNLOADED';

/** One line of a person's access log, as it is written. */
export interface StoreAccess {
  holderIdNumber: string;
  action: StoreReadAction | 'IDENTITY_CHECKED';
  actor: AuthUser;
  at: Date;
  dossier: { id: string; code: string } | null;
  shareCodeId: string | null;
  documentIds: string[];
  detail?: Record<string, unknown>;
}

/** One line of the access log as the citizen reads it: who by name, role and agency, never an internal id. */
export interface AccessLogEntryView {
  at: string;
  action: string;
  by: { name: string; role: string; agencyCode: string | null; agencyName: string | null };
  dossier: { id: string; code: string } | null;
  shareCodeId: string | null;
  documents: Array<{ id: string; type: { code: string; name: string; procedureCode: string } }>;
  identityCheck: { method: string; cardIssuedOn: string; accountVerified: boolean } | null;
}

interface EntryRow {
  id: string;
  at: Date;
  action: string;
  actor_name: string;
  actor_role: string;
  actor_agency_code: string | null;
  dossier_id: string | null;
  dossier_code: string | null;
  share_code_id: string | null;
  document_ids: string[];
  detail: Record<string, unknown> | null;
}

/**
 * The person's access log (`store_access_log`): every read of their store by staff and every check
 * of their card at a desk, written in the transaction of what it records, only ever added to.
 */
@Injectable()
export class StoreAccessLog implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(IdentityChecksService) private readonly identityChecks: IdentityChecksService,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
  ) {}

  onModuleInit(): void {
    // A card check is the citizen's business too: it is what lets a filing's scans into their store.
    this.identityChecks.onRecorded((em, c) =>
      this.record(em, [
        {
          holderIdNumber: c.idNumber,
          action: 'IDENTITY_CHECKED',
          actor: c.officer,
          at: c.checkedAt,
          dossier: null,
          shareCodeId: null,
          documentIds: [],
          detail: { identityCheckId: c.id, method: c.method, cardIssuedOn: c.cardIssuedOn, accountVerified: c.accountVerified },
        },
      ]),
    );
  }

  async record(em: EntityManager, entries: StoreAccess[]): Promise<void> {
    if (entries.length === 0) return;
    await em.query(
      `INSERT INTO store_access_log (holder_id_number, at, action, actor_user_id, actor_name, actor_role, actor_agency_code, dossier_id, dossier_code, share_code_id, document_ids, detail)
       SELECT t.holder, t.at, t.action, t.actor, t.name, t.role, t.agency, t.dossier, t.code, t.share, ARRAY(SELECT jsonb_array_elements_text(t.docs))::uuid[], t.detail
         FROM jsonb_to_recordset($1::jsonb) AS t(holder varchar, at timestamptz, action varchar, actor uuid, name varchar, role varchar, agency varchar,
           dossier uuid, code varchar, share uuid, docs jsonb, detail jsonb)`,
      [
        JSON.stringify(
          entries.map((e) => ({
            holder: e.holderIdNumber,
            at: e.at.toISOString(),
            action: e.action,
            actor: e.actor.id,
            name: e.actor.fullName ?? e.actor.username,
            role: e.actor.role,
            agency: e.actor.agencyCode ?? null,
            dossier: e.dossier?.id ?? null,
            code: e.dossier?.code ?? null,
            share: e.shareCodeId,
            docs: e.documentIds,
            detail: e.detail ?? null,
          })),
        ),
      ],
    );
  }

  /** GET /me/documents/access-log: newest first. */
  async page(holderIdNumber: string, q: { cursor?: string; limit?: number }): Promise<Page<AccessLogEntryView>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
    const rows: EntryRow[] = await this.db.query(
      `SELECT id, at, action, actor_name, actor_role, actor_agency_code, dossier_id, dossier_code, share_code_id, document_ids, detail
         FROM store_access_log
        WHERE holder_id_number = $1 AND ($2::timestamptz IS NULL OR (at, id) < ($2::timestamptz, $3::bigint))
        ORDER BY at DESC, id DESC LIMIT $4`,
      [holderIdNumber, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const docIds = [...new Set(rows.flatMap((r) => r.document_ids))];
    const docs = new Map<string, { code: string; name: string; procedureCode: string }>(
      docIds.length === 0
        ? []
        : (
            (await this.db.query('SELECT id, type_code, type_name, procedure_code FROM person_documents WHERE id = ANY($1::uuid[])', [docIds])) as Array<{
              id: string;
              type_code: string;
              type_name: string;
              procedure_code: string;
            }>
          ).map((d) => [d.id, { code: d.type_code, name: d.type_name, procedureCode: d.procedure_code }]),
    );
    const agencyNames = new Map<string, string | null>();
    for (const code of new Set(rows.flatMap((r) => (r.actor_agency_code ? [r.actor_agency_code] : []))))
      agencyNames.set(code, (await this.agencies.findByCode(code))?.name ?? null);
    const page = pageOf(rows, limit, (r) => [new Date(r.at).toISOString(), r.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((r) => ({
        at: new Date(r.at).toISOString(),
        action: r.action,
        by: {
          name: r.actor_name,
          role: r.actor_role,
          agencyCode: r.actor_agency_code,
          agencyName: r.actor_agency_code ? (agencyNames.get(r.actor_agency_code) ?? null) : null,
        },
        dossier: r.dossier_id ? { id: r.dossier_id, code: r.dossier_code! } : null,
        shareCodeId: r.share_code_id,
        documents: r.document_ids.filter((id) => docs.has(id)).map((id) => ({ id, type: docs.get(id)! })),
        identityCheck:
          r.action === 'IDENTITY_CHECKED' && r.detail
            ? { method: String(r.detail.method), cardIssuedOn: String(r.detail.cardIssuedOn), accountVerified: r.detail.accountVerified === true }
            : null,
      })),
    };
  }
}
