import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DOSSIER_UPDATED_TOPIC, STATUS_CHANGED_TOPIC } from '../dossier-record/dossier-status.js';
import { Outbox } from '../outbox/outbox.js';
import type { OutboxRow } from '../outbox/outbox-relay.js';
import { PAYMENT_TOPICS } from '../payments/payment-topics.js';
import { upsertFactsSql } from './indicator-facts.sql.js';
import { dossierExistsSql, dossierIdsAfter } from '../dossier-record/dossier-records.js';
import { markDirtySql, upsertFactsMarkingSql } from './report-rollup.sql.js';

const REBUILD_BATCH = 20_000;

/**
 * The one writer of report_dossier_facts. A dossier's row is recomputed whole from the primary
 * tables (idempotent: a message relayed twice, or out of order, leaves the same row) after every
 * status change, status-keeping workflow action (a re-appointment) and payment change the outbox carries; `rebuild` recomputes every row (backfill,
 * after a catalogue change of fields or fees, or a calendar change that moved due dates). The same
 * statement marks the agencies' months the public figures' rollup must recompute (ReportRollupService).
 */
@Injectable()
export class ReportFactsService {
  private readonly log = new Logger('ReportFacts');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Outbox) outbox: Outbox,
  ) {
    const fromRows = (rows: OutboxRow<{ dossierId: string }>[]) => this.refresh(rows.map((r) => r.payload.dossierId));
    outbox.observe(STATUS_CHANGED_TOPIC, 'reports', fromRows);
    // Actions that keep the status (a re-appointment moves the due date).
    outbox.observe(DOSSIER_UPDATED_TOPIC, 'reports', fromRows);
    for (const topic of Object.values(PAYMENT_TOPICS)) outbox.observe(topic, 'reports', fromRows);
  }

  /** Recomputes the rows of these dossiers. */
  async refresh(dossierIds: string[]): Promise<void> {
    const ids = [...new Set(dossierIds.filter(Boolean))];
    if (ids.length === 0) return;
    await this.db.query(upsertFactsMarkingSql(upsertFactsSql('d.id = ANY($1::uuid[])'), 'dossier_id = ANY($1::uuid[])'), [ids]);
  }

  /** Recomputes every row, in batches by dossier id; drops rows of dossiers that no longer exist. Returns the rows written. */
  async rebuild(onProgress?: (done: number) => void): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const ids = await dossierIdsAfter(this.db, after, REBUILD_BATCH);
      if (ids.length === 0) break;
      const last = ids[ids.length - 1];
      await this.db.query(upsertFactsMarkingSql(upsertFactsSql('d.id > $1::uuid AND d.id <= $2::uuid'), 'dossier_id > $1::uuid AND dossier_id <= $2::uuid'), [
        after,
        last,
      ]);
      after = last;
      done += ids.length;
      onProgress?.(done);
    }
    await this.db.query(`WITH gone AS (DELETE FROM report_dossier_facts f WHERE NOT ${dossierExistsSql('f.dossier_id')}
      RETURNING f.agency_code, f.received_day) ${markDirtySql('SELECT * FROM gone')}`);
    this.log.log(`rebuilt ${done} dossier facts`);
    return done;
  }
}
