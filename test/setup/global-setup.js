// Runs outside Jest's module system, so it loads the compiled service from dist/ (npm test builds
// it first with `tsc`): the same code that `npm start` runs.
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../dist/src/database/data-source.js';
import { startEmbeddedPostgres } from '../../dist/src/infra/embedded-postgres.js';
import { startEmbeddedRedis } from '../../dist/src/infra/embedded-redis.js';
import { InfraError, isAlive, readPid, stopStale } from '../../dist/src/infra/processes.js';

const TEMPLATE_DB = 'motcua_template';

/**
 * Starts one PostgreSQL and one Redis for the whole run, the same way `npm start` does (or uses
 * TEST_DATABASE_URL / TEST_REDIS_URL when given), and migrates a template database that each test
 * file clones into a database of its own (test/support/test-app.ts).
 */
export default async function globalSetup() {
  await removeAbandonedRuns();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-test-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as "postgres", who must reach it
  writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  const stops = [];
  const stopAll = async () => {
    await Promise.allSettled(stops.reverse().map((s) => s()));
  };
  try {
    let serverUrl = process.env.TEST_DATABASE_URL;
    if (!serverUrl) {
      const server = await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), database: 'postgres', fast: true });
      stops.push(server.stop);
      serverUrl = server.url;
    }
    serverUrl = serverUrl.replace(/\/[^/]*$/, '');
    let redisUrl = process.env.TEST_REDIS_URL;
    if (!redisUrl) {
      const redis = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persistent: false });
      stops.push(redis.stop);
      redisUrl = redis.url;
    }
    const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await admin.end();
    await migrate(`${serverUrl}/${TEMPLATE_DB}`);
    process.env.MOTCUA_TEST_PG_SERVER = serverUrl;
    process.env.MOTCUA_TEST_REDIS_URL = redisUrl;
    process.env.MOTCUA_TEST_TEMPLATE_DB = TEMPLATE_DB;
    process.env.MOTCUA_TEST_DIR = dir;
    globalThis.__MOTCUA_STOP__ = stopAll;
  } catch (e) {
    await stopAll();
    if (e instanceof InfraError) {
      process.stderr.write(`\n[test] ${e.message}\n\n`);
      throw new Error('Test infrastructure could not start (see the message above).');
    }
    throw e;
  }
}

/**
 * A test run killed before its teardown (Ctrl-C twice, a CI timeout) leaves its PostgreSQL and
 * Redis running: stop those whose Jest process is gone, and remove their folders.
 */
async function removeAbandonedRuns() {
  for (const name of readdirSync(os.tmpdir()).filter((n) => n.startsWith('motcua-test-'))) {
    const dir = path.join(os.tmpdir(), name);
    const owner = readPid(path.join(dir, 'owner.pid'));
    if (owner === undefined || isAlive(owner)) continue;
    const pg = readPid(path.join(dir, 'postgres', 'pgdata', 'postmaster.pid'));
    const redis = readPid(path.join(dir, 'redis', 'redis.pid'));
    if (pg) await stopStale(pg, 'SIGINT');
    if (redis) await stopStale(redis, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
