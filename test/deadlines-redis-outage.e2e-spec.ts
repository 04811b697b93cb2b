import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DEADLINES_QUEUE, deadlineJobId } from '../src/deadlines/deadline-jobs.js';
import { DeadlinesService } from '../src/deadlines/deadlines.service.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../src/infra/embedded-redis.js';
import { fileDossiers, HAC_THANH, waitFor } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// The shared test Redis serves every test file at once, so this file stops and restarts a Redis of
// its own.
describe('deadlines while Redis is down', () => {
  let t: TestApp;
  let redis: EmbeddedRedis;
  const dir = path.join(process.env.MOTCUA_TEST_DIR!, `redis-outage-${process.pid}`);

  beforeAll(async () => {
    redis = await startEmbeddedRedis({ dir, persistent: false });
    t = await createTestApp({ redisUrl: redis.url, env: { SEED_DEMO: 'true', DEADLINE_RECONCILE_SECONDS: '3600', OUTBOX_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('keeps accepting clock changes with Redis stopped; the jobs appear once Redis is back', async () => {
    const [dossierId] = (await fileDossiers(t, 1)).ids;
    await redis.stop();

    // The change commits with Redis down (were it to wait for Redis, this would not return).
    const c = await t.app
      .get(DataSource)
      .transaction((em) =>
        t.app.get(DeadlinesService).start(em, { dossierId, kind: 'OVERALL', agencyCode: HAC_THANH, limit: { value: 5, unit: 'WORKING_DAYS' } }),
      );
    await new Promise((r) => setTimeout(r, 1500));
    const waiting = await t.db.query(`SELECT sent_at, attempts FROM outbox WHERE payload->>'clockId' = $1`, [c.id]);
    expect(waiting.rows).toEqual([{ sent_at: null, attempts: expect.any(Number) }]);

    const again = await startEmbeddedRedis({ dir, persistent: false });
    expect(again.url).toBe(redis.url); // same port: the app reconnects by itself
    redis = again;
    const queue = t.app.get<Queue>(getQueueToken(DEADLINES_QUEUE));
    await waitFor(async () => (await queue.getJob(deadlineJobId(c.id, 'DUE_SOON', 1))) !== undefined, 'the job added after Redis came back', 40_000);
    await waitFor(
      async () => (await t.db.query(`SELECT sent_at FROM outbox WHERE payload->>'clockId' = $1`, [c.id])).rows[0].sent_at,
      'outbox row marked sent',
      20_000,
    );
    expect(await queue.getJobState(deadlineJobId(c.id, 'DUE_SOON', 1))).toBe('delayed');
  }, 90_000);
});
