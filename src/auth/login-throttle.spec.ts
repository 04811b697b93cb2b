import { describe, expect, it } from '@jest/globals';
import { slowdownDelayMs } from './login-throttle.js';

describe('login slowdown', () => {
  it('waits nothing up to the threshold, then 250 ms per failure, at most 5 s', () => {
    expect(slowdownDelayMs(0, 20)).toBe(0);
    expect(slowdownDelayMs(20, 20)).toBe(0);
    expect(slowdownDelayMs(21, 20)).toBe(250);
    expect(slowdownDelayMs(24, 20)).toBe(1000);
    expect(slowdownDelayMs(10_000, 20)).toBe(5000);
  });
});
