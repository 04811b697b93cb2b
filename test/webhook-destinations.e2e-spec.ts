import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { WebhookAllowances1796693182795 } from '../migrations/1796693182795-WebhookAllowances.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { DnsStandIn } from './support/dns-server.js';
import { fileDossier, waitFor } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/**
 * Who a webhook may reach (issue 20 item 7): private destinations only under an allowance of the
 * endpoint's owner for that scheme://host:port, dossier events only for keys that may read
 * dossiers, IPv4 inside IPv6 judged as IPv4. Endpoint names resolve through a DNS stand-in the
 * test scripts (WEBHOOK_DNS_SERVERS), as a rebinding attacker's server would answer.
 */
const ENV = { SEED_DEMO: 'true', OUTBOX_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '2000', WEBHOOK_TIMEOUT_MS: '1000' };

describe('webhooks: who may reach what', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let adminId: string;
  let citizen: { idNumber: string; token: string; id: string };
  const dns = new DnsStandIn();
  // A's, B's and M's receivers, and one behind a name DNS answers for: each on its own port of 127.0.0.1.
  const a = new WebhookReceiver();
  const b = new WebhookReceiver();
  const m = new WebhookReceiver();
  const r = new WebhookReceiver();
  const keys = {} as Record<'a' | 'b' | 'm', { id: string; key: string }>;
  const endpoints = {} as Record<'a' | 'b' | 'm' | 'r', { id: string; secret: string }>;

  const allow = (urlPrefix: string, ownerId: string) =>
    t.http().post('/api/v1/admin/webhook-allowances').set(auth).send({ urlPrefix, ownerKind: 'api-key', ownerId }).expect(201);
  const register = (k: keyof typeof keys, url: string) =>
    t
      .http()
      .post('/api/v1/webhooks')
      .set('X-API-Key', keys[k].key)
      .send({ url, topics: ['dossier.submitted', 'dossier.status_changed'] });
  const logOf = async (id: string) =>
    (await t.http().get(`/api/v1/webhooks/${id}/deliveries?limit=200`).set(auth).expect(200)).body as Array<Record<string, any>>;
  const about = (receiver: WebhookReceiver, code: string) => receiver.received.filter((x) => x.payload.data?.dossierCode === code);
  const idle = (id?: string) =>
    waitFor(
      async () =>
        (await t.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE ($1::varchar IS NULL OR target_id = $1) AND status = 'PENDING'`, [id ?? null]))
          .rows[0].n === 0,
      'an idle queue',
      20_000,
    );
  /** The first attempt logged for a dossier's message to an endpoint. */
  const firstAttempt = (id: string, code: string) =>
    waitFor(async () => (await logOf(id)).find((e) => e.payload.data.dossierCode === code && e.attempts >= 1), 'an attempt');

  beforeAll(async () => {
    await dns.start();
    for (const receiver of [a, b, m, r]) await receiver.start();
    t = await createTestApp({ env: { ...ENV, WEBHOOK_DNS_SERVERS: dns.address } });
    auth = { Authorization: `Bearer ${await login(t, ADMIN.username, ADMIN.password)}` };
    adminId = (await t.http().get('/api/v1/auth/me').set(auth).expect(200)).body.id;
    const issue = async (name: string, scopes: string[]) => (await t.http().post('/api/v1/admin/api-keys').set(auth).send({ name, scopes }).expect(201)).body;
    keys.a = await issue('Hệ thống A', ['webhooks:manage', 'dossiers:read']);
    keys.b = await issue('Hệ thống B', ['webhooks:manage', 'dossiers:read']);
    keys.m = await issue('Chỉ quản lý webhook', ['webhooks:manage']);
    citizen = await registerCitizen(t);
    dns.set('receiver.test', { A: ['127.0.0.1'] });
  });
  afterAll(async () => {
    await t?.close();
    for (const receiver of [a, b, m, r]) await receiver.close();
    await dns.close();
  });

  it('lets one owner reach one scheme://host:port: not another owner, not another port, scheme or name of the host', async () => {
    const given = (await allow(a.origin, keys.a.id)).body;
    expect(given).toMatchObject({ urlPrefix: `${a.origin}/`, ownerKind: 'api-key', ownerId: keys.a.id, createdBy: adminId });
    const refused: Array<[keyof typeof keys, string]> = [
      ['b', a.url], // B, to the very URL A is allowed
      ['b', b.url], // B, to another port of the host
      ['a', b.url], // A, to another port
      ['a', a.url.replace('http:', 'https:')],
      ['a', `http://receiver.test:${a.port}/hooks`], // a name for the address: the allowance names the address
    ];
    for (const [k, url] of refused) {
      const res = await register(k, url);
      expect({ k, url, status: res.status, code: res.body.code }).toEqual({ k, url, status: 422, code: 'WEBHOOK_URL_NOT_ALLOWED' });
    }
    endpoints.a = (await register('a', `${a.url}?tenant=1`).expect(201)).body;
    a.secret = endpoints.a.secret;
    await allow(b.origin, keys.b.id);
    endpoints.b = (await register('b', b.url).expect(201)).body;
    b.secret = endpoints.b.secret;
    // B cannot move its endpoint onto A's allowance, nor can an admin for it: judged for the endpoint's owner.
    for (const as of [{ 'X-API-Key': keys.b.key }, auth]) {
      expect((await t.http().patch(`/api/v1/webhooks/${endpoints.b.id}`).set(as).send({ url: a.url }).expect(422)).body.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
    }
    expect((await t.http().get(`/api/v1/webhooks/${endpoints.b.id}`).set('X-API-Key', keys.b.key).expect(200)).body.url).toBe(b.url);
    // What an allowance can be, and for whom.
    await t
      .http()
      .post('/api/v1/admin/webhook-allowances')
      .set('X-API-Key', keys.a.key)
      .send({ urlPrefix: b.origin, ownerKind: 'api-key', ownerId: keys.a.id })
      .expect(403);
    const bad = await t
      .http()
      .post('/api/v1/admin/webhook-allowances')
      .set(auth)
      .send({ urlPrefix: `${b.origin}/?x=1`, ownerKind: 'api-key', ownerId: keys.a.id })
      .expect(422);
    expect(bad.body).toMatchObject({ code: 'WEBHOOK_ALLOWANCE_INVALID', details: [{ field: 'urlPrefix' }] });
    const nobody = await t
      .http()
      .post('/api/v1/admin/webhook-allowances')
      .set(auth)
      .send({ urlPrefix: b.origin, ownerKind: 'api-key', ownerId: randomUUID() })
      .expect(422);
    expect(nobody.body).toMatchObject({ code: 'UNKNOWN_WEBHOOK_OWNER', details: [{ field: 'ownerId' }] });

    const d = await fileDossier(t, citizen);
    await waitFor(async () => about(a, d.code).length >= 2 && about(b, d.code).length >= 2, 'each endpoint delivered');
    expect([...about(a, d.code), ...about(b, d.code)].every((x) => x.verified)).toBe(true);
  });

  it("asks again at every attempt: B's endpoint pointed at A's allowance behind the API is refused, A's own go through", async () => {
    await idle();
    // As a row written while allowances were per host could be.
    await t.db.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [endpoints.b.id, a.url]);
    const d = await fileDossier(t, citizen);
    const attempt = await firstAttempt(endpoints.b.id, d.code);
    expect(attempt).toMatchObject({
      status: 'PENDING',
      attemptLog: [expect.objectContaining({ outcome: 'RETRY', response: null, error: expect.stringMatching(/destination not allowed/) })],
    });
    await waitFor(async () => about(a, d.code).length >= 2, "A's own messages");
    expect(about(a, d.code).map((x) => x.verified)).toEqual([true, true]); // A's two, under A's secret: nothing of B's
    expect(about(b, d.code)).toHaveLength(0);
    // Back at its own allowance, B's waiting messages go out.
    await t.db.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [endpoints.b.id, b.url]);
    await waitFor(async () => about(b, d.code).length >= 2, "B's messages at its own receiver", 20_000);
  });

  it('sends no dossier event to a key without dossiers:read: refused at subscription, filtered at fan-out and replay', async () => {
    const topics = (await t.http().get('/api/v1/webhooks/topics').set('X-API-Key', keys.m.key).expect(200)).body as Array<{
      name: string;
      requiredScopes: string[];
    }>;
    expect(topics.find((x) => x.name === 'dossier.submitted')?.requiredScopes).toEqual(['dossiers:read']);
    expect(topics.every((x) => x.requiredScopes.includes('dossiers:read'))).toBe(true); // every topic so far tells of a dossier
    await allow(m.origin, keys.m.id);
    const refused = await t
      .http()
      .post('/api/v1/webhooks')
      .set('X-API-Key', keys.m.key)
      .send({ url: m.url, topics: ['dossier.submitted', 'payment.paid'] })
      .expect(403);
    expect(refused.body).toMatchObject({
      code: 'WEBHOOK_TOPIC_OUT_OF_SCOPE',
      details: [
        { field: 'topics', message: 'dossier.submitted needs scope dossiers:read' },
        { field: 'topics', message: 'payment.paid needs scope dossiers:read' },
      ],
    });
    // An endpoint it holds with those topics all the same (registered by a key that may read dossiers, then
    // given to it behind the API, as one registered before topics were checked could be).
    await allow(m.origin, keys.a.id);
    endpoints.m = (await register('a', m.url).expect(201)).body;
    m.secret = endpoints.m.secret;
    await t.db.query(`UPDATE webhook_endpoints SET owner_id = $2 WHERE id = $1`, [endpoints.m.id, keys.m.id]);
    expect((await t.http().get('/api/v1/webhooks').set('X-API-Key', keys.m.key).expect(200)).body.map((w: { id: string }) => w.id)).toEqual([endpoints.m.id]);

    const d = await fileDossier(t, citizen);
    await waitFor(async () => about(a, d.code).length >= 2, 'the endpoint of the key with dossiers:read delivered'); // fanned out in the same transaction
    expect((await t.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE target_id = $1`, [endpoints.m.id])).rows[0].n).toBe(0);
    expect((await t.http().post(`/api/v1/webhooks/${endpoints.m.id}/replay?since=0`).set('X-API-Key', keys.m.key).expect(202)).body).toMatchObject({
      replayed: 0,
    });
    expect(m.received).toHaveLength(0);
    // The same endpoint back under a key with dossiers:read: the replay brings it the events (the filter was the scope).
    await t.db.query(`UPDATE webhook_endpoints SET owner_id = $2 WHERE id = $1`, [endpoints.m.id, keys.a.id]);
    expect((await t.http().post(`/api/v1/webhooks/${endpoints.m.id}/replay?since=0`).set('X-API-Key', keys.a.key).expect(202)).body.replayed).toBeGreaterThan(
      0,
    );
    await waitFor(async () => about(m, d.code).length >= 2, 'the replayed messages');
  });

  it('judges IPv4 carried in IPv6 as that address, written in the URL or answered by DNS, at registration and at delivery', async () => {
    dns.set('compat.test', { AAAA: ['::7f00:1'] });
    dns.set('mapped.test', { AAAA: ['::ffff:7f00:1'] });
    dns.set('mixed.test', { A: ['8.8.8.8'], AAAA: ['::ffff:a00:1'] });
    // A holds an allowance for 127.0.0.1 on a's port: for the plain address as URLs write it, not these forms.
    const refused = [
      `http://[::127.0.0.1]:${a.port}/hooks`,
      `http://[::7f00:1]:${a.port}/hooks`,
      `http://[::ffff:127.0.0.1]:${a.port}/hooks`,
      `http://[::ffff:7f00:1]:${a.port}/hooks`,
      `http://[0:0:0:0:0:ffff:7f00:1]:${a.port}/hooks`,
      'http://[::ffff:169.254.169.254]/latest/meta-data',
      'http://[64:ff9b::127.0.0.1]/hooks',
      'http://[64:ff9b::a00:1]/hooks',
      'http://[2002:7f00:1::1]/hooks',
      `http://compat.test:${a.port}/hooks`,
      `http://mapped.test:${a.port}/hooks`,
      `http://mixed.test:${a.port}/hooks`,
    ];
    for (const url of refused) {
      const res = await register('a', url);
      expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 422, code: 'WEBHOOK_URL_NOT_ALLOWED' });
    }

    // Public when registered, then loopback in an IPv4-mapped (and an IPv4-compatible) DNS answer at delivery.
    dns.set('rebind.test', { A: ['8.8.8.8'] });
    dns.set('rebind-compat.test', { A: ['8.8.8.8'] });
    endpoints.r = (await register('a', `http://rebind.test:${r.port}/hooks`).expect(201)).body;
    r.secret = endpoints.r.secret;
    const compat = (await register('a', `http://rebind-compat.test:${r.port}/hooks`).expect(201)).body;
    dns.set('rebind.test', { AAAA: ['::ffff:7f00:1'] });
    dns.set('rebind-compat.test', { AAAA: ['::7f00:1'] });
    const d = await fileDossier(t, citizen);
    for (const id of [endpoints.r.id, compat.id]) {
      const attempt = await firstAttempt(id, d.code);
      expect(attempt.attemptLog[0]).toMatchObject({ outcome: 'RETRY', response: null, error: expect.stringMatching(/destination not allowed/) });
    }
    expect(r.received).toHaveLength(0);
    expect(dns.asked).toContainEqual({ name: 'rebind.test', type: 28 });
    await t.http().delete(`/api/v1/webhooks/${compat.id}`).set('X-API-Key', keys.a.key).expect(204);
    // The mapped answer does lead to the receiver: once allowed for A, the waiting messages reach it through ::ffff:127.0.0.1.
    await allow(`http://rebind.test:${r.port}`, keys.a.id);
    await waitFor(async () => about(r, d.code).length >= 2, 'the messages once allowed', 20_000);
    expect(about(r, d.code).every((x) => x.verified)).toBe(true);
  });

  it('keeps what the delivery log shows of an answer bounded (4 KiB) and storable (a NUL byte)', async () => {
    await idle(endpoints.a.id);
    a.next({ status: 500, body: `start\u0000${'x'.repeat(100_000)}` });
    const d = await fileDossier(t, citizen);
    const first = await waitFor(async () => about(a, d.code).find((x) => x.status === 500), 'the failed attempt');
    const entry = await waitFor(
      async () => (await logOf(endpoints.a.id)).find((e) => e.messageId === first.id && e.status === 'SUCCEEDED'),
      'the retried message',
      20_000,
    );
    expect(entry.attemptLog[0].response).toMatchObject({ status: 500, headers: { 'content-type': 'application/json' } });
    const body: string = entry.attemptLog[0].response.body;
    expect(body).toHaveLength(4096);
    expect(body.startsWith('start\ufffdxxx')).toBe(true);
  });

  it("migrated each host allowed for everyone to the scheme://host:port its owners' endpoints used, for them only", async () => {
    await idle();
    const runner = t.app.get(DataSource).createQueryRunner();
    const migration = new WebhookAllowances1796693182795();
    try {
      await migration.down(runner); // the table as it was: hosts, for every owner
      expect((await runner.query(`SELECT host FROM webhook_allowed_hosts ORDER BY host`)).map((x: { host: string }) => x.host)).toEqual([
        '127.0.0.1',
        'rebind.test',
      ]);
      await runner.query(`INSERT INTO webhook_allowed_hosts (host, note) VALUES ('unused.tinh.gov.vn', 'no endpoint uses it')`);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const rows = (await t.db.query(`SELECT owner_id, url_prefix FROM webhook_allowed_hosts`)).rows.map((x) => `${x.owner_id} ${x.url_prefix}`).sort();
    expect(rows).toEqual(
      [`${keys.a.id} ${a.origin}/`, `${keys.a.id} ${m.origin}/`, `${keys.a.id} http://rebind.test:${r.port}/`, `${keys.b.id} ${b.origin}/`].sort(),
    );
    // And delivery goes on under them.
    const d = await fileDossier(t, citizen);
    await waitFor(async () => [a, b, m, r].every((x) => about(x, d.code).length >= 2), 'every endpoint delivered');
  });
});
