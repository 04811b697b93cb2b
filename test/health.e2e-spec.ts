import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('HTTP conventions and health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers liveness and readiness when PostgreSQL and Redis are up', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('gives every response an X-Request-Id, echoing a sane one the caller sent', async () => {
    const r1 = await t.http().get('/health/live');
    expect(r1.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const r2 = await t.http().get('/health/live').set('X-Request-Id', 'abc-123');
    expect(r2.headers['x-request-id']).toBe('abc-123');
    const r3 = await t.http().get('/health/live').set('X-Request-Id', 'bad id with spaces');
    expect(r3.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('answers an unknown route with the one error shape', async () => {
    const res = await t.http().get('/api/v1/no-such-thing').set('X-Request-Id', 'req-404').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String), requestId: 'req-404' });
  });

  it('refuses a JSON body over 1 MB with 413 and malformed JSON with 400', async () => {
    const big = JSON.stringify({ x: 'a'.repeat(1024 * 1024 + 10) });
    const tooBig = await t.http().post('/api/v1/anything').set('Content-Type', 'application/json').send(big).expect(413);
    expect(tooBig.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    const bad = await t.http().post('/api/v1/anything').set('Content-Type', 'application/json').send('{"a":').expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON', requestId: expect.any(String) });
  });

  it('serves the OpenAPI document at /docs-json and the UI at /docs', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/health/ready'].get.security).toEqual([]);
    await t.http().get('/docs/').expect(200);
  });
});
