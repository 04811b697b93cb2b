import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { OutboxRelay, withTimeout } from '../outbox/outbox-relay.js';
import { SCHEDULE_TOPIC } from './deadline-jobs.js';
import { DEADLINES_QUEUE_TOKEN } from './deadlines-queue.js';
import type { ClockStatus } from './dossier-clock.entity.js';

export interface DeadlineMetrics {
  /** Running clocks per agency and status (gauge: motcua_deadline_clocks{agency,status}). */
  runningClocks: Array<{ agencyCode: string; status: ClockStatus; count: number }>;
  /** Jobs per BullMQ state; null while Redis does not answer. */
  queue: { delayed: number; waiting: number; active: number; failed: number } | null;
  /** Scheduling intents not yet moved to Redis. */
  outboxBacklog: number;
  /** Firing lag (flag time − due time) of the flags set in the window, in seconds. */
  lag: { window: string; overdue: LagSummary; dueSoon: LagSummary };
}

export interface LagSummary {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

const LAG_WINDOW_HOURS = 1;

/**
 * The figures an operator watches, computed from PostgreSQL (the truth) and the queue. The HTTP
 * exposition (`/metrics` in Prometheus' format, with prom-client) is left to wire once that package
 * is installed; this service is what it would read.
 */
@Injectable()
export class DeadlineMetricsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DEADLINES_QUEUE_TOKEN) private readonly queue: Queue,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async collect(): Promise<DeadlineMetrics> {
    const since = new Date(this.clock.now().getTime() - LAG_WINDOW_HOURS * 3_600_000);
    const [clocks, lags, outboxBacklog, queue] = await Promise.all([
      this.db.query(`SELECT agency_code, status, count(*)::int AS n FROM dossier_clocks WHERE state = 'RUNNING' GROUP BY 1, 2 ORDER BY 1, 2`),
      this.db.query(
        `SELECT k, count(*)::int AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99, max(lag) AS max
           FROM (SELECT 'overdue' AS k, extract(epoch FROM overdue_flagged_at - due_at)::float8 AS lag FROM dossier_clocks WHERE overdue_flagged_at >= $1
                 UNION ALL
                 SELECT 'dueSoon', extract(epoch FROM due_soon_flagged_at - due_soon_at)::float8 FROM dossier_clocks WHERE due_soon_flagged_at >= $1) l
          GROUP BY k`,
        [since],
      ),
      this.relay.backlog(SCHEDULE_TOPIC.name),
      withTimeout(this.queue.getJobCounts('delayed', 'waiting', 'active', 'failed'), 2000, 'queue counts').catch(() => null),
    ]);
    const lag = (k: string): LagSummary => {
      const r = lags.find((x: { k: string }) => x.k === k);
      return r ? { count: r.n, p50: r.p50, p99: r.p99, max: r.max } : { count: 0, p50: null, p99: null, max: null };
    };
    return {
      runningClocks: clocks.map((r: { agency_code: string; status: ClockStatus; n: number }) => ({ agencyCode: r.agency_code, status: r.status, count: r.n })),
      queue: queue ? { delayed: queue.delayed ?? 0, waiting: queue.waiting ?? 0, active: queue.active ?? 0, failed: queue.failed ?? 0 } : null,
      outboxBacklog,
      lag: { window: `${LAG_WINDOW_HOURS}h`, overdue: lag('overdue'), dueSoon: lag('dueSoon') },
    };
  }
}
