import { describe, expect, it } from '@jest/globals';
import { BadRequestException, type ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AllExceptionsFilter } from './http-exception.filter.js';

/** What the filter answers to `exception`, through a minimal Express-like request and response. */
function answer(exception: unknown): { status: number; body: Record<string, unknown> } {
  const out = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    headersSent: false,
    setHeader: () => undefined,
    status: (s: number) => ((out.status = s), res),
    json: (b: Record<string, unknown>) => ((out.body = b), res),
  };
  const req = { headers: {}, id: 'req-1' };
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return out;
}
const pgError = (code: string) => new QueryFailedError('SELECT 1', [], Object.assign(new Error('pg'), { code }));

describe('AllExceptionsFilter', () => {
  it.each(['22003', '22P02', '22007', '22008', '22001', '22012'])(
    'answers a PostgreSQL data exception %s with 400 INVALID_VALUE in the error shape',
    (code) => {
      expect(answer(pgError(code))).toEqual({
        status: 400,
        body: { statusCode: 400, code: 'INVALID_VALUE', message: expect.stringContaining(' / '), requestId: 'req-1' },
      });
    },
  );

  it.each(['22021', '22P05'])('answers PostgreSQL refusing text (%s) with 400 INVALID_TEXT, the code the request checks give', (code) => {
    expect(answer(pgError(code))).toEqual({
      status: 400,
      body: { statusCode: 400, code: 'INVALID_TEXT', message: expect.stringContaining(' / '), requestId: 'req-1' },
    });
  });

  it('answers a path segment the router cannot decode as UTF-8 with 400 INVALID_TEXT naming the path', () => {
    const routerError = Object.assign(new URIError("Failed to decode param '%ED%A0%80'"), { status: 400 });
    expect(answer(new BadRequestException(routerError.message, { cause: routerError }))).toMatchObject({
      status: 400,
      body: { code: 'INVALID_TEXT', details: [{ field: 'path' }] },
    });
    expect(answer(new URIError('URI malformed')).status).toBe(500); // one thrown by our own code is a bug, not bad input
  });

  it('keeps other database failures a 500 that reveals nothing', () => {
    expect(answer(pgError('23505'))).toEqual({
      status: 500,
      body: { statusCode: 500, code: 'INTERNAL_ERROR', message: expect.any(String), requestId: 'req-1' },
    });
    expect(answer(pgError('57014')).status).toBe(500);
  });
});
