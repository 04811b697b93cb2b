import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildAppConfig } from './app-config.js';
import { ConfigError, envVarNames, validateEnv } from './env.js';

const urls = { databaseUrl: 'postgres://u:p@h/db', redisUrl: 'redis://h:6379', embedded: false };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec' }), { ...urls, embedded: true });
    expect(c).toMatchObject({
      port: 3000,
      role: 'all',
      apiProcesses: 1,
      seedDemo: true,
      adminUsername: 'admin',
      queuePrefix: '{motcua}',
      fileMaxBytes: 20 * 1024 * 1024,
    });
    expect(buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec' }), urls).seedDemo).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT="eighty"; expected/],
    [{ PORT: '70000' }, /PORT=70000; expected a value not greater than 65535/],
    [{ APP_ROLE: 'web' }, /APP_ROLE="web"; expected one of the following values: all, api, worker/],
    [{ API_PROCESSES: '0' }, /API_PROCESSES=0; expected a value not less than 1/],
    [{ API_PROCESSES: '9' }, /API_PROCESSES=9; expected a value not greater than 8/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL="mysql:\/\/x"; expected a postgres:\/\/ URL/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL=.*redis:\/\//],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO="maybe"; expected true or false/],
    [{ ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD=\(hidden\); expected at least 8 characters/],
    [{ WEBHOOK_DNS_SERVERS: 'dns.google' }, /WEBHOOK_DNS_SERVERS="dns.google"; expected a comma-separated list of DNS server addresses/],
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

  it('reads WEBHOOK_DNS_SERVERS as a list of servers (none: the system resolver)', () => {
    expect(
      buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec', WEBHOOK_DNS_SERVERS: '10.0.0.53, 127.0.0.1:5353,[::1]:53' }), urls).webhooks.dnsServers,
    ).toEqual(['10.0.0.53', '127.0.0.1:5353', '[::1]:53']);
    expect(buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec' }), urls).webhooks.dnsServers).toEqual([]);
  });

  it('requires JWT_SECRET in production and the whole OIDC set once OIDC_ISSUER is given', () => {
    expect(() => buildAppConfig(validateEnv({ NODE_ENV: 'production' }), urls)).toThrow(/JWT_SECRET is missing/);
    expect(() => buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec', OIDC_ISSUER: 'https://id.example.vn' }), urls)).toThrow(
      /OIDC_CLIENT_ID is missing/,
    );
  });

  it.each([
    [{ STORAGE_DRIVER: 'ftp' }, /STORAGE_DRIVER="ftp"; expected one of the following values: local, s3/],
    [{ S3_ENDPOINT: 'minio:9000' }, /S3_ENDPOINT="minio:9000"; expected an http\(s\) URL without a path/],
    [{ S3_BUCKET: 'My_Bucket' }, /S3_BUCKET="My_Bucket"; expected a bucket name/],
    [{ S3_FORCE_PATH_STYLE: 'sometimes' }, /S3_FORCE_PATH_STYLE="sometimes"; expected true or false/],
    [{ S3_PREFIX: '../up' }, /S3_PREFIX="..\/up"; expected key segments/],
    [{ S3_SECRET_ACCESS_KEY: 'x'.repeat(300) }, /S3_SECRET_ACCESS_KEY=\(hidden\)/],
  ])('stops on the storage variable %j with one line', (env, message) => {
    expect(() => validateEnv(env)).toThrow(message);
  });

  describe('file storage', () => {
    const s3 = (env: Record<string, string>) => buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec', STORAGE_DRIVER: 's3', ...env }), urls);

    it('stores on local disk unless told otherwise', () => {
      const c = buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec' }), urls);
      expect(c).toMatchObject({ storageDriver: 'local', filesDir: '/tmp/motcua-spec/files' });
      expect(c.s3).toBeUndefined();
    });

    it('reads the S3 settings, addressing MinIO-style servers by path', () => {
      expect(
        s3({ S3_BUCKET: 'motcua-files', S3_ENDPOINT: 'http://minio:9000/', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's', S3_PREFIX: 'ho-so/tep' }).s3,
      ).toEqual({
        endpoint: 'http://minio:9000',
        region: 'us-east-1',
        bucket: 'motcua-files',
        credentials: { accessKeyId: 'k', secretAccessKey: 's' },
        forcePathStyle: true,
        prefix: 'ho-so/tep/',
      });
      expect(s3({ S3_BUCKET: 'motcua-files', S3_REGION: 'ap-southeast-1' }).s3).toEqual({
        endpoint: undefined,
        region: 'ap-southeast-1',
        bucket: 'motcua-files',
        credentials: undefined,
        forcePathStyle: false,
        prefix: '',
      });
      expect(s3({ S3_BUCKET: 'b-1', S3_ENDPOINT: 'https://s3.example.vn', S3_FORCE_PATH_STYLE: 'false' }).s3?.forcePathStyle).toBe(false);
    });

    it.each([
      [{}, /^Invalid configuration: S3_BUCKET is missing; expected a bucket name when STORAGE_DRIVER=s3$/],
      [{ S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'k' }, /S3_SECRET_ACCESS_KEY is missing; expected a value when S3_ACCESS_KEY_ID is set/],
      [{ S3_BUCKET: 'b-1', S3_SECRET_ACCESS_KEY: 's' }, /S3_ACCESS_KEY_ID is missing; expected a value when S3_SECRET_ACCESS_KEY is set/],
      [{ STORAGE_DRIVER: 'local', S3_BUCKET: 'b-1' }, /S3_BUCKET is set but STORAGE_DRIVER is local/],
    ])('refuses incomplete S3 settings %j', (env, message) => {
      expect(() => s3(env)).toThrow(ConfigError);
      expect(() => s3(env)).toThrow(message);
    });
  });

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(envVarNames().filter((n) => !documented.has(n))).toEqual([]);
  });
});

describe('TRUST_PROXY', () => {
  const trust = (v?: string) => buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec', ...(v === undefined ? {} : { TRUST_PROXY: v }) }), urls).trustProxy;
  it('defaults to loopback only, and reads false, hop counts and address lists', () => {
    expect(trust()).toEqual(['loopback']);
    expect(trust('false')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, fd00::1, linklocal')).toEqual(['10.0.0.0/8', 'fd00::1', 'linklocal']);
  });
  it.each([['10.0.0.0/33'], ['proxy.example.vn'], ['10.0.0.1/8/2'], ['0x0a000001'], ['10.1']])('refuses %s with one line naming TRUST_PROXY', (v) => {
    expect(() => trust(v)).toThrow(/^Invalid configuration: TRUST_PROXY=/);
  });
});
