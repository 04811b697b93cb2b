import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: 'scrape-token-0123456789' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves Prometheus metrics to a scraper holding the metrics token', async () => {
    await t.http().get('/metrics').expect(401);
    await t.http().get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const res = await t.http().get('/metrics').set('Authorization', 'Bearer scrape-token-0123456789').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    for (const name of ['motcua_outbox_backlog', 'motcua_queue_redis_up', 'motcua_process_cpu_user_seconds_total']) expect(res.text).toContain(name);
    expect(res.text).toMatch(/motcua_queue_jobs\{queue="deadlines",state="delayed"\} \d+/);
  });

  it('shows the queue dashboard to admins only', async () => {
    await t.http().get('/admin/queues').expect(401);
    const citizen = await registerCitizen(t);
    await t.http().get(`/admin/queues?token=${citizen.token}`).expect(401);
    const admin = await login(t, ADMIN.username, ADMIN.password);
    const page = await t.http().get(`/admin/queues?token=${admin}`).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const cookie = page.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/motcua_queues=.+HttpOnly/i);
    const listed = await t.http().get('/admin/queues/api/queues').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(listed.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['deadlines', 'notifications', 'signatures', 'signing']);
  });
});
