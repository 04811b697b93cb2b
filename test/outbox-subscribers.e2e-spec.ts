import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { enqueue, Outbox, type outboxTopic } from '../src/outbox/outbox.js';
import { OutboxRelay, type OutboxRow } from '../src/outbox/outbox-relay.js';
import { STATUS_CHANGED_TOPIC } from '../src/dossier-record/dossier-status.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Each subscriber of a topic keeps its own progress: one that fails holds back neither the
 * topic's handler nor the other subscribers, and each sees every row once with the row's own id.
 * Driven pass by pass on a topic of this test only (no running relay takes its rows).
 */
describe('outbox subscribers progress apart', () => {
  let t: TestApp;
  let relay: OutboxRelay;
  const topic = { name: 'test.fanout' } as ReturnType<typeof outboxTopic<{ n: number }>>;
  const subscribers = ['test.fanout@a', 'test.fanout@b'];

  beforeAll(async () => {
    t = await createTestApp();
    relay = t.app.get(OutboxRelay);
  });
  afterAll(async () => {
    await t?.close();
  });

  const collect = () => {
    const seen: OutboxRow<{ n: number }>[] = [];
    return { seen, deliver: async (rows: OutboxRow[]) => void seen.push(...(rows as OutboxRow<{ n: number }>[])) };
  };
  const failing = async () => {
    throw new Error('subscriber a is down');
  };

  it('lets the handler and one subscriber go on while the other fails, then delivers the waiting rows to it', async () => {
    const db = t.app.get(DataSource);
    await db.transaction((em) => enqueue(em, topic, [{ n: 1 }, { n: 2 }, { n: 3 }]));
    const original = (await t.db.query(`SELECT id FROM outbox WHERE topic = $1 ORDER BY id`, [topic.name])).rows.map((r) => String(r.id));
    expect(original).toHaveLength(3);

    // The handler's pass fails once (Redis down, say): the copies are made anyway, and only once;
    // the outbox itself keeps only the intents the change wrote.
    await expect(relay.relayOnce(topic.name, failing, 500, 10_000, subscribers)).rejects.toThrow('subscriber a is down');
    const handler = collect();
    expect(await relay.relayOnce(topic.name, handler.deliver, 500, 10_000, subscribers)).toBe(3);
    expect(handler.seen.map((r) => r.payload.n)).toEqual([1, 2, 3]);
    const copies = await t.db.query(`SELECT topic, count(*)::int AS n FROM outbox_fanout WHERE topic = ANY($1::varchar[]) GROUP BY topic ORDER BY topic`, [
      subscribers,
    ]);
    expect(copies.rows).toEqual([
      { topic: 'test.fanout@a', n: 3 },
      { topic: 'test.fanout@b', n: 3 },
    ]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE topic LIKE 'test.fanout%'`)).rows[0].n).toBe(3);

    // Subscriber a fails; b still gets every row, with the original rows' ids.
    await expect(relay.relayCopies('test.fanout@a', failing)).rejects.toThrow('subscriber a is down');
    const b = collect();
    expect(await relay.relayCopies('test.fanout@b', b.deliver)).toBe(3);
    expect(b.seen.map((r) => r.id)).toEqual(original);
    expect(await relay.backlog('test.fanout@b')).toBe(0);
    expect(await relay.backlog('test.fanout@a')).toBe(3);

    // a comes back: its rows were waiting, in order, with the same ids; nothing is delivered twice.
    const a = collect();
    expect(await relay.relayCopies('test.fanout@a', a.deliver)).toBe(3);
    expect(a.seen.map((r) => r.id)).toEqual(original);
    expect(a.seen.map((r) => r.payload.n)).toEqual([1, 2, 3]);
    expect(await relay.relayCopies('test.fanout@a', a.deliver)).toBe(0);
    expect(await relay.relayOnce(topic.name, handler.deliver, 500, 10_000, subscribers)).toBe(0);
  });

  it('registers the real subscribers of the status topic under names of their own, and refuses a second one of a name', () => {
    const outbox = t.app.get(Outbox);
    expect(outbox.subscriberTopics(STATUS_CHANGED_TOPIC.name)).toEqual(
      expect.arrayContaining(['dossier.status-changed@webhooks', 'dossier.status-changed@reports']),
    );
    expect(() => outbox.observe(STATUS_CHANGED_TOPIC, 'webhooks', async () => undefined)).toThrow('two subscribers named "webhooks"');
  });
});
