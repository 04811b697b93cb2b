import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, vietnamDate } from '../common/clock.js';
import { RedisClient } from '../common/redis.js';
import { AppConfig } from '../config/app-config.js';
import { countsFromRow, IndicatorsService } from './indicators.service.js';
import { indicatorRows, type IndicatorExtras } from './indicator-rules.js';
import { withholdSmallCounts } from './public-suppression.js';
import { ReportRollupService } from './report-rollup.service.js';
import { publicPeriod } from './report-period.js';
import type { IndicatorReport, PublicIndicatorReport, ReportPeriod } from './report-types.js';
import { retryLater } from './reports.errors.js';
import { SingleFlight } from './single-flight.js';

export interface PublicIndicatorQuery {
  agencyCode: string;
  from?: string;
  to?: string;
  period?: string;
  date?: string;
  subtree?: boolean;
}

const SCOPE_TTL_MS = 60_000;
const SCOPES_KEPT = 2_000;

type PublicScope = Awaited<ReturnType<IndicatorsService['agencyScope']>> & { procedures: IndicatorReport['procedures'] };

/** The figures before small counts are withheld (what the public answer is made from). */
export interface ExactPublicFigures {
  report: Omit<IndicatorReport, 'byProcedure' | 'byField'>;
  extras: IndicatorExtras;
  asOf: Date | null;
}

/**
 * The public figures (issue 20): never the live query. A period of whole months (bounded by
 * PUBLIC_REPORT_MAX_MONTHS, up to the current month) is read from the monthly rollup
 * (ReportRollupService) on the reports' pool; identical concurrent requests share one computation
 * and the answer is cached in Redis for PUBLIC_REPORT_CACHE_SECONDS (shared by replicas); small
 * counts are withheld (public-suppression.ts).
 */
@Injectable()
export class PublicFiguresService {
  private readonly log = new Logger('PublicFigures');
  private readonly flights = new SingleFlight<PublicIndicatorReport>();
  private readonly scopeFlights = new SingleFlight<PublicScope>();
  private readonly scopes = new Map<string, { at: number; scope: PublicScope }>();

  constructor(
    @Inject(IndicatorsService) private readonly indicators: IndicatorsService,
    @Inject(ReportRollupService) private readonly rollup: ReportRollupService,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async report(q: PublicIndicatorQuery): Promise<PublicIndicatorReport> {
    const r = this.config.reports;
    const period = publicPeriod(q, { maxMonths: r.publicMaxMonths, currentMonth: vietnamDate(this.clock.now()).slice(0, 7) });
    const subtree = q.subtree ?? false;
    const key = `${this.config.queuePrefix}:public-report:${q.agencyCode}:${subtree ? 'subtree' : 'own'}:${period.from}:${period.to}`;
    return this.flights.run(key, async () => {
      const cached = await this.cacheGet(key);
      if (cached) return cached;
      const exact = await this.exact(q.agencyCode, subtree, period);
      const shown = withholdSmallCounts(exact.report.counts, exact.extras, exact.report.indicators, r.publicMinCount);
      const answer: PublicIndicatorReport = {
        agency: exact.report.agency,
        subtree,
        period,
        generatedAt: exact.report.generatedAt,
        asOf: exact.asOf?.toISOString() ?? null,
        indicators: shown.indicators,
        counts: shown.counts,
        procedures: exact.report.procedures,
        suppression: shown.suppression,
      };
      await this.cacheSet(key, answer);
      return answer;
    });
  }

  /** The exact figures of an agency (or its subtree) over a period of whole months, from the rollup. */
  async exact(agencyCode: string, subtree: boolean, period: ReportPeriod): Promise<ExactPublicFigures> {
    const { procedures, ...scope } = await this.scope(agencyCode, subtree);
    const read = await this.rollup.periodCounts(scope.codes, `${period.from.slice(0, 7)}-01`, `${period.to.slice(0, 7)}-01`);
    if (!read.ready) throw retryLater('PUBLIC_REPORT_NOT_READY', this.config.reports.rollupRefreshSeconds);
    const { counts, extras } = countsFromRow(read.row);
    return {
      report: { ...scope, period, generatedAt: this.clock.now().toISOString(), indicators: indicatorRows(counts, extras, procedures), counts, procedures },
      extras,
      asOf: read.asOf,
    };
  }

  /**
   * The agency, the receiving agencies it counts and their procedures (3.1), kept SCOPE_TTL_MS:
   * a burst of public requests for one agency's windows asks the main pool (the agency directory)
   * and the reports' pool (3.1) once, not once each.
   */
  private scope(agencyCode: string, subtree: boolean): Promise<PublicScope> {
    const key = `${agencyCode}|${subtree}`;
    const now = this.clock.now().getTime();
    const kept = this.scopes.get(key);
    if (kept && now - kept.at < SCOPE_TTL_MS) return Promise.resolve(kept.scope);
    return this.scopeFlights.run(key, async () => {
      const s = await this.indicators.agencyScope(agencyCode, subtree);
      const scope = { ...s, procedures: await this.indicators.procedureCounts(s.codes) };
      if (this.scopes.size >= SCOPES_KEPT) this.scopes.clear();
      this.scopes.set(key, { at: now, scope });
      return scope;
    });
  }

  // The cache is an optimisation: when Redis cannot answer, the figures are computed anyway.
  private async cacheGet(key: string): Promise<PublicIndicatorReport | null> {
    if (this.config.reports.publicCacheSeconds === 0) return null;
    try {
      const hit = await this.redis.get(key);
      return hit ? (JSON.parse(hit) as PublicIndicatorReport) : null;
    } catch (e) {
      this.log.warn(`public figures cache unreadable: ${(e as Error).message}`);
      return null;
    }
  }

  private async cacheSet(key: string, answer: PublicIndicatorReport): Promise<void> {
    if (this.config.reports.publicCacheSeconds === 0) return;
    await this.redis
      .set(key, JSON.stringify(answer), 'EX', this.config.reports.publicCacheSeconds)
      .catch((e: Error) => this.log.warn(`public figures cache not written: ${e.message}`));
  }
}
