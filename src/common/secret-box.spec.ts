import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { seal, unseal } from './secret-box.js';

describe('secret box', () => {
  const key = randomBytes(32);
  it('reads back what it sealed, and only with the same key and context', () => {
    const sealed = seal(key, 'whsec_abc', 'row-1');
    expect(sealed).not.toContain('whsec_abc');
    expect(unseal(key, sealed, 'row-1')).toBe('whsec_abc');
    expect(() => unseal(key, sealed, 'row-2')).toThrow();
    expect(() => unseal(randomBytes(32), sealed, 'row-1')).toThrow();
    expect(seal(key, 'whsec_abc', 'row-1')).not.toBe(sealed);
  });
});
