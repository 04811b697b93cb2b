import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  dossierId: string;
  seq: number;
  type: string;
  actorKind: string;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * Each history event carries the hash of the one before it, so editing or deleting a stored event
 * breaks every hash after it: tampering is detectable by anyone who re-computes the chain.
 */
export function eventHash(e: Omit<ChainedEvent, 'hash'>): string {
  const body = canonicalJson({
    dossierId: e.dossierId,
    seq: e.seq,
    type: e.type,
    actorKind: e.actorKind,
    actorId: e.actorId,
    at: e.at.toISOString(),
    data: e.data,
  });
  return createHash('sha256').update(e.prevHash).update('\n').update(body).digest('hex');
}

/** The first event whose link or hash does not hold, or null when the chain is intact. */
export function firstBrokenLink(events: ChainedEvent[]): number | null {
  let prev = GENESIS_HASH;
  for (const e of events) {
    if (e.prevHash !== prev || eventHash(e) !== e.hash) return e.seq;
    prev = e.hash;
  }
  return null;
}
