import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';
import { retryLater } from './reports.errors.js';

/** What a cancelled statement (statement_timeout) reports. */
const QUERY_CANCELED = '57014';
/** pg-pool's message when connectionTimeoutMillis passed while waiting for a connection. */
const POOL_WAIT_TIMEOUT = /timeout exceeded when trying to connect/i;
const RETRY_AFTER_TIMEOUT_S = 30;
const RETRY_AFTER_BUSY_S = 5;

/**
 * The reports' own PostgreSQL pool (issue 20): REPORT_POOL_SIZE connections per process, each with
 * REPORT_STATEMENT_TIMEOUT_MS as its statement_timeout, so however many reports are asked for at
 * once, at most that many run, each for a bounded time, and the service's main pool (queues,
 * filing, every staff action) never waits behind them. A report waits at most
 * REPORT_POOL_WAIT_MS for a connection. A cancelled statement is 503 REPORT_TIMEOUT and a wait
 * too long 503 REPORTS_BUSY, both with Retry-After (never a 500).
 */
@Injectable()
export class ReportsDatabase implements OnApplicationShutdown {
  readonly pool: pg.Pool;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    const r = config.reports;
    this.pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: r.poolSize,
      statement_timeout: r.statementTimeoutMs,
      connectionTimeoutMillis: r.poolWaitMs,
      idleTimeoutMillis: 30_000,
      application_name: 'motcua-reports',
    });
    this.pool.on('error', () => undefined); // a broken idle connection is replaced on next use
  }

  /** The rows of one statement. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.pool.query(sql, params)).rows as T[];
    } catch (e) {
      throw this.mapError(e);
    }
  }

  /** Connections in use, idle and waited for (the benchmark prints them). */
  usage(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  /** A statement cancelled by its timeout, or a wait for a connection too long: the catalogue's 503; anything else unchanged. */
  mapError(e: unknown): unknown {
    if ((e as { code?: string }).code === QUERY_CANCELED)
      return retryLater('REPORT_TIMEOUT', RETRY_AFTER_TIMEOUT_S, { statementTimeoutMs: this.config.reports.statementTimeoutMs });
    if (e instanceof Error && POOL_WAIT_TIMEOUT.test(e.message))
      return retryLater('REPORTS_BUSY', RETRY_AFTER_BUSY_S, { poolSize: this.config.reports.poolSize });
    return e;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
