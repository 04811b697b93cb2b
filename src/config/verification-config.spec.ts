import { describe, expect, it } from '@jest/globals';
import { buildAppConfig } from './app-config.js';
import { ConfigError, validateEnv } from './env.js';

const urls = { databaseUrl: 'postgres://u:p@h/db', redisUrl: 'redis://h:6379', embedded: false };
const build = (env: Record<string, string>) => buildAppConfig(validateEnv({ DATA_DIR: '/tmp/motcua-spec', JWT_SECRET: 'x'.repeat(40), ...env }), urls);

describe('hostile-file settings', () => {
  it('has caps, limits and quotas by default, and reads them from the environment', () => {
    expect(build({}).verification).toEqual({
      limits: { maxSignatures: 50, maxXmlReferences: 64, maxPdfRevisions: 100, maxPdfObjectStreams: 2000, maxInflatedBytes: 128 * 1024 * 1024 },
      timeoutMs: 20_000,
      memoryMb: 384,
      workers: 1,
      reverifyPerHour: 60,
      crlAllowPrivateNetworks: false,
    });
    expect(build({}).uploadQuota).toEqual({ filesPerDay: 200, bytesPerDay: 1024 ** 3 });
    const c = build({ VERIFY_MAX_XML_REFERENCES: '10', VERIFY_TIMEOUT_MS: '5000', VERIFY_WORKERS: '2', UPLOAD_QUOTA_FILES_PER_DAY: '0' });
    expect(c.verification).toMatchObject({ limits: { maxXmlReferences: 10 }, timeoutMs: 5000, workers: 2 });
    expect(c.uploadQuota.filesPerDay).toBe(0);
  });

  it.each([
    [{ VERIFY_MAX_XML_REFERENCES: '0' }, /VERIFY_MAX_XML_REFERENCES=0; expected a value not less than 1/],
    [{ VERIFY_MEMORY_MB: '16' }, /VERIFY_MEMORY_MB/],
    [{ VERIFY_TIMEOUT_MS: 'soon' }, /VERIFY_TIMEOUT_MS/],
    [{ UPLOAD_QUOTA_BYTES_PER_DAY: '-1' }, /UPLOAD_QUOTA_BYTES_PER_DAY/],
  ])('refuses %j', (env, message) => expect(() => build(env)).toThrow(message));

  it('refuses CRL fetches to private networks in production', () => {
    expect(build({ CRL_ALLOW_PRIVATE_NETWORKS: 'true' }).verification.crlAllowPrivateNetworks).toBe(true);
    expect(() => build({ NODE_ENV: 'production', CRL_ALLOW_PRIVATE_NETWORKS: 'true' })).toThrow(ConfigError);
    expect(() => build({ NODE_ENV: 'production', CRL_ALLOW_PRIVATE_NETWORKS: 'true' })).toThrow(
      /CRL_ALLOW_PRIVATE_NETWORKS=true; expected false or unset when NODE_ENV=production/,
    );
  });
});
