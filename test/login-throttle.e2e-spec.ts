import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerCitizen } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const WINDOW_SECONDS = 2;

describe('login throttling', () => {
  let t: TestApp;
  // Each test logs in from its own address (the app trusts X-Forwarded-For from loopback), so the
  // per-client counter of one test does not spill into another.
  let lastOctet = 10;
  const newClient = () => `198.51.100.${lastOctet++}`;
  const attempt = (from: string, username: string, password: string) =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username, password });

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOGIN_MAX_PER_ACCOUNT: '3', LOGIN_MAX_PER_CLIENT: '5', LOGIN_WINDOW_SECONDS: String(WINDOW_SECONDS), LOGIN_SLOWDOWN_AFTER: '4' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a client that failed too often on an account, even with the right password, until the window ends', async () => {
    const citizen = await registerCitizen(t);
    const from = newClient();
    for (let i = 0; i < 3; i++) expect((await attempt(from, citizen.idNumber, 'SaiMatKhau1')).status).toBe(401);
    const locked = await attempt(from, citizen.idNumber, 'MatKhau123').expect(429);
    expect(locked.body).toEqual({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringContaining('/'),
      details: { retryAfterSeconds: expect.any(Number) },
      requestId: expect.any(String),
    });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);

    // Another account from the same client is not affected.
    const other = await registerCitizen(t);
    await attempt(from, other.idNumber, 'MatKhau123').expect(200);

    await sleep(retryAfter * 1000 + 100);
    await attempt(from, citizen.idNumber, 'MatKhau123').expect(200);
  });

  it('clears the account counter on a successful login', async () => {
    const citizen = await registerCitizen(t);
    const from = newClient();
    for (let i = 0; i < 2; i++) await attempt(from, citizen.idNumber, 'SaiMatKhau1').expect(401);
    await attempt(from, citizen.idNumber, 'MatKhau123').expect(200);
    // Without the reset this would be the 3rd and 4th failures, and the next login refused.
    for (let i = 0; i < 2; i++) await attempt(from, citizen.idNumber, 'SaiMatKhau1').expect(401);
    await attempt(from, citizen.idNumber, 'MatKhau123').expect(200);
  });

  it('limits failures per client across accounts, and counts unknown usernames too', async () => {
    const citizen = await registerCitizen(t);
    const from = newClient();
    for (let i = 0; i < 5; i++) await attempt(from, `nobody${i}`, 'SaiMatKhau1').expect(401);
    const refused = await attempt(from, citizen.idNumber, 'MatKhau123').expect(429);
    expect(refused.body.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.headers['retry-after']).toBeDefined();
    await attempt(newClient(), citizen.idNumber, 'MatKhau123').expect(200);
  });

  it('does not count successful logins against a shared client address', async () => {
    const from = newClient();
    const citizens = await Promise.all([1, 2, 3].map(() => registerCitizen(t)));
    for (let round = 0; round < 3; round++) {
      for (const c of citizens) await attempt(from, c.idNumber, 'MatKhau123').expect(200);
    }
  });

  it('holds the limit under a burst of parallel guesses', async () => {
    const citizen = await registerCitizen(t);
    const results = await Promise.all(Array.from({ length: 12 }, () => attempt('203.0.113.1', citizen.idNumber, 'SaiMatKhau1')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });
});

describe('login throttling against strangers', () => {
  it('does not let a stranger lock the owner out: their client is refused, the owner only slowed down', async () => {
    const t = await createTestApp({ env: { LOGIN_MAX_PER_ACCOUNT: '3', LOGIN_WINDOW_SECONDS: '120', LOGIN_SLOWDOWN_AFTER: '2' } });
    try {
      const attempt = (from: string, username: string, password: string) =>
        t.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username, password });
      const citizen = await registerCitizen(t);
      // A stranger who knows the username fails 3 times from each of two addresses…
      for (const from of ['192.0.2.10', '192.0.2.11']) {
        for (let i = 0; i < 3; i++) await attempt(from, citizen.idNumber, 'SaiMatKhau1').expect(401);
        await attempt(from, citizen.idNumber, 'SaiMatKhau1').expect(429);
      }
      // … and the owner still logs in from their own address: 6 failures, 4 past the threshold,
      // so the answer waits 4 × 250 ms instead of being refused.
      const started = Date.now();
      await attempt('192.0.2.99', citizen.idNumber, 'MatKhau123').expect(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await t.close();
    }
  });
});

describe('per-client rate limit on the whole API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with Retry-After once a client spends its budget, across routes', async () => {
    const first = await t.http().get('/api/v1/procedures').expect(200);
    expect(first.headers['x-ratelimit-limit']).toBe('5');
    expect(first.headers['x-ratelimit-remaining']).toBe('4');
    for (let i = 0; i < 2; i++) await t.http().get('/api/v1/procedures').expect(200);
    await t.http().get('/api/v1/auth/me').expect(401);
    await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: 'MotCua@2026' }).expect(200);
    const refused = await t.http().get('/api/v1/auth/me').expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS', requestId: expect.any(String) });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another client has its own budget.
    await t.http().get('/api/v1/procedures').set('X-Forwarded-For', '192.0.2.50').expect(200);
  });
});
