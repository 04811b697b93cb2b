import { afterAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import type { AppConfig } from '../src/config/app-config.js';
import { dailyPattern, SCHEDULES_QUEUE, Scheduler, type Tick } from '../src/scheduler/scheduler.js';
import { waitFor } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The one scheduler: periodic passes are BullMQ job schedulers, so two replicas running the same
 * job produce one run per tick (against the run's real Redis), and a process's own periodic jobs
 * are on the board's queue.
 */
describe('the scheduler of periodic jobs', () => {
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it('runs each tick of a job once, whichever of two replicas takes it', async () => {
    const config = { runsWorkers: true, redisUrl: process.env.MOTCUA_TEST_REDIS_URL!, queuePrefix: `{sched-${process.pid}-${Date.now()}}` } as AppConfig;
    const runs: Array<{ replica: number; tick: Tick }> = [];
    const replicas = [1, 2].map((replica) => {
      const s = new Scheduler(config);
      s.register({ name: 'test.tick', everyMs: 300, run: async (tick) => void runs.push({ replica, tick }) });
      s.onApplicationBootstrap();
      stops.push(() => s.onApplicationShutdown());
      return s;
    });
    await waitFor(async () => runs.length >= 6, 'six ticks', 30_000);
    await Promise.all(replicas.map((r) => r.onApplicationShutdown()));
    const ids = runs.map((r) => r.tick.id);
    expect(new Set(ids).size).toBe(ids.length); // no tick ran twice
    // Ticks are 300 ms apart on the schedule, whatever the load made their runs.
    const due = runs.map((r) => r.tick.dueAt.getTime()).sort((a, b) => a - b);
    for (let i = 1; i < due.length; i++) expect(due[i] - due[i - 1]).toBeGreaterThanOrEqual(300);

    // One scheduler in Redis for the job, however many replicas upserted it.
    const queue = new Queue(SCHEDULES_QUEUE, { connection: { url: config.redisUrl }, prefix: config.queuePrefix });
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['test.tick']);
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('refuses a job registered twice or with no schedule, and writes a daily time as a cron pattern', () => {
    const s = new Scheduler({ runsWorkers: false } as AppConfig);
    s.register({ name: 'x', everyMs: 1000, run: async () => undefined });
    expect(() => s.register({ name: 'x', everyMs: 1000, run: async () => undefined })).toThrow('registered twice');
    expect(() => s.register({ name: 'y', run: async () => undefined })).toThrow('exactly one of everyMs and dailyAt');
    expect(() => s.register({ name: 'z', dailyAt: '25:00', run: async () => undefined })).toThrow('HH:MM');
    expect(dailyPattern('01:30')).toBe('30 1 * * *');
  });

  describe('in the service', () => {
    let t: TestApp;
    afterAll(async () => {
      await t?.close();
    });

    it("registers the reconciliation passes of payments and deadlines, the public figures' rollup (and the portal's daily count when the sync is on)", async () => {
      t = await createTestApp();
      expect(t.app.get(Scheduler).registered().sort()).toEqual(['deadlines.reconcile', 'payments.reconcile', 'reports.rollup']);
    });
  });
});
