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

describe('readiness without Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: Redis is "down" for this app; PostgreSQL is up.
    t = await createTestApp({ redisUrl: 'redis://127.0.0.1:1', startup: false, env: { RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stays live but reports not ready (503) naming Redis', async () => {
    await t.http().get('/health/live').expect(200);
    const res = await t.http().get('/health/ready').expect(503);
    expect(JSON.stringify(res.body)).toContain('redis');
    expect(res.body.details?.postgres?.status ?? res.body.info?.postgres?.status).toBe('up');
  });
});

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ startup: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('describes every route with its auth and its error responses in the one error shape', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const ops = Object.entries(
      doc.paths as Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>
      >,
    ).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${p}`, op })));
    // Every route the HTTP server actually serves is in the document (and nothing else).
    const served = servedRoutes(t).filter((r) => !r.includes(' /docs'));
    const documented = ops.map((o) => o.route.replace(/\{(\w+)\}/g, ':$1'));
    expect([...documented].sort()).toEqual([...served].sort());
    for (const { route, op } of ops) {
      expect({ route, hasSecurity: Array.isArray(op.security) }).toEqual({ route, hasSecurity: true });
      const errors = Object.entries(op.responses).filter(([code]) => Number(code) >= 400);
      expect({ route, errors: errors.length > 0 }).toEqual({ route, errors: true });
      for (const [code, r] of errors) {
        // The one documented exception: readiness answers 503 with terminus' health report.
        const schema = route === 'GET /health/ready' && code === '503' ? 'HealthReport' : 'ErrorResponse';
        expect({ route, code, ref: r.content?.['application/json']?.schema?.$ref }).toEqual({ route, code, ref: `#/components/schemas/${schema}` });
      }
    }
    // Identical on every Node version (terminus documents the route itself only where it can require ESM).
    const ready = doc.paths['/health/ready'].get;
    expect(Object.keys(ready.responses).sort()).toEqual(['200', '400', '500', '503']);
    expect(ready.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HealthReport' });
    expect(doc.components.schemas.HealthReport.required).toEqual(['status']);
    const submit = doc.paths['/api/v1/dossiers'].post;
    expect(submit.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(submit.responses['401']).toBeDefined();
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
  });
});

/** "METHOD /path" of every route registered on the Express router. */
function servedRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
  const stack = (express.router ?? express._router)!.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>;
  // Routes registered for every method are Nest's middleware mounts, not endpoints.
  const endpoints = stack.filter((l) => l.route && Object.keys(l.route.methods).length <= 2 && !l.route.methods._all);
  // Routes excluded from the /api/v1 prefix are also registered with a trailing slash: the same route.
  return [...new Set(endpoints.flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path.replace(/(.)\/$/, '$1')}`)))];
}
