import { Module } from '@nestjs/common';
import { NotificationsService } from '../notifications/notifications.service.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { DeadlineFiring } from './deadline-firing.js';
import { DeadlineMetricsService } from './deadline-metrics.js';
import { DeadlinesQueueCloser, deadlinesQueueProvider } from './deadlines-queue.js';
import { DeadlineScheduler } from './deadline-scheduler.js';
import { DeadlineWorkers } from './deadline-workers.js';
import { DeadlinesService } from './deadlines.service.js';
import { DueDateCalculator, ElapsedTimeCalculator } from './due-date-calculator.js';

@Module({
  providers: [
    // Stand-in until the working-time calendar is merged: the real binding is the calendar's
    // implementation of DueDateCalculator (swap this line; tests derive instants from the binding).
    { provide: DueDateCalculator, useClass: ElapsedTimeCalculator },
    deadlinesQueueProvider,
    DeadlinesQueueCloser,
    DeadlinesService,
    DeadlineFiring,
    DeadlineMetricsService,
    DeadlineScheduler,
    DeadlineWorkers,
    NotificationsService,
    OutboxRelay,
  ],
  exports: [DeadlinesService, DueDateCalculator, DeadlineMetricsService],
})
export class DeadlinesModule {}
