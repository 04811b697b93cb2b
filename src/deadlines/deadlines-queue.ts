import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { closeOrDrop } from '../outbox/outbox-relay.js';
import { DEADLINES_QUEUE } from './deadline-jobs.js';

export const DEADLINES_QUEUE_TOKEN = getQueueToken(DEADLINES_QUEUE);

const log = new Logger('DeadlinesQueue');

/**
 * The deadlines queue, built here rather than by BullModule.registerQueue so its error listener is
 * attached before the first connection attempt (BullMQ prints unhandled connection errors) and so
 * shutdown cannot hang on a Redis that is gone.
 */
export const deadlinesQueueProvider = {
  provide: DEADLINES_QUEUE_TOKEN,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => {
    const queue = new Queue(DEADLINES_QUEUE, { connection: { url: config.redisUrl, maxRetriesPerRequest: null }, prefix: config.queuePrefix });
    let lastReport = 0;
    queue.on('error', (e: Error) => {
      // Say it once a minute, not at every reconnect attempt; the relay reports its own pauses.
      if (Date.now() - lastReport < 60_000) return;
      lastReport = Date.now();
      log.warn(`deadlines queue: ${e.message} (reconnecting)`);
    });
    return queue;
  },
};

/** Closes the queue at shutdown; with Redis unreachable, gives up waiting and drops the connection. */
@Injectable()
export class DeadlinesQueueCloser implements OnApplicationShutdown {
  constructor(@Inject(DEADLINES_QUEUE_TOKEN) private readonly queue: Queue) {}
  async onApplicationShutdown(): Promise<void> {
    await closeOrDrop(this.queue);
  }
}
