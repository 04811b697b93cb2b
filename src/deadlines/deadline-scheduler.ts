import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
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

interface RunningClockRow {
  id: string;
  version: number;
  state: ClockState;
  status: ClockStatus;
  due_soon_at: Date;
  due_at: Date;
}

const NO_CLOCK = '00000000-0000-0000-0000-000000000000';
/** KEYS: job hashes; answers one character per key, '1' when it exists. */
const JOBS_PRESENT = `local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('EXISTS', k) end return table.concat(r)`;

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
    @Inject(AppConfig) private readonly config: AppConfig,
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
   *
   * The clocks are read in keyset pages (by id) by one reader that stays a page ahead; `lanes`
   * pages are checked and restored at once (one check script, then one pipelined addBulk each),
   * so BullMQ's client-side work for one page overlaps Redis running another page's scripts
   * (measured in docs/BENCHMARKS.md, bench:deadlines).
   * Every step is idempotent (a job id is deterministic and BullMQ adds an existing id as a no-op),
   * so a pass may run alongside the relay, the firings and another pass.
   */
  async reconcile(): Promise<ReconcileReport> {
    const started = Date.now();
    const { reconcileBatch: batch, reconcileLanes: lanes } = this.config.deadlines;
    const report: ReconcileReport = { clocks: 0, restored: 0, promoted: 0, ms: 0 };
    let after = NO_CLOCK;
    let exhausted = false;
    let failed = false;
    // One read at a time, each continuing where the previous page ended.
    let reading: Promise<unknown> = Promise.resolve();
    const take = (): Promise<RunningClockRow[]> => {
      const page = reading.then(async (): Promise<RunningClockRow[]> => {
        if (exhausted || failed) return [];
        const rows: RunningClockRow[] = await this.db.query(
          `SELECT id, version, state, status, due_soon_at, due_at FROM dossier_clocks WHERE state = 'RUNNING' AND id > $1 ORDER BY id LIMIT $2`,
          [after, batch],
        );
        if (rows.length < batch) exhausted = true;
        if (rows.length > 0) after = rows[rows.length - 1].id;
        return rows;
      });
      reading = page.catch(() => undefined);
      return page;
    };
    const lane = async (): Promise<void> => {
      // The next page is read from PostgreSQL while this one is checked in Redis.
      let next = take();
      for (;;) {
        const rows = await next;
        if (rows.length === 0) return;
        next = take();
        // Should this page fail, the read ahead must not end as an unhandled rejection.
        next.catch(() => undefined);
        await this.reconcilePage(rows, report);
      }
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: lanes }, () =>
        lane().catch((e: unknown) => {
          failed = true;
          throw e;
        }),
      ),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    report.ms = Date.now() - started;
    if (report.restored > 0)
      this.log.warn(`reconciliation restored ${report.restored} deadline jobs missing from Redis (${report.clocks} running clocks, ${report.ms} ms)`);
    return report;
  }

  /** One page of running clocks: which jobs Redis lacks (added back), which are due (promoted). */
  private async reconcilePage(rows: RunningClockRow[], report: ReconcileReport): Promise<void> {
    report.clocks += rows.length;
    const expected: Firing[] = rows.flatMap((r) => {
      const f = nextFiring({ state: r.state, status: r.status, dueSoonAt: r.due_soon_at, dueAt: r.due_at });
      return f ? [{ clockId: r.id, version: r.version, kind: f.kind, at: f.at }] : [];
    });
    const ids = expected.map((f) => deadlineJobId(f.clockId, f.kind, f.version));
    const present = await this.jobsPresent(ids);
    const missing = expected.filter((_, i) => !present[i]);
    await this.add(missing);
    report.restored += missing.length;
    const now = this.clock.now().getTime();
    const dueNow = ids.filter((id, i) => present[i] && expected[i].at.getTime() <= now);
    report.promoted += await this.promote(dueNow);
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
      await this.queue.addBulk(
        firings.slice(i, i + 1000).map((f) => ({
          name: f.kind,
          data: { clockId: f.clockId, version: f.version, kind: f.kind } satisfies DeadlineJobData,
          opts: { ...DEADLINE_JOB_OPTIONS, jobId: deadlineJobId(f.clockId, f.kind, f.version), delay: Math.max(0, f.at.getTime() - now) },
        })),
      );
    }
  }

  /**
   * Which of these jobs Redis holds, in one command: a script answering a string of 0s and 1s
   * rather than a pipeline of EXISTS, whose thousand commands and replies cost the client more
   * CPU than the check costs Redis.
   */
  private async jobsPresent(ids: string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const flags = (await this.redis.eval(JOBS_PRESENT, ids.length, ...ids.map((id) => this.queue.toKey(id)))) as string;
    return ids.map((_, i) => flags[i] === '1');
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
