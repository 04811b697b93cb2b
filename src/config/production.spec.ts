import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAppConfig } from './app-config.js';
import { ConfigError, validateEnv } from './env.js';
import { isStrongPassword, validateServiceEnv } from './production.js';

const GOOD = {
  NODE_ENV: 'production',
  ADMIN_PASSWORD: 'Tinh-ThanhHoa-2026!',
  JWT_SECRET: 'k'.repeat(48),
  SECRETS_KEY: 's'.repeat(48),
  METRICS_TOKEN: 'm'.repeat(24),
  PUBLIC_BASE_URL: 'https://dichvucong.thanhhoa.gov.vn',
  SIGNING_KEYS_PASSWORD: 'keys-password',
};
const freshDir = () => mkdtempSync(path.join(os.tmpdir(), 'motcua-prod-'));
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    validateServiceEnv(env);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message.split('\n');
  }
};

describe('production start-up checks', () => {
  it('accepts a production environment with its own secrets, and keeps the demo off on embedded servers', () => {
    const env = validateServiceEnv({ ...GOOD, DATA_DIR: freshDir() });
    const config = buildAppConfig(env, { databaseUrl: 'postgres://u:p@h/db', redisUrl: 'redis://h:6379', embedded: true });
    expect(config).toMatchObject({ nodeEnv: 'production', seedDemo: false, signing: { demoPki: false } });
  });

  it('lists every demo default and missing secret, one line each naming the variable', () => {
    const lines = problemsOf({ NODE_ENV: 'production', DATA_DIR: freshDir() });
    expect(lines.map((l) => /production: (\w+)/.exec(l)?.[1])).toEqual(['ADMIN_PASSWORD', 'JWT_SECRET', 'SECRETS_KEY', 'METRICS_TOKEN', 'PUBLIC_BASE_URL', 'SIGNING_KEYS_PASSWORD']);
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), ADMIN_PASSWORD: 'MotCua@2026', SEED_DEMO: 'true' })).toEqual([
      expect.stringMatching(/ADMIN_PASSWORD is the demo password published in the README/),
      expect.stringMatching(/SEED_DEMO=true would create the demo accounts/),
    ]);
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), SIGNING_PROVIDER: 'remote', REMOTE_SIGNING_URL: 'https://ky-so.example.vn' })).toEqual([expect.stringMatching(/REMOTE_SIGNING_TOKEN is missing/)]);
  });

  it('refuses to start the national portal sync without its endpoint, login and count query', () => {
    const lines = problemsOf({ ...GOOD, PORTAL_SYNC_URL: 'https://portal.example.gov.vn/hoso/dongbo' });
    expect(lines.map((l) => /production: (\w+)/.exec(l)?.[1])).toEqual(['PORTAL_TOKEN_URL', 'PORTAL_CLIENT_ID', 'PORTAL_CLIENT_SECRET', 'PORTAL_COUNT_URL']);
    expect(problemsOf({ ...GOOD, PORTAL_SYNC_URL: 'https://portal.example.gov.vn/x', PORTAL_SYNC_ENABLED: 'false' })).toEqual([]);
  });

  it('refuses test-only settings', () => {
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), CRL_ALLOW_PRIVATE_NETWORKS: 'true' })).toEqual([expect.stringMatching(/CRL_ALLOW_PRIVATE_NETWORKS is a test-only setting/)]);
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), CRL_ALLOW_PRIVATE_NETWORKS: 'false' })).toEqual([]);
  });

  it('refuses a weak admin password', () => {
    expect(problemsOf({ ...GOOD, DATA_DIR: freshDir(), ADMIN_PASSWORD: 'password1234' })).toEqual([expect.stringMatching(/ADMIN_PASSWORD is weak/)]);
    expect(isStrongPassword('Short1!')).toBe(false);
    expect(isStrongPassword('alllowercaseletters')).toBe(false);
    expect(isStrongPassword('Mật-khẩu-dài-2026')).toBe(true);
  });

  it('refuses a data folder where the demo made its CA and leaders\' keys, and a trust folder that trusts the demo CA', () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, 'demo-ca'));
    mkdirSync(path.join(dir, 'trust'));
    writeFileSync(path.join(dir, 'trust', 'motcua-demo-ca.pem'), '');
    expect(problemsOf({ ...GOOD, DATA_DIR: dir })).toEqual([
      expect.stringMatching(/^Invalid configuration for NODE_ENV=production: SIGNATURE_TRUST_DIR=.* trusts the demo CA/),
      expect.stringMatching(/SIGNING_KEYS_DIR is unset and DATA_DIR=.* holds the demo CA/),
    ]);
  });

  it('leaves development, tests and developer scripts (format checks only) alone', () => {
    expect(() => validateServiceEnv({ NODE_ENV: 'development', SEED_DEMO: 'true' })).not.toThrow();
    expect(() => validateServiceEnv({ NODE_ENV: 'test' })).not.toThrow();
    expect(() => validateEnv({ NODE_ENV: 'production' })).not.toThrow();
  });
});
