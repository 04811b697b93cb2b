import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStartupTasks } from '../src/seed/startup.js';
import { LocalPkcs12Signer } from '../src/signatures/signing/local-pkcs12-provider.js';
import { CertificateAuthority, certificatePem } from '../src/signatures/trust/certificate-authority.js';
import { DEMO_CA_NAME, demoCaFile } from '../src/signatures/trust/published-crls.js';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app.js';

/**
 * Replicas that start at the same moment on one database and one DATA_DIR (docker-compose.yml:
 * two APIs and a worker on a shared volume) must end up with one JWT secret and one demo PKI.
 */
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'motcua-shared-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A process that builds the configuration at `at` (ms since epoch) and prints its JWT secret. */
function secretOf(dataDir: string, at: number): Promise<string> {
  const config = path.resolve('dist/src/config/app-config.js');
  const env = path.resolve('dist/src/config/env.js');
  const script = `
    const { buildAppConfig } = await import(${JSON.stringify(config)});
    const { validateEnv } = await import(${JSON.stringify(env)});
    const e = validateEnv({ DATA_DIR: ${JSON.stringify(dataDir)} });
    while (Date.now() < ${at}) {}
    const c = buildAppConfig(e, { databaseUrl: 'postgres://x/y', redisUrl: 'redis://x', embedded: false });
    process.stdout.write(c.jwtSecret + ' ' + c.secretsKey.toString('hex'));`;
  return new Promise((resolve, reject) => {
    let out = '';
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
}

describe('replicas sharing DATA_DIR', () => {
  it('agree on one generated JWT secret (and secrets key) when they start at the same moment', async () => {
    const dir = tempDir();
    const at = Date.now() + 1500;
    const secrets = await Promise.all(Array.from({ length: 4 }, () => secretOf(dir, at)));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toMatch(/^[\w-]{64} [0-9a-f]{64}$/);
    expect(readdirSync(dir).sort()).toEqual(['jwt-secret', 'secrets-key']);
  });

  it('seed one demo CA: its trust anchor and every leader key come from the CA that is kept', async () => {
    const databaseUrl = await createTestDatabase();
    const env = { SEED_DEMO: 'true', DATA_DIR: tempDir() };
    const apps: TestApp[] = [];
    try {
      for (let i = 0; i < 3; i++) apps.push(await createTestApp({ databaseUrl, env, startup: false }));
      await Promise.all(apps.map((t) => runStartupTasks(t.app, t.config, () => undefined)));
      const config = apps[0].config;
      const ca = CertificateAuthority.restore(JSON.parse(readFileSync(demoCaFile(config), 'utf8')));
      expect(readFileSync(path.join(config.signatures.trustDir, `${DEMO_CA_NAME}.pem`), 'utf8')).toBe(certificatePem(ca.certificate));
      const caCert = new X509Certificate(certificatePem(ca.certificate));
      const keys = readdirSync(config.signing.keysDir).filter((f) => f.endsWith('.p12'));
      expect(keys.length).toBeGreaterThan(0);
      for (const file of keys) {
        const leaf = new X509Certificate(new LocalPkcs12Signer(readFileSync(path.join(config.signing.keysDir, file)), config.signing.keysPassword).certificate);
        expect(leaf.verify(caCert.publicKey)).toBe(true);
      }
      const admins = await apps[0].db.query("SELECT count(*)::int AS n FROM users WHERE role = 'ADMIN'");
      expect(admins.rows[0].n).toBe(1);
    } finally {
      await Promise.all(apps.map((t) => t.close()));
    }
  }, 90_000);
});
