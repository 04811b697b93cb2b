import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { Clock, vietnamDate } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { kindSummary, latestPayloadFields, targetSummaries } from '../delivery/delivery-reads.js';
import { DeliveryEngine, type NewDelivery } from '../delivery/delivery-engine.js';
import { postJson } from '../delivery/http-post.js';
import { DOSSIER_UPDATED_TOPIC, STATUS_CHANGED_TOPIC, type StatusChangedPayload } from '../dossier-record/dossier-status.js';
import { DossierRecords } from '../dossier-record/dossier-records.js';
import { readDossierHeader, readDossierHistory, readDossiersFiledOn } from '../dossier-record/journal.js';
import { Outbox } from '../outbox/outbox.js';
import { PAYMENT_TOPICS } from '../payments/payment-topics.js';
import { PortalAdapter, PORTAL_TARGET } from './portal-adapter.js';
import { PORTAL_MAPPING_VERSION, portalTime, toPortalRecord, type PortalFeesProvider } from './portal-mapping.js';
import { eventOfChange, snapshotAsOf, statusChangeOf, type DossierFacts, type HistoryEvent } from './portal-snapshot.js';
import { PortalSyncErrors } from './portal-sync.errors.js';
import { EVENT } from '../dossier-record/event-types.js';
import { Scheduler } from '../scheduler/scheduler.js';

export interface SyncStateQuery {
  state?: 'PENDING' | 'DEAD' | 'SYNCED';
  agencyCode?: string;
  dossierCode?: string;
  limit: number;
}

export interface ReconcileReport {
  days: string[];
  compared: Array<{ agencyCode: string; day: string; ours: number; portal: number | null }>;
  repushed: number;
}

/**
 * Keeps the national portal in sync: every status change of a dossier (observed on the outbox's
 * status topic, which the notifier handles) becomes one push to the delivery engine, built from
 * the dossier's history as of that change, in the order of its history and deduplicated (a relay pass run
 * twice, e.g. after a Redis outage, adds nothing). Also: the admins' view of the sync, manual
 * re-push, and the daily reconciliation of counts per agency and day with the portal's.
 */
@Injectable()
export class PortalSyncService {
  private readonly log = new Logger('PortalSync');
  private fees: PortalFeesProvider | null = null;
  private reconciling?: Promise<ReconcileReport>;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DeliveryEngine) private readonly engine: DeliveryEngine,
    @Inject(DossierRecords) private readonly dossiers: DossierRecords,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(PortalAdapter) private readonly adapter: PortalAdapter,
    @Inject(Outbox) outbox: Outbox,
    @Inject(Scheduler) scheduler: Scheduler,
  ) {
    const enabled = config.portalSync.enabled;
    // Once a day at PORTAL_RECONCILE_AT (Vietnam time), on one worker of all the replicas.
    if (enabled) scheduler.register({ name: 'portal-sync.reconcile', dailyAt: config.portalSync.reconcileAt, run: () => this.reconcileNow() });
    // Status changes: always a push. Other workflow actions and payments (paid, refunded): a push
    // when the portal's record would differ from the last one sent (a re-appointment's due date,
    // a fee paid online), none for what the portal does not carry (a step claimed).
    if (enabled)
      outbox.observe(STATUS_CHANGED_TOPIC, 'portal-sync', (rows) =>
        this.ingest(rows.map((r) => ({ rowId: r.id, dossierId: r.payload.dossierId, change: r.payload, eventType: r.payload.status, onlyIfChanged: false }))),
      );
    outbox.handleWithDelivery(DOSSIER_UPDATED_TOPIC, {
      deliver: async (rows) => {
        if (enabled)
          await this.ingest(
            rows.map((r) => ({
              rowId: r.id,
              dossierId: r.payload.dossierId,
              change: r.payload,
              eventType: (r.payload.action ?? 'update').toUpperCase(),
              onlyIfChanged: true,
            })),
          );
      },
    });
    for (const [kind, topic] of [
      [EVENT.PAYMENT_PAID, PAYMENT_TOPICS.paid],
      [EVENT.PAYMENT_REFUNDED, PAYMENT_TOPICS.refunded],
    ] as const) {
      if (enabled)
        outbox.observe(topic, 'portal-sync', (rows) =>
          this.ingest(rows.map((r) => ({ rowId: r.id, dossierId: r.payload.dossierId, change: null, eventType: kind, onlyIfChanged: true }))),
        );
    }
  }

  /** The payments module registers its fee lines here (fees and whether paid online go out with every push once it does). */
  useFeesProvider(provider: PortalFeesProvider): void {
    this.fees = provider;
  }

  /**
   * One push per change, as of that change (a payment: as of now), in the order of the dossier's
   * history, whichever relay brings it. The status topic and the others are relayed apart, so a
   * workflow action or a payment can come before the status changes that preceded it: those are
   * then pushed first, each as of itself, and skipped when their own rows come; anything older than
   * what was already queued for the dossier is skipped too (the portal keeps the last write, so a
   * stale push would take it back in time). Status pushes are keyed on the dossier's history
   * sequence, so a pass run twice (its handler failed, e.g. Redis down) or two relays at once add
   * nothing. With onlyIfChanged, a change whose record equals the last one queued for the dossier
   * (the change's own time and label aside) is not pushed.
   */
  async ingest(
    items: Array<{ rowId: number | string; dossierId: string; change: StatusChangedPayload | null; eventType: string; onlyIfChanged: boolean }>,
  ): Promise<void> {
    if (items.length === 0) return;
    const dossierIds = [...new Set(items.map((i) => i.dossierId))];
    const added = await this.db.transaction(async (em) => {
      await lockDossiers(em, dossierIds);
      const queued = new Map<string, { record: string | null; through: number }>();
      for (const r of await latestPayloadFields(em, PORTAL_TARGET, dossierIds, ['record', 'throughSeq', 'asOfSeq'])) {
        const f = r.fields as { record: Record<string, unknown>; throughSeq?: number | null; asOfSeq?: number | null };
        queued.set(r.targetId, { record: comparable(f.record), through: Number(f.throughSeq ?? f.asOfSeq ?? 0) });
      }
      const loaded = new Map<string, LoadedDossier | null>();
      const deliveries: NewDelivery[] = [];
      const add = (
        push: PortalPush,
        delivery: Pick<NewDelivery, 'dedupeKey' | 'messageId' | 'eventType'>,
        last: { record: string | null; through: number },
      ) => {
        last.record = comparable(push.payload.record);
        last.through = Math.max(last.through, push.payload.throughSeq);
        deliveries.push({ ...push, ...delivery });
      };
      for (const i of items) {
        if (!loaded.has(i.dossierId)) loaded.set(i.dossierId, await this.load(i.dossierId, em));
        const d = loaded.get(i.dossierId);
        if (!d) continue;
        const last = queued.get(i.dossierId) ?? { record: null, through: 0 };
        queued.set(i.dossierId, last);
        const event = i.change ? eventOfChange(d.events, i.change) : null;
        const seq = event?.seq ?? d.events.at(-1)?.seq ?? 0;
        if (event && seq <= last.through) continue;
        // Status changes before this one that no push carried yet (their relay is behind): first, each as of itself.
        for (const e of d.events) {
          const to = statusChangeOf(e);
          if (e.seq <= last.through || e.seq > seq || !to || e.seq === event?.seq) continue;
          add(await this.build(d, e), this.statusDelivery(d, e.seq, to), last);
        }
        if (event && !i.onlyIfChanged) {
          add(await this.build(d, event), this.statusDelivery(d, event.seq, i.change!.status), last);
          continue;
        }
        const push = await this.build(d, event);
        if (comparable(push.payload.record) === last.record) continue;
        add(push, { dedupeKey: `outbox:${i.rowId}`, messageId: `change:${i.rowId}`, eventType: i.eventType }, last);
      }
      return this.engine.enqueue(em, deliveries);
    });
    if (added > 0) this.engine.kick();
  }

  private statusDelivery(d: LoadedDossier, seq: number, status: string): Pick<NewDelivery, 'dedupeKey' | 'messageId' | 'eventType'> {
    return { dedupeKey: `status:${seq}`, messageId: `status:${d.facts.dossierId}:${seq}`, eventType: status };
  }

  /** What a push is built from: the dossier's fixed facts and its history (null when there is no such dossier). */
  private async load(dossierId: string, em: EntityManager): Promise<LoadedDossier | null> {
    const row = await this.dossiers.findRowById(dossierId, em).catch(() => null);
    if (!row) return null;
    const procedure = await this.catalog.getProcedureVersion(row.procedure_code, row.procedure_version);
    const { events } = await readDossierHistory(em, dossierId);
    return {
      agencyCode: row.receiving_agency_code,
      events,
      facts: {
        dossierId,
        code: row.code,
        procedureCode: row.procedure_code,
        procedureName: procedure.name,
        fieldCode: procedure.field,
        receivingAgencyCode: row.receiving_agency_code,
        competentAgencyCode: row.competent_agency_code,
        channel: row.channel,
        applicant: {
          fullName: row.applicant.fullName,
          idNumber: row.applicant.idNumber,
          phone: row.applicant.phone,
          email: row.applicant.email,
          address: row.applicant.address,
        },
        reused: row.reused,
        applicantVneid: row.applicant_vneid,
        resultFileId: row.result_file_id,
      },
    };
  }

  /** The push as of history event `event` (fees as of its instant), or a full snapshot of now when null. */
  private async build(d: LoadedDossier, event: HistoryEvent | null): Promise<PortalPush> {
    const asOf = event?.seq ?? null;
    const snapshot = snapshotAsOf(d.facts, d.events, asOf, { resultLink: (fileId) => `${this.config.publicBaseUrl}/api/v1/files/${fileId}` });
    if (this.fees) snapshot.fees = (await this.fees.feesOf([d.facts.dossierId], event?.at ?? null)).get(d.facts.dossierId);
    return {
      kind: PORTAL_TARGET,
      targetId: d.facts.dossierId,
      payload: {
        mapping: PORTAL_MAPPING_VERSION,
        dossierCode: d.facts.code,
        agencyCode: d.agencyCode,
        asOfSeq: asOf,
        throughSeq: asOf ?? d.events.at(-1)?.seq ?? 0,
        status: snapshot.status,
        record: toPortalRecord(snapshot),
      },
    };
  }

  /** Re-pushes a dossier's current state (a full snapshot), after its dead or lost pushes. */
  async repush(dossierId: string, reason: 'manual' | 'reconciliation'): Promise<{ deliveryAdded: boolean }> {
    this.requireEnabled();
    const key = `${reason}:${randomUUID()}`;
    const added = await this.db.transaction(async (em) => {
      await lockDossiers(em, [dossierId]);
      const d = await this.load(dossierId, em);
      if (!d) throw PortalSyncErrors.PORTAL_SYNC_DOSSIER_NOT_FOUND();
      return this.engine.enqueue(em, [{ ...(await this.build(d, null)), dedupeKey: key, messageId: key, eventType: 'SNAPSHOT' }]);
    });
    this.engine.kick();
    return { deliveryAdded: added > 0 };
  }

  /** Per dossier: the last change pushed, what waits, what is dead, lag and the last failure. */
  async state(q: SyncStateQuery): Promise<{ summary: Record<string, number | null>; dossiers: Array<Record<string, unknown>> }> {
    const rows = await targetSummaries(this.db, PORTAL_TARGET, ['dossierCode', 'agencyCode'], {
      labelA: q.dossierCode,
      labelB: q.agencyCode,
      state: q.state,
      limit: q.limit,
    });
    const summary = await kindSummary(this.db, PORTAL_TARGET);
    const now = Date.now();
    return {
      summary,
      dossiers: rows.map((r) => ({
        dossierId: r.target_id,
        dossierCode: r.label_a,
        agencyCode: r.label_b,
        state: r.dead > 0 ? 'DEAD' : r.pending > 0 ? 'PENDING' : 'SYNCED',
        pushed: r.pushed,
        pending: r.pending,
        dead: r.dead,
        attempts: r.attempts,
        lastPushedChange: r.last_pushed_change,
        lastPushedAt: r.last_pushed_at,
        lagMs: r.oldest_pending_at ? now - new Date(r.oldest_pending_at).getTime() : 0,
        lastError: r.last_error,
        lastDeadDeliveryId: r.last_dead_delivery,
      })),
    };
  }

  /** A dossier's pushes with their attempts (request and answer as stored, secrets redacted). */
  async pushes(dossierId: string, limit: number) {
    return this.engine.deliveryLog(PORTAL_TARGET, dossierId, { limit });
  }

  /**
   * Compares, per receiving agency and Vietnam day, the dossiers we filed with the portal's count;
   * where the portal has fewer, re-pushes a full snapshot of each of that agency's dossiers of that
   * day (an upsert: the ones it had are unchanged). `days` back from today (1: today only).
   */
  async reconcile(days = 2): Promise<ReconcileReport> {
    this.requireEnabled();
    const countUrl = this.config.portalSync.countUrl;
    const today = vietnamDate(this.clock.now());
    const list = Array.from({ length: days }, (_, i) => new Date(Date.parse(`${today}T00:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10));
    const report: ReconcileReport = { days: list, compared: [], repushed: 0 };
    for (const day of list) {
      const filed = await readDossiersFiledOn(this.db, day);
      const byAgency = new Map<string, string[]>();
      for (const d of filed) byAgency.set(d.receivingAgencyCode, [...(byAgency.get(d.receivingAgencyCode) ?? []), d.id]);
      for (const [agencyCode, ids] of byAgency) {
        const portal = countUrl ? await this.portalCount(countUrl, agencyCode, day) : null;
        report.compared.push({ agencyCode, day, ours: ids.length, portal });
        if (portal !== null && portal >= ids.length) continue;
        for (const id of ids) {
          await this.repush(id, 'reconciliation');
          report.repushed++;
        }
      }
    }
    if (report.repushed > 0) this.log.warn(`reconciliation re-pushed ${report.repushed} dossiers the portal lacked (${report.days.join(', ')})`);
    return report;
  }

  private async portalCount(countUrl: string, agencyCode: string, day: string): Promise<number | null> {
    const token = await this.adapter.bearer();
    const body = JSON.stringify({ MaDonViTiepNhan: agencyCode, Ngay: portalTime(new Date(`${day}T00:00:00+07:00`))!.slice(0, 8) });
    const got = await postJson(countUrl, body, token ? { authorization: `Bearer ${token}` } : {}, {
      timeoutMs: this.config.portalSync.timeoutMs,
      allowPrivate: true,
    });
    if (got.kind === 'error' || got.answer.status !== 200) {
      this.log.warn(`portal count for ${agencyCode} ${day}: ${got.kind === 'error' ? got.error : `HTTP ${got.answer.status}`}`);
      return null;
    }
    const n = (JSON.parse(got.answer.body) as { SoLuong?: number }).SoLuong;
    return typeof n === 'number' ? n : null;
  }

  /** Runs the reconciliation now unless one is running (the admin route; the daily schedule). */
  reconcileNow(days?: number): Promise<ReconcileReport> {
    this.reconciling ??= this.reconcile(days).finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  private requireEnabled(): void {
    if (!this.config.portalSync.enabled) throw PortalSyncErrors.PORTAL_SYNC_DISABLED();
  }

  /** For the admin route's 404 (a dossier that exists but was never pushed still has a state). */
  async exists(dossierId: string): Promise<boolean> {
    return (await readDossierHeader(this.db, dossierId)) !== null;
  }
}

/** A record as the portal would store it, without the change's own time and label (JSON, keys sorted). */
function comparable(record: Record<string, unknown>): string {
  const { ThoiDiemThayDoi: _at, NoiDungThayDoi: _label, ...rest } = record;
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sorted(rest));
}

interface LoadedDossier {
  facts: DossierFacts;
  agencyCode: string;
  events: HistoryEvent[];
}

type PortalPush = Omit<NewDelivery, 'dedupeKey' | 'messageId' | 'eventType'> & {
  payload: {
    mapping: string;
    dossierCode: string;
    agencyCode: string;
    asOfSeq: number | null;
    throughSeq: number;
    status: string;
    record: Record<string, unknown>;
  };
};

/** Serialises the portal pushes of these dossiers until the transaction ends (the relays run apart). */
async function lockDossiers(em: EntityManager, dossierIds: string[]): Promise<void> {
  await em.query(
    `SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT hashtextextended('portal-sync:' || d, 0) AS k FROM unnest($1::text[]) AS d ORDER BY 1) s`,
    [dossierIds],
  );
}
