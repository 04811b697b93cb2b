import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { DossierRecordErrors } from './dossier-record.errors.js';
import type { DossierEventType } from './event-types.js';
import { eventHash, firstBrokenLink, GENESIS_HASH, type ChainedEvent } from './event-chain.js';

/**
 * The dossier journal: the one owner of a dossier's record outside the dossiers capability's own
 * reads and writes. Whoever changes a dossier (the workflow, the deadline engine, result signing)
 * goes through it to lock the dossier row and to append to its hash-chained history; nothing else
 * outside `src/dossiers/` runs SQL on `dossiers` or `dossier_events`.
 *
 * Locking order is always the dossier first, then whatever belongs to it (its clocks, its signing
 * rounds), so two writers of one dossier are serialised and cannot deadlock.
 *
 * Inside `journalTransaction` a dossier is locked once however many parts of an action ask for it,
 * and the events recorded are appended in one batch (one read of the chain tips, one insert)
 * just before the commit. Outside one, `record` appends at once, so any transaction may use it.
 */

export interface NewDossierEvent {
  dossierId: string;
  type: DossierEventType;
  actorKind: string;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/** What a lock hands back: where the dossier is handled (and its code, for messages). */
export interface LockedDossier {
  id: string;
  code: string;
  receivingAgencyCode: string;
  competentAgencyCode: string;
}

interface Batch {
  locked: Map<string, LockedDossier>;
  pending: NewDossierEvent[];
}

const batches = new WeakMap<QueryRunner, Batch>();

/**
 * Runs `work` in a transaction whose dossier locks are taken once and whose recorded events are
 * appended in one batch before the commit (in the order they were recorded).
 */
export function journalTransaction<T>(db: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(async (em) => {
    const runner = em.queryRunner!;
    const batch: Batch = { locked: new Map(), pending: [] };
    batches.set(runner, batch);
    try {
      const result = await work(em);
      await appendLocked(em, batch.pending);
      return result;
    } finally {
      batches.delete(runner);
    }
  });
}

/** Locks one dossier for the rest of the caller's transaction (once per journal transaction). */
export async function lockDossier(em: EntityManager, dossierId: string): Promise<LockedDossier> {
  requireTransaction(em);
  const batch = batches.get(em.queryRunner!);
  const held = batch?.locked.get(dossierId);
  if (held) return held;
  const [locked] = await lockRows(em, [dossierId], false);
  if (!locked) throw DossierRecordErrors.DOSSIER_NOT_FOUND();
  return locked;
}

/**
 * Locks several dossiers (in id order, so concurrent callers cannot deadlock). With `skipLocked`,
 * those another transaction holds are left out instead of waited for: the caller gets the ones it
 * could take.
 */
export async function lockDossiers(em: EntityManager, dossierIds: string[], opts: { skipLocked?: boolean } = {}): Promise<LockedDossier[]> {
  requireTransaction(em);
  const batch = batches.get(em.queryRunner!);
  const ids = [...new Set(dossierIds)];
  const held = ids.flatMap((id) => batch?.locked.get(id) ?? []);
  const wanted = ids.filter((id) => !batch?.locked.has(id));
  return [...held, ...(wanted.length ? await lockRows(em, wanted, opts.skipLocked ?? false) : [])];
}

async function lockRows(em: EntityManager, ids: string[], skipLocked: boolean): Promise<LockedDossier[]> {
  const rows: Array<{ id: string; code: string; receiving_agency_code: string; competent_agency_code: string }> = await em.query(
    `SELECT id, code, receiving_agency_code, competent_agency_code FROM dossiers WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
    [ids],
  );
  const locked = rows.map((r) => ({ id: r.id, code: r.code, receivingAgencyCode: r.receiving_agency_code, competentAgencyCode: r.competent_agency_code }));
  const batch = batches.get(em.queryRunner!);
  for (const l of locked) batch?.locked.set(l.id, l);
  return locked;
}

/** Records one event, locking its dossier first unless this transaction holds it. */
export async function recordDossierEvent(em: EntityManager, e: NewDossierEvent): Promise<void> {
  await lockDossier(em, e.dossierId);
  await recordLockedDossierEvents(em, [e]);
}

/**
 * Records events of dossiers the caller has locked (several per dossier allowed, kept in order):
 * batched in a journal transaction, appended at once otherwise.
 */
export async function recordLockedDossierEvents(em: EntityManager, events: NewDossierEvent[]): Promise<void> {
  requireTransaction(em);
  const batch = batches.get(em.queryRunner!);
  if (batch) batch.pending.push(...events);
  else await appendLocked(em, events);
}

/** One read of the chain tips, one insert: the next links of every dossier concerned. */
async function appendLocked(em: EntityManager, events: NewDossierEvent[]): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((e) => e.dossierId))];
  const lasts: Array<{ dossier_id: string; seq: number; hash: string }> = await em.query(
    `SELECT DISTINCT ON (dossier_id) dossier_id, seq, hash FROM dossier_events WHERE dossier_id = ANY($1::uuid[]) ORDER BY dossier_id, seq DESC`,
    [ids],
  );
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
    [
      rows.map((r) => r.dossierId),
      rows.map((r) => r.seq),
      rows.map((r) => r.type),
      rows.map((r) => r.actorKind),
      rows.map((r) => r.actorId),
      rows.map((r) => r.at),
      rows.map((r) => JSON.stringify(r.data)),
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
    ],
  );
}

/** A dossier's history in order, and whether its chain holds (the seq of the first broken link). */
export async function readDossierHistory(db: DataSource | EntityManager, dossierId: string): Promise<{ events: ChainedEvent[]; brokenAtSeq: number | null }> {
  const rows: Array<Record<string, unknown>> = await db.query(
    `SELECT dossier_id, seq, type, actor_kind, actor_id, at, data, prev_hash, hash FROM dossier_events WHERE dossier_id = $1 ORDER BY seq`,
    [dossierId],
  );
  const events: ChainedEvent[] = rows.map((r) => ({
    dossierId: r.dossier_id as string,
    seq: r.seq as number,
    type: r.type as string,
    actorKind: r.actor_kind as string,
    actorId: (r.actor_id as string | null) ?? null,
    at: new Date(r.at as string),
    data: r.data as Record<string, unknown>,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  }));
  return { events, brokenAtSeq: firstBrokenLink(events) };
}

/** The code and agencies of a dossier, read without a lock (null when there is none). */
export async function readDossierHeader(db: DataSource | EntityManager, dossierId: string): Promise<LockedDossier | null> {
  const [r] = await db.query(`SELECT id, code, receiving_agency_code, competent_agency_code FROM dossiers WHERE id = $1`, [dossierId]);
  return r ? { id: r.id, code: r.code, receivingAgencyCode: r.receiving_agency_code, competentAgencyCode: r.competent_agency_code } : null;
}

/** readDossierHeader for many dossiers at once (missing ones are left out). */
export async function readDossierHeaders(db: DataSource | EntityManager, dossierIds: string[]): Promise<LockedDossier[]> {
  if (dossierIds.length === 0) return [];
  const rows = await db.query(`SELECT id, code, receiving_agency_code, competent_agency_code FROM dossiers WHERE id = ANY($1::uuid[])`, [dossierIds]);
  return rows.map((r: Record<string, string>) => ({
    id: r.id,
    code: r.code,
    receivingAgencyCode: r.receiving_agency_code,
    competentAgencyCode: r.competent_agency_code,
  }));
}

/** A row lock taken outside a transaction is released at once: refuse that mistake loudly. */
export function requireTransaction(em: EntityManager): void {
  if (!em.queryRunner?.isTransactionActive) throw new Error('This operation must run inside a transaction (pass the EntityManager of db.transaction)');
}

/** The dossiers filed on Vietnam day `day` (YYYY-MM-DD), with their codes and receiving agencies (the portal sync's reconciliation). */
export async function readDossiersFiledOn(db: DataSource | EntityManager, day: string): Promise<LockedDossier[]> {
  const rows = await db.query(
    `SELECT id, code, receiving_agency_code, competent_agency_code FROM dossiers
      WHERE submitted_at >= ($1::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') AND submitted_at < (($1::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') ORDER BY id`,
    [day],
  );
  return rows.map((r: Record<string, string>) => ({
    id: r.id,
    code: r.code,
    receivingAgencyCode: r.receiving_agency_code,
    competentAgencyCode: r.competent_agency_code,
  }));
}
