import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { withTimeout } from '../common/timeouts.js';

export interface OutboxRow<P = Record<string, unknown>> {
  id: string;
  payload: P;
}

/** Delivers a batch of one topic's rows (e.g. adds BullMQ jobs). Must be idempotent per row. */
export type OutboxDelivery = (rows: OutboxRow[]) => Promise<void>;

/** How long a claim holds before another relay may take the rows over. */
const LEASE_SECONDS = 30;

/**
 * Moves outbox rows of a topic to where they go, in three short steps: claim (one statement,
 * `FOR UPDATE SKIP LOCKED` plus a lease, committed at once), deliver with no database lock held,
 * mark sent. A crash between delivery and marking only makes the rows be delivered again after the
 * lease, which idempotent deliveries (deterministic job ids) absorb. When delivery fails the lease
 * is released and the rows wait for the next pass: the API never depends on Redis being up.
 */
@Injectable()
export class OutboxRelay {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * One pass over at most `batch` rows of the topic; returns how many were delivered. `copyTo` are
   * the topic's subscribers' own topics: the claim copies each row to them in the same statement
   * (once: keyed by the row's id), so every subscriber moves at its own pace and one that fails
   * holds back neither the handler nor the others. A copy's row is delivered with the original
   * row's id (`source_id`), which is what a subscriber keys its idempotency on.
   */
  async relayOnce(topic: string, deliver: OutboxDelivery, batch = 500, timeoutMs = 10_000, copyTo: readonly string[] = []): Promise<number> {
    const claimed: Array<OutboxRow & { own: string }> = await this.db.query(
      `WITH claimed AS (
         UPDATE outbox o SET attempts = o.attempts + 1, claimed_until = now() + make_interval(secs => $3)
          WHERE o.id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND topic = $1 AND (claimed_until IS NULL OR claimed_until < now())
                          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING o.id, o.source_id, o.payload, o.created_at
       ), copies AS (
         INSERT INTO outbox (topic, payload, created_at, dedupe_key, source_id)
         SELECT s.t, c.payload, c.created_at, 'copy:' || c.id, COALESCE(c.source_id, c.id) FROM claimed c CROSS JOIN unnest($4::varchar[]) AS s(t)
         ON CONFLICT (topic, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
       )
       SELECT id AS own, COALESCE(source_id, id) AS id, payload FROM claimed`,
      [topic, batch, LEASE_SECONDS, copyTo],
    ).then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as Array<OutboxRow & { own: string }>) : (r as Array<OutboxRow & { own: string }>)));
    if (claimed.length === 0) return 0;
    claimed.sort((a, b) => Number(a.own) - Number(b.own)); // RETURNING has no order; intents apply oldest first
    const ids = claimed.map((r) => r.own);
    try {
      await withTimeout(deliver(claimed.map((r) => ({ id: r.id, payload: r.payload }))), timeoutMs, `outbox delivery of ${topic}`);
    } catch (e) {
      await this.db.query(`UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
      throw e;
    }
    await this.db.query(`UPDATE outbox SET sent_at = now(), claimed_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
    return claimed.length;
  }

  /** Unsent rows of a topic (for metrics and tests). */
  async backlog(topic: string): Promise<number> {
    const [r] = await this.db.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND topic = $1`, [topic]);
    return r.n;
  }
}

// Shared with every part that talks to Redis (moved to the floor: common/timeouts.ts).
export { closeOrDrop, withTimeout } from '../common/timeouts.js';
