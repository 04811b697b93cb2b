import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { SIGNATURES_QUEUE } from '../signatures/verification/signature-verifications.js';
import { DEADLINES_QUEUE_TOKEN } from '../deadlines/deadlines-queue.js';
import { closeOrDrop } from '../outbox/outbox-relay.js';
import { NOTIFICATIONS_QUEUE } from '../notifications/status-notifier.js';
import { SIGNING_QUEUE } from '../signatures/signing/result-signing.service.js';
import { SCHEDULES_QUEUE } from '../scheduler/scheduler.js';

/**
 * Every BullMQ queue of the service, for the admin dashboard: the deadlines queue, and handles on
 * the queues whose workers own their own (notifications, signature verification, result signing,
 * the periodic jobs' schedules),
 * opened here so the dashboard shows them in every process role, and closed at shutdown.
 */
@Injectable()
export class DashboardQueues implements OnApplicationShutdown {
  readonly all: Queue[];
  private readonly opened: Queue[];

  constructor(@Inject(AppConfig) config: AppConfig, @Inject(DEADLINES_QUEUE_TOKEN) deadlines: Queue) {
    this.opened = [NOTIFICATIONS_QUEUE, SIGNATURES_QUEUE, SIGNING_QUEUE, SCHEDULES_QUEUE].map((name) => {
      const queue = new Queue(name, { connection: { url: config.redisUrl, maxRetriesPerRequest: null }, prefix: config.queuePrefix });
      queue.on('error', () => undefined); // the deadlines queue reports Redis outages
      return queue;
    });
    this.all = [deadlines, ...this.opened];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.opened.map((q) => closeOrDrop(q)));
  }
}
