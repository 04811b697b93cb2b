import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource, type EntityManager } from 'typeorm';
import { vn } from '../src/calendar/calendar-fixtures.js';
import { ManualClock } from '../src/common/clock.js';
import { AppError } from '../src/common/errors.js';
import { DeadlineFiring } from '../src/deadlines/deadline-firing.js';
import { DeadlineMetricsService } from '../src/deadlines/deadline-metrics.js';
import { deadlineJobId, DEADLINES_QUEUE, nextFiring, type DeadlineJobData } from '../src/deadlines/deadline-jobs.js';
import { DeadlineScheduler } from '../src/deadlines/deadline-scheduler.js';
import { DeadlineWorkers } from '../src/deadlines/deadline-workers.js';
import { DeadlinesService, type ClockView } from '../src/deadlines/deadlines.service.js';
import { DueDateCalculator, type TimeLimit } from '../src/deadlines/due-date-calculator.js';
import { firstBrokenLink } from '../src/dossier-record/event-chain.js';
import { fileDossiers, HAC_THANH, waitFor } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Time: the app runs on a ManualClock, from Tue 8/12/2026 07:55 in Vietnam, set forward by the
// tests: never the wall clock, so nothing here depends on the hour the suite runs at. Job delays
// are computed from it, so a clock due in 5 days is a job delayed by 5 real days; a test advances
// the ManualClock past an instant and runs reconciliation, which promotes the jobs whose instant
// has passed by the app's clock. The real BullMQ worker then fires them. Expected instants come
// from the bound DueDateCalculator, or are written out where the rule is the point.
describe('deadlines: clocks, jobs, firing, reconciliation', () => {
  let t: TestApp;
  let clock: ManualClock;
  let svc: DeadlinesService;
  let calendar: DueDateCalculator;
  let scheduler: DeadlineScheduler;
  let workers: DeadlineWorkers;
  let firing: DeadlineFiring;
  let queue: Queue;
  let dossiers: string[];
  let assignee: string;
  const FIVE_DAYS: TimeLimit = { value: 5, unit: 'WORKING_DAYS' };
  const iso = (local: string) => vn(local).toISOString();

  const tx = <T>(fn: (em: EntityManager) => Promise<T>) => t.app.get(DataSource).transaction(fn);
  const nextDossier = () => dossiers.shift()!;
  const startOverall = (dossierId: string, limit = FIVE_DAYS) => tx((em) => svc.start(em, { dossierId, kind: 'OVERALL', agencyCode: HAC_THANH, limit }));
  const clockRow = async (id: string) => (await t.db.query(`SELECT * FROM dossier_clocks WHERE id = $1`, [id])).rows[0];
  const events = async (dossierId: string) =>
    (
      await t.db.query(`SELECT dossier_id, seq, type, actor_kind, actor_id, at, data, prev_hash, hash FROM dossier_events WHERE dossier_id = $1 ORDER BY seq`, [
        dossierId,
      ])
    ).rows;
  const eventTypes = async (dossierId: string) => (await events(dossierId)).map((e) => e.type);
  const chainIntact = async (dossierId: string) =>
    firstBrokenLink(
      (await events(dossierId)).map((e) => ({
        dossierId: e.dossier_id,
        seq: e.seq,
        type: e.type,
        actorKind: e.actor_kind,
        actorId: e.actor_id,
        at: new Date(e.at),
        data: e.data,
        prevHash: e.prev_hash,
        hash: e.hash,
      })),
    ) === null;
  const jobState = async (id: string) => ((await queue.getJob(id)) ? queue.getJobState(id) : 'missing');
  const ids = (c: ClockView) => ({ soon: deadlineJobId(c.id, 'DUE_SOON', c.version), due: deadlineJobId(c.id, 'OVERDUE', c.version) });
  // The deadline engine's own notices (status notices to the applicant are another capability's).
  const notices = async (dossierId: string) =>
    (
      await t.db.query(`SELECT recipient_kind, recipient_id, kind FROM notifications WHERE dossier_id = $1 AND kind LIKE 'DEADLINE\\_%' ORDER BY id`, [
        dossierId,
      ])
    ).rows;

  beforeAll(async () => {
    clock = new ManualClock(vn('2026-12-08 07:55'));
    // Reconciliation reads pages of two clocks, three at once: every pass here spans several pages and lanes.
    t = await createTestApp({
      clock,
      env: { SEED_DEMO: 'true', DEADLINE_RECONCILE_SECONDS: '3600', OUTBOX_POLL_MS: '20', DEADLINE_RECONCILE_BATCH: '2', DEADLINE_RECONCILE_LANES: '3' },
    });
    svc = t.app.get(DeadlinesService);
    calendar = t.app.get(DueDateCalculator);
    scheduler = t.app.get(DeadlineScheduler);
    workers = t.app.get(DeadlineWorkers);
    firing = t.app.get(DeadlineFiring);
    queue = t.app.get<Queue>(getQueueToken(DEADLINES_QUEUE));
    const filed = await fileDossiers(t, 20);
    dossiers = filed.ids;
    assignee = filed.citizenId;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('starts a clock: due instants from the calendar, a chained event, an outbox intent, then its warning job', async () => {
    const dossierId = nextDossier();
    const startedAt = clock.now();
    const c = await startOverall(dossierId);
    const expected = await calendar.dueDate(HAC_THANH, startedAt, FIVE_DAYS);
    const soon = await calendar.dueSoonAt(HAC_THANH, expected.clockStartsAt, expected.dueAt);
    expect(c).toMatchObject({
      kind: 'OVERALL',
      state: 'RUNNING',
      status: 'ON_TRACK',
      version: 1,
      extended: false,
      clockStartsAt: expected.clockStartsAt.toISOString(),
      dueAt: expected.dueAt.toISOString(),
      dueSoonAt: soon.toISOString(),
    });
    const [, started] = await events(dossierId);
    expect(started).toMatchObject({
      seq: 2,
      type: 'DEADLINE_STARTED',
      actor_kind: 'system',
      data: { clockId: c.id, oldDueAt: null, newDueAt: c.dueAt, newDueSoonAt: c.dueSoonAt, version: 1 },
    });
    expect(await chainIntact(dossierId)).toBe(true);
    const outbox = await t.db.query(`SELECT payload FROM outbox WHERE topic = 'deadline.schedule' AND payload->>'clockId' = $1`, [c.id]);
    expect(outbox.rows).toEqual([{ payload: { clockId: c.id, dossierId, version: 1, cancel: [], firings: [{ kind: 'DUE_SOON', at: c.dueSoonAt }] } }]);
    // One delayed job at a time: the warning; the overdue job is scheduled when the warning fires.
    await waitFor(async () => (await jobState(ids(c).soon)) === 'delayed', 'the warning job');
    expect(await jobState(ids(c).due)).toBe('missing');
    const job = await queue.getJob(ids(c).soon);
    expect(job!.data).toEqual({ clockId: c.id, version: 1, kind: 'DUE_SOON' } satisfies DeadlineJobData);
    // The delay is counted from the app's clock to the warning instant.
    expect(Math.abs(job!.opts.delay! - (Date.parse(c.dueSoonAt) - clock.now().getTime()))).toBeLessThan(5000);
    await waitFor(
      async () => (await t.db.query(`SELECT sent_at FROM outbox WHERE payload->>'clockId' = $1`, [c.id])).rows[0].sent_at,
      'outbox row marked sent',
    );
    expect((await svc.deadlineOf([dossierId])).get(dossierId)).toEqual({
      dueAt: c.dueAt,
      dueSoonAt: c.dueSoonAt,
      state: 'RUNNING',
      status: 'ON_TRACK',
      stepCode: null,
      stepDueAt: null,
      stepState: null,
      stepStatus: null,
    });
  });

  it('warns when the step is due soon and flags it overdue when due: events and notices for the assignee and the one-stop', async () => {
    const dossierId = nextDossier();
    const limit: TimeLimit = { value: 2, unit: 'WORKING_DAYS' };
    const c = await tx((em) => svc.start(em, { dossierId, kind: 'STEP', stepCode: 'THAM_DINH', assigneeUserId: assignee, agencyCode: HAC_THANH, limit }));
    await waitFor(async () => (await jobState(ids(c).soon)) === 'delayed', 'due-soon job');

    clock.set(c.dueSoonAt);
    await workers.reconcileNow();
    await waitFor(async () => (await clockRow(c.id)).status === 'DUE_SOON', 'DUE_SOON flag');
    expect(await eventTypes(dossierId)).toEqual(['SUBMITTED', 'DEADLINE_STARTED', 'DEADLINE_DUE_SOON']);
    expect(await notices(dossierId)).toEqual([
      { recipient_kind: 'agency', recipient_id: HAC_THANH, kind: 'DEADLINE_DUE_SOON' },
      { recipient_kind: 'user', recipient_id: assignee, kind: 'DEADLINE_DUE_SOON' },
    ]);
    // The warning scheduled the overdue job of the same schedule version.
    await waitFor(async () => (await jobState(ids(c).due)) === 'delayed', 'the overdue job');

    clock.set(c.dueAt);
    await workers.reconcileNow();
    const row = await waitFor(async () => {
      const r = await clockRow(c.id);
      return r.status === 'OVERDUE' && r;
    }, 'OVERDUE flag');
    expect(new Date(row.overdue_flagged_at).toISOString()).toBe(c.dueAt);
    expect(await eventTypes(dossierId)).toEqual(['SUBMITTED', 'DEADLINE_STARTED', 'DEADLINE_DUE_SOON', 'DEADLINE_OVERDUE']);
    expect((await notices(dossierId)).map((n) => n.kind)).toEqual(['DEADLINE_DUE_SOON', 'DEADLINE_DUE_SOON', 'DEADLINE_OVERDUE', 'DEADLINE_OVERDUE']);
    expect(await chainIntact(dossierId)).toBe(true);
    expect((await svc.deadlineOf([dossierId])).get(dossierId)).toMatchObject({
      dueAt: null,
      stepCode: 'THAM_DINH',
      stepDueAt: c.dueAt,
      stepState: 'RUNNING',
      stepStatus: 'OVERDUE',
    });
  });

  it('restarts from zero when a supplement arrives: new due instants, old jobs removed, a stale firing ignored', async () => {
    const dossierId = nextDossier();
    const c1 = await startOverall(dossierId);
    await waitFor(async () => (await jobState(ids(c1).soon)) === 'delayed', 'v1 job');
    clock.advance(2 * 86_400_000);
    const restartedAt = clock.now();
    const c2 = await tx((em) => svc.restart(em, { dossierId, reason: 'Đã nhận đủ hồ sơ bổ sung / supplement received' }));
    const expected = await calendar.dueDate(HAC_THANH, restartedAt, FIVE_DAYS);
    expect(c2).toMatchObject({ id: c1.id, version: 2, state: 'RUNNING', status: 'ON_TRACK', dueAt: expected.dueAt.toISOString() });
    const last = (await events(dossierId)).at(-1);
    expect(last).toMatchObject({
      type: 'DEADLINE_RESTARTED',
      data: { reason: 'Đã nhận đủ hồ sơ bổ sung / supplement received', oldDueAt: c1.dueAt, newDueAt: c2.dueAt, version: 2 },
    });
    await waitFor(async () => (await jobState(ids(c2).soon)) === 'delayed' && (await jobState(ids(c1).soon)) === 'missing', 'the v2 job replaces v1');
    expect(await firing.fire({ clockId: c1.id, version: 1, kind: 'OVERDUE' })).toBe('stale');
    expect((await clockRow(c1.id)).status).toBe('ON_TRACK');
  });

  it('pauses while waiting for payment and resumes: the working days the pause took are given back', async () => {
    // Tue 15/12/2026 07:55 in Vietnam: 5 working days are due Tue 22/12 17:00, warned Mon 21/12 17:00.
    clock.set(vn('2026-12-15 07:55'));
    const dossierId = nextDossier();
    const c = await startOverall(dossierId);
    expect(c).toMatchObject({ clockStartsAt: iso('2026-12-15 07:55'), dueAt: iso('2026-12-22 17:00'), dueSoonAt: iso('2026-12-21 17:00') });
    clock.set(vn('2026-12-16 07:55'));
    const paused = await tx((em) => svc.pause(em, { dossierId, reason: 'Chờ nộp phí / waiting for payment' }));
    expect(paused).toMatchObject({ state: 'PAUSED', version: 2, dueAt: c.dueAt });
    const row = await clockRow(c.id);
    expect(Number(row.consumed_ms)).toBe(8 * 3_600_000); // one working day, Tue 07:55 to Wed 07:55
    await waitFor(async () => (await jobState(ids(c).soon)) === 'missing', 'job removed while paused');
    await expect(tx((em) => svc.pause(em, { dossierId, reason: 'again' }))).rejects.toMatchObject({ status: 409, code: 'CLOCK_NOT_RUNNING' });

    // Paid on Saturday 19/12: the resume counts on Monday 21, so Wed 16, Thu 17 and Fri 18 are given back.
    clock.set(vn('2026-12-19 07:55'));
    const resumed = await tx((em) => svc.resume(em, { dossierId, reason: 'Đã nộp phí / paid' }));
    expect(resumed).toMatchObject({ state: 'RUNNING', version: 3, dueAt: iso('2026-12-25 17:00'), dueSoonAt: iso('2026-12-24 17:00') });
    expect((await clockRow(c.id)).running_since).toEqual(vn('2026-12-19 07:55'));
    expect((await events(dossierId)).at(-1)).toMatchObject({
      type: 'DEADLINE_RESUMED',
      data: { oldDueAt: c.dueAt, newDueAt: resumed.dueAt, oldDueSoonAt: c.dueSoonAt, newDueSoonAt: resumed.dueSoonAt },
    });
    expect((await eventTypes(dossierId)).slice(-3)).toEqual(['DEADLINE_STARTED', 'DEADLINE_PAUSED', 'DEADLINE_RESUMED']);
    await waitFor(async () => (await jobState(ids(resumed).soon)) === 'delayed', 'the job of the resumed schedule');
    await expect(tx((em) => svc.resume(em, { dossierId, reason: 'again' }))).rejects.toMatchObject({ status: 409, code: 'CLOCK_NOT_PAUSED' });
  });

  it('moves nothing for a pause of seconds before the close, and gives back the next day for one that ends after it', async () => {
    // Started Tue 22/12/2026 10:00: 1 working day, due Wed 23/12 17:00.
    clock.set(vn('2026-12-22 10:00'));
    const dossierId = nextDossier();
    const c = await startOverall(dossierId, { value: 1, unit: 'WORKING_DAYS' });
    expect(c.dueAt).toBe(iso('2026-12-23 17:00'));
    clock.set(vn('2026-12-22 16:59:20'));
    await tx((em) => svc.pause(em, { dossierId, reason: 'Chờ bổ sung / waiting for a supplement' }));
    clock.set(vn('2026-12-22 16:59:40'));
    expect(await tx((em) => svc.resume(em, { dossierId, reason: 'supplemented' }))).toMatchObject({ dueAt: c.dueAt, dueSoonAt: c.dueSoonAt });
    clock.set(vn('2026-12-22 16:59:50'));
    await tx((em) => svc.pause(em, { dossierId, reason: 'Chờ bổ sung / waiting for a supplement' }));
    clock.set(vn('2026-12-22 17:00:10'));
    expect(await tx((em) => svc.resume(em, { dossierId, reason: 'supplemented after hours' }))).toMatchObject({ dueAt: iso('2026-12-24 17:00') });
  });

  it('allows one re-appointment: a second extension is refused with 422 and writes nothing', async () => {
    const dossierId = nextDossier();
    const c = await startOverall(dossierId);
    const later = new Date(Date.parse(c.dueAt) + 3 * 86_400_000);
    await expect(tx((em) => svc.extend(em, { dossierId, newDueAt: new Date(c.dueAt), reason: 'same day' }))).rejects.toMatchObject({
      status: 422,
      code: 'EXTENSION_NOT_LATER',
    });
    const extended = await tx((em) => svc.extend(em, { dossierId, newDueAt: later, reason: 'Cần xác minh thực địa / field check needed' }));
    expect(extended).toMatchObject({
      extended: true,
      dueAt: later.toISOString(),
      version: 2,
      dueSoonAt: (await calendar.dueSoonAt(HAC_THANH, new Date(c.clockStartsAt), later)).toISOString(),
    });
    const before = (await events(dossierId)).length;
    const refused = await tx((em) => svc.extend(em, { dossierId, newDueAt: new Date(later.getTime() + 86_400_000), reason: 'again' })).catch((e) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 422, code: 'EXTENSION_ALREADY_USED' });
    expect((await events(dossierId)).length).toBe(before);
    expect(await clockRow(c.id)).toMatchObject({ version: 2, extension_reason: 'Cần xác minh thực địa / field check needed' });
  });

  it('rebuilds every job after the queue keys vanish from Redis, and flags at once a clock that fell due meanwhile', async () => {
    const short = await startOverall(nextDossier(), { value: 1, unit: 'WORKING_HOURS' });
    const long = await startOverall(nextDossier(), { value: 30, unit: 'CALENDAR_DAYS' });
    await waitFor(async () => (await jobState(ids(short).soon)) === 'delayed' && (await jobState(ids(long).soon)) === 'delayed', 'jobs before the loss');

    const redis = new Redis(t.config.redisUrl);
    const keys = await redis.keys(`${t.config.queuePrefix}:${DEADLINES_QUEUE}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    redis.disconnect();
    expect(await jobState(ids(long).soon)).toBe('missing');

    clock.set(new Date(Date.parse(short.dueAt) + 1000));
    const running = (await t.db.query(`SELECT id, version, state, status, due_soon_at, due_at FROM dossier_clocks WHERE state = 'RUNNING'`)).rows;
    const expected = running.flatMap((r) => {
      const f = nextFiring({ state: r.state, status: r.status, dueSoonAt: r.due_soon_at, dueAt: r.due_at });
      return f ? [deadlineJobId(r.id, f.kind, r.version)] : [];
    });
    const report = await scheduler.reconcile();
    expect(report.clocks).toBe(running.length);
    expect(report.restored).toBe(expected.length);
    const after = await Promise.all(expected.map(async (id) => [id, (await queue.getJob(id)) ? 'present' : 'missing']));
    // (the short clock's jobs were made ready and may already be processed and removed)
    expect(after.filter(([id, state]) => state === 'missing' && !id.includes(short.id))).toEqual([]);
    expect(await jobState(ids(long).soon)).toBe('delayed');
    await waitFor(async () => (await clockRow(short.id)).status === 'OVERDUE', 'the clock that fell due is flagged');
    // Nothing is missing any more: a second pass restores nothing.
    expect((await scheduler.reconcile()).restored).toBe(0);
  });

  it('gives every running clock exactly its one job with its delay after a loss, with two passes and the relay at work at once; paused and stopped clocks none', async () => {
    const paused = await startOverall(nextDossier());
    await tx((em) => svc.pause(em, { dossierId: paused.dossierId, reason: 'Chờ bổ sung / waiting for a supplement' }));
    for (let i = 0; i < 5; i++) await startOverall(nextDossier());
    const stopped = await startOverall(nextDossier());
    await tx((em) => svc.stop(em, { dossierId: stopped.dossierId, reason: 'Rút hồ sơ / withdrawn' }));
    await waitFor(
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'deadline.schedule' AND sent_at IS NULL`)).rows[0].n === 0,
      'the relay is idle',
    );

    const redis = new Redis(t.config.redisUrl);
    const queueKey = `${t.config.queuePrefix}:${DEADLINES_QUEUE}:`;
    await redis.del(...(await redis.keys(`${queueKey}*`)));
    // Two passes at once, while the relay schedules a clock started meanwhile.
    const [, , meanwhile] = await Promise.all([scheduler.reconcile(), scheduler.reconcile(), startOverall(nextDossier())]);
    await waitFor(async () => (await jobState(ids(meanwhile).soon)) === 'delayed', 'the job of the clock started meanwhile');

    const jobIds = (await redis.keys(`${queueKey}deadline.*`)).map((k) => k.slice(queueKey.length)).filter((id) => !id.includes(':'));
    redis.disconnect();
    const clocks = (await t.db.query(`SELECT id, version, state, status, due_soon_at, due_at FROM dossier_clocks`)).rows;
    const now = clock.now().getTime();
    const wanted = clocks.flatMap((r) => {
      const f = nextFiring({ state: r.state, status: r.status, dueSoonAt: r.due_soon_at, dueAt: r.due_at });
      return f ? [{ clockId: r.id as string, id: deadlineJobId(r.id, f.kind, r.version), delay: f.at.getTime() - now }] : [];
    });
    // More pages (of two) than lanes (three): lanes took several pages each.
    expect(clocks.filter((r) => r.state === 'RUNNING').length).toBeGreaterThan(2 * 3 * 2);
    expect(wanted.length).toBeGreaterThan(2 * 3);
    expect(wanted.every((w) => w.delay > 0)).toBe(true);
    // One job per running clock that waits for a firing, none for the others (paused, stopped, overdue).
    expect(jobIds.sort()).toEqual(wanted.map((w) => w.id).sort());
    expect(jobIds.some((id) => id.includes(paused.id) || id.includes(stopped.id))).toBe(false);
    for (const w of wanted) {
      const job = await queue.getJob(w.id);
      expect([w.id, await job!.getState()]).toEqual([w.id, 'delayed']);
      expect(Math.abs(job!.opts.delay! - w.delay)).toBeLessThan(5000);
      expect(job!.data).toEqual({ clockId: w.clockId, version: Number(w.id.split('.v')[1]), kind: w.id.includes('.soon.') ? 'DUE_SOON' : 'OVERDUE' });
    }
    expect((await scheduler.reconcile()).restored).toBe(0);
  });

  it('never flags twice: concurrent handlings of one firing, and the same job added twice', async () => {
    const dossierId = nextDossier();
    const c = await startOverall(dossierId);
    await waitFor(async () => (await jobState(ids(c).soon)) === 'delayed', 'job');
    clock.set(new Date(Date.parse(c.dueAt) + 1));
    const job: DeadlineJobData = { clockId: c.id, version: c.version, kind: 'OVERDUE' };
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => firing.fire(job)));
    expect(outcomes.filter((o) => o === 'flagged')).toHaveLength(1);
    expect((await eventTypes(dossierId)).filter((e) => e === 'DEADLINE_OVERDUE')).toHaveLength(1);
    expect((await notices(dossierId)).filter((n) => n.kind === 'DEADLINE_OVERDUE')).toHaveLength(1);
    // The queued warning fires late (a worker elsewhere) and finds the clock already past it.
    // Reconciliation would not promote it (the clock needs no more firing): promoted by hand.
    await (await queue.getJob(ids(c).soon))!.promote();
    await waitFor(async () => (await jobState(ids(c).soon)) === 'missing', 'job processed and removed');
    expect((await eventTypes(dossierId)).filter((e) => e.startsWith('DEADLINE_') && e !== 'DEADLINE_STARTED')).toEqual(['DEADLINE_OVERDUE']);
    // BullMQ keeps one job per id: the relay re-adding after a crash creates nothing.
    const again = deadlineJobId(c.id, 'DUE_SOON', 99);
    await queue.add('DUE_SOON', job, { jobId: again, delay: 3_600_000 });
    await queue.add('DUE_SOON', job, { jobId: again, delay: 3_600_000 });
    expect((await queue.getDelayed()).filter((j) => j.id === again)).toHaveLength(1);
  });

  it('re-projects the running clocks of an agency after a calendar change', async () => {
    const dossierId = nextDossier();
    const c = await startOverall(dossierId);
    // The stand-in calendar never changes; simulate a change by moving the stored start back a day.
    await t.db.query(`UPDATE dossier_clocks SET started_at = started_at - interval '1 day' WHERE id = $1`, [c.id]);
    const changed = await svc.reprojectAgency(HAC_THANH, 'holiday calendar 2027 published');
    expect(changed).toBe(1);
    const row = await clockRow(c.id);
    const expected = await calendar.dueDate(HAC_THANH, new Date(row.started_at), FIVE_DAYS);
    expect(new Date(row.due_at).toISOString()).toBe(expected.dueAt.toISOString());
    expect(row.version).toBe(2);
    expect((await events(dossierId)).at(-1)).toMatchObject({
      type: 'DEADLINE_REPROJECTED',
      data: { reason: 'holiday calendar 2027 published', oldDueAt: c.dueAt, newDueAt: expected.dueAt.toISOString() },
    });
    await waitFor(async () => (await jobState(deadlineJobId(c.id, 'DUE_SOON', 2))) === 'delayed', 'rescheduled job');
    expect(await svc.reprojectAgency(HAC_THANH, 'nothing changed')).toBe(0);
  });

  it('computes the operator metrics: running clocks per agency and status, queue depth, firing lag', async () => {
    const c = await startOverall(nextDossier());
    await waitFor(async () => (await jobState(ids(c).soon)) === 'delayed', 'job');
    clock.set(new Date(Date.parse(c.dueAt) + 5000));
    expect(await firing.fire({ clockId: c.id, version: c.version, kind: 'OVERDUE' })).toBe('flagged');
    const m = await t.app.get(DeadlineMetricsService).collect();
    const overdueHere = (
      await t.db.query(`SELECT count(*)::int AS n FROM dossier_clocks WHERE state = 'RUNNING' AND status = 'OVERDUE' AND agency_code = $1`, [HAC_THANH])
    ).rows[0].n;
    expect(m.runningClocks).toContainEqual({ agencyCode: HAC_THANH, status: 'OVERDUE', count: overdueHere });
    expect(m.lag.overdue.count).toBeGreaterThanOrEqual(1);
    expect(m.lag.overdue.max).toBeGreaterThanOrEqual(5);
    expect(m.queue!.delayed).toBeGreaterThan(0);
    expect(m.outboxBacklog).toBeGreaterThanOrEqual(0);
  });

  it('leaves the due date alone when a clock is paused and resumed before it started counting (after the 15:00 cut-off)', async () => {
    // Thursday 14 January 2027, 15:30 in Vietnam: received after the cut-off, the clock starts on
    // Friday morning; a supplement requested and delivered the same afternoon changes nothing.
    clock.set('2027-01-14T08:30:00Z');
    const dossierId = nextDossier();
    const c = await startOverall(dossierId);
    expect(Date.parse(c.clockStartsAt)).toBeGreaterThan(Date.parse('2027-01-14T17:00:00+07:00'));
    await tx((em) => svc.pause(em, { dossierId, reason: 'supplement requested' }));
    clock.advance(20 * 60_000);
    const resumed = await tx((em) => svc.resume(em, { dossierId, reason: 'supplemented' }));
    expect({ dueAt: resumed.dueAt, dueSoonAt: resumed.dueSoonAt }).toEqual({ dueAt: c.dueAt, dueSoonAt: c.dueSoonAt });
  });
});
