import { describe, expect, it } from '@jest/globals';
import { parseRetryAfter, retryDelayMs } from './backoff.js';

describe('retry delays', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, windowMs: 86_400_000 };
  it('doubles per failure within jitter, capped', () => {
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, undefined, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 4, undefined, () => 1)).toBe(8000);
    expect(retryDelayMs(policy, 40, undefined, () => 1)).toBe(60_000);
  });
  it('never comes back before Retry-After, which is capped at the longest delay', () => {
    expect(retryDelayMs(policy, 1, 30_000, () => 0)).toBe(30_000);
    expect(retryDelayMs(policy, 1, 3_600_000, () => 0)).toBe(60_000);
  });
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
