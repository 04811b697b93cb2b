import { describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { journalTransaction, lockDossier, lockDossiers, recordDossierEvent, recordLockedDossierEvents } from './journal.js';
import type { DossierEventType } from './event-types.js';

/**
 * A stand-in for a TypeORM transaction that records the SQL it is given and answers the journal's
 * two reads (the lock and the chain tips); what matters here is how many statements go out.
 */
function recordingDb() {
  const sql: string[] = [];
  const em = {
    queryRunner: { isTransactionActive: true },
    async query(text: string, params: unknown[]) {
      sql.push(text.replace(/\s+/g, ' ').trim());
      if (text.includes('FOR UPDATE'))
        return (params[0] as string[]).map((id) => ({ id, code: `C-${id}`, receiving_agency_code: 'R', competent_agency_code: 'K' }));
      return [];
    },
  } as unknown as EntityManager;
  const db = { transaction: async <T>(work: (m: EntityManager) => Promise<T>) => work(em) } as unknown as DataSource;
  return {
    db,
    em,
    sql,
    locks: () => sql.filter((s) => s.includes('FOR UPDATE')),
    inserts: () => sql.filter((s) => s.startsWith('INSERT INTO dossier_events')),
  };
}

const event = (dossierId: string, type: string) => ({
  dossierId,
  type: type as DossierEventType,
  actorKind: 'system',
  actorId: null,
  at: new Date('2026-12-03T02:00:00Z'),
  data: {},
});

describe('the dossier journal', () => {
  it('locks a dossier once per journal transaction and appends its events in one insert at the end', async () => {
    const r = recordingDb();
    await journalTransaction(r.db, async (em) => {
      await lockDossier(em, 'd1');
      await lockDossier(em, 'd1'); // e.g. the deadline engine, called by the action
      await recordDossierEvent(em, event('d1', 'DEADLINE_STARTED'));
      await recordLockedDossierEvents(em, [event('d1', 'DEADLINE_STARTED'), event('d1', 'ACCEPT')]);
      expect(r.inserts()).toHaveLength(0); // nothing appended before the end
    });
    expect(r.locks()).toHaveLength(1);
    expect(r.inserts()).toHaveLength(1);
  });

  it('outside a journal transaction, appends at once', async () => {
    const r = recordingDb();
    await recordDossierEvent(r.em, event('d1', 'X'));
    await recordDossierEvent(r.em, event('d1', 'Y'));
    expect(r.inserts()).toHaveLength(2);
  });

  it('locks many with SKIP LOCKED in id order, without locking again those already held', async () => {
    const r = recordingDb();
    await journalTransaction(r.db, async (em) => {
      await lockDossier(em, 'b');
      const got = await lockDossiers(em, ['c', 'b', 'a'], { skipLocked: true });
      expect(got.map((d) => d.id).sort()).toEqual(['a', 'b', 'c']);
    });
    expect(r.locks()).toHaveLength(2);
    expect(r.locks()[1]).toContain('ORDER BY id FOR UPDATE SKIP LOCKED');
  });

  it('refuses to lock outside a transaction', async () => {
    const em = { queryRunner: { isTransactionActive: false } } as unknown as EntityManager;
    await expect(lockDossier(em, 'd1')).rejects.toThrow('must run inside a transaction');
  });
});
