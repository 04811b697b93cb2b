import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { RedisClient } from '../common/redis.js';
import type { OutboxRow } from '../outbox/outbox-relay.js';
import { DEADLINES_QUEUE_TOKEN } from './deadlines-queue.js';
import { DEADLINE_JOB_OPTIONS, deadlineJobId, nextFiring, type DeadlineJobData, type FiringKind, type ScheduleIntent } from './deadline-jobs.js';
import type { ClockState, ClockStatus } from './dossier-clock.entity.js';

export interface ReconcileReport {
  /** Running clocks looked at. */
  clocks: number;
  /** Jobs missing from Redis and added again. */
  restored: number;
  /** Jobs whose instant has passed (by the injected clock) moved from delayed to ready. */
  promoted: number;
  ms: number;
}

interface Firing {
  clockId: string;
  version: number;
  kind: FiringKind;
  at: Date;
}

const RECONCILE_BATCH = 2000;

/**
 * Puts a clock's schedule into BullMQ: from outbox intents (the relay's delivery) and, to repair
 * whatever Redis lost, from the clocks themselves (reconciliation). Delays are computed from the
 * injected Clock, so a job fires when the domain's time reaches its instant.
 */
@Injectable()
export class DeadlineScheduler {
  private readonly log = new Logger('DeadlineScheduler');

  constructor(
    @Inject(DEADLINES_QUEUE_TOKEN) private readonly queue: Queue,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RedisClient) private readonly redis: RedisClient,
  ) {}

  /** Outbox delivery for SCHEDULE_TOPIC: add the jobs of each intent, remove its previous ones. */
  async deliver(rows: OutboxRow<ScheduleIntent>[]): Promise<void> {
    const intents = rows.map((r) => r.payload);
    await this.add(intents.flatMap((i) => i.firings.map((f) => ({ clockId: i.clockId, version: i.version, kind: f.kind, at: new Date(f.at) }))));
    const cancel = intents.flatMap((i) => i.cancel);
    // A job being processed right now cannot be removed; it will find its version stale.
    await Promise.allSettled(cancel.map((id) => this.queue.remove(id)));
  }

  /**
   * Compares the running clocks with the delayed jobs in Redis and adds what is missing (an emptied
   * Redis comes back whole); jobs whose instant has already passed are made ready at once, so a
   * clock already past due is flagged now rather than never.
   */
  async reconcile(): Promise<ReconcileReport> {
    const started = Date.now();
    const report: ReconcileReport = { clocks: 0, restored: 0, promoted: 0, ms: 0 };
    const page = (after: string): Promise<Array<{ id: string; version: number; state: ClockState; status: ClockStatus; due_soon_at: Date; due_at: Date }>> => this.db.query(
      `SELECT id, version, state, status, due_soon_at, due_at FROM dossier_clocks WHERE state = 'RUNNING' AND id > $1 ORDER BY id LIMIT $2`,
      [after, RECONCILE_BATCH]);
    // The next page is read from PostgreSQL while this one is checked in Redis.
    let next = page('00000000-0000-0000-0000-000000000000');
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      next = page(rows[rows.length - 1].id);
      report.clocks += rows.length;
      const expected: Firing[] = rows.flatMap((r) => {
        const f = nextFiring({ state: r.state, status: r.status, dueSoonAt: r.due_soon_at, dueAt: r.due_at });
        return f ? [{ clockId: r.id, version: r.version, kind: f.kind, at: f.at }] : [];
      });
      const ids = expected.map((f) => deadlineJobId(f.clockId, f.kind, f.version));
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.exists(this.queue.toKey(id));
      const exists = (await pipeline.exec()) ?? [];
      const missing = expected.filter((_, i) => exists[i]?.[1] !== 1);
      await this.add(missing);
      report.restored += missing.length;
      const now = this.clock.now().getTime();
      const dueNow = ids.filter((id, i) => exists[i]?.[1] === 1 && expected[i].at.getTime() <= now);
      report.promoted += await this.promote(dueNow);
    }
    report.ms = Date.now() - started;
    if (report.restored > 0) this.log.warn(`reconciliation restored ${report.restored} deadline jobs missing from Redis (${report.clocks} running clocks, ${report.ms} ms)`);
    return report;
  }

  /**
   * BullMQ needs `maxmemory-policy noeviction`: with any other policy Redis may silently drop delayed
   * jobs under memory pressure (reconciliation would restore them, but only at its next pass).
   */
  async evictionPolicy(): Promise<string | null> {
    const reply = (await this.redis.config('GET', 'maxmemory-policy')) as string[];
    return reply?.[1] ?? null;
  }

  private async add(firings: Firing[]): Promise<void> {
    if (firings.length === 0) return;
    const now = this.clock.now().getTime();
    for (let i = 0; i < firings.length; i += 1000) {
      await this.queue.addBulk(firings.slice(i, i + 1000).map((f) => ({
        name: f.kind,
        data: { clockId: f.clockId, version: f.version, kind: f.kind } satisfies DeadlineJobData,
        opts: { ...DEADLINE_JOB_OPTIONS, jobId: deadlineJobId(f.clockId, f.kind, f.version), delay: Math.max(0, f.at.getTime() - now) },
      })));
    }
  }

  /** Makes due jobs ready: delayed ones promoted, failed ones (retries exhausted) retried. */
  private async promote(ids: string[]): Promise<number> {
    let promoted = 0;
    for (const id of ids) {
      const job = await this.queue.getJob(id);
      const state = job ? await job.getState() : 'missing';
      if (state === 'delayed') await job!.promote();
      else if (state === 'failed') await job!.retry();
      else continue;
      promoted += 1;
    }
    return promoted;
  }
}
