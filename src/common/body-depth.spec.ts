import { describe, expect, it } from '@jest/globals';
import { jsonDepthExceeds } from './body-depth.js';

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('jsonDepthExceeds', () => {
  it('counts levels of objects and arrays, scalars being level 0', () => {
    expect(jsonDepthExceeds('x', 0)).toBe(false);
    expect(jsonDepthExceeds({}, 0)).toBe(true);
    expect(jsonDepthExceeds(nested(64), 64)).toBe(false);
    expect(jsonDepthExceeds(nested(65), 64)).toBe(true);
    expect(jsonDepthExceeds({ wide: Array.from({ length: 1000 }, () => ({ a: [1] })) }, 4)).toBe(false);
  });

  it('handles a nesting far deeper than the call stack allows', () => {
    expect(jsonDepthExceeds(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), 64)).toBe(true);
  });
});
