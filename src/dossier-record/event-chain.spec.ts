import { describe, expect, it } from '@jest/globals';
import { canonicalJson, eventHash, firstBrokenLink, GENESIS_HASH, type ChainedEvent } from './event-chain.js';

function chain(n: number): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      dossierId: 'd1',
      seq,
      type: `T${seq}`,
      actorKind: 'user',
      actorId: 'u1',
      at: new Date(Date.UTC(2026, 10, 22, 3, seq)),
      data: { n: seq },
      prevHash: prev,
    };
    const full = { ...e, hash: eventHash(e) };
    out.push(full);
    prev = full.hash;
  }
  return out;
}

describe('event hash chain', () => {
  it('is order-independent in object keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });
  it('verifies an intact chain', () => {
    expect(firstBrokenLink(chain(5))).toBeNull();
  });
  it('finds an edited event', () => {
    const c = chain(5);
    c[2] = { ...c[2], data: { n: 99 } };
    expect(firstBrokenLink(c)).toBe(3);
  });
  it('finds a deleted event', () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(firstBrokenLink(c)).toBe(3);
  });
});
