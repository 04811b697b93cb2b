import type { Logger } from '@nestjs/common';
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { AppConfig } from '../config/app-config.js';
import type { RedisClient } from '../common/redis.js';
import { closeOrDrop, withTimeout, type OutboxRelay, type OutboxRow } from './outbox-relay.js';
import { RelayLoop } from './relay-loop.js';

export interface RelayedQueueOptions<T> {
  /** The BullMQ queue's name. */
  name: string;
  /** The outbox topic whose rows become this queue's jobs. */
  topic: string;
  /** One job per outbox row: its name, data and options (give a job id derived from the row id, so a row relayed twice is one job). */
  toJob: (row: OutboxRow) => { name: string; data: T; opts: JobsOptions };
  /** The worker's handler; a throw lets BullMQ retry as the job's options say. */
  process: (job: Job<T>) => Promise<void>;
  /** Jobs processed at once per process. */
  concurrency: number;
  /** Outbox rows per relay pass. */
  batch?: number;
  /** The topic's subscribers' own topics (Outbox.observe), read when the relay starts: each claim copies its rows to them. */
  copyTo?: () => string[];
  log: Logger;
}

/**
 * The way a capability hands work to its own BullMQ worker: the outbox rows of `topic` (written in
 * the transaction that made the work necessary) are relayed to the queue, and a worker runs them.
 * Runs where `config.runsWorkers`; the worker starts once Redis answers (the relay loop reports
 * outages and waits them out). `queue` is there for follow-up jobs (polls, retries).
 */
export class RelayedQueue<T> {
  queue?: Queue;
  private worker?: Worker;
  private loop?: RelayLoop;

  constructor(
    private readonly config: AppConfig,
    private readonly relay: OutboxRelay,
    private readonly redis: RedisClient,
    private readonly options: RelayedQueueOptions<T>,
  ) {}

  start(): void {
    if (!this.config.runsWorkers) return;
    const { name, topic, log } = this.options;
    const connection = { url: this.config.redisUrl, maxRetriesPerRequest: null };
    const queue = new Queue(name, { connection, prefix: this.config.queuePrefix });
    queue.on('error', () => undefined); // the relay loop reports outages
    this.queue = queue;
    const enqueue = async (rows: OutboxRow[]) => {
      await queue.addBulk(rows.map((r) => this.options.toJob(r)));
    };
    this.loop = new RelayLoop(this.relay, topic, enqueue, {
      batch: this.options.batch ?? 200,
      pollMs: this.config.deadlines.outboxPollMs,
      errorPauseMs: 1000,
      loops: 1,
      copyTo: this.options.copyTo?.() ?? [],
    });
    this.loop.start();
    void withTimeout(this.redis.ping(), 5000, 'Redis ping')
      .then(() => {
        this.worker = new Worker(name, (job: Job<T>) => this.options.process(job), {
          connection,
          prefix: this.config.queuePrefix,
          concurrency: this.options.concurrency,
        });
        this.worker.on('failed', (job, err) => log.warn(`${name} job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
        this.worker.on('error', () => undefined);
      })
      .catch((e: Error) => log.warn(`${name} worker not started: ${e.message}`));
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    if (this.worker) await closeOrDrop(this.worker);
    if (this.queue) await closeOrDrop(this.queue);
  }
}
