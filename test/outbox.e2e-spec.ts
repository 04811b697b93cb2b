import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { vietnamDate } from '../src/common/clock.js';
import { SCHEDULE_TOPIC } from '../src/deadlines/deadline-jobs.js';
import { enqueue, Outbox, outboxTopic } from '../src/outbox/outbox.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { fileDossier, waitFor } from './support/dossiers.js';
import { createTestApp, createTestConfig, type TestApp } from './support/test-app.js';

describe('the outbox owns its topics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('handles every topic the code declares, and refuses a second handler for one', () => {
    const outbox = t.app.get(Outbox);
    expect(outbox.handledTopics().sort()).toEqual([
      'calendar.changed',
      'deadline.schedule',
      'dossier.status-changed',
      'dossier.updated',
      'integration.event',
      'payment.cancelled',
      'payment.expired',
      'payment.failed',
      'payment.flagged',
      'payment.paid',
      'payment.refund-requested',
      'payment.refunded',
      'payment.requested',
      'signatures.verify',
      'signing.start',
    ]);
    expect(() => outbox.handleWithDelivery(SCHEDULE_TOPIC, { deliver: async () => undefined })).toThrow('outbox topic "deadline.schedule" has two handlers');
  });

  it('writes a message enqueued with a key once per topic and key', async () => {
    // A topic of this test only, not declared (so no relay takes its rows and no start-up checks it).
    const topic = { name: 'test.keyed' } as ReturnType<typeof outboxTopic<{ n: number }>>;
    const db = t.app.get(DataSource);
    for (let n = 1; n <= 3; n++) await db.transaction((em) => enqueue(em, topic, { n }, { key: 'only-once' }));
    const rows = await t.db.query(`SELECT payload FROM outbox WHERE dedupe_key = 'only-once'`);
    expect(rows.rows.map((r) => r.payload)).toEqual([{ n: 1 }]);
  });
});

describe('a calendar change outlives the process that made it', () => {
  it('re-projects the running clocks when another process starts, though the first never handled the change', async () => {
    // The admin's change is answered by an API-only process, which then goes away: nothing in it
    // ran the re-projection (before, an in-process listener did, and was lost with the process).
    const api = await createTestApp({ env: { SEED_DEMO: 'true', APP_ROLE: 'api' } });
    const databaseUrl = api.config.databaseUrl;
    let dossierId: string;
    let before: Date;
    let day: string;
    try {
      const citizen = await registerCitizen(api);
      const d = await fileDossier(api, citizen, { procedureCode: '1.001193' });
      dossierId = d.id;
      const officer = await login(api, 'tiepnhan.hacthanh', 'Demo@2026');
      const accepted = (
        await api.http().post(`/api/v1/dossiers/${d.id}/actions/accept`).set('Authorization', `Bearer ${officer}`).send({ expectedVersion: 1 }).expect(200)
      ).body;
      before = new Date(accepted.deadline.dueAt);
      day = vietnamDate(before);
      const admin = await login(api, ADMIN.username, ADMIN.password);
      await api
        .http()
        .put(`/api/v1/calendar/days/${day}`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ type: 'HOLIDAY', name: 'Nghỉ đột xuất (thử nghiệm)', agencyCode: '000.00.00.H56' })
        .expect(200);
      const pending = await api.db.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'calendar.changed' AND sent_at IS NULL`);
      expect(pending.rows[0].n).toBe(1);
    } finally {
      await api.close();
    }

    const worker = await createTestApp({ databaseUrl, env: { SEED_DEMO: 'true', OUTBOX_POLL_MS: '50' } });
    try {
      const after = await waitFor(async () => {
        const [clock] = (await worker.db.query(`SELECT due_at FROM dossier_clocks WHERE dossier_id = $1 AND kind = 'OVERALL'`, [dossierId])).rows;
        return new Date(clock.due_at).getTime() !== before.getTime() ? new Date(clock.due_at) : null;
      }, 'the due date to move');
      expect(after.getTime()).toBeGreaterThan(before.getTime());
      expect(vietnamDate(after)).not.toBe(day);
      const events = await worker.db.query(`SELECT data FROM dossier_events WHERE dossier_id = $1 AND type = 'DEADLINE_REPROJECTED'`, [dossierId]);
      expect(events.rows).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });
});

// Last in the file: once declared, the topic stays declared for every later start in this file.
describe('start-up with a topic nobody handles', () => {
  it('fails, naming the topic', async () => {
    outboxTopic<{ x: number }>('test.orphan-topic');
    const { config } = await createTestConfig();
    const app = await createApp(config);
    try {
      await expect(app.init()).rejects.toThrow('outbox topic(s) without a handler: test.orphan-topic');
    } finally {
      await app.close();
    }
  });
});
