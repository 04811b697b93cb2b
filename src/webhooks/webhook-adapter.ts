import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { unseal } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { parseRetryAfter } from '../delivery/backoff.js';
import { DeliveryEngine, type AttemptOutcome, type DeliveryAdapter, type PendingDelivery } from '../delivery/delivery-engine.js';
import { postJson } from '../delivery/http-post.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { WEBHOOK_TARGET } from './integration-events.js';
import { WebhookDestinations } from './webhook-allowances.js';
import { signWebhook } from './webhook-signature.js';

/**
 * Delivers to webhook endpoints the Standard Webhooks way: a POST of the JSON body with
 * `webhook-id` (the same for every retry and replay of a message), `webhook-timestamp` (seconds,
 * of this attempt) and `webhook-signature` (`v1,<sig>`, and a second one under the previous
 * secret during a rotation). 2xx is delivered; 410 Gone disables the endpoint; anything else is
 * retried with backoff for about a day (429 and 5xx: not before Retry-After), after which the
 * endpoint is disabled and its owner told (an in-app notice).
 */
@Injectable()
export class WebhookAdapter implements DeliveryAdapter {
  readonly kind = WEBHOOK_TARGET;
  readonly onExhausted = 'disable' as const;
  readonly policy;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(NotificationsService) private readonly notices: NotificationsService,
    @Inject(DeliveryEngine) engine: DeliveryEngine,
    @Inject(WebhookDestinations) private readonly destinations: WebhookDestinations,
  ) {
    this.policy = { baseMs: config.webhooks.retryBaseMs, maxMs: config.webhooks.retryMaxMs, windowMs: config.webhooks.retryWindowMs };
    engine.register(this);
  }

  async send(d: PendingDelivery): Promise<AttemptOutcome> {
    const [w] = await this.db.query(
      `SELECT url, owner_kind, owner_id, secret_sealed, previous_secret_sealed, COALESCE(previous_secret_until > now(), false) AS rotating FROM webhook_endpoints WHERE id = $1`,
      [d.targetId],
    );
    if (!w) return { result: 'fail', request: { method: 'POST', url: '', headers: {}, bytes: 0 }, error: 'the endpoint no longer exists' };
    const body = JSON.stringify(d.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = [
      unseal(this.config.secretsKey, w.secret_sealed, d.targetId),
      ...(w.rotating && w.previous_secret_sealed ? [unseal(this.config.secretsKey, w.previous_secret_sealed, `${d.targetId}:previous`)] : []),
    ];
    const headers = {
      'webhook-id': d.messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': secrets.map((s) => signWebhook(s, d.messageId, timestamp, body)).join(' '),
      'user-agent': 'motcua-webhooks/1',
    };
    const request = { method: 'POST', url: w.url, headers, bytes: Buffer.byteLength(body) };
    // The owner's allowances are read again at every attempt: one removed since, or a URL no allowance covers, meets the public-address check.
    const allowPrivate = await this.destinations.allowed({ kind: w.owner_kind, id: w.owner_id }, w.url);
    const sent = await postJson(w.url, body, headers, { timeoutMs: this.config.webhooks.timeoutMs, allowPrivate, resolve: this.destinations.resolve });
    if (sent.kind === 'error') return { result: 'retry', request, error: sent.error };
    const { answer } = sent;
    if (answer.status >= 200 && answer.status < 300) return { result: 'ok', request, answer };
    if (answer.status === 410) return { result: 'disable', request, answer, error: 'HTTP 410 Gone' };
    const honoured = answer.status === 429 || answer.status >= 500 ? parseRetryAfter(answer.headers['retry-after']) : undefined;
    return { result: 'retry', request, answer, retryAfterMs: honoured };
  }

  async disabled(em: EntityManager, targetId: string, reason: string): Promise<void> {
    const [w] = await em.query(`SELECT url, notice_user_id FROM webhook_endpoints WHERE id = $1`, [targetId]);
    if (!w?.notice_user_id) return;
    await this.notices.store(em, [
      {
        recipientKind: 'user',
        recipientId: w.notice_user_id,
        kind: 'WEBHOOK_DISABLED',
        dossierId: null,
        payload: { endpointId: targetId, url: w.url, reason },
        at: this.clock.now(),
      },
    ]);
  }
}
