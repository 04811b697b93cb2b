import { describe, expect, it } from '@jest/globals';
import { clientBucket } from './rate-limit.js';

describe('clientBucket', () => {
  it('counts an IPv4 client by its address, also when it arrives IPv4-mapped', () => {
    expect(clientBucket('203.113.1.7')).toBe('203.113.1.7');
    expect(clientBucket('::ffff:203.113.1.7')).toBe('203.113.1.7');
  });

  it('counts every address of one IPv6 /64 together', () => {
    const a = clientBucket('2001:ee0:4f1a:12:a1b2:c3d4:e5f6:1');
    expect(a).toBe('2001:ee0:4f1a:12::/64');
    expect(clientBucket('2001:0ee0:4f1a:0012::9')).toBe(a);
    expect(clientBucket('2001:ee0:4f1a:12:ffff::')).toBe(a);
    expect(clientBucket('2001:ee0:4f1a:13::1')).not.toBe(a);
    expect(clientBucket('2001:ee0::1')).toBe('2001:ee0:0:0::/64');
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('has a bucket for a request without an address', () => {
    expect(clientBucket(undefined)).toBe('unknown');
  });
});
