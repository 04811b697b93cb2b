import { describe, expect, it } from '@jest/globals';
import { formatApiKey, newApiKeySecret, parseApiKey } from './api-key-format.js';

describe('API key format', () => {
  const id = '3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f';

  it('round-trips, including secrets that contain "_" and "-"', () => {
    for (const secret of [newApiKeySecret(), `${'_'.repeat(21)}-${'a'.repeat(21)}`, `abc_def_${'x'.repeat(35)}`]) {
      const key = formatApiKey(id, secret);
      expect(key.startsWith('mck_')).toBe(true);
      expect(parseApiKey(key)).toEqual({ id, secret });
    }
  });

  it('makes 256-bit secrets that differ each time', () => {
    const a = newApiKeySecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newApiKeySecret()).not.toBe(a);
  });

  it('refuses anything that is not exactly a key', () => {
    const good = formatApiKey(id, newApiKeySecret());
    for (const bad of [
      '',
      'mck_',
      good.slice(0, -1),
      `${good}x`,
      ` ${good}`,
      good.replace('mck_', 'mcx_'),
      good.toUpperCase(),
      `mck_${id.replace(/-/g, '')}_${newApiKeySecret()}`,
      good.replace(/_([^_]*)$/, '.$1'),
    ]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });
});
