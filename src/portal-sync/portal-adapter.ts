import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { parseRetryAfter } from '../delivery/backoff.js';
import { DeliveryEngine, type AttemptOutcome, type DeliveryAdapter, type PendingDelivery } from '../delivery/delivery-engine.js';
import { postJson, redactHeaders } from '../delivery/http-post.js';

export const PORTAL_TARGET = 'national-portal';

/**
 * Pushes dossier records to the national portal, one delivery-engine target per dossier (so a
 * dossier's pushes go out in order and dossiers in parallel). Logs in with client credentials at a
 * token endpoint (the token is cached until shortly before it expires, and dropped on a 401); the
 * bearer token never reaches the stored attempt (the engine stores the request with
 * `Authorization` redacted). 2xx is pushed; 400/422 (a field refused) and everything else are
 * retried with backoff (429/5xx after Retry-After) until the retry window ends: then the push is
 * dead, visible in GET /admin/sync, and the dossier's later pushes go on (`continue`).
 */
@Injectable()
export class PortalAdapter implements DeliveryAdapter {
  readonly kind = PORTAL_TARGET;
  readonly onExhausted = 'continue' as const;
  readonly policy;
  private token: { value: string; until: number } | null = null;
  private login: Promise<string> | null = null;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DeliveryEngine) engine: DeliveryEngine,
  ) {
    const p = config.portalSync;
    this.policy = { baseMs: p.retryBaseMs, maxMs: p.retryMaxMs, windowMs: p.retryWindowMs };
    if (p.enabled) engine.register(this);
  }

  async send(d: PendingDelivery): Promise<AttemptOutcome> {
    const { url, timeoutMs } = this.config.portalSync;
    const body = JSON.stringify(d.payload.record);
    const base = { 'user-agent': 'motcua-portal-sync/1', 'x-message-id': d.messageId };
    let token: string | null;
    try {
      token = await this.bearer();
    } catch (e) {
      return {
        result: 'retry',
        request: { method: 'POST', url: this.config.portalSync.tokenUrl ?? '', headers: base, bytes: 0 },
        error: `login: ${(e as Error).message}`,
      };
    }
    const headers: Record<string, string> = { ...base, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const request = { method: 'POST', url: url!, headers: redactHeaders(headers), bytes: Buffer.byteLength(body) };
    const sent = await postJson(url!, body, headers, { timeoutMs, allowPrivate: true });
    if (sent.kind === 'error') return { result: 'retry', request, error: sent.error };
    const { answer } = sent;
    if (answer.status >= 200 && answer.status < 300) return { result: 'ok', request, answer };
    if (answer.status === 401) this.token = null;
    const error = answer.status === 400 || answer.status === 422 ? `HTTP ${answer.status}: ${answer.body.slice(0, 300)}` : undefined;
    const honoured = answer.status === 429 || answer.status >= 500 ? parseRetryAfter(answer.headers['retry-after']) : undefined;
    return { result: 'retry', request, answer, error, retryAfterMs: honoured };
  }

  /** A bearer token from the token endpoint (client credentials), or null when no login is configured. */
  async bearer(): Promise<string | null> {
    const { tokenUrl, clientId, clientSecret, timeoutMs } = this.config.portalSync;
    if (!tokenUrl) return null;
    if (this.token && this.token.until > Date.now()) return this.token.value;
    this.login ??= (async () => {
      const form = JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      const got = await postJson(tokenUrl, form, {}, { timeoutMs, allowPrivate: true });
      if (got.kind === 'error') throw new Error(got.error);
      if (got.answer.status !== 200) throw new Error(`HTTP ${got.answer.status}`);
      const parsed = JSON.parse(got.answer.body) as { access_token?: string; expires_in?: number };
      if (!parsed.access_token) throw new Error('no access_token in the answer');
      this.token = { value: parsed.access_token, until: Date.now() + Math.max(10, (parsed.expires_in ?? 300) - 30) * 1000 };
      return parsed.access_token;
    })().finally(() => {
      this.login = null;
    });
    return this.login;
  }
}
