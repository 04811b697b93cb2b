import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { withTimeout } from '../common/timeouts.js';

export interface OutboxRow<P = Record<string, unknown>> {
  id: string;
  payload: P;
}

/** Delivers a batch of one topic's rows (e.g. adds BullMQ jobs). Must be idempotent per row. */
export type OutboxDelivery = (rows: OutboxRow[]) => Promise<void>;

/** TypeORM answers an UPDATE … RETURNING with [rows, count], a SELECT with rows. */
function rowsOf<T>(r: unknown[]): T[] {
  return (Array.isArray(r[0]) ? r[0] : r) as T[];
}

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
   * the topic's subscribers' own topics: the claim copies each row to them (`outbox_fanout`) in the
   * same statement, once per row and subscriber, so every subscriber moves at its own pace and one
   * that fails holds back neither the handler nor the others (see relayCopies).
   */
  async relayOnce(topic: string, deliver: OutboxDelivery, batch = 500, timeoutMs = 10_000, copyTo: readonly string[] = []): Promise<number> {
    const claimed: OutboxRow[] = rowsOf(
      await this.db.query(
        `WITH claimed AS (
         UPDATE outbox o SET attempts = o.attempts + 1, claimed_until = now() + make_interval(secs => $3)
          WHERE o.id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND topic = $1 AND (claimed_until IS NULL OR claimed_until < now())
                          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING o.id, o.payload, o.created_at
       ), copies AS (
         INSERT INTO outbox_fanout (topic, source_id, payload, created_at)
         SELECT s.t, c.id, c.payload, c.created_at FROM claimed c CROSS JOIN unnest($4::varchar[]) AS s(t)
         ON CONFLICT (topic, source_id) DO NOTHING
       )
       SELECT id, payload FROM claimed`,
        [topic, batch, LEASE_SECONDS, copyTo],
      ),
    );
    return this.deliverClaimed(
      'outbox',
      topic,
      claimed,
      claimed.map((r) => r.id),
      deliver,
      timeoutMs,
    );
  }

  /**
   * One pass over a subscriber's copies (`<topic>@<subscriber>`), delivered with their source
   * rows' ids, which is what a subscriber keys its idempotency on; claimed, leased and marked like
   * the outbox's own rows.
   */
  async relayCopies(subscriberTopic: string, deliver: OutboxDelivery, batch = 500, timeoutMs = 10_000): Promise<number> {
    const claimed: Array<OutboxRow & { own: string }> = rowsOf(
      await this.db.query(
        `UPDATE outbox_fanout f SET attempts = f.attempts + 1, claimed_until = now() + make_interval(secs => $3)
        WHERE f.id IN (SELECT id FROM outbox_fanout WHERE sent_at IS NULL AND topic = $1 AND (claimed_until IS NULL OR claimed_until < now())
                        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING f.id AS own, f.source_id AS id, f.payload`,
        [subscriberTopic, batch, LEASE_SECONDS],
      ),
    );
    return this.deliverClaimed(
      'outbox_fanout',
      subscriberTopic,
      claimed,
      claimed.map((r) => r.own),
      deliver,
      timeoutMs,
    );
  }

  private async deliverClaimed(
    table: 'outbox' | 'outbox_fanout',
    topic: string,
    rows: OutboxRow[],
    ids: string[],
    deliver: OutboxDelivery,
    timeoutMs: number,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    // RETURNING has no order; intents apply oldest first (`ids[i]` is row i's own id).
    const sorted = rows.map((r, i) => ({ r, own: ids[i] })).sort((a, b) => Number(a.own) - Number(b.own));
    try {
      await withTimeout(deliver(sorted.map(({ r }) => ({ id: r.id, payload: r.payload }))), timeoutMs, `outbox delivery of ${topic}`);
    } catch (e) {
      await this.db.query(`UPDATE ${table} SET claimed_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
      throw e;
    }
    await this.db.query(`UPDATE ${table} SET sent_at = now(), claimed_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
    return rows.length;
  }

  /** Unsent rows of a topic, or of a subscriber's topic (`<topic>@<subscriber>`), for metrics and tests. */
  async backlog(topic: string): Promise<number> {
    const table = topic.includes('@') ? 'outbox_fanout' : 'outbox';
    const [r] = await this.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE sent_at IS NULL AND topic = $1`, [topic]);
    return r.n;
  }
}

// Shared with every part that talks to Redis (moved to the floor: common/timeouts.ts).
export { closeOrDrop, withTimeout } from '../common/timeouts.js';
