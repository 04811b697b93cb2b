import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { Sleeper } from '../common/sleeper.js';
import type { RetryPolicy } from './backoff.js';
import { retryDelayMs } from './backoff.js';
import type { Answer, SentRequest } from './http-post.js';
import type { DeliveryStatus } from './delivery.entities.js';

/** A delivery as its adapter gets it. */
export interface PendingDelivery {
  id: string;
  targetId: string;
  messageId: string;
  eventType: string;
  payload: Record<string, unknown>;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: Date;
}

/**
 * What one attempt came to: `ok`; `retry` (try again after backoff, or after `retryAfterMs`);
 * `fail` (this delivery is refused for good, the queue goes on); `disable` (the target refuses
 * everything, e.g. 410 Gone: the target is disabled and its queue waits).
 */
export interface AttemptOutcome {
  result: 'ok' | 'retry' | 'fail' | 'disable';
  request: SentRequest;
  answer?: Answer;
  error?: string;
  retryAfterMs?: number;
}

/**
 * How one kind of target is delivered to (webhooks now, the national portal later): the engine
 * owns the queue, ordering, leases, retries, the dead letter and the log; the adapter builds and
 * sends one attempt and decides what its answer means.
 */
export interface DeliveryAdapter {
  kind: string;
  policy: RetryPolicy;
  /** What a delivery that ran out of retries does to its target: disable it (webhooks) or go on with the next (dead letter only). */
  onExhausted: 'disable' | 'continue';
  send(delivery: PendingDelivery): Promise<AttemptOutcome>;
  /** Told (inside the transaction that disables it) when a target is disabled, e.g. to notify its owner. */
  disabled?(em: EntityManager, targetId: string, reason: string): Promise<void>;
}

/** A delivery to write: `dedupeKey` makes writing it twice a no-op. */
export interface NewDelivery {
  kind: string;
  targetId: string;
  dedupeKey: string;
  messageId: string;
  eventType: string;
  payload: Record<string, unknown>;
}

export interface DeliveryLogEntry {
  id: string;
  messageId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
  finishedAt: Date | null;
  nextAttemptAt: Date | null;
  lastHttpStatus: number | null;
  lastError: string | null;
  payload: Record<string, unknown>;
  attemptLog: Array<{
    attempt: number;
    startedAt: Date;
    durationMs: number;
    outcome: string;
    request: Record<string, unknown>;
    response: Record<string, unknown> | null;
    error: string | null;
  }>;
}

/** A duration as people read it (the retry window in a disabled endpoint's reason). */
function span(ms: number): string {
  return ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 1000).toFixed(1)} s`;
}

/** A worker's hold on a target's queue; renewed before each attempt. */
const LEASE_SECONDS = 60;
/** Deliveries one claim works through before the target goes back to the pool (fairness). */
const MAX_PER_CLAIM = 100;
const POLL_MS = 250;
const ERROR_PAUSE_MS = 1000;

/**
 * The outbound-delivery engine: per-target ordered queues in PostgreSQL (`delivery_targets`,
 * `deliveries`, `delivery_attempts`, its own tables), fed inside the transaction of whoever
 * decides a delivery is due (an outbox handler), and worked by a dispatcher where
 * `config.runsWorkers`: it claims due targets with a lease (`FOR UPDATE SKIP LOCKED`, so replicas
 * share the work and one target is worked by one worker), sends the oldest pending delivery through
 * the target's adapter, stores the attempt, and either moves on, schedules a retry (exponential
 * backoff with jitter, Retry-After honoured; the queue waits: order is kept), or dead-letters it
 * once the retry window is over.
 */
@Injectable()
export class DeliveryEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('DeliveryEngine');
  private readonly adapters = new Map<string, DeliveryAdapter>();
  private readonly sleeper = new Sleeper();
  private stopping = false;
  private running?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  register(adapter: DeliveryAdapter): void {
    if (this.adapters.has(adapter.kind)) throw new Error(`delivery adapter "${adapter.kind}" registered twice`);
    this.adapters.set(adapter.kind, adapter);
  }

  /** Creates a target (ACTIVE) if it does not exist. */
  async addTarget(em: EntityManager, kind: string, id: string): Promise<void> {
    await em.query(`INSERT INTO delivery_targets (kind, id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [kind, id]);
  }

  /** Deletes a target with its deliveries and their attempts. */
  async removeTarget(em: EntityManager, kind: string, id: string): Promise<void> {
    await em.query(`DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE target_kind = $1 AND target_id = $2)`, [kind, id]);
    await em.query(`DELETE FROM deliveries WHERE target_kind = $1 AND target_id = $2`, [kind, id]);
    await em.query(`DELETE FROM delivery_targets WHERE kind = $1 AND id = $2`, [kind, id]);
  }

  async targetState(
    kind: string,
    ids: string[],
  ): Promise<Map<string, { status: 'ACTIVE' | 'DISABLED'; disabledReason: string | null; disabledAt: Date | null; consecutiveFailures: number }>> {
    const rows = await this.db.query(
      `SELECT id, status, disabled_reason, disabled_at, consecutive_failures FROM delivery_targets WHERE kind = $1 AND id = ANY($2::varchar[])`,
      [kind, ids],
    );
    return new Map(
      rows.map((r: Record<string, unknown>) => [
        r.id as string,
        {
          status: r.status as 'ACTIVE' | 'DISABLED',
          disabledReason: r.disabled_reason as string | null,
          disabledAt: r.disabled_at as Date | null,
          consecutiveFailures: r.consecutive_failures as number,
        },
      ]),
    );
  }

  /** Enables a disabled target: its pending deliveries go out again, the oldest first, and at once. */
  async enable(kind: string, id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query(`SELECT 1 FROM delivery_targets WHERE kind = $1 AND id = $2 FOR UPDATE`, [kind, id]);
      await em.query(`UPDATE deliveries SET next_attempt_at = now() WHERE target_kind = $1 AND target_id = $2 AND status = 'PENDING'`, [kind, id]);
      await em.query(
        `UPDATE delivery_targets SET status = 'ACTIVE', disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0,
            next_at = (SELECT min(next_attempt_at) FROM deliveries WHERE target_kind = $1 AND target_id = $2 AND status = 'PENDING')
          WHERE kind = $1 AND id = $2`,
        [kind, id],
      );
    });
    this.sleeper.wakeAll();
  }

  /**
   * Writes deliveries in the caller's transaction (idempotent per target and dedupe key). The
   * targets are locked first, in a fixed order: deliveries to one target are then numbered in the
   * order their transactions commit, which is the order they go out in.
   */
  async enqueue(em: EntityManager, deliveries: NewDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const targets = [...new Map(deliveries.map((d) => [`${d.kind}\u0000${d.targetId}`, d])).values()].sort((a, b) =>
      a.kind + a.targetId < b.kind + b.targetId ? -1 : 1,
    );
    await em.query(
      `INSERT INTO delivery_targets AS t (kind, id, next_at) SELECT k, i, now() FROM unnest($1::varchar[], $2::varchar[]) AS x(k, i)
       ON CONFLICT (kind, id) DO UPDATE SET next_at = COALESCE(t.next_at, now())`,
      [targets.map((t) => t.kind), targets.map((t) => t.targetId)],
    );
    const inserted = await em.query(
      `INSERT INTO deliveries (target_kind, target_id, dedupe_key, message_id, event_type, payload, next_attempt_at)
       SELECT k, i, d, m, e, p, now() FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::jsonb[]) WITH ORDINALITY AS x(k, i, d, m, e, p, n)
       ORDER BY n
       ON CONFLICT (target_kind, target_id, dedupe_key) DO NOTHING RETURNING id`,
      [
        deliveries.map((d) => d.kind),
        deliveries.map((d) => d.targetId),
        deliveries.map((d) => d.dedupeKey),
        deliveries.map((d) => d.messageId),
        deliveries.map((d) => d.eventType),
        deliveries.map((d) => JSON.stringify(d.payload)),
      ],
    );
    return inserted.length;
  }

  /** Wakes the dispatcher (after a commit that enqueued deliveries in this process). */
  kick(): void {
    this.sleeper.wakeAll();
  }

  /** A target's deliveries, newest first, with their attempts; `before` is a delivery id (paging). */
  async deliveryLog(kind: string, targetId: string, opts: { before?: string; limit: number; status?: DeliveryStatus }): Promise<DeliveryLogEntry[]> {
    const rows: Array<{
      id: string;
      message_id: string;
      event_type: string;
      status: DeliveryStatus;
      attempts: number;
      created_at: Date;
      finished_at: Date | null;
      next_attempt_at: Date | null;
      last_http_status: number | null;
      last_error: string | null;
      payload: Record<string, unknown>;
    }> = await this.db.query(
      `SELECT id, message_id, event_type, status, attempts, created_at, finished_at, next_attempt_at, last_http_status, last_error, payload
         FROM deliveries WHERE target_kind = $1 AND target_id = $2 AND ($3::bigint IS NULL OR id < $3) AND ($5::varchar IS NULL OR status = $5)
        ORDER BY id DESC LIMIT $4`,
      [kind, targetId, opts.before ?? null, opts.limit, opts.status ?? null],
    );
    const attempts =
      rows.length === 0
        ? []
        : await this.db.query(
            `SELECT delivery_id, attempt, started_at, duration_ms, outcome, request, response, error FROM delivery_attempts WHERE delivery_id = ANY($1::bigint[]) ORDER BY delivery_id, attempt`,
            [rows.map((r) => r.id)],
          );
    const byDelivery = new Map<string, DeliveryLogEntry['attemptLog']>();
    for (const a of attempts) {
      const list = byDelivery.get(a.delivery_id) ?? [];
      list.push({
        attempt: a.attempt,
        startedAt: a.started_at,
        durationMs: a.duration_ms,
        outcome: a.outcome,
        request: a.request,
        response: a.response,
        error: a.error,
      });
      byDelivery.set(a.delivery_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
      nextAttemptAt: r.status === 'PENDING' ? r.next_attempt_at : null,
      lastHttpStatus: r.last_http_status,
      lastError: r.last_error,
      payload: r.payload,
      attemptLog: byDelivery.get(r.id) ?? [],
    }));
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers || this.adapters.size === 0) return;
    this.running = this.dispatch();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.sleeper.wakeAll();
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims due targets while there is room, works each in the background. */
  private async dispatch(): Promise<void> {
    const concurrency = this.config.webhooks.concurrency;
    let failing = false;
    while (!this.stopping) {
      let pause = POLL_MS;
      try {
        const room = concurrency - this.inFlight.size;
        if (room > 0) {
          const claimed: Array<{ kind: string; id: string }> = await this.db
            .query(
              `UPDATE delivery_targets t SET lease_until = now() + make_interval(secs => $2)
              WHERE (t.kind, t.id) IN (SELECT kind, id FROM delivery_targets WHERE status = 'ACTIVE' AND next_at <= now() AND kind = ANY($3::varchar[])
                                        AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_at LIMIT $1 FOR UPDATE SKIP LOCKED)
              RETURNING t.kind, t.id`,
              [room, LEASE_SECONDS, [...this.adapters.keys()]],
            )
            .then((r: unknown[]) => (Array.isArray(r[0]) ? r[0] : r) as Array<{ kind: string; id: string }>);
          for (const c of claimed) {
            const work: Promise<void> = this.work(c.kind, c.id)
              .catch((e: Error) => this.log.warn(`target ${c.kind}:${c.id}: ${e.message}`))
              .finally(() => {
                this.inFlight.delete(work);
                this.sleeper.wakeAll();
              });
            this.inFlight.add(work);
          }
          if (claimed.length === room) pause = 0;
        }
        if (failing) this.log.log('delivering again');
        failing = false;
      } catch (e) {
        if (!failing) this.log.warn(`paused: ${(e as Error).message}`);
        failing = true;
        pause = ERROR_PAUSE_MS;
      }
      if (pause > 0 && !this.stopping) await this.sleeper.sleep(pause);
    }
  }

  /** Works one claimed target's queue: oldest pending first, until it is empty, waiting, or disabled. */
  private async work(kind: string, targetId: string): Promise<void> {
    const adapter = this.adapters.get(kind)!;
    try {
      for (let n = 0; n < MAX_PER_CLAIM && !this.stopping; n++) {
        // Renews the lease and reads the queue's head in one round trip (no head: the target was disabled or is empty).
        const [head] = await this.db.query(
          `WITH held AS (UPDATE delivery_targets SET lease_until = now() + make_interval(secs => $3) WHERE kind = $1 AND id = $2 AND status = 'ACTIVE' RETURNING kind, id)
           SELECT d.id, d.message_id, d.event_type, d.payload, d.attempts, d.created_at, d.next_attempt_at <= now() AS due
             FROM held JOIN LATERAL (SELECT * FROM deliveries WHERE target_kind = held.kind AND target_id = held.id AND status = 'PENDING' ORDER BY id LIMIT 1) d ON true`,
          [kind, targetId, LEASE_SECONDS],
        );
        if (!head || !head.due) break;
        const delivery: PendingDelivery = {
          id: head.id,
          targetId,
          messageId: head.message_id,
          eventType: head.event_type,
          payload: head.payload,
          attempts: head.attempts,
          createdAt: head.created_at,
        };
        const started = new Date();
        let outcome: AttemptOutcome;
        try {
          outcome = await adapter.send(delivery);
        } catch (e) {
          outcome = {
            result: 'retry',
            request: { method: 'POST', url: '', headers: {}, bytes: 0 },
            error: `adapter error: ${(e as Error).message}`.slice(0, 500),
          };
        }
        const goOn = await this.record(adapter, delivery, started, Date.now() - started.getTime(), outcome);
        if (!goOn) break;
      }
    } finally {
      await this.release(kind, targetId);
    }
  }

  /** Stores an attempt and its consequence in one transaction; true when the queue may go on at once. */
  private async record(adapter: DeliveryAdapter, d: PendingDelivery, started: Date, durationMs: number, o: AttemptOutcome): Promise<boolean> {
    const attempt = d.attempts + 1;
    const expired = Date.now() - d.createdAt.getTime() >= adapter.policy.windowMs;
    const retryIn = retryDelayMs(adapter.policy, attempt, o.retryAfterMs);
    const beyondWindow = Date.now() + retryIn - d.createdAt.getTime() > adapter.policy.windowMs;
    const status: DeliveryStatus =
      o.result === 'ok' ? 'SUCCEEDED' : o.result === 'fail' || o.result === 'disable' ? 'FAILED' : expired || beyondWindow ? 'DEAD' : 'PENDING';
    const outcome = status === 'PENDING' ? 'RETRY' : status;
    const error = o.error?.slice(0, 500) ?? (o.answer && o.result !== 'ok' ? `HTTP ${o.answer.status}` : null);
    const disableReason =
      o.result === 'disable'
        ? `the endpoint refused deliveries for good (${error ?? 'gone'})`
        : status === 'DEAD' && adapter.onExhausted === 'disable'
          ? `a message failed for ${span(adapter.policy.windowMs)} of retries (last: ${error ?? 'no answer'})`
          : null;
    // The attempt, the delivery's new state and the target's failure count, in one statement (atomic, one round trip).
    const write = (em: EntityManager | DataSource) =>
      em.query(
        `WITH a AS (INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, outcome, request, response, error) VALUES ($1, $2, $7, $8, $9, $10, $11, $5)
                  ON CONFLICT (delivery_id, attempt) DO NOTHING),
            d AS (UPDATE deliveries SET attempts = $2, status = $3::varchar, last_http_status = $4, last_error = $5,
                     next_attempt_at = CASE WHEN $3::varchar = 'PENDING' THEN now() + make_interval(secs => $6::double precision / 1000) ELSE next_attempt_at END,
                     finished_at = CASE WHEN $3::varchar = 'PENDING' THEN NULL ELSE now() END
                   WHERE id = $1)
       UPDATE delivery_targets SET consecutive_failures = CASE WHEN $14::boolean THEN 0 ELSE consecutive_failures + 1 END WHERE kind = $12 AND id = $13`,
        [
          d.id,
          attempt,
          status,
          o.answer?.status ?? null,
          error,
          retryIn,
          started,
          durationMs,
          outcome,
          JSON.stringify(o.request),
          o.answer ? JSON.stringify(o.answer) : null,
          adapter.kind,
          d.targetId,
          o.result === 'ok',
        ],
      );
    if (!disableReason) {
      await write(this.db);
      return status !== 'PENDING';
    }
    await this.db.transaction(async (em) => {
      await write(em);
      const [changed] = await em.query(
        `UPDATE delivery_targets SET status = 'DISABLED', disabled_reason = $3, disabled_at = now() WHERE kind = $1 AND id = $2 AND status = 'ACTIVE' RETURNING 1`,
        [adapter.kind, d.targetId, disableReason.slice(0, 500)],
      );
      if (changed) await adapter.disabled?.(em, d.targetId, disableReason);
    });
    return false;
  }

  /** Gives the target back: `next_at` becomes its oldest pending delivery's due time (read after taking the row lock, so a concurrent enqueue is seen). */
  private async release(kind: string, id: string): Promise<void> {
    await this.db
      .transaction(async (em) => {
        await em.query(`SELECT 1 FROM delivery_targets WHERE kind = $1 AND id = $2 FOR UPDATE`, [kind, id]);
        await em.query(
          `UPDATE delivery_targets SET lease_until = NULL,
            next_at = (SELECT next_attempt_at FROM deliveries WHERE target_kind = $1 AND target_id = $2 AND status = 'PENDING' ORDER BY id LIMIT 1)
          WHERE kind = $1 AND id = $2`,
          [kind, id],
        );
      })
      .catch((e: Error) => this.log.warn(`releasing ${kind}:${id}: ${e.message} (the lease runs out by itself)`));
  }
}
