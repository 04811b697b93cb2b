import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { inspectJson, printableName, unstorableText } from './body-depth.js';

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};
const tooDeep = (value: unknown, limit: number) => inspectJson(value, limit)?.kind === 'too-deep';

describe('inspectJson: depth', () => {
  it('counts levels of objects and arrays, scalars being level 0', () => {
    expect(tooDeep('x', 0)).toBe(false);
    expect(tooDeep({}, 0)).toBe(true);
    expect(tooDeep(nested(64), 64)).toBe(false);
    expect(tooDeep(nested(65), 64)).toBe(true);
    expect(tooDeep({ wide: Array.from({ length: 1000 }, () => ({ a: [1] })) }, 4)).toBe(false);
  });

  it('handles a nesting far deeper than the call stack allows', () => {
    expect(tooDeep(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), 64)).toBe(true);
  });
});

describe('unstorableText', () => {
  it('accepts Vietnamese, emoji (a surrogate pair), other control characters and the empty string', () => {
    for (const s of ['', 'Nguyễn Văn Ấn', 'Số 5 Lê Lợi 🐉', '\ud83d\udc09', 'tab\tand\nnewline', '\u202e\u0301', '\ufffd'])
      expect(unstorableText(s)).toBeUndefined();
  });

  it('refuses U+0000 and a lone high or low surrogate wherever it is, and names the surrogate', () => {
    expect(unstorableText('\u0000')).toMatch(/U\+0000/);
    expect(unstorableText('Nguyễn\u0000An')).toMatch(/NUL/);
    expect(unstorableText('\ud800')).toMatch(/lone UTF-16 surrogate U\+D800/);
    expect(unstorableText('An \udc09')).toMatch(/U\+DC09/);
    expect(unstorableText('🐉\ud83d')).toMatch(/U\+D83D/); // a pair, then a high one left alone
    expect(unstorableText('\udc09\ud83d')).toMatch(/U\+DC09/); // the halves of a pair in the wrong order
  });

  it('agrees with what survives a round trip through UTF-8, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const survives = Buffer.from(s, 'utf8').toString('utf8') === s && !s.includes('\u0000');
        expect(unstorableText(s) === undefined).toBe(survives);
      }),
    );
  });
});

describe('inspectJson: text', () => {
  it('names the field the way validation errors do, through objects and arrays', () => {
    expect(inspectJson({ applicant: { fullName: 'An\u0000' } }, 64)).toEqual({
      kind: 'text',
      field: 'applicant.fullName',
      problem: expect.stringMatching(/NUL/),
    });
    expect(inspectJson({ attachments: [{ fileId: 'x' }, { componentCode: '\ud800' }] }, 64)).toEqual({
      kind: 'text',
      field: 'attachments.1.componentCode',
      problem: expect.stringMatching(/U\+D800/),
    });
    expect(inspectJson({ formData: { list: ['a', ['b', '\udfff']] } }, 64)).toMatchObject({ field: 'formData.list.1.1' });
    expect(inspectJson(['\u0000'], 64)).toMatchObject({ field: '0' });
    expect(inspectJson('\u0000', 64)).toMatchObject({ field: '(body)' });
  });

  it('refuses a key as well as a value, printing the key with the character escaped', () => {
    expect(inspectJson({ formData: { 'bad\u0000key': 1 } }, 64)).toEqual({
      kind: 'text',
      field: 'formData.bad\\u0000key',
      problem: expect.stringMatching(/^the name contains U\+0000/),
    });
    expect(inspectJson({ '\ud800': { ok: 'yes' } }, 64)).toMatchObject({ field: '\\ud800' });
  });

  it('passes a clean body, numbers, booleans and nulls, and JSON.parse of escaped pairs', () => {
    const body = JSON.parse('{"applicant":{"fullName":"Nguy\\u1ec5n \\ud83d\\udc09","age":3,"ok":true,"none":null},"list":[1,"a",{}]}');
    expect(inspectJson(body, 64)).toBeUndefined();
    expect(inspectJson(JSON.parse('{"a":"\\u0000"}'), 64)).toMatchObject({ kind: 'text', field: 'a' });
    expect(inspectJson(JSON.parse('{"a":["x","\\ud800"]}'), 64)).toMatchObject({ kind: 'text', field: 'a.1' });
  });

  it('refuses a generated body exactly when some key or string in it cannot be stored', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'ễ', '🐉', '\u0000', '\ud800', '\udc00'), maxLength: 3 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(text, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    const bad = (s: string) => s.includes('\u0000') || Buffer.from(s, 'utf8').toString('utf8') !== s;
    const anyBad = (v: unknown): boolean =>
      typeof v === 'string'
        ? bad(v)
        : Array.isArray(v)
          ? v.some(anyBad)
          : v !== null && typeof v === 'object'
            ? Object.entries(v).some(([k, c]) => bad(k) || anyBad(c))
            : false;
    fc.assert(
      fc.property(json, (body) => {
        const found = inspectJson(body, 64);
        expect(found === undefined).toBe(!anyBad(body));
        if (found) expect(found.kind).toBe('text');
      }),
      { numRuns: 500 },
    );
  });

  it('names a bad string wherever it is put in an otherwise clean body', () => {
    const clean = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.string({ unit: fc.constantFrom('k', 'ễ'), maxLength: 3 }), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(clean, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom('\u0000', '\ud800', '\udfff'), (body, choices, badChar) => {
        // Walk down by the choices into containers, put the bad string there under a new key or index.
        const path: string[] = [];
        const root = { root: body };
        let at: Record<string, unknown> | unknown[] = root;
        let key = 'root';
        for (const c of choices) {
          const next = (at as Record<string, unknown>)[key];
          if (next === null || typeof next !== 'object') break;
          path.push(key);
          at = next as Record<string, unknown> | unknown[];
          const keys = Object.keys(at);
          if (keys.length === 0) break;
          key = keys[c % keys.length];
        }
        const holder = (at as Record<string, unknown>)[key];
        if (holder !== null && typeof holder === 'object') {
          path.push(key);
          at = holder as Record<string, unknown> | unknown[];
        }
        const slot = Array.isArray(at) ? String(at.length) : 'zz';
        (at as Record<string, unknown>)[slot] = `x${badChar}y`;
        expect(inspectJson(root, 64)).toMatchObject({ kind: 'text', field: [...path, slot].join('.') });
      }),
    );
  });

  it('keeps the depth limit when text is also wrong deeper down', () => {
    expect(inspectJson({ a: nested(70), b: '\u0000' }, 64)).not.toBeUndefined();
    expect(inspectJson({ a: { b: { c: '\u0000' } } }, 2)).toEqual({ kind: 'too-deep' });
  });
});

describe('printableName', () => {
  it('escapes only what cannot be stored, leaving pairs and Vietnamese alone', () => {
    expect(printableName('a\u0000b\ud800c🐉 Ấn')).toBe('a\\u0000b\\ud800c🐉 Ấn');
  });
});
