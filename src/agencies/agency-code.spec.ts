import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isValidAgencyCode, parseAgencyCode } from './agency-code.js';

describe('QCVN 102:2016 agency ids', () => {
  it('accepts ids at each of the four levels and says how deep they are', () => {
    expect(parseAgencyCode('000.00.00.H56')).toEqual({ level1: 'H56', level2: '00', level3: '00', level4: '000', depth: 1 });
    expect(parseAgencyCode('000.00.20.H56')?.depth).toBe(2);
    expect(parseAgencyCode('000.23.20.H56')?.depth).toBe(3);
    expect(parseAgencyCode('001.23.20.H56')).toEqual({ level1: 'H56', level2: '20', level3: '23', level4: '001', depth: 4 });
    expect(isValidAgencyCode('000.00.04.G14')).toBe(true);
  });

  it.each([
    ['H56', 'only the level-1 part'],
    ['000.00.20.h56', 'lower-case letter'],
    ['000.00.20.156', 'digit instead of the letter'],
    ['000.00.20.H5', 'one digit after the letter'],
    ['00.00.20.H56', 'two-digit level 4'],
    ['000.0.20.H56', 'one-digit level 3'],
    ['000-00-20-H56', 'dashes instead of dots'],
    [' 000.00.20.H56', 'leading space'],
    ['000.00.20.H56.01', 'an extra part'],
    ['000.00.00.H00', 'level-1 number 00'],
    ['000.05.00.H56', 'level 3 without level 2'],
    ['001.00.20.H56', 'level 4 without level 3'],
  ])('refuses %s (%s)', (code) => {
    expect(parseAgencyCode(code)).toBeNull();
    expect(isValidAgencyCode(code)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isValidAgencyCode(undefined)).toBe(false);
    expect(isValidAgencyCode(56)).toBe(false);
  });

  it('accepts every id built top-down from the form', () => {
    const two = (min: number) => fc.integer({ min, max: 99 }).map((n) => String(n).padStart(2, '0'));
    const code = fc
      .record({
        letter: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
        x: two(1),
        y: two(1),
        z: two(1),
        v: fc.integer({ min: 1, max: 999 }),
        depth: fc.integer({ min: 1, max: 4 }),
      })
      .map(({ letter, x, y, z, v, depth }) => {
        const y2 = depth >= 2 ? y : '00';
        const z2 = depth >= 3 ? z : '00';
        const v3 = depth >= 4 ? String(v).padStart(3, '0') : '000';
        return { code: `${v3}.${z2}.${y2}.${letter}${x}`, depth };
      });
    fc.assert(fc.property(code, ({ code: c, depth }) => parseAgencyCode(c)?.depth === depth));
  });
});
