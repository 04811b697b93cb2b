import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { Clock, SystemClock } from '../../src/common/clock.js';
import { AppConfig, buildAppConfig } from '../../src/config/app-config.js';
import { validateEnv } from '../../src/config/env.js';
import { useNotificationProvider, type NotificationProvider, type NotificationRetry } from '../../src/notifications/notification-provider.js';
import { runStartupTasks } from '../../src/seed/startup.js';
import { createTestDatabase } from './test-database.js';

export { createTestDatabase };

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** supertest bound to the app's HTTP server. */
  http: () => ReturnType<typeof request>;
  /** A pg pool on this test file's own database, for assertions on what was stored. */
  db: pg.Pool;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment variables, validated like real ones (e.g. { FILE_MAX_BYTES: '2048' }). */
  env?: Record<string, string>;
  clock?: Clock;
  /** Another Redis than the shared test one (e.g. an address where nothing listens). */
  redisUrl?: string;
  /** Run the startup tasks (first admin; demo data when SEED_DEMO is true). Default true. */
  startup?: boolean;
  /**
   * Another app's database (its `config.databaseUrl`) instead of a fresh one: the two are then
   * replicas of one service, with the same data folder (so the same JWT secret) and queue prefix.
   */
  databaseUrl?: string;
  /** E-mail and SMS go through this provider (and retry policy) instead of the recording one. */
  notifications?: { provider: NotificationProvider; retry?: Partial<NotificationRetry> };
}

/**
 * The real application on a database of its own and the shared test Redis (with a queue prefix of
 * its own), built by the same factory as `npm start`.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { config, databaseUrl } = await createTestConfig(options);
  if (options.notifications) useNotificationProvider(config, options.notifications.provider, options.notifications.retry);
  const app = await createApp(config, options.clock ?? new SystemClock());
  await app.init();
  if (options.startup !== false) await runStartupTasks(app, config, () => undefined);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  return {
    app,
    config,
    db,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      await db.end();
    },
  };
}

/** The configuration createTestApp starts with: a fresh database (or the given one), the shared test Redis. */
export async function createTestConfig(
  options: Pick<TestAppOptions, 'env' | 'redisUrl' | 'databaseUrl'> = {},
): Promise<{ config: AppConfig; databaseUrl: string }> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const id = databaseUrl.split('/').pop()!;
  const dataDir = path.join(process.env.MOTCUA_TEST_DIR!, 'apps', id);
  mkdirSync(dataDir, { recursive: true });
  // Every request of a test comes from 127.0.0.1, so the per-client rate limit is raised (not
  // turned off: the Redis counting still runs); a test of the limit itself sets its own.
  // The test CAs serve their CRLs on 127.0.0.1, which CRL fetches refuse unless allowed (a test of
  // that guard sets CRL_ALLOW_PRIVATE_NETWORKS=false).
  const env = validateEnv({
    NODE_ENV: 'test',
    SEED_DEMO: 'false',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `{t${id}}`,
    RATE_LIMIT_PER_MINUTE: '100000',
    CRL_ALLOW_PRIVATE_NETWORKS: 'true',
    ...options.env,
  });
  const config = buildAppConfig(env, { databaseUrl, redisUrl: options.redisUrl ?? process.env.MOTCUA_TEST_REDIS_URL!, embedded: false });
  return { config, databaseUrl };
}
