import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EnvVars } from '../config/env.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startEmbeddedRedis } from './embedded-redis.js';
import { InfraError } from './processes.js';

export interface Infrastructure {
  databaseUrl: string;
  redisUrl: string;
  embedded: boolean;
  /** Stops whatever was started here (nothing when both URLs were given). */
  stop(): Promise<void>;
}

/**
 * The database and Redis the service talks to: the ones named by DATABASE_URL / REDIS_URL, or,
 * for each one missing, our own server with its data under DATA_DIR.
 */
export async function provideInfrastructure(env: EnvVars, log: (line: string) => void, cwd = process.cwd()): Promise<Infrastructure> {
  const dataDir = path.resolve(cwd, env.DATA_DIR ?? '.data');
  ensureWritableFolder(dataDir);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    await Promise.allSettled(stops.reverse().map((s) => s()));
  };
  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dir: path.join(dataDir, 'postgres'), database: 'motcua', log });
      stops.push(pg.stop);
      databaseUrl = pg.localUrl;
    }
    let redisUrl = env.REDIS_URL;
    if (!redisUrl) {
      const redis = await startEmbeddedRedis({ dir: path.join(dataDir, 'redis'), persistent: true, log });
      stops.push(redis.stop);
      redisUrl = redis.url;
    }
    return { databaseUrl, redisUrl, embedded: !env.DATABASE_URL && !env.REDIS_URL, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function ensureWritableFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InfraError(
      `DATA_DIR ${dir} cannot be used (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): set DATA_DIR to a folder you can write to, e.g. DATA_DIR=./.data`,
    );
  }
}
