import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveryEngine } from '../delivery/delivery-engine.js';
import { DossierStatus, STATUS_CHANGED_TOPIC, type StatusChangedPayload } from '../dossier-record/dossier-status.js';
import { readDossierHeaders } from '../dossier-record/journal.js';
import { INTEGRATION_EVENT_TOPIC } from '../integration-events/integration-events.js';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxRow } from '../outbox/outbox-relay.js';
import type { WebhookTopic } from '../integration-events/event-types.js';
import { API_KEYS_AS_K } from '../auth/api-keys.sql.js';
import { activeTargetJoinSql } from '../delivery/delivery-reads.js';
import { WEBHOOK_TOPIC_SCOPES } from './topic-scopes.js';

export const WEBHOOK_TARGET = 'webhook';

interface Pending {
  sourceKey: string;
  type: WebhookTopic;
  dossierId: string | null;
  agencyCodes: string[];
  data: Record<string, unknown>;
  at: string;
}

/** The body a webhook carries (Standard Webhooks' `type`, `timestamp`, `data`). */
export function webhookBody(e: { id: string; type: string; occurredAt: Date | string; data: Record<string, unknown> }): Record<string, unknown> {
  return { type: e.type, timestamp: new Date(e.occurredAt).toISOString(), data: e.data };
}

/**
 * Turns outbox rows into integration events and fans them out to the subscribed endpoints' delivery
 * queues, in one transaction per relay pass (so a row relayed twice adds nothing: `source_key`).
 * Status changes are observed on their own topic (the notifier handles it); every other event
 * comes through INTEGRATION_EVENT_TOPIC.
 */
@Injectable()
export class IntegrationEvents {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DeliveryEngine) private readonly engine: DeliveryEngine,
    @Inject(Outbox) outbox: Outbox,
  ) {
    outbox.observe(STATUS_CHANGED_TOPIC, 'webhooks', (rows) => this.ingest(rows.flatMap((r) => fromStatusChange(r))));
    outbox.handleWithDelivery(INTEGRATION_EVENT_TOPIC, {
      deliver: (rows) =>
        this.ingest(
          rows.map((r) => ({
            sourceKey: `outbox:${r.id}`,
            type: r.payload.type,
            dossierId: r.payload.dossierId ?? null,
            agencyCodes: r.payload.agencyCodes ?? [],
            data: r.payload.data,
            at: r.payload.at,
          })),
        ),
    });
  }

  async ingest(events: Pending[]): Promise<void> {
    if (events.length === 0) return;
    const added = await this.db.transaction(async (em) => {
      const dossierIds = [...new Set(events.map((e) => e.dossierId).filter((id): id is string => !!id))];
      const dossiers = new Map(
        (await readDossierHeaders(em, dossierIds)).map((d) => [d.id, { code: d.code, agencies: [...new Set([d.receivingAgencyCode, d.competentAgencyCode])] }]),
      );
      const rows = events.map((e) => {
        const d = e.dossierId ? dossiers.get(e.dossierId) : undefined;
        return {
          ...e,
          agencyCodes: [...new Set([...(d?.agencies ?? []), ...e.agencyCodes])],
          data: d ? { dossierId: e.dossierId, dossierCode: d.code, ...e.data } : e.data,
        };
      });
      const inserted: Array<{ id: string; type: string; occurred_at: Date; data: Record<string, unknown> }> = await em.query(
        `INSERT INTO integration_events (source_key, type, dossier_id, agency_codes, data, occurred_at)
         SELECT s, t, d, string_to_array(a, ','), p, o FROM unnest($1::varchar[], $2::varchar[], $3::uuid[], $4::text[], $5::jsonb[], $6::timestamptz[]) WITH ORDINALITY AS x(s, t, d, a, p, o, n)
         ORDER BY n
         ON CONFLICT (source_key) DO NOTHING RETURNING id, type, occurred_at, data`,
        [
          rows.map((r) => r.sourceKey),
          rows.map((r) => r.type),
          rows.map((r) => r.dossierId),
          rows.map((r) => r.agencyCodes.join(',')),
          rows.map((r) => JSON.stringify(r.data)),
          rows.map((r) => r.at),
        ],
      );
      if (inserted.length === 0) return 0;
      const subscribers: Array<{ endpoint_id: string; event_id: string }> = await em.query(
        `${SUBSCRIBERS_SQL} AND e.id = ANY($1::bigint[]) ORDER BY e.id, w.id`,
        [inserted.map((e) => e.id)],
      );
      const byId = new Map(inserted.map((e) => [e.id, e]));
      return this.engine.enqueue(
        em,
        subscribers.map((s) => {
          const e = byId.get(s.event_id)!;
          return {
            kind: WEBHOOK_TARGET,
            targetId: s.endpoint_id,
            dedupeKey: `evt:${e.id}`,
            messageId: `msg_${e.id}`,
            eventType: e.type,
            payload: webhookBody({ id: e.id, type: e.type, occurredAt: e.occurred_at, data: e.data }),
          };
        }),
      );
    });
    if (added > 0) this.engine.kick();
  }
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The scopes an event's type needs (WEBHOOK_TOPIC_SCOPES), as SQL on `e.type`; a type not listed there needs one no key holds. */
const REQUIRED_SCOPES_SQL = `CASE e.type ${Object.entries(WEBHOOK_TOPIC_SCOPES)
  .map(([type, scopes]) => `WHEN ${literal(type)} THEN ARRAY[${scopes.map(literal).join(', ')}]::text[]`)
  .join(' ')}
    ELSE ARRAY['(no such topic)']::text[] END`;

/**
 * Which active endpoints get which events: subscribed to the type, the event within the
 * endpoint's agencies (empty = all) and within its API key's, and the key holding the scopes the
 * type needs (a key narrowed or revoked later narrows or stops its endpoints at once).
 */
export const SUBSCRIBERS_SQL = `
  SELECT w.id::text AS endpoint_id, e.id AS event_id
    FROM integration_events e
    JOIN webhook_endpoints w ON e.type = ANY(w.topics) AND (w.agency_codes = '{}' OR w.agency_codes && e.agency_codes)
    ${activeTargetJoinSql(WEBHOOK_TARGET, 'w.id::text')}
    LEFT JOIN ${API_KEYS_AS_K} ON w.owner_kind = 'api-key' AND k.id = w.owner_id
   WHERE (w.owner_kind <> 'api-key' OR (k.id IS NOT NULL AND k.revoked_at IS NULL AND (k.agency_codes = '{}' OR k.agency_codes && e.agency_codes)
          AND k.scopes @> ${REQUIRED_SCOPES_SQL}))`;

/** A status change is `dossier.status_changed`, and a filing is `dossier.submitted` too. */
function fromStatusChange(r: OutboxRow<StatusChangedPayload>): Pending[] {
  const p = r.payload;
  const data = { status: p.status, statusCode: p.statusCode, ...(p.action ? { action: p.action } : {}) };
  const base = { dossierId: p.dossierId, agencyCodes: [], data, at: p.at };
  return [
    ...(p.status === DossierStatus.SUBMITTED ? [{ ...base, sourceKey: `status:${r.id}:submitted`, type: 'dossier.submitted' as const }] : []),
    { ...base, sourceKey: `status:${r.id}`, type: 'dossier.status_changed' as const },
  ];
}
