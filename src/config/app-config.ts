import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { DEFAULT_JSON_MAX_DEPTH } from '../common/body-depth.js';
import { restrictToOwner, writeOnce } from '../common/write-once.js';
import { DEFAULT_VERIFICATION_LIMITS, type VerificationLimits } from './verification-limits.js';
import { ConfigError, type EnvVars } from './env.js';
import { DEFAULT_ADMIN_PASSWORD } from './production.js';

/** The typed configuration every module reads (injected as AppConfig). */
export class AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  role: 'all' | 'api' | 'worker';
  /** ≥ 2: the start supervises that many API processes (and one worker process for role all). */
  apiProcesses: number;
  dataDir: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  seedDemo: boolean;
  adminUsername: string;
  adminPassword: string;
  /** ADMIN_PASSWORD was given (not the development default): the first admin's password is then set to it at each start. */
  adminPasswordGiven: boolean;
  /** DISABLE_DEMO_ACCOUNTS: deactivate the demo's accounts found in the database at start-up. */
  disableDemoAccounts: boolean;
  jwtSecret: string;
  /** Key (32 bytes, derived from SECRETS_KEY or a generated one under DATA_DIR) that encrypts stored secrets. */
  secretsKey: Buffer;
  /** Outbound deliveries (src/delivery) and webhooks (src/webhooks). */
  /** The national portal sync (src/portal-sync): off unless enabled or an endpoint is set. */
  portalSync: {
    enabled: boolean;
    url: string | null;
    countUrl: string | null;
    tokenUrl: string | null;
    clientId: string | null;
    clientSecret: string | null;
    timeoutMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    retryWindowMs: number;
    reconcileAt: string;
  };
  webhooks: {
    timeoutMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    retryWindowMs: number;
    rotationOverlapSeconds: number;
    concurrency: number;
    dnsServers: string[];
  };
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  fileMaxBytes: number;
  /** Local disk storage root (STORAGE_DRIVER=local). */
  filesDir: string;
  /** Where uploaded files live: `local` (filesDir) or an S3-compatible bucket that replicas share. */
  storageDriver: 'local' | 's3';
  /** Set when storageDriver is `s3`. */
  s3?: S3Settings;
  login: { maxPerAccount: number; maxPerClient: number; windowSeconds: number; slowdownAfter: number; registrationsPerClientPerHour: number };
  /** Requests per minute per client across the API; 0 = no limit. */
  rateLimitPerMinute: number;
  deadlines: {
    reconcileSeconds: number;
    concurrency: number;
    outboxPollMs: number;
    /** Reconciliation: running clocks per page (one check script and one addBulk), and pages in flight at once. */
    reconcileBatch: number;
    reconcileLanes: number;
  };
  oidc?: { issuer: string; clientId: string; clientSecret: string; redirectUri: string; idClaim: string; scopes: string };
  logLevel: string;
  /** Where citizens reach this service: printed (as a QR code) on the forms. */
  publicBaseUrl: string;
  /** Public dossier lookups allowed per client per minute. */
  publicLookupPerMinute: number;
  /**
   * The figures (src/reports): their own pool (size, statement timeout, wait for a connection),
   * the public figures' monthly rollup (refresh pass interval on workers) and the public route's
   * bounds (longest period in months, answer cache, smallest count shown).
   */
  reports: {
    poolSize: number;
    statementTimeoutMs: number;
    poolWaitMs: number;
    rollupRefreshSeconds: number;
    publicMaxMonths: number;
    publicCacheSeconds: number;
    publicMinCount: number;
  };
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Signature verification: trusted folder, and retries of INDETERMINATE results (CRL unavailable). */
  signatures: { trustDir: string; verifyAttempts: number; retryDelayMs: number };
  /**
   * How approved results are signed: `local` with the leader's PKCS#12 from keysDir
   * (`<username>.p12`, password SIGNING_KEYS_PASSWORD), or `remote` through a remote-signing
   * service (ký số từ xa) at remoteUrl, polled every pollMs.
   */
  signing: { provider: 'local' | 'remote'; keysDir: string; keysPassword: string; remoteUrl?: string; remoteToken?: string; pollMs: number; demoPki: boolean };

  /** Online payment (PayGov; none configured: only counter, QR and exempt payments) and the reconciliation job. */
  payments: {
    paygov?: { url: string; partnerCode: string; secret: string };
    callbackWindowMs: number;
    ttlMinutes: number;
    reconcileMs: number;
    queryAfterMs: number;
  };

  /** How long a desk check of an identity card proves the applicant of a filing. */
  identityChecks: { maxAgeMinutes: number };
  /** The person's data store: consents (share codes) and the alert on unusual counter filings. */
  dataStore: { shareCodeMinutes: number; alertRefusedPerDay: number };

  /** Deepest nesting accepted in a JSON body. */
  jsonMaxDepth: number;
  /** Express `trust proxy`: whose X-Forwarded-For decides the client address (rate limits, login throttle). */
  trustProxy: boolean | number | string[];
  /** How logs are written: see usePrettyLogs (src/common/logging.ts). */
  logFormat: 'auto' | 'json' | 'pretty';
  /**
   * Limits on verifying untrusted files (see src/signatures/verification/verify-pool.ts): the caps on
   * a file's structure, and the child processes' wall-clock timeout, memory and number.
   */
  verification: { limits: VerificationLimits; timeoutMs: number; memoryMb: number; workers: number; reverifyPerHour: number; crlAllowPrivateNetworks: boolean };
  /** Per citizen account, over the last 24 hours; 0 = no quota. */
  uploadQuota: { filesPerDay: number; bytesPerDay: number };
  /** APP_ROLE=worker only: where /health/live and /health/ready are served (the API serves them on port). */
  healthPort?: number;

  get runsApi(): boolean {
    return this.role === 'all' || this.role === 'api';
  }
  get runsWorkers(): boolean {
    return this.role === 'all' || this.role === 'worker';
  }
}

export interface S3Settings {
  /** For MinIO and other S3-compatible servers; unset: AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Both or neither; neither: the SDK's default chain (AWS_* variables, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** Prepended to every storage key: empty, or ending with "/". */
  prefix: string;
}

export const DEFAULT_ADMIN_USERNAME = 'admin';

/**
 * Builds the AppConfig from validated variables and the URLs of the (possibly embedded) database
 * and Redis. A missing JWT_SECRET is generated once and kept under DATA_DIR, except in production
 * where it must be given.
 */
export function buildAppConfig(env: EnvVars, urls: { databaseUrl: string; redisUrl: string; embedded: boolean }, cwd = process.cwd()): AppConfig {
  const c = new AppConfig();
  c.nodeEnv = (env.NODE_ENV as AppConfig['nodeEnv']) ?? 'development';
  c.port = env.PORT ?? 3000;
  c.host = env.HOST ?? '0.0.0.0';
  c.role = env.APP_ROLE ?? 'all';
  c.apiProcesses = env.API_PROCESSES ?? 1;
  c.dataDir = path.resolve(cwd, env.DATA_DIR ?? '.data');
  c.databaseUrl = urls.databaseUrl;
  c.redisUrl = urls.redisUrl;
  c.queuePrefix = env.QUEUE_PREFIX ?? '{motcua}';
  // The demo is the default only for a development start on embedded servers, never in production.
  c.seedDemo = env.SEED_DEMO ?? (urls.embedded && c.nodeEnv !== 'production');
  c.adminUsername = env.ADMIN_USERNAME ?? DEFAULT_ADMIN_USERNAME;
  c.adminPassword = env.ADMIN_PASSWORD ?? DEFAULT_ADMIN_PASSWORD;
  c.adminPasswordGiven = env.ADMIN_PASSWORD !== undefined;
  c.disableDemoAccounts = env.DISABLE_DEMO_ACCOUNTS ?? false;
  if (c.nodeEnv === 'production' && !env.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is missing; expected at least 32 random characters (required when NODE_ENV=production)');
  }
  c.jwtSecret = env.JWT_SECRET ?? persistentSecret(c.dataDir);
  c.secretsKey = createHash('sha256')
    .update(env.SECRETS_KEY ?? persistentSecret(c.dataDir, 'secrets-key'))
    .digest();
  c.webhooks = {
    timeoutMs: env.WEBHOOK_TIMEOUT_MS ?? 15_000,
    retryBaseMs: env.WEBHOOK_RETRY_BASE_MS ?? 5_000,
    retryMaxMs: env.WEBHOOK_RETRY_MAX_MS ?? 3_600_000,
    retryWindowMs: env.WEBHOOK_RETRY_WINDOW_MS ?? 86_400_000,
    rotationOverlapSeconds: env.WEBHOOK_ROTATION_OVERLAP_SECONDS ?? 86_400,
    concurrency: env.DELIVERY_CONCURRENCY ?? 16,
    dnsServers: env.WEBHOOK_DNS_SERVERS?.split(',').map((s) => s.trim()) ?? [],
  };
  c.portalSync = {
    enabled: env.PORTAL_SYNC_ENABLED ?? !!env.PORTAL_SYNC_URL,
    url: env.PORTAL_SYNC_URL ?? null,
    countUrl: env.PORTAL_COUNT_URL ?? null,
    tokenUrl: env.PORTAL_TOKEN_URL ?? null,
    clientId: env.PORTAL_CLIENT_ID ?? null,
    clientSecret: env.PORTAL_CLIENT_SECRET ?? null,
    timeoutMs: env.PORTAL_TIMEOUT_MS ?? 15_000,
    retryBaseMs: env.PORTAL_RETRY_BASE_MS ?? 10_000,
    retryMaxMs: env.PORTAL_RETRY_MAX_MS ?? 1_800_000,
    retryWindowMs: env.PORTAL_RETRY_WINDOW_MS ?? 3 * 86_400_000,
    reconcileAt: env.PORTAL_RECONCILE_AT ?? '01:30',
  };
  if (c.portalSync.enabled && !c.portalSync.url)
    throw new ConfigError("Invalid configuration: PORTAL_SYNC_ENABLED=true needs PORTAL_SYNC_URL (the national portal's upsert endpoint)");
  c.accessTtlSeconds = env.JWT_ACCESS_TTL_SECONDS ?? 900;
  c.refreshTtlSeconds = env.JWT_REFRESH_TTL_SECONDS ?? 30 * 86400;
  c.fileMaxBytes = env.FILE_MAX_BYTES ?? 20 * 1024 * 1024;
  c.filesDir = path.resolve(cwd, env.FILES_DIR ?? path.join(c.dataDir, 'files'));
  c.storageDriver = env.STORAGE_DRIVER ?? 'local';
  c.s3 = s3Settings(env, c.storageDriver);
  c.login = {
    maxPerAccount: env.LOGIN_MAX_PER_ACCOUNT ?? 5,
    maxPerClient: env.LOGIN_MAX_PER_CLIENT ?? 30,
    windowSeconds: env.LOGIN_WINDOW_SECONDS ?? 300,
    slowdownAfter: env.LOGIN_SLOWDOWN_AFTER ?? 20,
    registrationsPerClientPerHour: env.REGISTER_MAX_PER_CLIENT_PER_HOUR ?? 20,
  };
  c.rateLimitPerMinute = env.RATE_LIMIT_PER_MINUTE ?? 600;
  c.deadlines = {
    reconcileSeconds: env.DEADLINE_RECONCILE_SECONDS ?? 300,
    concurrency: env.DEADLINE_CONCURRENCY ?? 20,
    outboxPollMs: env.OUTBOX_POLL_MS ?? 250,
    reconcileBatch: env.DEADLINE_RECONCILE_BATCH ?? 1000,
    reconcileLanes: env.DEADLINE_RECONCILE_LANES ?? 4,
  };
  if (env.OIDC_ISSUER) {
    for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] as const) {
      if (!env[name]) throw new ConfigError(`Invalid configuration: ${name} is missing; expected a value when OIDC_ISSUER is set`);
    }
    c.oidc = {
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID!,
      clientSecret: env.OIDC_CLIENT_SECRET!,
      redirectUri: env.OIDC_REDIRECT_URI!,
      idClaim: env.OIDC_ID_CLAIM ?? 'cccd',
      scopes: env.OIDC_SCOPES ?? 'openid profile',
    };
  }
  c.publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://localhost:${c.port}`).replace(/\/+$/, '');
  c.publicLookupPerMinute = env.PUBLIC_LOOKUP_PER_MINUTE ?? 30;
  c.reports = {
    poolSize: env.REPORT_POOL_SIZE ?? 3,
    statementTimeoutMs: env.REPORT_STATEMENT_TIMEOUT_MS ?? 30_000,
    poolWaitMs: env.REPORT_POOL_WAIT_MS ?? 10_000,
    rollupRefreshSeconds: env.REPORT_ROLLUP_REFRESH_SECONDS ?? 60,
    publicMaxMonths: env.PUBLIC_REPORT_MAX_MONTHS ?? 36,
    publicCacheSeconds: env.PUBLIC_REPORT_CACHE_SECONDS ?? 60,
    publicMinCount: env.PUBLIC_REPORT_MIN_COUNT ?? 5,
  };
  c.metricsToken = env.METRICS_TOKEN;
  c.signatures = {
    trustDir: path.resolve(cwd, env.SIGNATURE_TRUST_DIR ?? path.join(c.dataDir, 'trust')),
    verifyAttempts: env.SIGNATURE_VERIFY_ATTEMPTS ?? 6,
    retryDelayMs: env.SIGNATURE_RETRY_DELAY_MS ?? 30_000,
  };
  c.signing = {
    provider: env.SIGNING_PROVIDER ?? 'local',
    keysDir: path.resolve(cwd, env.SIGNING_KEYS_DIR ?? path.join(c.dataDir, 'signing-keys')),
    keysPassword: env.SIGNING_KEYS_PASSWORD ?? '',
    remoteUrl: env.REMOTE_SIGNING_URL,
    remoteToken: env.REMOTE_SIGNING_TOKEN,
    pollMs: env.SIGNING_POLL_MS ?? 30_000,
    // The demo's own CA and leader keys (src/signatures/trust/demo-pki.ts), never into folders someone chose.
    demoPki: c.seedDemo && env.SIGNING_KEYS_DIR === undefined && env.SIGNATURE_TRUST_DIR === undefined,
  };
  if (c.signing.provider === 'remote' && !c.signing.remoteUrl) {
    throw new ConfigError('Invalid configuration: REMOTE_SIGNING_URL is missing; expected the remote-signing service URL when SIGNING_PROVIDER=remote');
  }
  c.payments = {
    paygov: env.PAYGOV_URL ? { url: env.PAYGOV_URL, partnerCode: env.PAYGOV_PARTNER_CODE ?? 'MOTCUA', secret: env.PAYGOV_SECRET ?? '' } : undefined,
    callbackWindowMs: (env.PAYGOV_CALLBACK_WINDOW_MINUTES ?? 15) * 60_000,
    ttlMinutes: env.PAYMENT_TTL_MINUTES ?? 24 * 60,
    reconcileMs: env.PAYMENT_RECONCILE_MS ?? 60_000,
    queryAfterMs: env.PAYMENT_QUERY_AFTER_MS ?? 5 * 60_000,
  };
  if (c.payments.paygov && !c.payments.paygov.secret) {
    throw new ConfigError("Invalid configuration: PAYGOV_SECRET is missing; expected the shared secret of the platform's checksums when PAYGOV_URL is set");
  }
  c.identityChecks = { maxAgeMinutes: env.IDENTITY_CHECK_MAX_AGE_MINUTES ?? 30 };
  c.dataStore = { shareCodeMinutes: env.STORE_SHARE_CODE_MINUTES ?? 10, alertRefusedPerDay: env.STORE_ALERT_REFUSED_PER_DAY ?? 5 };
  c.jsonMaxDepth = env.JSON_MAX_DEPTH ?? DEFAULT_JSON_MAX_DEPTH;
  c.trustProxy = parseTrustProxy(env.TRUST_PROXY ?? 'loopback');
  c.logFormat = env.LOG_FORMAT ?? 'auto';
  c.logLevel = env.LOG_LEVEL ?? (c.nodeEnv === 'test' ? 'silent' : 'info');
  c.verification = verificationSettings(env, c.nodeEnv);
  c.uploadQuota = { filesPerDay: env.UPLOAD_QUOTA_FILES_PER_DAY ?? 200, bytesPerDay: env.UPLOAD_QUOTA_BYTES_PER_DAY ?? 1024 * 1024 * 1024 };
  c.healthPort = env.HEALTH_PORT;
  return c;
}

function s3Settings(env: EnvVars, driver: AppConfig['storageDriver']): S3Settings | undefined {
  if (driver !== 's3') {
    // Files would silently land on one replica's disk while the operator believes they are shared.
    if (env.S3_BUCKET)
      throw new ConfigError('Invalid configuration: S3_BUCKET is set but STORAGE_DRIVER is local; expected STORAGE_DRIVER=s3 (or no S3_BUCKET)');
    return undefined;
  }
  if (!env.S3_BUCKET) throw new ConfigError('Invalid configuration: S3_BUCKET is missing; expected a bucket name when STORAGE_DRIVER=s3');
  const pair = ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
  for (const [name, other] of [pair, [pair[1], pair[0]]] as const) {
    if (env[other] && !env[name]) throw new ConfigError(`Invalid configuration: ${name} is missing; expected a value when ${other} is set`);
  }
  const endpoint = env.S3_ENDPOINT?.replace(/\/+$/, '');
  const prefix = env.S3_PREFIX?.replace(/\/*$/, '/') ?? '';
  return {
    endpoint,
    region: env.S3_REGION ?? 'us-east-1',
    bucket: env.S3_BUCKET,
    credentials: env.S3_ACCESS_KEY_ID ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY! } : undefined,
    // MinIO and most S3-compatible servers are reached as <endpoint>/<bucket>, not <bucket>.<endpoint>.
    forcePathStyle: env.S3_FORCE_PATH_STYLE ?? endpoint !== undefined,
    prefix,
  };
}

function verificationSettings(env: EnvVars, nodeEnv: AppConfig['nodeEnv']): AppConfig['verification'] {
  if (nodeEnv === 'production' && env.CRL_ALLOW_PRIVATE_NETWORKS) {
    throw new ConfigError(
      'Invalid configuration: CRL_ALLOW_PRIVATE_NETWORKS=true; expected false or unset when NODE_ENV=production (CRL fetches must not reach internal addresses)',
    );
  }
  const d = DEFAULT_VERIFICATION_LIMITS;
  return {
    limits: {
      maxSignatures: env.VERIFY_MAX_SIGNATURES ?? d.maxSignatures,
      maxXmlReferences: env.VERIFY_MAX_XML_REFERENCES ?? d.maxXmlReferences,
      maxPdfRevisions: env.VERIFY_MAX_PDF_REVISIONS ?? d.maxPdfRevisions,
      maxPdfObjectStreams: env.VERIFY_MAX_PDF_OBJECT_STREAMS ?? d.maxPdfObjectStreams,
      maxInflatedBytes: env.VERIFY_MAX_INFLATED_BYTES ?? d.maxInflatedBytes,
    },
    timeoutMs: env.VERIFY_TIMEOUT_MS ?? 20_000,
    memoryMb: env.VERIFY_MEMORY_MB ?? 384,
    workers: env.VERIFY_WORKERS ?? 1,
    reverifyPerHour: env.REVERIFY_PER_HOUR ?? 60,
    crlAllowPrivateNetworks: env.CRL_ALLOW_PRIVATE_NETWORKS ?? false,
  };
}

/** A generated secret in DATA_DIR (the JWT secret, the secrets key), the same for every replica sharing it (writeOnce). */
function persistentSecret(dataDir: string, name = 'jwt-secret'): string {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // Replicas sharing DATA_DIR may start at once: they all keep the first secret written (each kept
    // its own before, so one replica refused the tokens the others issued).
    writeOnce(file, randomBytes(48).toString('base64url') + '\n');
  }
  restrictToOwner(file);
  return readFileSync(file, 'utf8').trim();
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY as Express wants it: `false` (never trust X-Forwarded-For), `true` (always: only
 * behind a proxy that overwrites the header), a number of proxy hops, or a list of proxy
 * addresses and subnets (and the names loopback, linklocal, uniquelocal).
 */
export function parseTrustProxy(value: string): AppConfig['trustProxy'] {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === 'true') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  const items = v.split(',').map((x) => x.trim());
  for (const item of items) {
    const [address, bits, extra] = item.split('/');
    const ok =
      PROXY_NAMES.includes(item) ||
      (extra === undefined &&
        (ipaddr.IPv4.isValidFourPartDecimal(address) || ipaddr.IPv6.isValid(address)) &&
        (bits === undefined || isPrefixLength(address, bits)));
    if (!ok)
      throw new ConfigError(
        `Invalid configuration: TRUST_PROXY=${JSON.stringify(value)}; expected false, a hop count, or addresses/subnets and ${PROXY_NAMES.join(', ')} ("${item}" is none of these)`,
      );
  }
  return items;
}

function isPrefixLength(address: string, bits: string): boolean {
  const max = ipaddr.parse(address).kind() === 'ipv4' ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}
