import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { amountInWords, formatVnd, numberToVietnameseWords as w } from './vietnamese-words.js';

describe('amounts in Vietnamese words', () => {
  it.each([
    [0, 'không'],
    [1, 'một'],
    [5, 'năm'],
    [10, 'mười'],
    [11, 'mười một'],
    [15, 'mười lăm'],
    [20, 'hai mươi'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi bốn'],
    [25, 'hai mươi lăm'],
    [100, 'một trăm'],
    [101, 'một trăm linh một'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [115, 'một trăm mười lăm'],
    [1000, 'một nghìn'],
    [1005, 'một nghìn không trăm linh năm'],
    [1010, 'một nghìn không trăm mười'],
    [2000, 'hai nghìn'],
    [7000, 'bảy nghìn'],
    [10_000, 'mười nghìn'],
    [50_000, 'năm mươi nghìn'],
    [100_000, 'một trăm nghìn'],
    [135_000, 'một trăm ba mươi lăm nghìn'],
    [150_000, 'một trăm năm mươi nghìn'],
    [1_000_000, 'một triệu'],
    [1_000_005, 'một triệu không trăm linh năm'],
    [1_250_000, 'một triệu hai trăm năm mươi nghìn'],
    [20_015_000, 'hai mươi triệu không trăm mười lăm nghìn'],
    [1_000_000_000, 'một tỷ'],
    [2_000_001_000, 'hai tỷ không trăm linh một nghìn'],
    [1_000_000_000_000, 'một nghìn tỷ'],
    [5_000_000_000_000_000_000n, 'năm tỷ tỷ'],
  ])('%s → %s', (n, words) => expect(w(n)).toBe(words));

  it('writes the receipt line capitalised with the currency', () => {
    expect(amountInWords(160_000)).toBe('Một trăm sáu mươi nghìn đồng');
    expect(formatVnd(1_250_000)).toBe('1.250.000');
  });

  it('never says a scale twice in a row, never leaves a double space, and only uses the words of the language', () => {
    const vocabulary = new Set([
      'không',
      'một',
      'hai',
      'ba',
      'bốn',
      'năm',
      'sáu',
      'bảy',
      'tám',
      'chín',
      'mười',
      'mươi',
      'mốt',
      'lăm',
      'linh',
      'trăm',
      'nghìn',
      'triệu',
      'tỷ',
    ]);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (n) => {
        const words = w(n).split(' ');
        expect(words.every((x) => vocabulary.has(x))).toBe(true);
        for (let i = 1; i < words.length; i++) expect(['nghìn', 'triệu'].includes(words[i]) && words[i] === words[i - 1]).toBe(false);
      }),
    );
  });

  it('refuses a negative amount', () => expect(() => w(-1)).toThrow(RangeError));
});
