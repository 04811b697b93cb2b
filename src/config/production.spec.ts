import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAppConfig } from './app-config.js';
import { ConfigError, envVarNames, validateEnv } from './env.js';
import {
  isStrongPassword,
  PAYGOV_TEST_GATEWAY_SECRET,
  SECRET_VARIABLES,
  unreachablePublicUrlReason,
  validateServiceEnv,
  weakSecretReason,
} from './production.js';

/** Random-looking, distinct, 32 bytes or more: what production wants of each secret. */
const GOOD = {
  NODE_ENV: 'production',
  ADMIN_PASSWORD: 'Tinh-ThanhHoa-2026!',
  JWT_SECRET: 'q7Vd2mXo9Lr4TzK1bWf8NcYs3Gh6Ep0Ju5Ai',
  SECRETS_KEY: 'Rb3uW9kZt1Hq6Ma8Cx4Ln0Fe7Ys2Dg5Vj-Po',
  METRICS_TOKEN: '4e1f9a07c3b85d26e0f7a19c4b3d8e52a6f0',
  PUBLIC_BASE_URL: 'https://dichvucong.thanhhoa.gov.vn',
  SIGNING_KEYS_PASSWORD: 'p12-Lanh-Dao-Tinh-Thanh-Hoa-2026-khoa',
};
const freshDir = () => mkdtempSync(path.join(os.tmpdir(), 'motcua-prod-'));
/**
 * The lines validateServiceEnv stops with. It runs in a folder of its own (a relative DATA_DIR, or
 * none, resolves there): never in the checkout, whose ./.data `npm start` fills with the demo CA.
 */
const problemsOf = (env: Record<string, string>, cwd = freshDir()): string[] => {
  try {
    validateServiceEnv(env, cwd);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message.split('\n');
  }
};
const variablesOf = (lines: string[]) => lines.map((l) => /production: (\w+)/.exec(l)?.[1]);

describe('production start-up checks', () => {
  it('accepts a production environment with its own secrets, and keeps the demo off on embedded servers', () => {
    const env = validateServiceEnv({ ...GOOD, DATA_DIR: freshDir() }, freshDir());
    const config = buildAppConfig(env, { databaseUrl: 'postgres://u:p@h/db', redisUrl: 'redis://h:6379', embedded: true });
    expect(config).toMatchObject({ nodeEnv: 'production', seedDemo: false, signing: { demoPki: false } });
  });

  it('lists every demo default and missing secret, one line each naming the variable', () => {
    const lines = problemsOf({ NODE_ENV: 'production', DATA_DIR: freshDir() });
    expect(variablesOf(lines)).toEqual(['ADMIN_PASSWORD', 'JWT_SECRET', 'SECRETS_KEY', 'METRICS_TOKEN', 'PUBLIC_BASE_URL', 'SIGNING_KEYS_PASSWORD']);
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), ADMIN_PASSWORD: 'MotCua@2026', SEED_DEMO: 'true' })).toEqual([
      expect.stringMatching(/ADMIN_PASSWORD is the demo password published in the README/),
      expect.stringMatching(/SEED_DEMO=true would create the demo accounts/),
    ]);
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), SIGNING_PROVIDER: 'remote', REMOTE_SIGNING_URL: 'https://ky-so.example.vn' })).toEqual([
      expect.stringMatching(/REMOTE_SIGNING_TOKEN is missing/),
    ]);
  });

  it('refuses to start the national portal sync without its endpoint, login and count query', () => {
    const lines = problemsOf({ ...GOOD, PORTAL_SYNC_URL: 'https://portal.example.gov.vn/hoso/dongbo' });
    expect(variablesOf(lines)).toEqual(['PORTAL_TOKEN_URL', 'PORTAL_CLIENT_ID', 'PORTAL_CLIENT_SECRET', 'PORTAL_COUNT_URL']);
    expect(problemsOf({ ...GOOD, PORTAL_SYNC_URL: 'https://portal.example.gov.vn/x', PORTAL_SYNC_ENABLED: 'false' })).toEqual([]);
  });

  it('refuses test-only settings', () => {
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), CRL_ALLOW_PRIVATE_NETWORKS: 'true' })).toEqual([
      expect.stringMatching(/CRL_ALLOW_PRIVATE_NETWORKS is a test-only setting/),
    ]);
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), CRL_ALLOW_PRIVATE_NETWORKS: 'false' })).toEqual([]);
  });

  it('refuses a weak admin password', () => {
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), ADMIN_PASSWORD: 'password1234' })).toEqual([expect.stringMatching(/ADMIN_PASSWORD is weak/)]);
    expect(isStrongPassword('Short1!')).toBe(false);
    expect(isStrongPassword('alllowercaseletters')).toBe(false);
    expect(isStrongPassword('Mật-khẩu-dài-2026')).toBe(true);
  });

  it("refuses a data folder where the demo made its CA and leaders' keys, and a trust folder that trusts the demo CA", () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, 'demo-ca'));
    mkdirSync(path.join(dir, 'trust'));
    writeFileSync(path.join(dir, 'trust', 'motcua-demo-ca.pem'), '');
    expect(problemsOf({ ...GOOD, DATA_DIR: dir })).toEqual([
      expect.stringMatching(/^Invalid configuration for NODE_ENV=production: SIGNATURE_TRUST_DIR=.* trusts the demo CA/),
      expect.stringMatching(/SIGNING_KEYS_DIR is unset and DATA_DIR=.* holds the demo CA/),
    ]);
  });

  it("resolves the default DATA_DIR in the folder it is given, so a demo CA in the checkout's ./.data does not count", () => {
    const checkout = freshDir();
    mkdirSync(path.join(checkout, '.data', 'demo-ca'), { recursive: true });
    mkdirSync(path.join(checkout, '.data', 'trust'));
    writeFileSync(path.join(checkout, '.data', 'trust', 'motcua-demo-ca.pem'), '');
    expect(variablesOf(problemsOf(GOOD, checkout))).toEqual(['SIGNATURE_TRUST_DIR', 'SIGNING_KEYS_DIR']);
    expect(problemsOf(GOOD)).toEqual([]);
  });

  it('refuses secrets of one repeated character, of a short repeated pattern, under 32 bytes, or published with the code', () => {
    expect(problemsOf({ ...GOOD, JWT_SECRET: 'k'.repeat(48) })).toEqual([
      expect.stringMatching(/^Invalid configuration for NODE_ENV=production: JWT_SECRET is one character repeated; expected at least 32 random bytes/),
    ]);
    expect(problemsOf({ ...GOOD, SECRETS_KEY: 'changeme'.repeat(5) })).toEqual([expect.stringMatching(/SECRETS_KEY is a short pattern repeated/)]);
    // 16 characters were enough for METRICS_TOKEN; production now wants 32 bytes of every secret.
    expect(problemsOf({ ...GOOD, METRICS_TOKEN: '4e1f9a07c3b85d26' })).toEqual([
      expect.stringMatching(/METRICS_TOKEN is only 16 bytes; expected at least 32 random bytes/),
    ]);
    expect(problemsOf({ ...GOOD, METRICS_TOKEN: undefined as unknown as string })).toEqual([
      expect.stringMatching(/METRICS_TOKEN is missing; expected at least 32 random characters/),
    ]);
    expect(
      problemsOf({ ...GOOD, SIGNING_PROVIDER: 'remote', REMOTE_SIGNING_URL: 'https://ky-so.example.vn', REMOTE_SIGNING_TOKEN: 'remote-signing-tok' }),
    ).toEqual([expect.stringMatching(/REMOTE_SIGNING_TOKEN is only 18 bytes/)]);
    expect(problemsOf({ ...GOOD, SIGNING_KEYS_PASSWORD: 'keys-password' })).toEqual([expect.stringMatching(/SIGNING_KEYS_PASSWORD is only 13 bytes/)]);
    // Bytes, not characters: 11 Vietnamese letters of 3 bytes each are enough, 11 ASCII ones are not.
    expect(weakSecretReason('ắằẳẵặấầẩẫậạ')).toBeUndefined();
    expect(weakSecretReason('abcdefghijk')).toBe('only 11 bytes');
    expect(weakSecretReason('ab'.repeat(20))).toBe('a short pattern repeated');
    expect(weakSecretReason('0123456789'.repeat(4))).toBeUndefined(); // a 10-character period is no longer "short": the length rule is what holds
  });

  it("holds the platforms' secrets to the same rule, and refuses the local test gateway's published secret", () => {
    const paygov = { PAYGOV_URL: 'https://paygov.example.vn', PAYGOV_PARTNER_CODE: 'MOTCUA' };
    expect(problemsOf({ ...GOOD, ...paygov, PAYGOV_SECRET: PAYGOV_TEST_GATEWAY_SECRET })).toEqual([
      expect.stringMatching(/PAYGOV_SECRET is the local test gateway's published secret; expected the real secret issued for this service/),
    ]);
    expect(problemsOf({ ...GOOD, ...paygov, PAYGOV_SECRET: 'paygov-test-secret-0123456789' })).toEqual([
      expect.stringMatching(/PAYGOV_SECRET is only 29 bytes/),
    ]);
    expect(problemsOf({ ...GOOD, ...paygov, PAYGOV_SECRET: 'Hq4-tTz9Vb2Kc7Nm0Xr5Lw8Ys1Fd6Gj3Pe-Ua' })).toEqual([]);
    const portal = {
      PORTAL_SYNC_URL: 'https://portal.example.gov.vn/x',
      PORTAL_TOKEN_URL: 'https://portal.example.gov.vn/token',
      PORTAL_CLIENT_ID: 'motcua-h56',
      PORTAL_COUNT_URL: 'https://portal.example.gov.vn/count',
    };
    expect(problemsOf({ ...GOOD, ...portal, PORTAL_CLIENT_SECRET: 'x'.repeat(64) })).toEqual([
      expect.stringMatching(/PORTAL_CLIENT_SECRET is one character repeated/),
    ]);
    const oidc = { OIDC_ISSUER: 'https://id.example.vn', OIDC_CLIENT_ID: 'motcua', OIDC_REDIRECT_URI: 'https://dichvucong.thanhhoa.gov.vn/cb' };
    expect(problemsOf({ ...GOOD, ...oidc, OIDC_CLIENT_SECRET: 'secret' })).toEqual([
      expect.stringMatching(/OIDC_CLIENT_SECRET is a value published with the code/),
    ]);
    expect(problemsOf({ ...GOOD, STORAGE_DRIVER: 's3', S3_BUCKET: 'motcua', S3_ACCESS_KEY_ID: 'motcua', S3_SECRET_ACCESS_KEY: 'motcua-minio-secret' })).toEqual(
      [expect.stringMatching(/S3_SECRET_ACCESS_KEY is only 19 bytes/)],
    );
  });

  it('refuses one secret used for two purposes', () => {
    expect(problemsOf({ ...GOOD, SECRETS_KEY: GOOD.JWT_SECRET, METRICS_TOKEN: GOOD.JWT_SECRET })).toEqual([
      expect.stringMatching(/SECRETS_KEY is the same as JWT_SECRET; expected a secret of its own/),
      expect.stringMatching(/METRICS_TOKEN is the same as JWT_SECRET/),
    ]);
  });

  it('refuses the placeholders .env.example shows for secrets', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const shown = [...example.matchAll(/^#?\s*([A-Z0-9_]+)=(.+)$/gm)].filter(
      ([, name, value]) => (SECRET_VARIABLES as readonly string[]).includes(name) && value.trim() !== '',
    );
    expect(shown.length).toBeGreaterThan(0);
    for (const [, name, value] of shown) expect([name, weakSecretReason(value.trim())]).toEqual([name, expect.any(String)]);
  });

  it('knows every variable that holds a secret (a new *SECRET*, *TOKEN* or *PASSWORD* variable must be added)', () => {
    const secretLike = envVarNames().filter((n) => /SECRET|TOKEN|PASSWORD/.test(n) && !n.endsWith('_URL'));
    expect(secretLike.filter((n) => n !== 'ADMIN_PASSWORD').sort()).toEqual([...SECRET_VARIABLES].sort());
    // The format check that runs before these never prints a secret's value either.
    expect(() => validateEnv({ METRICS_TOKEN: 'short' })).toThrow(/^Invalid configuration: METRICS_TOKEN=\(hidden\); expected at least 16 characters$/);
  });

  it.each([
    ['http://dichvucong.thanhhoa.gov.vn', /http:\/\/ is not https/],
    ['https://localhost:3000', /localhost is a local name/],
    ['https://motcua.localhost', /motcua.localhost is a local name/],
    ['https://motcua', /motcua is a local name/],
    ['https://motcua.internal', /is a local name/],
    ['https://dichvucong.local', /is a local name/],
    ['https://127.0.0.1', /127.0.0.1 is not a public address/],
    ['https://2130706433', /127.0.0.1 is not a public address/], // the URL parser's spelling of it
    ['https://10.1.2.3', /10.1.2.3 is not a public address/],
    ['https://172.16.0.10', /is not a public address/],
    ['https://192.168.1.20:8443', /is not a public address/],
    ['https://169.254.169.254', /is not a public address/],
    ['https://100.64.0.1', /is not a public address/],
    ['https://0.0.0.0', /is not a public address/],
    ['https://[::1]', /::1 is not a public address/],
    ['https://[fd00::5]', /is not a public address/],
    ['https://[::ffff:127.0.0.1]', /is not a public address/],
    ['https://[::127.0.0.1]', /is not a public address/],
  ])('refuses PUBLIC_BASE_URL=%s, which citizens cannot reach', (url, reason) => {
    expect(problemsOf({ ...GOOD, PUBLIC_BASE_URL: url })).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Invalid configuration for NODE_ENV=production: PUBLIC_BASE_URL=\\S+: (\\S+ )?${reason.source}; expected the public https address citizens use`,
        ),
      ),
    ]);
  });

  it('accepts a public https PUBLIC_BASE_URL, by name or by public address', () => {
    for (const url of [
      'https://dichvucong.thanhhoa.gov.vn',
      'https://motcua.example.vn/dvc',
      'https://DICHVUCONG.THANHHOA.GOV.VN.',
      'https://8.8.8.8',
      'https://[2606:4700::1111]',
    ]) {
      expect([url, unreachablePublicUrlReason(url)]).toEqual([url, undefined]);
    }
  });

  it('leaves development, tests and developer scripts (format checks only) alone', () => {
    expect(() =>
      validateServiceEnv({ NODE_ENV: 'development', SEED_DEMO: 'true', JWT_SECRET: 'x'.repeat(40), PUBLIC_BASE_URL: 'http://localhost:3000' }, freshDir()),
    ).not.toThrow();
    expect(() => validateServiceEnv({ NODE_ENV: 'test' }, freshDir())).not.toThrow();
    expect(() => validateEnv({ NODE_ENV: 'production' })).not.toThrow();
  });
});
