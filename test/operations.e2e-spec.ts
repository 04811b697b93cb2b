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

  it('shows the queue dashboard to admins only, through a session cookie and never a token in the URL', async () => {
    await t.http().get('/admin/queues').expect(401);
    const citizen = await registerCitizen(t);
    await t.http().post('/api/v1/admin/queues/session').set('Authorization', `Bearer ${citizen.token}`).expect(403);
    const admin = await login(t, ADMIN.username, ADMIN.password);
    // The old way: a token in the query string is not read any more.
    const viaUrl = await t.http().get(`/admin/queues?token=${admin}`).expect(401);
    expect(viaUrl.headers['set-cookie']).toBeUndefined();
    expect(viaUrl.body.message).toContain('POST /api/v1/admin/queues/session');

    const opened = await t.http().post('/api/v1/admin/queues/session').set('Authorization', `Bearer ${admin}`).expect(204);
    const cookie = opened.headers['set-cookie']?.[0] ?? '';
    const attributes = cookie
      .split(/;\s*/)
      .slice(1)
      .map((a) => a.toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/admin/queues', 'max-age=900']));
    const value = cookie.split(';')[0].split('=')[1];
    expect(value).not.toContain(admin.split('.')[2]); // an opaque session, not the access token
    expect(value.split('.')).toHaveLength(3);
    expect(attributes).not.toContain('secure'); // plain http in development
    // Over https (here: a trusted proxy on loopback saying so), the cookie is Secure.
    const overHttps = await t.http().post('/api/v1/admin/queues/session').set('Authorization', `Bearer ${admin}`).set('X-Forwarded-Proto', 'https').expect(204);
    expect(overHttps.headers['set-cookie']?.[0]).toMatch(/;\s*Secure/i);

    const page = await t.http().get('/admin/queues').set('Cookie', `motcua_queues=${value}`).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const listed = await t.http().get('/admin/queues/api/queues').set('Cookie', `motcua_queues=${value}`).expect(200);
    expect(listed.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['deadlines', 'notifications', 'schedules', 'signatures', 'signing']);

    // A forged or altered session is refused; the admin's bearer header still works for scripts.
    const [id, exp, sig] = value.split('.');
    await t
      .http()
      .get('/admin/queues/api/queues')
      .set('Cookie', `motcua_queues=${id}.${Number(exp) + 3600}.${sig}`)
      .expect(401);
    await t.http().get('/admin/queues/api/queues').set('Cookie', `motcua_queues=${admin}`).expect(401);
    await t.http().get('/admin/queues/api/queues').set('Authorization', `Bearer ${admin}`).expect(200);
  });
});
