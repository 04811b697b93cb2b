import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  getMetadataStorage,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value);
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * Every environment variable the service reads, validated at boot. `.env.example` and the
 * README's configuration table list the same names; keep the three in step.
 */
export class EnvVars {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsIn(['all', 'api', 'worker'])
  APP_ROLE?: 'all' | 'api' | 'worker';

  /**
   * API processes one start runs (src/supervisor.ts); 1: this process serves (and, role all, runs
   * the workers too). At most 8: each process opens up to 24 PostgreSQL connections (pool of 20 and
   * 4 for the code sequences; the reports' pool, REPORT_POOL_SIZE, adds its few on demand), and the
   * embedded server allows 200.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8)
  API_PROCESSES?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^rediss?:\/\/\S+$/, { message: 'a redis:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9{}:_-]{1,64}$/, { message: 'letters, digits, {}:_- (e.g. {motcua})' })
  QUEUE_PREFIX?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'true or false' })
  SEED_DEMO?: boolean;

  /**
   * Deactivate the demo's accounts found in the database (they log in with published passwords):
   * the remedy a production start on a demo-seeded database names (src/seed/production-accounts.ts).
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'true or false' })
  DISABLE_DEMO_ACCOUNTS?: boolean;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9._-]{3,64}$/, { message: '3-64 lower-case letters, digits, . _ -' })
  ADMIN_USERNAME?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(8, { message: 'at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(32, { message: 'at least 32 characters' })
  JWT_SECRET?: string;

  /** Encrypts stored secrets (webhook signing secrets, later the portal's credentials): at least 32 random characters. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(32, { message: 'at least 32 characters' })
  SECRETS_KEY?: string;

  /** Webhooks: one attempt's timeout (default 15 s). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS?: number;

  /** Webhooks: first retry delay (doubles each attempt, with jitter; default 5 s). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS?: number;

  /** Webhooks: longest delay between two attempts (default 1 h). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  WEBHOOK_RETRY_MAX_MS?: number;

  /** Webhooks: how long a message is retried before it is dead and its endpoint disabled (default 24 h). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(7 * 86_400_000)
  WEBHOOK_RETRY_WINDOW_MS?: number;

  /** Webhooks: how long the previous secret still signs after a rotation (default 24 h). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30 * 86400)
  WEBHOOK_ROTATION_OVERLAP_SECONDS?: number;

  /** Webhooks: resolve endpoint host names with these DNS servers (comma-separated ip or ip:port) instead of the system's resolver. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(
    /^\s*(\[[0-9a-fA-F:.]+\](:\d{1,5})?|[0-9.]+(:\d{1,5})?|[0-9a-fA-F:]+)(\s*,\s*(\[[0-9a-fA-F:.]+\](:\d{1,5})?|[0-9.]+(:\d{1,5})?|[0-9a-fA-F:]+))*\s*$/,
    { message: 'a comma-separated list of DNS server addresses (ip, ip:port or [ipv6]:port)' },
  )
  WEBHOOK_DNS_SERVERS?: string;

  /** National portal sync: on or off (default: on when PORTAL_SYNC_URL is set). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  PORTAL_SYNC_ENABLED?: boolean;

  /** National portal sync: the upsert endpoint (a dossier record is POSTed here). */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PORTAL_SYNC_URL?: string;

  /** National portal sync: the count query (GET ?MaDonViTiepNhan=&Ngay=yyyyMMdd) for the daily reconciliation. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PORTAL_COUNT_URL?: string;

  /** National portal sync: the token endpoint (OAuth2 client credentials). */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PORTAL_TOKEN_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  PORTAL_CLIENT_ID?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  PORTAL_CLIENT_SECRET?: string;

  /** National portal sync: one push's timeout (default 15 s). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  PORTAL_TIMEOUT_MS?: number;

  /** National portal sync: first retry delay (doubles, with jitter; default 10 s). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  PORTAL_RETRY_BASE_MS?: number;

  /** National portal sync: longest delay between two attempts (default 30 min). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  PORTAL_RETRY_MAX_MS?: number;

  /** National portal sync: how long a push is retried before it is dead (default 3 days). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30 * 86_400_000)
  PORTAL_RETRY_WINDOW_MS?: number;

  /** National portal sync: when the daily reconciliation runs (HH:MM, Vietnam time; default 01:30). */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'HH:MM' })
  PORTAL_RECONCILE_AT?: string;

  /** Outbound deliveries: targets worked on at once per worker process (default 16). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DELIVERY_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86400)
  JWT_ACCESS_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(365 * 86400)
  JWT_REFRESH_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  FILE_MAX_BYTES?: number;

  @IsOptional()
  @IsString()
  FILES_DIR?: string;

  @IsOptional()
  @IsIn(['local', 's3'])
  STORAGE_DRIVER?: 'local' | 's3';

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s/]+\/?$/, { message: 'an http(s) URL without a path, e.g. http://minio:9000' })
  S3_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'a region name, e.g. us-east-1' })
  S3_REGION?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'a bucket name: 3-63 lower-case letters, digits, dots and hyphens' })
  S3_BUCKET?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MaxLength(128)
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MaxLength(256)
  S3_SECRET_ACCESS_KEY?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'true or false' })
  S3_FORCE_PATH_STYLE?: boolean;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*\/?$/, {
    message: 'key segments of letters, digits, . _ - separated by /, e.g. motcua/files/',
  })
  S3_PREFIX?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_PER_ACCOUNT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  LOGIN_MAX_PER_CLIENT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_WINDOW_SECONDS?: number;

  /** Failures on one account (from any client) in the window after which each login is slowed down. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  LOGIN_SLOWDOWN_AFTER?: number;

  /** Citizen registrations per client IP per hour. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  REGISTER_MAX_PER_CLIENT_PER_HOUR?: number;

  /** Requests per minute per client IP across the API; 0 turns the limit off (e.g. for benchmarks). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  DEADLINE_RECONCILE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DEADLINE_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60000)
  OUTBOX_POLL_MS?: number;

  /** Reconciliation: running clocks read and restored per page. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50_000)
  DEADLINE_RECONCILE_BATCH?: number;

  /** Reconciliation: pages checked and restored at once (concurrent addBulk pipelines). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  DEADLINE_RECONCILE_LANES?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/\S+$/, { message: 'an http(s) URL' })
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  OIDC_CLIENT_SECRET?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/\S+$/, { message: 'an http(s) URL' })
  OIDC_REDIRECT_URI?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  OIDC_ID_CLAIM?: string;

  @IsOptional()
  @IsString()
  @Matches(/^openid( [\x21\x23-\x5B\x5D-\x7E]+)*$/, { message: 'space-separated scopes starting with "openid"' })
  OIDC_SCOPES?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  PUBLIC_LOOKUP_PER_MINUTE?: number;

  // ---- the figures (src/reports): their own pool, time limits, the public figures' rollup ----

  /** PostgreSQL connections of the reports' own pool, per process (staff work keeps the main pool). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  REPORT_POOL_SIZE?: number;

  /** A report statement running longer is cancelled: 503 REPORT_TIMEOUT with Retry-After. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  REPORT_STATEMENT_TIMEOUT_MS?: number;

  /** How long a report waits for one of the pool's connections: 503 REPORTS_BUSY with Retry-After beyond. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600_000)
  REPORT_POOL_WAIT_MS?: number;

  /** Workers: how often the public figures' monthly rollup takes in changed dossiers. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  REPORT_ROLLUP_REFRESH_SECONDS?: number;

  /** The longest public period, in whole months (400 PUBLIC_REPORT_PERIOD_TOO_LONG beyond); at most a report's three years. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36)
  PUBLIC_REPORT_MAX_MONTHS?: number;

  /** How long a public answer is served again without recomputing it; 0 = no cache (identical concurrent requests still share one). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  PUBLIC_REPORT_CACHE_SECONDS?: number;

  /** Public counts from 1 to this − 1 are withheld (README "Public figures: small counts"); 1 withholds none. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  PUBLIC_REPORT_MIN_COUNT?: number;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(16, { message: 'at least 16 characters' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'an http(s) URL without a trailing path, e.g. https://motcua.example.gov.vn' })
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  /** Folder of PEM certificates trusted as signature anchors (national root CA, government CA). */
  @IsOptional()
  @IsString()
  SIGNATURE_TRUST_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  SIGNATURE_VERIFY_ATTEMPTS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  SIGNATURE_RETRY_DELAY_MS?: number;

  @IsOptional()
  @IsIn(['local', 'remote'])
  SIGNING_PROVIDER?: 'local' | 'remote';

  @IsOptional()
  @IsString()
  SIGNING_KEYS_DIR?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  SIGNING_KEYS_PASSWORD?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/\S+$/, { message: 'an http(s) URL' })
  REMOTE_SIGNING_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(16, { message: 'at least 16 characters' })
  REMOTE_SIGNING_TOKEN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  SIGNING_POLL_MS?: number;

  /** The national payment platform (PayGov): its URL, our partner code and the shared secret of its checksums (docs/PAYMENTS.md). */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/\S+$/, { message: 'an http(s) URL' })
  PAYGOV_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{2,40}$/, { message: '2-40 letters, digits, _ -' })
  PAYGOV_PARTNER_CODE?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  @MinLength(16, { message: 'at least 16 characters' })
  PAYGOV_SECRET?: string;

  /** How far (minutes, either way) a platform callback's signed send time may be from now; beyond, it is refused (the reconciliation query settles the payment). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  PAYGOV_CALLBACK_WINDOW_MINUTES?: number;

  /** Minutes a payment request stays payable before the reconciliation job expires it. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(43_200)
  PAYMENT_TTL_MINUTES?: number;

  /** How often the reconciliation job queries pending payments (ms; workers only). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  PAYMENT_RECONCILE_MS?: number;

  /** A pending payment is queried once it is at least this old (ms): its callback had time to come. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  PAYMENT_QUERY_AFTER_MS?: number;

  /** Minutes a card check (POST /auth/identity-checks) stays usable as the proof of one filing. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  IDENTITY_CHECK_MAX_AGE_MINUTES?: number;

  /** Longest life of a citizen's share code for their data store (minutes); they may ask for less. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  STORE_SHARE_CODE_MINUTES?: number;

  /** Distinct CCCDs of one officer's counter filings of one Vietnam day ending refused or withdrawn that raise a store alert. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1000)
  STORE_ALERT_REFUSED_PER_DAY?: number;

  /** Deepest nesting of objects/arrays accepted in a JSON body (400 BODY_TOO_DEEP beyond). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(1000)
  JSON_MAX_DEPTH?: number;

  /** Whose X-Forwarded-For counts (Express `trust proxy`): false, a hop count, or addresses/subnets/loopback/linklocal/uniquelocal. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\s*[\w.:/]+(\s*,\s*[\w.:/]+)*\s*$/, {
    message: 'false, a hop count, or a comma-separated list of addresses, subnets (10.0.0.0/8) and loopback, linklocal, uniquelocal',
  })
  TRUST_PROXY?: string;

  /** auto: readable (pino-pretty) on a terminal outside production, JSON otherwise. */
  @IsOptional()
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT?: 'auto' | 'json' | 'pretty';

  // ---- hostile files: verification caps and limits, upload quotas, CRL fetch policy ----

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  VERIFY_MAX_SIGNATURES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  VERIFY_MAX_XML_REFERENCES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  VERIFY_MAX_PDF_REVISIONS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  VERIFY_MAX_PDF_OBJECT_STREAMS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  @Max(4 * 1024 * 1024 * 1024)
  VERIFY_MAX_INFLATED_BYTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  VERIFY_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(64)
  @Max(16_384)
  VERIFY_MEMORY_MB?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  VERIFY_WORKERS?: number;

  /** Re-verifications (POST /files/{id}/signatures/verify) per account per hour. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  REVERIFY_PER_HOUR?: number;

  /** Citizens' uploads per rolling 24 h; 0 turns the quota off. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  UPLOAD_QUOTA_FILES_PER_DAY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  UPLOAD_QUOTA_BYTES_PER_DAY?: number;

  /** APP_ROLE=worker: port of a small server answering only /health/live and /health/ready; unset: none. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  HEALTH_PORT?: number;

  /** Lets CRL fetches reach loopback/private addresses (tests, a lab CA); refused in production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'true or false' })
  CRL_ALLOW_PRIVATE_NETWORKS?: boolean;
}

export class ConfigError extends Error {}

/**
 * Validates the environment. On the first problem it throws a ConfigError whose message is one
 * line naming the variable and what it expects; main.ts prints that line and exits.
 */
export function validateEnv(raw: Record<string, string | undefined>): EnvVars {
  const known = Object.fromEntries(
    envVarNames()
      .map((k) => [k, raw[k]])
      .filter(([, v]) => v !== undefined),
  );
  const env = plainToInstance(EnvVars, known);
  const errors = validateSync(env, { whitelist: false });
  if (errors.length > 0) {
    const e = errors[0];
    const expectation = Object.values(e.constraints ?? {})[0] ?? 'a valid value';
    const shown = /SECRET|PASSWORD|TOKEN(?!_URL)/.test(e.property) ? '(hidden)' : JSON.stringify(e.value);
    const expected = expectation
      .replace(new RegExp(`^${e.property} `), '')
      .replace(/^must be /, '')
      .replace(/^must not be /, 'a value not ');
    throw new ConfigError(`Invalid configuration: ${e.property}=${shown}; expected ${expected}`);
  }
  return env;
}

/** The variable names EnvVars declares, read from class-validator's metadata. */
export function envVarNames(): string[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(EnvVars, '', true, false);
  return [...new Set(metas.map((m) => m.propertyName))];
}
