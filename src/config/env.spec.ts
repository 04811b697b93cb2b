import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildAppConfig } from './app-config.js';
import { ConfigError, envVarNames, validateEnv } from './env.js';

const urls = { databaseUrl: 'postgres://u:p@h/db', redisUrl: 'redis://h:6379', embedded: false };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec' }), { ...urls, embedded: true });
    expect(c).toMatchObject({ port: 3000, role: 'all', seedDemo: true, adminUsername: 'admin', queuePrefix: '{motcua}', fileMaxBytes: 20 * 1024 * 1024 });
    expect(buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec' }), urls).seedDemo).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT="eighty"; expected/],
    [{ PORT: '70000' }, /PORT=70000; expected a value not greater than 65535/],
    [{ APP_ROLE: 'web' }, /APP_ROLE="web"; expected one of the following values: all, api, worker/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL="mysql:\/\/x"; expected a postgres:\/\/ URL/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL=.*redis:\/\//],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO="maybe"; expected true or false/],
    [{ ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD=\(hidden\); expected at least 8 characters/],
  ])('stops on %j with one line naming the variable', (env, message) => {
    try {
      validateEnv(env);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('requires JWT_SECRET in production and the whole OIDC set once OIDC_ISSUER is given', () => {
    expect(() => buildAppConfig(validateEnv({ NODE_ENV: 'production' }), urls)).toThrow(/JWT_SECRET is missing/);
    expect(() => buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec', OIDC_ISSUER: 'https://id.example.vn' }), urls)).toThrow(/OIDC_CLIENT_ID is missing/);
  });

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(envVarNames().filter((n) => !documented.has(n))).toEqual([]);
  });
});
