import type { EntityManager } from 'typeorm';
import { AppError } from '../common/errors.js';
import { eventHash, GENESIS_HASH } from './event-chain.js';

export interface NewDossierEvent {
  dossierId: string;
  type: string;
  actorKind: string;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * Locks the dossier row for the rest of the caller's transaction. Every writer of a dossier's
 * history (workflow, deadlines) takes this lock first and in this order (dossier, then its
 * clocks), so appends are serialised per dossier and two writers cannot deadlock.
 */
export async function lockDossier(em: EntityManager, dossierId: string): Promise<{ receivingAgencyCode: string; competentAgencyCode: string }> {
  requireTransaction(em);
  const rows = await em.query(`SELECT receiving_agency_code, competent_agency_code FROM dossiers WHERE id = $1 FOR UPDATE`, [dossierId]);
  if (rows.length === 0) throw AppError.notFound('DOSSIER_NOT_FOUND', 'Không tìm thấy hồ sơ / Dossier not found');
  return { receivingAgencyCode: rows[0].receiving_agency_code, competentAgencyCode: rows[0].competent_agency_code };
}

/**
 * Appends one event to a dossier's hash-chained history inside the caller's transaction: locks the
 * dossier (unless the caller says it already holds the lock), reads the last link and writes the
 * next one. Returns the new event's seq.
 */
export async function appendDossierEvent(em: EntityManager, e: NewDossierEvent, opts: { dossierLocked?: boolean } = {}): Promise<number> {
  if (opts.dossierLocked) requireTransaction(em);
  else await lockDossier(em, e.dossierId);
  const [seq] = await appendLockedDossierEvents(em, [e]);
  return seq;
}

/**
 * Appends events to many dossiers at once (in order, several per dossier allowed): one read of the
 * last links, one insert. The caller must already hold the lock of every dossier concerned.
 */
export async function appendLockedDossierEvents(em: EntityManager, events: NewDossierEvent[]): Promise<number[]> {
  requireTransaction(em);
  if (events.length === 0) return [];
  const ids = [...new Set(events.map((e) => e.dossierId))];
  const lasts: Array<{ dossier_id: string; seq: number; hash: string }> = await em.query(
    `SELECT DISTINCT ON (dossier_id) dossier_id, seq, hash FROM dossier_events WHERE dossier_id = ANY($1::uuid[]) ORDER BY dossier_id, seq DESC`, [ids]);
  const tip = new Map(lasts.map((l) => [l.dossier_id, { seq: l.seq, hash: l.hash }]));
  const rows = events.map((e) => {
    const last = tip.get(e.dossierId) ?? { seq: 0, hash: GENESIS_HASH };
    const seq = last.seq + 1;
    const hash = eventHash({ ...e, seq, prevHash: last.hash });
    tip.set(e.dossierId, { seq, hash });
    return { ...e, seq, prevHash: last.hash, hash };
  });
  await em.query(
    `INSERT INTO dossier_events (dossier_id, seq, type, actor_kind, actor_id, at, data, prev_hash, hash)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::varchar[], $5::uuid[], $6::timestamptz[], $7::jsonb[], $8::char(64)[], $9::char(64)[])`,
    [rows.map((r) => r.dossierId), rows.map((r) => r.seq), rows.map((r) => r.type), rows.map((r) => r.actorKind), rows.map((r) => r.actorId),
      rows.map((r) => r.at), rows.map((r) => JSON.stringify(r.data)), rows.map((r) => r.prevHash), rows.map((r) => r.hash)],
  );
  return rows.map((r) => r.seq);
}

/** A row lock taken outside a transaction is released at once: refuse that mistake loudly. */
export function requireTransaction(em: EntityManager): void {
  if (!em.queryRunner?.isTransactionActive) throw new Error('This operation must run inside a transaction (pass the EntityManager of db.transaction)');
}
