import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import { VIETNAM_TZ } from '../common/clock.js';
import { Sleeper } from '../common/sleeper.js';
import { closeOrDrop, withTimeout } from '../common/timeouts.js';
import { AppConfig } from '../config/app-config.js';

/** The queue of every periodic job (visible on the queue board). */
export const SCHEDULES_QUEUE = 'schedules';

/** One tick of a schedule: its job's id (one per tick, whichever replica runs it) and the instant it was due. */
export interface Tick {
  id: string;
  dueAt: Date;
}

/** A job the service runs on a schedule: every `everyMs`, or once a day at `dailyAt` (HH:MM, Vietnam time). */
export interface PeriodicJob {
  /** Its scheduler's id and its jobs' name on the board (stable: renaming one leaves the old scheduler to be removed). */
  name: string;
  everyMs?: number;
  dailyAt?: string;
  /** One pass; idempotent (a pass may run again after a worker dies mid-pass). A throw is logged and the next tick runs as planned. */
  run: (tick: Tick) => Promise<unknown>;
}

/**
 * The one scheduler: periodic passes (payment reconciliation, the deadline clocks' check against
 * Redis, the national portal's daily count) are BullMQ job schedulers on one queue, so each tick
 * produces one job that one worker of all the replicas runs, and the board shows when each last
 * ran, how long it took and what failed. Capabilities register their jobs at start-up
 * (constructor or onModuleInit); processes with workers upsert the schedulers and run the jobs,
 * and remove the schedulers no job claims any more. Redis unreachable at start: retried until it
 * answers, so a start never waits on Redis.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Scheduler');
  private readonly jobs = new Map<string, PeriodicJob>();
  private queue?: Queue;
  private worker?: Worker;
  private starting?: Promise<void>;
  private stopping = false;
  private readonly sleeper = new Sleeper();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  register(job: PeriodicJob): void {
    if (this.jobs.has(job.name)) throw new Error(`periodic job "${job.name}" is registered twice`);
    if ((job.everyMs === undefined) === (job.dailyAt === undefined)) throw new Error(`periodic job "${job.name}": give exactly one of everyMs and dailyAt`);
    if (job.everyMs !== undefined && !(job.everyMs >= 100)) throw new Error(`periodic job "${job.name}": everyMs must be at least 100`);
    if (job.dailyAt !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(job.dailyAt)) throw new Error(`periodic job "${job.name}": dailyAt must be HH:MM`);
    this.jobs.set(job.name, job);
  }

  /** The registered jobs' names (for tests and the board). */
  registered(): string[] {
    return [...this.jobs.keys()];
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers || this.jobs.size === 0) return;
    this.starting = this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.sleeper.wakeAll();
    await withTimeout(Promise.allSettled([this.starting]), 5000, 'starting the scheduler').catch(() => undefined);
    if (this.worker) await closeOrDrop(this.worker);
    if (this.queue) await closeOrDrop(this.queue);
  }

  private async start(): Promise<void> {
    const connection = { url: this.config.redisUrl, maxRetriesPerRequest: null };
    const queue = new Queue(SCHEDULES_QUEUE, { connection, prefix: this.config.queuePrefix });
    queue.on('error', () => undefined); // reported below while it lasts
    this.queue = queue;
    let reported = false;
    while (!this.stopping) {
      try {
        await withTimeout(this.upsertAll(queue), 10_000, 'upserting the job schedulers');
        break;
      } catch (e) {
        if (!reported) this.log.warn(`job schedulers not set yet, retrying: ${(e as Error).message}`);
        reported = true;
        await this.sleeper.sleep(1000);
      }
    }
    if (this.stopping) return;
    this.worker = new Worker(SCHEDULES_QUEUE, (job: Job) => this.runJob(job), { connection, prefix: this.config.queuePrefix, concurrency: this.jobs.size });
    this.worker.on('error', () => undefined);
  }

  private async upsertAll(queue: Queue): Promise<void> {
    for (const job of this.jobs.values()) {
      const repeat = job.everyMs !== undefined ? { every: job.everyMs } : { pattern: dailyPattern(job.dailyAt!), tz: VIETNAM_TZ };
      await queue.upsertJobScheduler(job.name, repeat, { name: job.name, opts: { removeOnComplete: 100, removeOnFail: 500 } });
    }
    for (const s of await queue.getJobSchedulers()) {
      if (s.key && !this.jobs.has(s.key)) await queue.removeJobScheduler(s.key);
    }
  }

  private async runJob(bull: Job): Promise<void> {
    const name = bull.name;
    const job = this.jobs.get(name);
    if (!job) return; // a scheduler another version registered: removed at its next start
    try {
      // A scheduler's job id is `repeat:<scheduler>:<the tick's millis>` (BullMQ's job-scheduler).
      const id = bull.id ?? `repeat:${name}:${bull.timestamp}`;
      const millis = Number(id.slice(id.lastIndexOf(':') + 1));
      await job.run({ id, dueAt: new Date(Number.isFinite(millis) && millis > 0 ? millis : bull.timestamp) });
    } catch (e) {
      // The next tick runs as planned; the board keeps the failure.
      this.log.warn(`${name} failed: ${(e as Error).message}`);
      throw e;
    }
  }
}

/** `HH:MM` as a daily cron pattern. */
export function dailyPattern(at: string): string {
  const [h, m] = at.split(':').map(Number);
  return `${m} ${h} * * *`;
}
