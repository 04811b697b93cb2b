import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, validateEnv, type EnvVars } from './env.js';

/** The first admin's password the README and .env.example publish (development only). */
export const DEFAULT_ADMIN_PASSWORD = 'MotCua@2026';

/**
 * Variables meant for tests only (e.g. letting a fetch reach a local stand-in server); each is
 * refused when NODE_ENV=production. Add a name here when adding such a variable to EnvVars.
 */
export const TEST_ONLY_VARIABLES: string[] = ['CRL_ALLOW_PRIVATE_NETWORKS'];

const OFF = ['', '0', 'false', 'no', 'off'];

/** File name under which the demo trusts its own CA (see src/signatures/trust/demo-pki.ts). */
const DEMO_CA_ANCHOR = 'motcua-demo-ca.pem';

/**
 * A strong enough password for the first admin: at least 12 characters and at least three of
 * the four kinds lower case, upper case, digits, other characters.
 */
export function isStrongPassword(password: string): boolean {
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length;
  return [...password].length >= 12 && kinds >= 3;
}

/**
 * Everything that makes a production start unsafe, one line per problem naming the variable:
 * demo defaults (published passwords, demo accounts, the demo CA and its keys), a missing JWT
 * secret, metrics open to anyone, and test-only settings. Empty when the start may go on.
 */
export function productionProblems(env: EnvVars, raw: Record<string, string | undefined>, cwd = process.cwd()): string[] {
  const problems: string[] = [];
  const problem = (line: string) => problems.push(`Invalid configuration for NODE_ENV=production: ${line}`);
  if (!env.ADMIN_PASSWORD) problem('ADMIN_PASSWORD is missing; expected a strong password of your own for the first admin (at least 12 characters, three of: lower case, upper case, digits, symbols)');
  else if (env.ADMIN_PASSWORD === DEFAULT_ADMIN_PASSWORD) problem('ADMIN_PASSWORD is the demo password published in the README; expected a strong password of your own');
  else if (!isStrongPassword(env.ADMIN_PASSWORD)) problem('ADMIN_PASSWORD is weak; expected at least 12 characters with three of: lower case, upper case, digits, symbols');
  if (env.SEED_DEMO === true) problem('SEED_DEMO=true would create the demo accounts with their published passwords; expected SEED_DEMO=false (or unset)');
  if (!env.JWT_SECRET) problem('JWT_SECRET is missing; expected at least 32 random characters (e.g. openssl rand -base64 48)');
  const portalOn = env.PORTAL_SYNC_ENABLED ?? !!env.PORTAL_SYNC_URL;
  if (portalOn) {
    for (const name of ['PORTAL_SYNC_URL', 'PORTAL_TOKEN_URL', 'PORTAL_CLIENT_ID', 'PORTAL_CLIENT_SECRET', 'PORTAL_COUNT_URL'] as const) {
      if (!env[name]) problem(`${name} is missing; the national portal sync is enabled (PORTAL_SYNC_ENABLED or PORTAL_SYNC_URL) and needs its endpoint, login and count query (or set PORTAL_SYNC_ENABLED=false)`);
    }
  }
  if (!env.SECRETS_KEY) problem('SECRETS_KEY is missing; expected at least 32 random characters (e.g. openssl rand -base64 48): it encrypts the webhook secrets, and losing it loses them');
  if (!env.METRICS_TOKEN) problem('METRICS_TOKEN is missing; expected at least 16 random characters: /metrics would be open to anyone');
  if (!env.PUBLIC_BASE_URL) problem('PUBLIC_BASE_URL is missing; expected the https address citizens use (printed on the forms), not http://localhost');
  const dataDir = path.resolve(cwd, env.DATA_DIR ?? '.data');
  const trustDir = path.resolve(cwd, env.SIGNATURE_TRUST_DIR ?? path.join(dataDir, 'trust'));
  if (existsSync(path.join(trustDir, DEMO_CA_ANCHOR))) {
    problem(`SIGNATURE_TRUST_DIR=${trustDir} trusts the demo CA (${DEMO_CA_ANCHOR}); expected only real anchors there: delete that file`);
  }
  if (existsSync(path.join(dataDir, 'demo-ca')) && env.SIGNING_KEYS_DIR === undefined) {
    problem(`SIGNING_KEYS_DIR is unset and DATA_DIR=${dataDir} holds the demo CA, whose demo leaders' keys are in ${path.join(dataDir, 'signing-keys')}; expected SIGNING_KEYS_DIR set to your leaders' keys (or a DATA_DIR of its own)`);
  }
  const provider = env.SIGNING_PROVIDER ?? 'local';
  if (provider === 'local' && !env.SIGNING_KEYS_PASSWORD) problem('SIGNING_KEYS_PASSWORD is missing; expected the password of the leaders\' PKCS#12 files (keys without a password are the demo\'s)');
  if (provider === 'remote' && !env.REMOTE_SIGNING_TOKEN) problem('REMOTE_SIGNING_TOKEN is missing; expected the token shared with the remote-signing service (it authenticates the service\'s callbacks)');
  for (const name of TEST_ONLY_VARIABLES) {
    if (raw[name] !== undefined && !OFF.includes(raw[name]!.trim().toLowerCase())) problem(`${name} is a test-only setting; expected it unset or false`);
  }
  return problems;
}

/**
 * validateEnv for the service itself (main.ts): with NODE_ENV=production, a well-formed
 * environment is then checked for demo defaults and missing secrets (src/config/production.ts),
 * one line per problem, all of them at once. Developer scripts (migrations) skip this.
 */
export function validateServiceEnv(raw: Record<string, string | undefined>): EnvVars {
  const env = validateEnv(raw);
  if (env.NODE_ENV === 'production') {
    const problems = productionProblems(env, raw);
    if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  }
  return env;
}
