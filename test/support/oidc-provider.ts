import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestIdentityProvider {
  issuer: string;
  /**
   * Plays the citizen in a browser: opens the authorization URL, logs in as `accountId` and
   * consents at the provider's (development) pages, and returns the URL the provider finally
   * redirects to (our callback, with code and state).
   */
  logIn(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

export const TEST_CLIENT = { id: 'motcua-test', secret: 'motcua-test-secret-0123456789abcdef' };

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1 and a random port, standing in for
 * VNeID: one confidential client, and accounts whose claims include the CCCD claim.
 */
export async function startIdentityProvider(options: {
  redirectUri: string;
  accounts: Record<string, Record<string, unknown>>;
  port?: number;
}): Promise<TestIdentityProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // devInteractions warns on construction that it is not for production, which is the point here.
  const warn = console.warn;
  console.warn = () => undefined;
  let provider: Provider;
  try {
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: TEST_CLIENT.id,
          client_secret: TEST_CLIENT.secret,
          redirect_uris: [options.redirectUri],
          response_types: ['code'],
          grant_types: ['authorization_code'],
        },
      ],
      findAccount: async (_ctx, id) => (options.accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...options.accounts[id] }) } : undefined),
      claims: { openid: ['sub'], profile: ['name', 'birthdate'], cccd: ['cccd'] },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      cookies: { keys: ['test-only-cookie-signing-key'] },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    });
  } finally {
    console.warn = warn;
  }
  server.on('request', provider.callback());

  async function logIn(authorizationUrl: string, accountId: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    let form: URLSearchParams | undefined;
    for (let step = 0; step < 12; step++) {
      const res = await fetch(url, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form,
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      form = undefined;
      const location = res.headers.get('location');
      if (location) {
        url = new URL(location, url);
        if (url.href.startsWith(options.redirectUri)) return url;
        continue;
      }
      // An interaction page: the login form first, then the consent form.
      const html = await res.text();
      if (res.status !== 200) throw new Error(`identity provider answered ${res.status}: ${html.slice(0, 300)}`);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (prompt === 'login') form = new URLSearchParams({ prompt, login: accountId, password: 'any' });
      else if (prompt === 'consent') form = new URLSearchParams({ prompt });
      else throw new Error(`unexpected page at the identity provider: ${html.slice(0, 300)}`);
    }
    throw new Error('too many steps at the identity provider');
  }

  return {
    issuer,
    logIn,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
