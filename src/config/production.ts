import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { ConfigError, validateEnv, type EnvVars } from './env.js';

/** The first admin's password the README and .env.example publish (development only). */
export const DEFAULT_ADMIN_PASSWORD = 'MotCua@2026';

/** The checksum secret of the local PayGov stand-in (src/payments/testing/paygov-test-gateway.ts), published with the code. */
export const PAYGOV_TEST_GATEWAY_SECRET = 'paygov-test-secret';

/**
 * Secret values published with the code: the test gateway's, and the placeholders of .env.example
 * (production.spec.ts reads that file to keep this list in step). Each is refused in production
 * whatever its length.
 */
const PUBLISHED_SECRETS = new Set([PAYGOV_TEST_GATEWAY_SECRET, 'change-me-to-at-least-32-random-characters', 'change-me', 'secret']);

/**
 * Every variable that holds a secret, held in production to the same rule (isWeakSecret): at
 * least 32 bytes, not a short pattern repeated, not a published value, and no two of them the
 * same. ADMIN_PASSWORD is a person's password and has its own rule (isStrongPassword).
 * production.spec.ts checks that every *SECRET*, *TOKEN* and *PASSWORD* variable is here.
 */
export const SECRET_VARIABLES = [
  'JWT_SECRET',
  'SECRETS_KEY',
  'METRICS_TOKEN',
  'REMOTE_SIGNING_TOKEN',
  'SIGNING_KEYS_PASSWORD',
  'PAYGOV_SECRET',
  'PORTAL_CLIENT_SECRET',
  'OIDC_CLIENT_SECRET',
  'S3_SECRET_ACCESS_KEY',
] as const satisfies ReadonlyArray<keyof EnvVars>;

/** Secrets another party issues (the platforms, the identity provider, the object store): we cannot pick them, only ask for longer ones. */
const ISSUED_SECRETS = new Set<string>(['PAYGOV_SECRET', 'PORTAL_CLIENT_SECRET', 'OIDC_CLIENT_SECRET', 'S3_SECRET_ACCESS_KEY']);

/** The shortest secret production accepts, in bytes (UTF-8). */
export const MIN_SECRET_BYTES = 32;

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
 * Why `value` is no secret to rely on, or undefined: under MIN_SECRET_BYTES, one character or a
 * pattern of up to 8 characters repeated (`xxxx…`, `abab…`, `changeme` × 4), or a value published
 * with the code.
 */
export function weakSecretReason(value: string): string | undefined {
  if (value === PAYGOV_TEST_GATEWAY_SECRET) return "the local test gateway's published secret";
  if (PUBLISHED_SECRETS.has(value)) return 'a value published with the code';
  if (/^(.{1,8}?)\1+$/su.test(value)) return [...new Set(value)].length === 1 ? 'one character repeated' : 'a short pattern repeated';
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < MIN_SECRET_BYTES) return `only ${bytes} bytes`;
  return undefined;
}

/** Host names that only mean something inside one machine or network. */
const LOCAL_NAME = /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home\.arpa)$/;

/**
 * Why citizens could not reach `value` (PUBLIC_BASE_URL, printed on the forms), or undefined: not
 * https, or a loopback, private, link-local or otherwise non-public address, or a local name
 * (localhost, a name without a dot, .local, .internal…). No DNS lookup: the server may well
 * resolve its own public name to a private address.
 */
export function unreachablePublicUrlReason(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return `${url.protocol}// is not https`;
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host)) return isPublicIp(host) ? undefined : `${host} is not a public address`;
  if (!host.includes('.') || LOCAL_NAME.test(host)) return `${host} is a local name`;
  return undefined;
}

/** A public unicast address; IPv4-mapped and IPv4-compatible IPv6 forms are judged as the IPv4 address they carry. */
function isPublicIp(address: string): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (v6.parts.slice(0, 6).every((p) => p === 0) && !['unspecified', 'loopback'].includes(v6.range())) {
      parsed = ipaddr.fromByteArray(v6.toByteArray().slice(12));
    }
  }
  return parsed.range() === 'unicast';
}

/**
 * Everything in the environment that makes a production start unsafe, one line per problem naming
 * the variable: demo defaults (published passwords, demo accounts, the demo CA and its keys),
 * missing or weak secrets, metrics open to anyone, a public address citizens cannot reach, and
 * test-only settings. Empty when the start may go on. `cwd` resolves a relative DATA_DIR (tests
 * pass a folder of their own, never the checkout's ./.data). What the database holds (the demo's
 * accounts, the first admin) is checked at start-up, after migrations (src/seed/production-accounts.ts).
 */
export function productionProblems(env: EnvVars, raw: Record<string, string | undefined>, cwd = process.cwd()): string[] {
  const problems: string[] = [];
  const problem = (line: string) => problems.push(`Invalid configuration for NODE_ENV=production: ${line}`);
  if (!env.ADMIN_PASSWORD)
    problem(
      'ADMIN_PASSWORD is missing; expected a strong password of your own for the first admin (at least 12 characters, three of: lower case, upper case, digits, symbols)',
    );
  else if (env.ADMIN_PASSWORD === DEFAULT_ADMIN_PASSWORD)
    problem('ADMIN_PASSWORD is the demo password published in the README; expected a strong password of your own');
  else if (!isStrongPassword(env.ADMIN_PASSWORD))
    problem('ADMIN_PASSWORD is weak; expected at least 12 characters with three of: lower case, upper case, digits, symbols');
  if (env.SEED_DEMO === true) problem('SEED_DEMO=true would create the demo accounts with their published passwords; expected SEED_DEMO=false (or unset)');
  if (!env.JWT_SECRET) problem('JWT_SECRET is missing; expected at least 32 random characters (e.g. openssl rand -base64 48)');
  const portalOn = env.PORTAL_SYNC_ENABLED ?? !!env.PORTAL_SYNC_URL;
  if (portalOn) {
    for (const name of ['PORTAL_SYNC_URL', 'PORTAL_TOKEN_URL', 'PORTAL_CLIENT_ID', 'PORTAL_CLIENT_SECRET', 'PORTAL_COUNT_URL'] as const) {
      if (!env[name])
        problem(
          `${name} is missing; the national portal sync is enabled (PORTAL_SYNC_ENABLED or PORTAL_SYNC_URL) and needs its endpoint, login and count query (or set PORTAL_SYNC_ENABLED=false)`,
        );
    }
  }
  if (!env.SECRETS_KEY)
    problem(
      'SECRETS_KEY is missing; expected at least 32 random characters (e.g. openssl rand -base64 48): it encrypts the webhook secrets, and losing it loses them',
    );
  if (!env.METRICS_TOKEN)
    problem('METRICS_TOKEN is missing; expected at least 32 random characters (e.g. openssl rand -hex 24): /metrics would be open to anyone');
  if (!env.PUBLIC_BASE_URL) problem('PUBLIC_BASE_URL is missing; expected the https address citizens use (printed on the forms), not http://localhost');
  else {
    const unreachable = unreachablePublicUrlReason(env.PUBLIC_BASE_URL);
    if (unreachable)
      problem(
        `PUBLIC_BASE_URL=${env.PUBLIC_BASE_URL}: ${unreachable}; expected the public https address citizens use (it is printed on the forms as a QR code)`,
      );
  }
  const dataDir = path.resolve(cwd, env.DATA_DIR ?? '.data');
  const trustDir = path.resolve(cwd, env.SIGNATURE_TRUST_DIR ?? path.join(dataDir, 'trust'));
  if (existsSync(path.join(trustDir, DEMO_CA_ANCHOR))) {
    problem(`SIGNATURE_TRUST_DIR=${trustDir} trusts the demo CA (${DEMO_CA_ANCHOR}); expected only real anchors there: delete that file`);
  }
  if (existsSync(path.join(dataDir, 'demo-ca')) && env.SIGNING_KEYS_DIR === undefined) {
    problem(
      `SIGNING_KEYS_DIR is unset and DATA_DIR=${dataDir} holds the demo CA, whose demo leaders' keys are in ${path.join(dataDir, 'signing-keys')}; expected SIGNING_KEYS_DIR set to your leaders' keys (or a DATA_DIR of its own)`,
    );
  }
  const provider = env.SIGNING_PROVIDER ?? 'local';
  if (provider === 'local' && !env.SIGNING_KEYS_PASSWORD)
    problem("SIGNING_KEYS_PASSWORD is missing; expected the password of the leaders' PKCS#12 files (keys without a password are the demo's)");
  if (provider === 'remote' && !env.REMOTE_SIGNING_TOKEN)
    problem("REMOTE_SIGNING_TOKEN is missing; expected the token shared with the remote-signing service (it authenticates the service's callbacks)");
  const seen = new Map<string, string>();
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (!value) continue;
    const weak = weakSecretReason(value);
    if (weak)
      problem(
        `${name} is ${weak}; expected ${ISSUED_SECRETS.has(name) ? 'the real secret issued for this service (at least 32 bytes: ask for a longer one)' : 'at least 32 random bytes (e.g. openssl rand -base64 48)'}`,
      );
    else if (seen.has(value)) problem(`${name} is the same as ${seen.get(value)}; expected a secret of its own (one leaked secret must not open the other)`);
    seen.set(value, seen.get(value) ?? name);
  }
  for (const name of TEST_ONLY_VARIABLES) {
    if (raw[name] !== undefined && !OFF.includes(raw[name]!.trim().toLowerCase())) problem(`${name} is a test-only setting; expected it unset or false`);
  }
  return problems;
}

/**
 * validateEnv for the service itself (main.ts): with NODE_ENV=production, a well-formed
 * environment is then checked for demo defaults and missing or weak secrets (above), one line
 * per problem, all of them at once; `cwd` resolves a relative DATA_DIR. Developer scripts
 * (migrations) skip this.
 */
export function validateServiceEnv(raw: Record<string, string | undefined>, cwd = process.cwd()): EnvVars {
  const env = validateEnv(raw);
  if (env.NODE_ENV === 'production') {
    const problems = productionProblems(env, raw, cwd);
    if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  }
  return env;
}
