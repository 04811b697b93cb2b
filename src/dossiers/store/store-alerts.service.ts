import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { UsersService } from '../../auth/users.service.js';
import { Role, type AuthUser } from '../../common/auth-context.js';
import { vietnamDate } from '../../common/clock.js';
import { CommonErrors } from '../../common/common.errors.js';
import { AppConfig } from '../../config/app-config.js';
import { NotificationsService } from '../../notifications/notifications.service.js';
import type { DossierRow } from '../dossiers.service.js';
import { dossierCodesAndStatuses, DOSSIERS_AS_D } from '../../dossier-record/dossier-records.js';
import { USERS_AS_U } from '../../auth/users.sql.js';

/** The one pattern flagged so far: counter or postal filings of one officer and day, for many distinct CCCDs, refused or withdrawn. */
export const REFUSED_FILINGS = 'REFUSED_FILINGS';
export const STORE_ALERT_NOTICE = 'STORE_ALERT';

export interface StoreAlertView {
  kind: string;
  day: string;
  officer: { id: string; name: string; username: string | null };
  distinctIdNumbers: number;
  dossiers: Array<{ id: string; code: string; status: string }>;
  firstFlaggedAt: string;
  updatedAt: string;
}

/**
 * Unusual patterns for a centre's leaders (`store_alerts`). Filing a throw-away counter dossier
 * for a stranger's CCCD is how an officer would peek into their store; the officer then refuses
 * it. So when an officer's counter or postal filing ends refused or withdrawn, the distinct CCCDs
 * of that officer's filings of the same Vietnam day that ended so are counted, and from
 * STORE_ALERT_REFUSED_PER_DAY on the day is flagged and the centre's leaders told (once per day).
 */
@Injectable()
export class StoreAlertsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  /** In the transaction of a refusal or withdrawal of `row` (before its status is written). */
  async noteEnded(
    em: EntityManager,
    row: Pick<DossierRow, 'id' | 'channel' | 'submitted_by_kind' | 'submitted_by_id' | 'submitted_at' | 'receiving_agency_code'>,
    now: Date,
  ): Promise<void> {
    if (row.channel === 'ONLINE' || row.submitted_by_kind !== 'user') return;
    const day = vietnamDate(new Date(row.submitted_at));
    // One count at a time per officer and day, so two refusals at once cannot both miss the threshold.
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`store-alert:${row.submitted_by_id}:${day}`]);
    const [{ n, ids }] = (await em.query(
      `SELECT count(DISTINCT d.holder_id_number)::int AS n, array_agg(d.id ORDER BY d.submitted_at, d.id) AS ids FROM ${DOSSIERS_AS_D}
        WHERE d.receiving_agency_code = $1 AND d.channel IN ('COUNTER', 'POSTAL')
          AND d.submitted_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AND d.submitted_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
          AND d.submitted_by_kind = 'user' AND d.submitted_by_id = $3 AND (d.status IN ('REFUSED', 'WITHDRAWN') OR d.id = $4)`,
      [row.receiving_agency_code, day, row.submitted_by_id, row.id],
    )) as Array<{ n: number; ids: string[] }>;
    if (n < this.config.dataStore.alertRefusedPerDay) return;
    const [alert] = (await em.query(
      `INSERT INTO store_alerts (kind, officer_id, day, agency_code, distinct_id_numbers, dossier_ids, first_flagged_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7, $7)
       ON CONFLICT (kind, officer_id, day) DO UPDATE SET distinct_id_numbers = EXCLUDED.distinct_id_numbers, dossier_ids = EXCLUDED.dossier_ids, updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS created`,
      [REFUSED_FILINGS, row.submitted_by_id, day, row.receiving_agency_code, n, ids, now],
    )) as Array<{ created: boolean }>;
    if (!alert.created) return;
    const officer = await this.users.findById(row.submitted_by_id);
    const leaders = await this.users.activeStaff(row.receiving_agency_code, Role.LEADER);
    const payload = { kind: REFUSED_FILINGS, day, officerName: officer?.fullName ?? null, distinctIdNumbers: n, agencyCode: row.receiving_agency_code };
    await this.notifications.store(
      em,
      leaders.map((l) => ({ recipientKind: 'user' as const, recipientId: l.id, kind: STORE_ALERT_NOTICE, dossierId: null, payload, at: now })),
    );
  }

  /** GET /agencies/{code}/store-alerts: the centre's own leaders (and administrators), newest day first. */
  async ofAgency(user: AuthUser, agencyCode: string, q: { from?: string; to?: string }): Promise<StoreAlertView[]> {
    if (user.role !== Role.ADMIN && user.agencyCode !== agencyCode) {
      throw CommonErrors.FORBIDDEN('Chỉ lãnh đạo của trung tâm xem cảnh báo của trung tâm', "Only the centre's own leaders see its alerts");
    }
    const rows: Array<{
      kind: string;
      day: string;
      officer_id: string;
      full_name: string | null;
      username: string | null;
      distinct_id_numbers: number;
      dossier_ids: string[];
      first_flagged_at: Date;
      updated_at: Date;
    }> = await this.db.query(
      `SELECT a.kind, to_char(a.day, 'YYYY-MM-DD') AS day, a.officer_id, u.full_name, u.username, a.distinct_id_numbers, a.dossier_ids, a.first_flagged_at, a.updated_at
         FROM store_alerts a LEFT JOIN ${USERS_AS_U} ON u.id = a.officer_id
        WHERE a.agency_code = $1 AND ($2::date IS NULL OR a.day >= $2::date) AND ($3::date IS NULL OR a.day <= $3::date)
        ORDER BY a.day DESC, a.updated_at DESC LIMIT 200`,
      [agencyCode, q.from ?? null, q.to ?? null],
    );
    const ids = [...new Set(rows.flatMap((r) => r.dossier_ids))];
    const dossiers = new Map((await dossierCodesAndStatuses(this.db, ids)).map((d) => [d.id, d]));
    return rows.map((r) => ({
      kind: r.kind,
      day: r.day,
      officer: { id: r.officer_id, name: r.full_name ?? '', username: r.username },
      distinctIdNumbers: r.distinct_id_numbers,
      dossiers: r.dossier_ids.flatMap((id) => (dossiers.has(id) ? [dossiers.get(id)!] : [])),
      firstFlaggedAt: new Date(r.first_flagged_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }
}
