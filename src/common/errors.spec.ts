import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, declaredErrorCodes, defineErrors } from './errors.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path.join(dir, e.name)] : [],
  );

describe('the error catalogue', () => {
  it('declares every code once, with one status, across every capability', async () => {
    const catalogues = sources(SRC).filter((f) => f.endsWith('.errors.ts'));
    expect(catalogues.length).toBeGreaterThanOrEqual(10);
    for (const f of catalogues) await import(f); // a code declared twice throws here
    const codes = [...declaredErrorCodes().entries()];
    expect(codes.length).toBeGreaterThan(60);
    for (const [code, { status }] of codes) {
      expect({ code, ok: /^[A-Z][A-Z0-9_]+$/.test(code) && status >= 400 && status < 600 }).toEqual({ code, ok: true });
    }
    // A URL's missing resource is *_NOT_FOUND (404); a reference in a body to nothing is UNKNOWN_* (422).
    for (const [code, { status }] of codes.filter(([c]) => c.endsWith('_NOT_FOUND') && c !== 'PARENT_AGENCY_NOT_FOUND'))
      expect({ code, status }).toEqual({ code, status: 404 });
    for (const code of ['UNKNOWN_AGENCY', 'UNKNOWN_PROCEDURE', 'UNKNOWN_FILE']) expect(declaredErrorCodes().get(code)?.status).toBe(422);
  });

  it('is the only place errors are made: no capability builds an AppError inline', () => {
    const inline = sources(SRC)
      .filter((f) => !f.endsWith('.errors.ts') && !f.endsWith(path.join('common', 'errors.ts')))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${path.relative(SRC, f)}:${i + 1}`, line })),
      )
      .filter(({ line }) =>
        /AppError\.(notFound|badRequest|unprocessable|conflict|forbidden|unauthorized|tooManyRequests|unavailable)\(|new AppError\(/.test(line),
      )
      .map(({ where }) => where);
    // The workflow's guard refusals are rebuilt (once) with the status their catalogued code declares.
    expect(inline.map((w) => w.replace(/:\d+$/, ''))).toEqual(['dossiers/workflow/transitions.ts']);
  });

  it('builds errors with the declared status, the message from the arguments and the details last', () => {
    const E = defineErrors('test-only', {
      TEST_ONLY_THING_NOT_FOUND: [404, (id: string) => `Không có ${id} / No ${id}`],
      TEST_ONLY_SLOW_DOWN: [429, (seconds: number) => `Chờ ${seconds} giây / Wait ${seconds} seconds`],
    });
    const e = E.TEST_ONLY_THING_NOT_FOUND('x1', [{ field: 'id', message: 'unknown' }]);
    expect(e).toBeInstanceOf(AppError);
    expect({ status: e.status, code: e.code, message: e.message, details: e.details }).toEqual({
      status: 404,
      code: 'TEST_ONLY_THING_NOT_FOUND',
      message: 'Không có x1 / No x1',
      details: [{ field: 'id', message: 'unknown' }],
    });
    expect(E.TEST_ONLY_SLOW_DOWN(2.2).headers).toEqual({ 'Retry-After': '3' });
    expect(() => defineErrors('another', { TEST_ONLY_SLOW_DOWN: [400, 'x'] })).toThrow(
      'error code TEST_ONLY_SLOW_DOWN is declared by test-only and again by another',
    );
  });
});
