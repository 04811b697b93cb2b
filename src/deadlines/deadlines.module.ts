import { Inject, Logger, Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { CalendarModule } from '../calendar/calendar.module.js';
import { CALENDAR_CHANGED_TOPIC, CalendarService, type CalendarChange } from '../calendar/calendar.service.js';
import { Outbox } from '../outbox/outbox.js';
import { DeadlineAlerts } from './deadline-alerts.js';
import { DeadlineFiring } from './deadline-firing.js';
import { DeadlineMetricsService } from './deadline-metrics.js';
import { DEADLINES_QUEUE_TOKEN, DeadlinesQueueCloser, deadlinesQueueProvider } from './deadlines-queue.js';
import { DeadlineScheduler } from './deadline-scheduler.js';
import { DeadlineWorkers } from './deadline-workers.js';
import { DeadlinesService } from './deadlines.service.js';
import { DueDateCalculator } from './due-date-calculator.js';
import { WorkingTimeCalculator } from './working-time-calculator.js';

@Module({
  imports: [CalendarModule, AgenciesModule],
  providers: [
    { provide: DueDateCalculator, useClass: WorkingTimeCalculator },
    deadlinesQueueProvider,
    DeadlinesQueueCloser,
    DeadlinesService,
    DeadlineAlerts,
    DeadlineFiring,
    DeadlineMetricsService,
    DeadlineScheduler,
    DeadlineWorkers,
  ],
  // The queue itself too, for the operators' dashboard.
  exports: [DeadlinesService, DueDateCalculator, DeadlineMetricsService, DeadlineAlerts, DEADLINES_QUEUE_TOKEN],
})
export class DeadlinesModule {
  private readonly log = new Logger('Deadlines');

  /**
   * A holiday added, moved or removed re-projects the running clocks it affects: every clock for a
   * national day, else those of the agency and of the agencies below it (they inherit its days).
   * The change's outbox row is written with it, so the re-projection happens even when the process
   * dies right after answering the admin; it runs as a job (retried with backoff), and each
   * clock's re-projection is its own transaction with its own event (re-running is harmless:
   * clocks already moved are left alone).
   */
  constructor(
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(DeadlinesService) private readonly deadlines: DeadlinesService,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
    @Inject(Outbox) outbox: Outbox,
  ) {
    outbox.handleWithQueue(CALENDAR_CHANGED_TOPIC, {
      queue: 'calendar-reprojection',
      concurrency: 1,
      toJob: (r) => ({
        name: 'reproject',
        data: r.payload,
        opts: { jobId: `reproject.${r.id}`, attempts: 8, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: 10000 },
      }),
      process: (job) => this.reproject(job.data),
    });
  }

  private async reproject(change: CalendarChange): Promise<void> {
    const { agencyCode, date } = change;
    const reason = `calendar change on ${date}`;
    // The change may have been made by another process: read the stored days, not our cache.
    this.calendar.invalidateFor(change);
    const codes = agencyCode ? await this.agencies.subtreeCodes(agencyCode) : [null];
    let changed = 0;
    for (const code of codes) changed += await this.deadlines.reprojectAgency(code, reason);
    if (changed) this.log.log(`${reason}: ${changed} clock(s) re-projected`);
  }
}
