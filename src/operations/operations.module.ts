import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';
import { DashboardQueues } from './dashboard-queues.js';
import { MetricsController } from './metrics.controller.js';
import { QueueBoardSessionController } from './queue-board-session.js';

/** What operators look at: Prometheus metrics (and the queue dashboard, mounted in app.factory). */
@Module({ imports: [DeadlinesModule], controllers: [MetricsController, QueueBoardSessionController], providers: [DashboardQueues] })
export class OperationsModule {}
