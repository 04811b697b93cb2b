import { afterAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from './support/test-app.js';

/*
 * Test requests come from 127.0.0.1. Whether their X-Forwarded-For counts depends on TRUST_PROXY:
 * a client that is not a trusted proxy cannot rotate the header to escape the per-client limit.
 */
const LIMIT = 5;
const apps: TestApp[] = [];
const appWith = async (env: Record<string, string>) => {
  const t = await createTestApp({ startup: false, env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), ...env } });
  apps.push(t);
  return t;
};
afterAll(async () => {
  for (const t of apps) await t.close();
});

/** Statuses of LIMIT + 3 catalogue requests, each claiming another forwarded address. */
async function rotatingBurst(t: TestApp): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 3; i++) {
    statuses.push(
      (
        await t
          .http()
          .get('/api/v1/procedures')
          .set('X-Forwarded-For', `203.0.113.${i + 1}`)
      ).status,
    );
  }
  return statuses;
}

describe('TRUST_PROXY and the per-client rate limit', () => {
  it.each([['false'], ['10.9.9.9'], ['192.0.2.0/24, uniquelocal']])(
    'TRUST_PROXY=%s: a rotating X-Forwarded-For from an untrusted peer still hits the limit',
    async (trust) => {
      const t = await appWith({ TRUST_PROXY: trust });
      const statuses = await rotatingBurst(t);
      expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
      expect(statuses.slice(LIMIT)).toEqual([429, 429, 429]);
    },
  );

  it('by default trusts only a proxy on loopback, whose X-Forwarded-For names the client', async () => {
    const t = await appWith({});
    expect(t.config.trustProxy).toEqual(['loopback']);
    expect(await rotatingBurst(t)).toEqual(Array(LIMIT + 3).fill(200));
    const same: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) same.push((await t.http().get('/api/v1/procedures').set('X-Forwarded-For', '198.51.100.7')).status);
    expect(same.at(-1)).toBe(429);
  });

  it('keeps health probes out of the limit: after a burst that makes requests 429, /health/* still answers 200', async () => {
    const t = await appWith({ TRUST_PROXY: 'false' });
    for (let i = 0; i < LIMIT; i++) await t.http().get('/api/v1/procedures');
    const limited = await t.http().get('/api/v1/procedures').expect(429);
    expect(limited.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    for (let i = 0; i < 3; i++) {
      await t.http().get('/health/ready').expect(200);
      await t.http().get('/health/live').expect(200);
    }
  });
});
