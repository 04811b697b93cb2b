import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { Public } from '../common/auth-context.js';
import { AppConfig } from '../config/app-config.js';
import { DeadlineMetricsService } from '../deadlines/deadline-metrics.js';
import { CommonErrors } from '../common/common.errors.js';
import { safeEqual } from '../auth/secret-hash.js';

/**
 * Prometheus metrics at `/metrics` (outside /api/v1): running, due-soon and overdue clocks per
 * agency, queue depths, the outbox backlog and the firing lag, computed at each scrape from
 * PostgreSQL and the queue, plus the process' own metrics. With METRICS_TOKEN set, a scrape must
 * send `Authorization: Bearer <token>`; keep the endpoint on the internal network either way.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly registry = new Registry();
  private readonly clocks = new Gauge({
    name: 'motcua_deadline_clocks',
    help: 'Running clocks by agency and status',
    labelNames: ['agency', 'status'],
    registers: [this.registry],
  });
  private readonly jobs = new Gauge({
    name: 'motcua_queue_jobs',
    help: 'Jobs in the deadlines queue by state',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
  });
  private readonly backlog = new Gauge({ name: 'motcua_outbox_backlog', help: 'Scheduling intents not yet moved to Redis', registers: [this.registry] });
  private readonly lag = new Gauge({
    name: 'motcua_deadline_firing_lag_seconds',
    help: 'Flag time minus due time over the last hour',
    labelNames: ['kind', 'quantile'],
    registers: [this.registry],
  });
  private readonly redisUp = new Gauge({ name: 'motcua_queue_redis_up', help: '1 when the queue answered this scrape', registers: [this.registry] });

  constructor(
    @Inject(DeadlineMetricsService) private readonly metrics: DeadlineMetricsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'motcua_' });
  }

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'scrapeMetrics',
    summary: 'Prometheus metrics (text format)',
    description: 'Not under /api/v1. With METRICS_TOKEN set, send `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Metrics in the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 401, description: 'UNAUTHENTICATED: METRICS_TOKEN is set and was not sent' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const token = this.config.metricsToken;
    if (token) {
      if (!safeEqual(authorization?.replace(/^Bearer /i, '') ?? '', token))
        throw CommonErrors.UNAUTHENTICATED('Cần METRICS_TOKEN', 'A valid metrics token is required');
    }
    const m = await this.metrics.collect();
    this.clocks.reset();
    for (const c of m.runningClocks) this.clocks.set({ agency: c.agencyCode, status: c.status }, c.count);
    this.jobs.reset();
    this.redisUp.set(m.queue ? 1 : 0);
    if (m.queue) for (const [state, n] of Object.entries(m.queue)) this.jobs.set({ queue: 'deadlines', state }, n);
    this.backlog.set(m.outboxBacklog);
    this.lag.reset();
    for (const [kind, s] of [
      ['overdue', m.lag.overdue],
      ['due_soon', m.lag.dueSoon],
    ] as const) {
      if (s.p50 !== null) this.lag.set({ kind, quantile: '0.5' }, s.p50);
      if (s.p99 !== null) this.lag.set({ kind, quantile: '0.99' }, s.p99);
    }
    res.setHeader('Content-Type', this.registry.contentType);
    res.end(await this.registry.metrics());
  }
}
