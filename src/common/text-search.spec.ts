import { describe, expect, it } from '@jest/globals';
import { containsPattern, foldVietnamese, searchWords } from './text-search.js';

describe('foldVietnamese', () => {
  it('removes tone and vowel marks, maps đ to d and lowers the case', () => {
    expect(foldVietnamese('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(foldVietnamese('Thủ tục đăng ký kết hôn có yếu tố nước ngoài')).toBe('thu tuc dang ky ket hon co yeu to nuoc ngoai');
    expect(foldVietnamese('ĐỒNG HỚI, Quảng Trị')).toBe('dong hoi, quang tri');
  });

  it('folds precomposed and decomposed input alike', () => {
    const precomposed = 'Hộ tịch';
    const decomposed = precomposed.normalize('NFD');
    expect(decomposed).not.toBe(precomposed);
    expect(foldVietnamese(decomposed)).toBe(foldVietnamese(precomposed));
  });

  it('collapses runs of whitespace', () => {
    expect(foldVietnamese('  Cấp   hộ\tchiếu \n phổ thông ')).toBe('cap ho chieu pho thong');
  });
});

describe('searchWords', () => {
  it('splits a folded query into distinct words', () => {
    expect(searchWords('Đăng ký  KHAI sinh đăng')).toEqual(['dang', 'ky', 'khai', 'sinh']);
    expect(searchWords('   ')).toEqual([]);
  });
});

describe('containsPattern', () => {
  it('escapes LIKE wildcards so they match themselves', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
