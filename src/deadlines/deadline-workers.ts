import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { RedisClient } from '../common/redis.js';
import { Outbox } from '../outbox/outbox.js';
import { closeOrDrop, withTimeout } from '../outbox/outbox-relay.js';
import { DeadlineFiring } from './deadline-firing.js';
import { DEADLINES_QUEUE, SCHEDULE_TOPIC, type DeadlineJobData } from './deadline-jobs.js';
import { DeadlineScheduler } from './deadline-scheduler.js';
import { Sleeper } from '../common/sleeper.js';
import { Scheduler } from '../scheduler/scheduler.js';

const RELAY_BATCH = 1000;
const RELAY_LOOPS = 2;

/**
 * The worker side of deadlines, started only where `config.runsWorkers`: the BullMQ worker that
 * fires warnings, the outbox relay loop that turns scheduling intents into jobs, and the periodic
 * reconciliation (also run once at start) that restores jobs Redis lost.
 */
@Injectable()
export class DeadlineWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('DeadlineWorkers');
  private worker?: Worker;
  private stopping = false;
  private reconciling?: Promise<unknown>;
  private readonly sleeper = new Sleeper();
  private starting?: Promise<void>;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Outbox) outbox: Outbox,
    @Inject(DeadlineScheduler) private readonly scheduler: DeadlineScheduler,
    @Inject(DeadlineFiring) private readonly firing: DeadlineFiring,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(Scheduler) periodic: Scheduler,
  ) {
    // Every DEADLINE_RECONCILE_SECONDS, on one worker of all the replicas: running clocks checked against Redis' delayed jobs.
    periodic.register({ name: 'deadlines.reconcile', everyMs: config.deadlines.reconcileSeconds * 1000, run: () => this.reconcileNow() });
    // Scheduling intents become delayed jobs (and cancel the previous ones): two loops, so while
    // one waits on Redis the other claims and marks in PostgreSQL.
    outbox.handleWithDelivery(SCHEDULE_TOPIC, { deliver: (rows) => this.scheduler.deliver(rows), batch: RELAY_BATCH, loops: RELAY_LOOPS });
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    this.starting = this.startWorkerOnceRedisAnswers();
    // Once at start (a Redis that lost its keys is repaired at once), then on the scheduler's ticks.
    void this.reconcileNow();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.sleeper.wakeAll();
    // A pass stuck on an unreachable Redis is abandoned (everything it does is idempotent).
    await withTimeout(Promise.allSettled([this.reconciling, this.starting]), 5000, 'stopping deadline loops').catch(() => undefined);
    if (this.worker) await closeOrDrop(this.worker);
  }

  /** Starts a reconciliation pass unless one is running; resolves with its report. */
  reconcileNow(): Promise<unknown> {
    this.reconciling ??= this.scheduler
      .reconcile()
      .catch((e: Error) => this.log.warn(`deadline reconciliation failed, next pass in ${this.config.deadlines.reconcileSeconds} s: ${e.message}`))
      .finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  /**
   * A BullMQ worker created while Redis is unreachable cannot be closed until Redis answers (its
   * close() waits for the connection), which would hang shutdown: create it once Redis answers.
   */
  private async startWorkerOnceRedisAnswers(): Promise<void> {
    while (!this.stopping) {
      try {
        await withTimeout(this.redis.ping(), 2000, 'Redis ping');
        break;
      } catch {
        await this.sleeper.sleep(1000);
      }
    }
    if (this.stopping) return;
    void this.warnOnEvictionPolicy();
    this.worker = new Worker(DEADLINES_QUEUE, (job: Job<DeadlineJobData>) => this.firing.fire(job.data), {
      connection: { url: this.config.redisUrl, maxRetriesPerRequest: null },
      prefix: this.config.queuePrefix,
      concurrency: this.config.deadlines.concurrency,
    });
    // A failed firing is retried by BullMQ with backoff; the log says why.
    this.worker.on('failed', (job, err) => this.log.warn(`deadline job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
    let lastReport = 0;
    this.worker.on('error', (err) => {
      if (Date.now() - lastReport < 60_000) return;
      lastReport = Date.now();
      this.log.warn(`deadline worker: ${err.message}`);
    });
  }

  private async warnOnEvictionPolicy(): Promise<void> {
    try {
      const policy = await this.scheduler.evictionPolicy();
      if (policy !== 'noeviction') {
        this.log.error(
          `Redis maxmemory-policy is "${policy}", not "noeviction": under memory pressure Redis may drop delayed deadline jobs. ` +
            'Set maxmemory-policy noeviction (reconciliation restores lost jobs only every DEADLINE_RECONCILE_SECONDS).',
        );
      }
    } catch (e) {
      this.log.warn(`could not read Redis maxmemory-policy: ${(e as Error).message}`);
    }
  }
}
