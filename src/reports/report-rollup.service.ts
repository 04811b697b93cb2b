import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { Clock, vietnamDate } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxRow } from '../outbox/outbox-relay.js';
import { INTEGRATION_EVENT_TOPIC, type IntegrationEventPayload } from '../integration-events/integration-events.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { CountsRow } from './indicator-facts.sql.js';
import { CLEAR_DIRTY_SQL, markDirtySql, MONTH_COMPUTED_SQL, ROLLUP_AGENCIES_SQL, ROLLUP_MONTH_SQL, ROLLUP_PERIOD_SQL } from './report-rollup.sql.js';
import { ReportsDatabase } from './reports-database.js';
import { monthEnd, monthShift, planRollupPass, type RollupStep } from './rollup-plan.js';

/** Names the pass among PostgreSQL advisory locks: one pass at a time across replicas. */
const PASS_LOCK_KEY = 4_021_776_020;
/** A pass's statements recompute whole months of every agency: a bound far above a report's. */
const PASS_STATEMENT_TIMEOUT_MS = 600_000;
/** The integration events that change a dossier's figures without changing its facts. */
const FIGURE_EVENTS = new Set(['dossier.rated', 'dossier.complaint_filed']);

export interface RollupPassReport {
  /** False when another process held the pass. */
  ran: boolean;
  months: number;
  fullMonths: number;
  ms: number;
}

/**
 * Keeps report_monthly_rollup, the public figures' source (issue 20), from report_dossier_facts.
 * The facts' upsert marks the agencies whose months a change can move (report-rollup.sql.ts); so
 * do relayed ratings and complaints. On workers, every REPORT_ROLLUP_REFRESH_SECONDS (the
 * scheduler's job `reports.rollup`) and at start, a pass recomputes what rollup-plan.ts says, month by month, on the reports' pool, under
 * an advisory lock so replicas take turns. Reads answer whole months from the rows.
 */
@Injectable()
export class ReportRollupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('ReportRollup');
  private running?: Promise<RollupPassReport>;

  constructor(
    @Inject(ReportsDatabase) private readonly db: ReportsDatabase,
    @Inject(DataSource) private readonly main: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Outbox) outbox: Outbox,
    @Inject(Scheduler) scheduler: Scheduler,
  ) {
    outbox.observe(INTEGRATION_EVENT_TOPIC, 'reports-rollup', (rows) => this.markRated(rows));
    // Every REPORT_ROLLUP_REFRESH_SECONDS, one pass on one worker of all the replicas (the advisory lock stays, for the pass at start).
    scheduler.register({ name: 'reports.rollup', everyMs: config.reports.rollupRefreshSeconds * 1000, run: () => this.refreshNow() });
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    // Once at start (the public figures need their months), then on the scheduler's ticks.
    void this.refreshNow().catch((e: Error) => this.log.warn(`rollup pass failed, next in ${this.config.reports.rollupRefreshSeconds} s: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** Runs a pass now, or joins the one running. */
  refreshNow(): Promise<RollupPassReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async markRated(rows: OutboxRow<IntegrationEventPayload>[]): Promise<void> {
    const ids = [...new Set(rows.filter((r) => FIGURE_EVENTS.has(r.payload.type) && r.payload.dossierId).map((r) => r.payload.dossierId!))];
    // On the main pool, like the facts' refresh: a flood of reports must not hold up the relay.
    if (ids.length) await this.main.query(markDirtySql('SELECT agency_code, received_day FROM report_dossier_facts WHERE dossier_id = ANY($1::uuid[])'), [ids]);
  }

  private async pass(): Promise<RollupPassReport> {
    const t0 = Date.now();
    const client = await this.db.pool.connect().catch((e: unknown) => {
      throw this.db.mapError(e);
    });
    let failed = false;
    try {
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [PASS_LOCK_KEY]);
      if (!lock.rows[0].ok) return { ran: false, months: 0, fullMonths: 0, ms: Date.now() - t0 };
      try {
        const q = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
        const months = await q<{ month: string; computed_at: Date }>('SELECT month::text AS month, computed_at FROM report_rollup_months');
        const dirty = await q<{ agency_code: string; from_month: string; version: number }>(
          'SELECT agency_code, from_month::text AS from_month, version FROM report_rollup_dirty',
        );
        // Before the first pass ever (an upgrade with facts already there): from the earliest dossier.
        const earliest = months.length
          ? null
          : (await q<{ m: string | null }>(`SELECT date_trunc('month', min(received_day))::date::text AS m FROM report_dossier_facts`))[0].m;
        const steps = planRollupPass({
          current: `${vietnamDate(this.clock.now()).slice(0, 7)}-01`,
          now: this.clock.now(),
          months: months.map((m) => ({ month: m.month, computedAt: m.computed_at })),
          dirty: dirty.map((d) => ({ agencyCode: d.agency_code, fromMonth: d.from_month })),
          earliestFact: earliest,
        });
        const all = steps.some((s) => s.agencies === 'all') ? (await q<{ code: string }>(ROLLUP_AGENCIES_SQL)).map((r) => r.code) : [];
        for (const step of steps) await this.recompute(client, step, all);
        await client.query(CLEAR_DIRTY_SQL, [dirty.map((d) => d.agency_code), dirty.map((d) => d.version)]);
        const report = { ran: true, months: steps.length, fullMonths: steps.filter((s) => s.agencies === 'all').length, ms: Date.now() - t0 };
        if (report.months) this.log.log(`rollup: ${report.months} months recomputed (${report.fullMonths} for every agency) in ${report.ms} ms`);
        return report;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [PASS_LOCK_KEY]);
      }
    } catch (e) {
      failed = true;
      throw this.db.mapError(e);
    } finally {
      // A connection that failed mid-pass may hold a session lock or a broken transaction: not reused.
      client.release(failed);
    }
  }

  private async recompute(client: pg.PoolClient, step: RollupStep, all: string[]): Promise<void> {
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL statement_timeout = ${PASS_STATEMENT_TIMEOUT_MS}`);
      await client.query(ROLLUP_MONTH_SQL, [step.agencies === 'all' ? all : step.agencies, step.month, monthEnd(step.month)]);
      if (step.agencies === 'all') await client.query(MONTH_COMPUTED_SQL, [step.month]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /**
   * The counts of the agencies over the whole months from `firstMonth` to `lastMonth` (first
   * days); `ready` is false while one of those months is not computed yet (before the first pass,
   * at the turn of a month, after backdated dossiers), `asOf` the oldest instant they were
   * recomputed for every agency (null when none was needed: the period is before any dossier).
   */
  async periodCounts(codes: string[], firstMonth: string, lastMonth: string): Promise<{ row: CountsRow; ready: boolean; asOf: Date | null }> {
    const [r] = await this.db.query<CountsRow & { first: string | null; present: number; as_of: Date | null }>(ROLLUP_PERIOD_SQL, [
      codes,
      firstMonth,
      lastMonth,
    ]);
    const { first, present, as_of: asOf, ...row } = r;
    let needed = 0;
    for (let m = firstMonth; m <= lastMonth; m = monthShift(m, 1)) if (first !== null && m >= first) needed++;
    return { row, ready: first !== null && present >= needed, asOf };
  }
}
