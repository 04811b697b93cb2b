import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ startup: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('puts helmet headers and a CSP that allows nothing on API answers, errors included', async () => {
    for (const res of [await t.http().get('/api/v1/procedures'), await t.http().get('/api/v1/no-such-route'), await t.http().get('/health/live')]) {
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('gives /docs a CSP of its own under which Swagger UI still loads (same-origin scripts only)', async () => {
    const page = await t.http().get('/docs/').expect(200);
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    // Every script the page uses is a file on this origin (no inline code the CSP would block), and is served.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^(https?:)?\/\//);
      const res = await t.http().get(new URL(src, 'http://x/docs/').pathname).expect(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
    }
    await t.http().get('/docs-json').expect(200);
  });
});
