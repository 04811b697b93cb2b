import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role, type AuthUser } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { seal, unseal } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { DeliveryEngine, type DeliveryLogEntry } from '../delivery/delivery-engine.js';
import { SUBSCRIBERS_SQL, WEBHOOK_TARGET, webhookBody } from './integration-events.js';
import { normalizeAllowance, WebhookDestinations, type EndpointOwner } from './webhook-allowances.js';
import { newWebhookSecret } from './webhook-signature.js';
import { topicsBeyondScopes } from './topic-scopes.js';
import { WebhookErrors } from './webhooks.errors.js';
import type { AllowanceView, AllowWebhookDto, CreateWebhookDto, ReplayResult, UpdateWebhookDto, WebhookView, WebhookWithSecret } from './dto/webhook.dto.js';
import { apiKeyCreator, apiKeyScopes, isActiveAdmin, isLiveApiKey } from '../auth/api-keys.sql.js';

/** Endpoints one owner may have. */
const MAX_PER_OWNER = 20;
/** Events one replay call queues at most (call again from `lastCursor` for more). */
const REPLAY_LIMIT = 10_000;

interface EndpointRow {
  id: string;
  owner_kind: 'api-key' | 'user';
  owner_id: string;
  url: string;
  description: string | null;
  topics: string[];
  agency_codes: string[];
  previous_secret_until: Date | null;
  created_at: Date;
}

/**
 * Webhook endpoints: registered by integrators (their API key, scope `webhooks:manage`) and by
 * admins; an integrator sees and manages its own, an admin all. Owns `webhook_endpoints` and
 * `webhook_allowed_hosts` (the allowances admins give owners for private destinations); their
 * deliveries are the delivery engine's.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DeliveryEngine) private readonly engine: DeliveryEngine,
    @Inject(WebhookDestinations) private readonly destinations: WebhookDestinations,
  ) {}

  async create(caller: AuthUser, dto: CreateWebhookDto): Promise<WebhookWithSecret> {
    const owner: EndpointOwner = { kind: caller.kind, id: caller.id };
    await this.checkTopics(owner, dto.topics);
    const url = await this.checkedUrl(owner, dto.url);
    const agencyCodes = this.scopedAgencies(caller, dto.agencyCodes ?? []);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const noticeUserId = caller.kind === 'user' ? caller.id : await apiKeyCreator(this.db, caller.id);
    await this.db.transaction(async (em) => {
      // One owner's endpoints are counted under a lock on the owner, so two concurrent creations cannot pass the limit together.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('webhook-owner:' || $1))`, [caller.id]);
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE owner_kind = $1 AND owner_id = $2`, [caller.kind, caller.id]);
      if (n >= MAX_PER_OWNER) throw WebhookErrors.WEBHOOK_LIMIT_REACHED(MAX_PER_OWNER);
      await em.query(
        `INSERT INTO webhook_endpoints (id, owner_kind, owner_id, notice_user_id, url, description, topics, agency_codes, secret_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, caller.kind, caller.id, noticeUserId, url, dto.description ?? null, dto.topics, agencyCodes, seal(this.config.secretsKey, secret, id)],
      );
      await this.engine.addTarget(em, WEBHOOK_TARGET, id);
    });
    return { ...(await this.get(caller, id)), secret };
  }

  async list(caller: AuthUser): Promise<WebhookView[]> {
    const rows: EndpointRow[] = await this.db.query(
      `SELECT * FROM webhook_endpoints WHERE ($1::boolean OR (owner_kind = $2 AND owner_id = $3)) ORDER BY created_at, id`,
      [this.isAdmin(caller), caller.kind, caller.id],
    );
    return this.views(rows);
  }

  async get(caller: AuthUser, id: string): Promise<WebhookView> {
    return (await this.views([await this.own(caller, id)]))[0];
  }

  async update(caller: AuthUser, id: string, dto: UpdateWebhookDto): Promise<WebhookView> {
    const row = await this.own(caller, id);
    // Judged for the endpoint's owner, also when an admin changes someone else's endpoint.
    const owner: EndpointOwner = { kind: row.owner_kind, id: row.owner_id };
    if (dto.topics) await this.checkTopics(owner, dto.topics);
    const url = dto.url === undefined ? row.url : await this.checkedUrl(owner, dto.url);
    const agencyCodes = dto.agencyCodes === undefined ? row.agency_codes : this.scopedAgencies(caller, dto.agencyCodes);
    await this.db.query(`UPDATE webhook_endpoints SET url = $2, topics = $3, agency_codes = $4, description = $5, updated_at = now() WHERE id = $1`, [
      id,
      url,
      dto.topics ?? row.topics,
      agencyCodes,
      dto.description === undefined ? row.description : dto.description,
    ]);
    return this.get(caller, id);
  }

  async remove(caller: AuthUser, id: string): Promise<void> {
    await this.own(caller, id);
    await this.db.transaction(async (em) => {
      await this.engine.removeTarget(em, WEBHOOK_TARGET, id);
      await em.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [id]);
    });
  }

  /** A new secret, shown once; the previous one still signs (a second signature) for the overlap, so receivers can switch without losing a message. */
  async rotateSecret(caller: AuthUser, id: string): Promise<WebhookWithSecret> {
    await this.own(caller, id);
    const secret = newWebhookSecret();
    await this.db.transaction(async (em) => {
      const [row] = await em.query(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1 FOR UPDATE`, [id]);
      const previous = unseal(this.config.secretsKey, row.secret_sealed, id);
      const until = new Date(this.clock.now().getTime() + this.config.webhooks.rotationOverlapSeconds * 1000);
      await em.query(
        `UPDATE webhook_endpoints SET secret_sealed = $2, previous_secret_sealed = $3, previous_secret_until = $4, updated_at = now() WHERE id = $1`,
        [id, seal(this.config.secretsKey, secret, id), seal(this.config.secretsKey, previous, `${id}:previous`), until],
      );
    });
    return { ...(await this.get(caller, id)), secret };
  }

  async enable(caller: AuthUser, id: string): Promise<WebhookView> {
    await this.own(caller, id);
    await this.engine.enable(WEBHOOK_TARGET, id);
    return this.get(caller, id);
  }

  async deliveries(caller: AuthUser, id: string, q: { before?: string; limit?: number; status?: DeliveryLogEntry['status'] }): Promise<DeliveryLogEntry[]> {
    await this.own(caller, id);
    return this.engine.deliveryLog(WEBHOOK_TARGET, id, { before: q.before, limit: q.limit ?? 50, status: q.status });
  }

  /**
   * Queues again, for this endpoint, every event after the cursor that it subscribes to now (within
   * its agencies and its key's), oldest first, behind what is already queued. Same webhook-id as
   * the first delivery, so a receiver that had it can tell.
   */
  async replay(caller: AuthUser, id: string, since: string): Promise<ReplayResult> {
    await this.own(caller, id);
    const cursor = parseCursor(since);
    const [state] = [...(await this.engine.targetState(WEBHOOK_TARGET, [id])).values()];
    if (state?.status !== 'ACTIVE') throw WebhookErrors.WEBHOOK_DISABLED();
    const replayId = randomUUID().slice(0, 8);
    const { count, last, more } = await this.db.transaction(async (em) => {
      const events: Array<{ id: string; type: string; occurred_at: Date; data: Record<string, unknown> }> = await em.query(
        `SELECT ie.id, ie.type, ie.occurred_at, ie.data
           FROM (${SUBSCRIBERS_SQL} AND w.id = $1 AND ($2::bigint IS NULL OR e.id > $2) AND ($3::timestamptz IS NULL OR e.occurred_at >= $3)) s
           JOIN integration_events ie ON ie.id = s.event_id
          ORDER BY ie.id LIMIT $4`,
        [id, cursor.id, cursor.at, REPLAY_LIMIT + 1],
      );
      const page = events.slice(0, REPLAY_LIMIT);
      const n = await this.engine.enqueue(
        em,
        page.map((e) => ({
          kind: WEBHOOK_TARGET,
          targetId: id,
          dedupeKey: `replay:${replayId}:${e.id}`,
          messageId: `msg_${e.id}`,
          eventType: e.type,
          payload: webhookBody({ id: e.id, type: e.type, occurredAt: e.occurred_at, data: e.data }),
        })),
      );
      return { count: n, last: page.at(-1)?.id ?? null, more: events.length > REPLAY_LIMIT };
    });
    this.engine.kick();
    return { replayed: count, lastCursor: last, more };
  }

  async allowances(ownerId?: string): Promise<AllowanceView[]> {
    const rows = await this.db.query(
      `SELECT * FROM webhook_allowed_hosts WHERE ($1::uuid IS NULL OR owner_id = $1) ORDER BY url_prefix, owner_kind, owner_id`,
      [ownerId ?? null],
    );
    return rows.map(allowanceView);
  }

  /**
   * Lets one owner's endpoints reach a private destination: `scheme://host:port` or a URL prefix,
   * for a live API key or an admin (whose endpoints are theirs). Giving the same one twice changes its note.
   */
  async allow(admin: AuthUser, dto: AllowWebhookDto): Promise<AllowanceView> {
    const prefix = normalizeAllowance(dto.urlPrefix);
    if (!prefix) throw WebhookErrors.WEBHOOK_ALLOWANCE_INVALID([{ field: 'urlPrefix', message: 'scheme://host:port or an http(s) URL prefix' }]);
    const owner = dto.ownerKind === 'api-key' ? await isLiveApiKey(this.db, dto.ownerId) : await isActiveAdmin(this.db, dto.ownerId);
    if (!owner)
      throw WebhookErrors.UNKNOWN_WEBHOOK_OWNER([
        { field: 'ownerId', message: dto.ownerKind === 'api-key' ? 'no live API key has this id' : 'no active admin has this id' },
      ]);
    const [row] = await this.db.query(
      `INSERT INTO webhook_allowed_hosts (id, owner_kind, owner_id, url_prefix, note, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (owner_kind, owner_id, url_prefix) DO UPDATE SET note = EXCLUDED.note RETURNING *`,
      [randomUUID(), dto.ownerKind, dto.ownerId, prefix, dto.note ?? null, admin.kind === 'user' ? admin.id : null],
    );
    return allowanceView(row);
  }

  /** Removes an allowance: its owner's endpoints under it are refused from their next attempt on. */
  async disallow(id: string): Promise<void> {
    const [, removed] = await this.db.query(`DELETE FROM webhook_allowed_hosts WHERE id = $1`, [id]);
    if (!removed) throw WebhookErrors.WEBHOOK_ALLOWANCE_NOT_FOUND();
  }

  private isAdmin(caller: AuthUser): boolean {
    return caller.kind === 'user' && caller.role === Role.ADMIN;
  }

  /** The endpoint, if the caller may manage it (an admin: any); 404 otherwise, so others' ids do not leak. */
  private async own(caller: AuthUser, id: string): Promise<EndpointRow> {
    const [row]: EndpointRow[] = await this.db.query(`SELECT * FROM webhook_endpoints WHERE id = $1`, [id]);
    if (!row || (!this.isAdmin(caller) && (row.owner_kind !== caller.kind || row.owner_id !== caller.id))) throw WebhookErrors.WEBHOOK_NOT_FOUND();
    return row;
  }

  /** An API key limited to some agencies gets those when it names none, and may not name others. */
  private scopedAgencies(caller: AuthUser, wanted: string[]): string[] {
    const allowed = caller.kind === 'api-key' ? (caller.agencyCodes ?? []) : [];
    if (allowed.length === 0) return wanted;
    if (wanted.length === 0) return allowed;
    const beyond = wanted.filter((c) => !allowed.includes(c));
    if (beyond.length)
      throw WebhookErrors.WEBHOOK_AGENCY_OUT_OF_SCOPE(
        beyond,
        beyond.map((c) => ({ field: 'agencyCodes', message: `not within the key's agencies: ${c}` })),
      );
    return wanted;
  }

  /** Refuses topics the owner's key may not receive (WEBHOOK_TOPIC_SCOPES); people (admins) go by their role. */
  private async checkTopics(owner: EndpointOwner, topics: string[]): Promise<void> {
    if (owner.kind !== 'api-key') return;
    const beyond = topicsBeyondScopes(topics, await apiKeyScopes(this.db, owner.id));
    if (beyond.length) {
      throw WebhookErrors.WEBHOOK_TOPIC_OUT_OF_SCOPE(
        beyond.map((b) => b.topic),
        beyond.map((b) => ({ field: 'topics', message: `${b.topic} needs scope ${b.needs.join(', ')}` })),
      );
    }
  }

  private async checkedUrl(owner: EndpointOwner, raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw WebhookErrors.WEBHOOK_URL_INVALID([{ field: 'url', message: 'not a URL' }]);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
      throw WebhookErrors.WEBHOOK_URL_INVALID([{ field: 'url', message: 'http(s) without credentials' }]);
    const verdict = await this.destinations.check(owner, raw);
    if (verdict === 'refused') throw WebhookErrors.WEBHOOK_URL_NOT_ALLOWED([{ field: 'url', message: 'private, loopback or link-local destination' }]);
    if (verdict === 'unresolvable') throw WebhookErrors.WEBHOOK_URL_UNRESOLVABLE([{ field: 'url', message: 'host name does not resolve' }]);
    return url.toString();
  }

  private async views(rows: EndpointRow[]): Promise<WebhookView[]> {
    const states = await this.engine.targetState(
      WEBHOOK_TARGET,
      rows.map((r) => r.id),
    );
    return rows.map((r) => {
      const s = states.get(r.id);
      return {
        id: r.id,
        url: r.url,
        description: r.description,
        topics: r.topics,
        agencyCodes: r.agency_codes,
        status: s?.status ?? 'DISABLED',
        disabledReason: s?.disabledReason ?? null,
        disabledAt: s?.disabledAt ?? null,
        consecutiveFailures: s?.consecutiveFailures ?? 0,
        previousSecretUntil: r.previous_secret_until && new Date(r.previous_secret_until) > this.clock.now() ? r.previous_secret_until : null,
        ownerKind: r.owner_kind,
        ownerId: r.owner_id,
        createdAt: r.created_at,
      };
    });
  }
}

interface AllowanceRow {
  id: string;
  url_prefix: string;
  owner_kind: AllowanceView['ownerKind'];
  owner_id: string;
  note: string | null;
  created_by: string | null;
  created_at: Date;
}

function allowanceView(r: AllowanceRow): AllowanceView {
  return { id: r.id, urlPrefix: r.url_prefix, ownerKind: r.owner_kind, ownerId: r.owner_id, note: r.note, createdBy: r.created_by, createdAt: r.created_at };
}

/** `since`: an event id (exclusive) or an ISO 8601 instant (inclusive). */
function parseCursor(since: string): { id: string | null; at: Date | null } {
  if (/^\d{1,18}$/.test(since)) return { id: since, at: null };
  const at = /^\d{4}-\d{2}-\d{2}T/.test(since) ? new Date(since) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw WebhookErrors.WEBHOOK_INVALID_CURSOR([{ field: 'since', message: 'an event id or an ISO 8601 instant' }]);
  return { id: null, at };
}
