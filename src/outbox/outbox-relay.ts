import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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

  /** One pass over at most `batch` rows of the topic; returns how many were delivered. */
  async relayOnce(topic: string, deliver: OutboxDelivery, batch = 500, timeoutMs = 10_000): Promise<number> {
    const claimed: OutboxRow[] = await this.db.query(
      `UPDATE outbox o SET attempts = o.attempts + 1, claimed_until = now() + make_interval(secs => $3)
        WHERE o.id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND topic = $1 AND (claimed_until IS NULL OR claimed_until < now())
                        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.payload`,
      [topic, batch, LEASE_SECONDS],
    ).then((r: [OutboxRow[], number] | OutboxRow[]) => (Array.isArray(r[0]) ? (r[0] as OutboxRow[]) : (r as OutboxRow[])));
    if (claimed.length === 0) return 0;
    claimed.sort((a, b) => Number(a.id) - Number(b.id)); // RETURNING has no order; intents apply oldest first
    const ids = claimed.map((r) => r.id);
    try {
      await withTimeout(deliver(claimed), timeoutMs, `outbox delivery of ${topic}`);
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

/** Rejects when `p` takes longer than `ms` (the work itself may still finish later: it is idempotent). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** `close()` waits for Redis; bounded so that stopping a process never hangs on a Redis outage. */
export async function closeOrDrop(c: { close(): Promise<void>; disconnect(): Promise<void> }, ms = 3000): Promise<void> {
  try {
    await withTimeout(c.close(), ms, 'closing a Redis connection');
  } catch {
    await c.disconnect().catch(() => undefined);
  }
}
