import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { login } from './support/auth.js';
import { fileDossiers } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * An action holds its dossier's lock, so its transaction's connection, until it commits: a read it
 * made on another pool connection meanwhile (the procedure's version, the attachments' signature
 * reports) waited for a free one. With the pool's 20 connections all held by accepts doing the
 * same, nothing was ever released: the service hung. Every read of an action now rides on its own
 * transaction, so a burst larger than the pool only queues. (Before, this test's 120 accepts hung
 * the service for good: the test timed out and so did the app's closing.)
 */
describe('a burst of actions larger than the database pool', () => {
  let t: TestApp;
  let officer: string;
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true', RATE_LIMIT_PER_MINUTE: '0' } });
    officer = await login(t, 'tiepnhan.hacthanh', 'Demo@2026');
    ids = (await fileDossiers(t, 120)).ids;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('accepts 120 dossiers at once on a pool of 20 connections, every one of them', async () => {
    const pool = (t.app.get(DataSource).driver as unknown as { master: { options: { max: number } } }).master;
    expect(pool.options.max).toBe(20);
    const results = await Promise.all(
      ids.map((id) => t.http().post(`/api/v1/dossiers/${id}/actions/accept`).set('Authorization', `Bearer ${officer}`).send({ expectedVersion: 1 })),
    );
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    const stored = await t.db.query(`SELECT count(*)::int AS n FROM dossiers WHERE id = ANY($1::uuid[]) AND status = 'RECEIVED'`, [ids]);
    expect(stored.rows[0].n).toBe(ids.length);
  }, 120_000);
});
