import { describe, expect, it } from '@jest/globals';
import { findUrlTextProblem } from './url-text.js';

describe('findUrlTextProblem', () => {
  it('names a path parameter holding a NUL or a lone surrogate', () => {
    expect(findUrlTextProblem({ idOrCode: 'abc\u0000' }, '')).toEqual({ field: 'idOrCode', problem: expect.stringMatching(/U\+0000/) });
    expect(findUrlTextProblem({ code: '1.001193', name: '\ud800' }, '')).toMatchObject({ field: 'name' });
    expect(findUrlTextProblem({ code: 'Hộ tịch 🐉' }, '')).toBeUndefined();
  });

  it('names a query parameter whose value decodes to a NUL, or is not UTF-8', () => {
    expect(findUrlTextProblem({}, 'limit=5&q=a%00b')).toEqual({ field: 'q', problem: expect.stringMatching(/NUL/) });
    expect(findUrlTextProblem({}, 'q=%ED%A0%80')).toEqual({ field: 'q', problem: 'is not valid percent-encoded UTF-8' });
    expect(findUrlTextProblem({}, 'q=%E9t%E9')).toMatchObject({ field: 'q' }); // Latin-1, not UTF-8
    expect(findUrlTextProblem({}, 'q=100%')).toMatchObject({ field: 'q' });
    expect(findUrlTextProblem({}, 'q=%00&q=x')).toMatchObject({ field: 'q' });
  });

  it('names a query parameter whose name is the problem, escaped', () => {
    expect(findUrlTextProblem({}, 'a%00b=1')).toEqual({ field: 'a\\u0000b', problem: expect.stringMatching(/^the name/) });
    expect(findUrlTextProblem({}, '%FF=1')).toEqual({ field: '%FF', problem: 'the name is not valid percent-encoded UTF-8' });
  });

  it('passes well-formed escapes: Vietnamese, emoji, plus signs, empty values and bare names', () => {
    const q = new URLSearchParams({ q: 'đăng ký khai sinh 🐉', field: 'Hộ tịch', from: '2026-01-01' }).toString();
    expect(findUrlTextProblem({}, q)).toBeUndefined();
    expect(findUrlTextProblem({}, 'q=a+b&empty=&flag&x=%25')).toBeUndefined();
  });
});
