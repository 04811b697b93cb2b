import type { EntityManager } from 'typeorm';
import { enqueue, outboxTopic } from '../outbox/outbox.js';
import type { WebhookTopic } from './event-types.js';

/**
 * The contract between the capabilities that cause events integrators hear of (deadlines, result
 * signing, payments, ratings) and the one that delivers them (webhooks, which handles the topic):
 * producers publish here, in their own transaction, and never import the consumer.
 */

/** An event for integrators, as its producer writes it (thin: ids, codes, status, times; never CCCD, phone or address). */
export interface IntegrationEventPayload {
  type: WebhookTopic;
  dossierId?: string | null;
  /** Agencies it concerns besides the dossier's (its receiving and competent ones are added). */
  agencyCodes?: string[];
  data: Record<string, unknown>;
  at: string;
}

/** The outbox topic producers write integration events to (status changes are observed on their own topic). */
export const INTEGRATION_EVENT_TOPIC = outboxTopic<IntegrationEventPayload>('integration.event');

/**
 * Publishes events of one type to integrators, in the caller's transaction (through the outbox).
 * The dossier's code and agencies are added when they are delivered; `data` must stay thin.
 */
export async function publishIntegrationEvents(
  em: EntityManager,
  type: WebhookTopic,
  events: Array<{ dossierId?: string | null; agencyCodes?: string[]; data: Record<string, unknown>; at: Date }>,
): Promise<void> {
  await enqueue(
    em,
    INTEGRATION_EVENT_TOPIC,
    events.map((e) => ({ type, dossierId: e.dossierId ?? null, agencyCodes: e.agencyCodes, data: e.data, at: e.at.toISOString() })),
  );
}
