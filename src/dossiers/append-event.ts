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
  const [last] = await em.query(`SELECT seq, hash FROM dossier_events WHERE dossier_id = $1 ORDER BY seq DESC LIMIT 1`, [e.dossierId]);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash: string = last?.hash ?? GENESIS_HASH;
  const hash = eventHash({ ...e, seq, prevHash });
  await em.query(
    `INSERT INTO dossier_events (dossier_id, seq, type, actor_kind, actor_id, at, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.dossierId, seq, e.type, e.actorKind, e.actorId, e.at, e.data, prevHash, hash],
  );
  return seq;
}

/** A row lock taken outside a transaction is released at once: refuse that mistake loudly. */
export function requireTransaction(em: EntityManager): void {
  if (!em.queryRunner?.isTransactionActive) throw new Error('This operation must run inside a transaction (pass the EntityManager of db.transaction)');
}
