import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { RedisClient } from '../src/common/redis.js';
import { registerCitizen } from './support/auth.js';
import { startIdentityProvider, TEST_CLIENT, type TestIdentityProvider } from './support/oidc-provider.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REDIRECT_URI = 'http://localhost:3000/api/v1/auth/oidc/callback';
const CCCD = '079305001234'; // TP.HCM, female, born 2005
const PASSWORD_CITIZEN_CCCD = '001090654321';
const oidcEnv = (issuer: string) => ({
  OIDC_ISSUER: issuer,
  OIDC_CLIENT_ID: TEST_CLIENT.id,
  OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
  OIDC_REDIRECT_URI: REDIRECT_URI,
  OIDC_SCOPES: 'openid profile cccd',
});

describe('VNeID login (OpenID Connect)', () => {
  let idp: TestIdentityProvider;
  let t: TestApp;

  beforeAll(async () => {
    idp = await startIdentityProvider({
      redirectUri: REDIRECT_URI,
      accounts: {
        'vneid-an': { cccd: CCCD, name: 'Trần Thị Ánh', birthdate: '2005-12-31' },
        'vneid-registered': { cccd: PASSWORD_CITIZEN_CCCD, name: 'Nguyễn Văn An' },
        'vneid-no-cccd': { name: 'Không Có Số' },
        'vneid-bad-cccd': { cccd: '003099012345', name: 'Sai Mã Tỉnh' },
      },
    });
    t = await createTestApp({
      env: oidcEnv(idp.issuer),
    });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  // The browser's cookie jar: the binding cookie of the last login started.
  let jar = '';
  const authorize = async () => {
    const res = await t.http().get('/api/v1/auth/oidc/authorize').expect(200);
    jar = bindingCookie(res.headers['set-cookie']);
    return res.body.authorizationUrl as string;
  };
  const callback = (url: URL, cookie = jar) => t.http().get(`/api/v1/auth/oidc/callback${url.search}`).set('Cookie', cookie);
  const loginAs = async (account: string) => callback(await idp.logIn(await authorize(), account));

  it('sends the citizen to the provider with PKCE, state and nonce', async () => {
    const url = new URL(await authorize());
    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: TEST_CLIENT.id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile cccd',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
    });
    // The state waits server-side for at most 10 minutes.
    const ttl = await t.app.get(RedisClient).ttl(`${t.config.queuePrefix}:oidc:state:${url.searchParams.get('state')}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);

    const redirect = await t.http().get('/api/v1/auth/oidc/authorize?redirect=true').expect(302);
    expect(redirect.headers.location).toMatch(new RegExp(`^${idp.issuer}/auth\\?`));
  });

  it('logs a citizen in by the CCCD claim, and matches the same account next time', async () => {
    const first = await loginAs('vneid-an');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      tokenType: 'Bearer',
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: { role: 'CITIZEN', idNumber: CCCD },
    });
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ username: CCCD, idNumber: CCCD, role: 'CITIZEN', fullName: 'Trần Thị Ánh', dateOfBirth: '2005-12-31' });
    const stored = await t.db.query('SELECT password_hash FROM users WHERE id = $1', [me.body.id]);
    expect(stored.rows[0].password_hash).toBeNull();

    const second = await loginAs('vneid-an');
    expect(second.status).toBe(200);
    expect(second.body.user.id).toBe(me.body.id);
    const count = await t.db.query('SELECT count(*)::int AS n FROM users WHERE id_number = $1', [CCCD]);
    expect(count.rows[0].n).toBe(1);
    // Our refresh tokens work as after a password login.
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(200);
  });

  it('does not merge into an unverified password account with the same CCCD: a separate verified account', async () => {
    const registered = await registerCitizen(t, { idNumber: PASSWORD_CITIZEN_CCCD });
    const res = await loginAs('vneid-registered');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({
      username: `vneid.${PASSWORD_CITIZEN_CCCD}`,
      idNumber: PASSWORD_CITIZEN_CCCD,
      identityAssurance: 'VERIFIED',
      identityMethod: 'VNEID',
    });
    expect(res.body.user.id).not.toBe(registered.id);
    const again = await loginAs('vneid-registered');
    expect(again.body.user.id).toBe(res.body.user.id);
  });

  it('binds the state to the browser that started the login (cookie)', async () => {
    const started = await t.http().get('/api/v1/auth/oidc/authorize').expect(200);
    const cookie = started.headers['set-cookie'] as unknown as string[];
    expect(cookie.join(';')).toMatch(/motcua_oidc=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax/);
    const redirected = await idp.logIn(started.body.authorizationUrl, 'vneid-an');
    // The attacker's own login, completed by a victim's browser without (or with another) cookie: refused.
    const other = await t.http().get('/api/v1/auth/oidc/authorize').expect(200);
    for (const wrong of ['', bindingCookie(other.headers['set-cookie'])]) {
      const refused = await callback(redirected, wrong).expect(400);
      expect(refused.body).toMatchObject({ code: 'OIDC_STATE_NOT_BOUND', details: [{ field: 'cookie' }] });
    }
    // The refusals did not use up the state: the right browser still completes it.
    const done = await callback(redirected, bindingCookie(cookie)).expect(200);
    expect(done.headers['set-cookie']?.[0]).toMatch(/^motcua_oidc=;/);
  });

  it('refuses a replayed or tampered state before using the code', async () => {
    const redirected = await idp.logIn(await authorize(), 'vneid-an');
    const tampered = new URL(redirected);
    const state = tampered.searchParams.get('state')!;
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    const refused = await callback(tampered).expect(400);
    expect(refused.body).toMatchObject({ code: 'OIDC_INVALID_STATE', details: [{ field: 'state' }] });
    const missing = new URL(redirected);
    missing.searchParams.delete('state');
    expect((await callback(missing).expect(400)).body.code).toBe('OIDC_INVALID_STATE');

    await callback(redirected).expect(200);
    const replayed = await callback(redirected).expect(400);
    expect(replayed.body.code).toBe('OIDC_INVALID_STATE');
  });

  it('refuses an identity without a valid CCCD claim', async () => {
    for (const account of ['vneid-no-cccd', 'vneid-bad-cccd']) {
      const res = await loginAs(account);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'OIDC_INVALID_IDENTITY', details: [{ field: 'cccd' }] });
    }
    const stored = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE id_number = '003099012345' OR full_name IN ('Không Có Số', 'Sai Mã Tỉnh')`);
    expect(stored.rows[0].n).toBe(0);
  });

  it('refuses a code that was not issued for the stored PKCE verifier', async () => {
    // Two logins started; the code of the second is presented with the state of the first.
    const one = await idp.logIn(await authorize(), 'vneid-an');
    const cookieOne = jar;
    const two = await idp.logIn(await authorize(), 'vneid-an');
    const mixed = new URL(one);
    mixed.searchParams.set('code', two.searchParams.get('code')!);
    const res = await callback(mixed, cookieOne).expect(401);
    expect(res.body.code).toBe('OIDC_LOGIN_FAILED');
  });
});

describe('VNeID login when unavailable', () => {
  it('answers 404 OIDC_NOT_CONFIGURED without OIDC_ISSUER', async () => {
    const t = await createTestApp();
    try {
      const res = await t.http().get('/api/v1/auth/oidc/authorize').expect(404);
      expect(res.body.code).toBe('OIDC_NOT_CONFIGURED');
      expect((await t.http().get('/api/v1/auth/oidc/callback?code=x&state=y').expect(404)).body.code).toBe('OIDC_NOT_CONFIGURED');
    } finally {
      await t.close();
    }
  });

  it('starts while the provider is down, answers 503, and logs in once the provider is up', async () => {
    const port = await freePort();
    const t = await createTestApp({ env: oidcEnv(`http://127.0.0.1:${port}`) });
    let idp: TestIdentityProvider | undefined;
    try {
      const res = await t.http().get('/api/v1/auth/oidc/authorize').expect(503);
      expect(res.body.code).toBe('OIDC_PROVIDER_UNAVAILABLE');
      // A failed discovery is not cached: the next login finds the provider.
      idp = await startIdentityProvider({ redirectUri: REDIRECT_URI, accounts: { 'vneid-an': { cccd: CCCD } }, port });
      const started = await t.http().get('/api/v1/auth/oidc/authorize').expect(200);
      const login = await t
        .http()
        .get(`/api/v1/auth/oidc/callback${(await idp.logIn(started.body.authorizationUrl, 'vneid-an')).search}`)
        .set('Cookie', bindingCookie(started.headers['set-cookie']))
        .expect(200);
      expect(login.body.user.idNumber).toBe(CCCD);
    } finally {
      await t.close();
      await idp?.close();
    }
  });
});

/** The `name=value` of the binding cookie among Set-Cookie headers ('' when absent). */
function bindingCookie(setCookie: unknown): string {
  const all = (Array.isArray(setCookie) ? setCookie : [setCookie]).filter((c): c is string => typeof c === 'string');
  return all.find((c) => c.startsWith('motcua_oidc='))?.split(';')[0] ?? '';
}

/** A port nothing listens on (taken and released at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
