import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { DeadlineFiring } from './deadline-firing.js';
import { DeadlineMetricsService } from './deadline-metrics.js';
import { DeadlinesQueueCloser, deadlinesQueueProvider } from './deadlines-queue.js';
import { DeadlineScheduler } from './deadline-scheduler.js';
import { DeadlineWorkers } from './deadline-workers.js';
import { DeadlinesService } from './deadlines.service.js';
import { DueDateCalculator } from './due-date-calculator.js';
import { WorkingTimeCalculator } from './working-time-calculator.js';

@Module({
  imports: [CalendarModule],
  providers: [
    { provide: DueDateCalculator, useClass: WorkingTimeCalculator },
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
export class DeadlinesModule implements OnModuleInit {
  constructor(
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(DeadlinesService) private readonly deadlines: DeadlinesService,
  ) {}

  /** A holiday added, moved or removed re-projects the running clocks of the agencies it affects. */
  onModuleInit(): void {
    this.calendar.onChange(async ({ agencyCode, date }) => {
      await this.deadlines.reprojectAgency(agencyCode, `calendar change on ${date}`);
    });
  }
}
