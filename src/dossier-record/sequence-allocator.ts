import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.js';
import { NEXT_SEQUENCE_SQL } from './submission-sql.js';

/**
 * Hands out the per-agency daily sequence numbers of dossier codes.
 *
 * Every submission to one agency on one day updates the same counter row, so the row lock must be
 * held as briefly as possible: the increment is its own statement, outside the dossier's
 * transaction, on connections with `synchronous_commit = off` (it commits without waiting for the
 * disk). That is safe because:
 * - codes may have gaps (Circular 01/2018 only needs them unique and never reused): a number taken
 *   by a submission that then fails is simply skipped;
 * - a number is never given to two stored dossiers: the WAL is written in order, so when a
 *   dossier's own (synchronous) commit is durable, so is the increment that preceded it; after a
 *   crash only numbers of dossiers that were never stored can come back, and `dossiers.code` is
 *   unique as a last guard.
 * Holding the lock across the whole transaction instead makes one agency's submissions queue
 * behind each other's disk flushes (see docs/BENCHMARKS.md).
 */
@Injectable()
export class SequenceAllocator implements OnApplicationShutdown {
  private readonly pool: pg.Pool;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4, options: '-c synchronous_commit=off', application_name: 'motcua-sequences' });
    this.pool.on('error', () => undefined); // a broken idle connection is replaced on next use
  }

  async next(agencyCode: string, day: string): Promise<number> {
    const { rows } = await this.pool.query<{ last: number }>(NEXT_SEQUENCE_SQL, [agencyCode, day]);
    return rows[0].last;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
