import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type EnvVars } from './env.js';

/** The typed configuration every module reads (injected as AppConfig). */
export class AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  role: 'all' | 'api' | 'worker';
  dataDir: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  seedDemo: boolean;
  adminUsername: string;
  adminPassword: string;
  jwtSecret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  fileMaxBytes: number;
  filesDir: string;
  login: { maxPerAccount: number; maxPerClient: number; windowSeconds: number };
  /** Requests per minute per client across the API; 0 = no limit. */
  rateLimitPerMinute: number;
  deadlines: { reconcileSeconds: number; concurrency: number; outboxPollMs: number };
  oidc?: { issuer: string; clientId: string; clientSecret: string; redirectUri: string; idClaim: string; scopes: string };
  logLevel: string;
  /** Where citizens reach this service: printed (as a QR code) on the forms. */
  publicBaseUrl: string;
  /** Public dossier lookups allowed per client per minute. */
  publicLookupPerMinute: number;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;

  get runsApi(): boolean {
    return this.role === 'all' || this.role === 'api';
  }
  get runsWorkers(): boolean {
    return this.role === 'all' || this.role === 'worker';
  }
}

export const DEFAULT_ADMIN_USERNAME = 'admin';
export const DEFAULT_ADMIN_PASSWORD = 'MotCua@2026';

/**
 * Builds the AppConfig from validated variables and the URLs of the (possibly embedded) database
 * and Redis. A missing JWT_SECRET is generated once and kept under DATA_DIR, except in production
 * where it must be given.
 */
export function buildAppConfig(
  env: EnvVars,
  urls: { databaseUrl: string; redisUrl: string; embedded: boolean },
  cwd = process.cwd(),
): AppConfig {
  const c = new AppConfig();
  c.nodeEnv = (env.NODE_ENV as AppConfig['nodeEnv']) ?? 'development';
  c.port = env.PORT ?? 3000;
  c.host = env.HOST ?? '0.0.0.0';
  c.role = env.APP_ROLE ?? 'all';
  c.dataDir = path.resolve(cwd, env.DATA_DIR ?? '.data');
  c.databaseUrl = urls.databaseUrl;
  c.redisUrl = urls.redisUrl;
  c.queuePrefix = env.QUEUE_PREFIX ?? '{motcua}';
  c.seedDemo = env.SEED_DEMO ?? urls.embedded;
  c.adminUsername = env.ADMIN_USERNAME ?? DEFAULT_ADMIN_USERNAME;
  c.adminPassword = env.ADMIN_PASSWORD ?? DEFAULT_ADMIN_PASSWORD;
  if (c.nodeEnv === 'production' && !env.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is missing; expected at least 32 random characters (required when NODE_ENV=production)');
  }
  c.jwtSecret = env.JWT_SECRET ?? persistentSecret(c.dataDir);
  c.accessTtlSeconds = env.JWT_ACCESS_TTL_SECONDS ?? 900;
  c.refreshTtlSeconds = env.JWT_REFRESH_TTL_SECONDS ?? 30 * 86400;
  c.fileMaxBytes = env.FILE_MAX_BYTES ?? 20 * 1024 * 1024;
  c.filesDir = path.resolve(cwd, env.FILES_DIR ?? path.join(c.dataDir, 'files'));
  c.login = {
    maxPerAccount: env.LOGIN_MAX_PER_ACCOUNT ?? 5,
    maxPerClient: env.LOGIN_MAX_PER_CLIENT ?? 30,
    windowSeconds: env.LOGIN_WINDOW_SECONDS ?? 300,
  };
  c.rateLimitPerMinute = env.RATE_LIMIT_PER_MINUTE ?? 600;
  c.deadlines = {
    reconcileSeconds: env.DEADLINE_RECONCILE_SECONDS ?? 300,
    concurrency: env.DEADLINE_CONCURRENCY ?? 20,
    outboxPollMs: env.OUTBOX_POLL_MS ?? 250,
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
  c.metricsToken = env.METRICS_TOKEN;
  c.logLevel = env.LOG_LEVEL ?? (c.nodeEnv === 'test' ? 'silent' : 'info');
  return c;
}

function persistentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
