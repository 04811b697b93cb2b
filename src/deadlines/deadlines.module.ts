import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { CalendarModule } from '../calendar/calendar.module.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { NotificationsStoreModule } from '../notifications/notifications-store.module.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { DeadlineFiring } from './deadline-firing.js';
import { DeadlineMetricsService } from './deadline-metrics.js';
import { DEADLINES_QUEUE_TOKEN, DeadlinesQueueCloser, deadlinesQueueProvider } from './deadlines-queue.js';
import { DeadlineScheduler } from './deadline-scheduler.js';
import { DeadlineWorkers } from './deadline-workers.js';
import { DeadlinesService } from './deadlines.service.js';
import { DueDateCalculator } from './due-date-calculator.js';
import { WorkingTimeCalculator } from './working-time-calculator.js';

@Module({
  imports: [CalendarModule, AgenciesModule, NotificationsStoreModule],
  providers: [
    { provide: DueDateCalculator, useClass: WorkingTimeCalculator },
    deadlinesQueueProvider,
    DeadlinesQueueCloser,
    DeadlinesService,
    DeadlineFiring,
    DeadlineMetricsService,
    DeadlineScheduler,
    DeadlineWorkers,
    OutboxRelay,
  ],
  // The queue itself too, for the operators' dashboard.
  exports: [DeadlinesService, DueDateCalculator, DeadlineMetricsService, DEADLINES_QUEUE_TOKEN],
})
export class DeadlinesModule implements OnModuleInit {
  private readonly log = new Logger('Deadlines');

  constructor(
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(DeadlinesService) private readonly deadlines: DeadlinesService,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
  ) {}

  /**
   * A holiday added, moved or removed re-projects the running clocks it affects: every clock for a
   * national day, else those of the agency and of the agencies below it (they inherit its days).
   * It runs after the change is answered, so an admin's request does not wait for thousands of
   * clocks; each clock's re-projection is its own transaction with its own event.
   */
  onModuleInit(): void {
    this.calendar.onChange(async ({ agencyCode, date }) => {
      const reason = `calendar change on ${date}`;
      void (async () => {
        const codes = agencyCode ? await this.agencies.subtreeCodes(agencyCode) : [null];
        let changed = 0;
        for (const code of codes) changed += await this.deadlines.reprojectAgency(code, reason);
        if (changed) this.log.log(`${reason}: ${changed} clock(s) re-projected`);
      })().catch((e: Error) => this.log.error(`re-projection after ${reason} failed: ${e.message}`));
    });
  }
}
