import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { WebhookAllowances1796693182795 } from '../migrations/1796693182795-WebhookAllowances.js';
import { DeadlineFiring } from '../src/deadlines/deadline-firing.js';
import { DeadlinesService } from '../src/deadlines/deadlines.service.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { fileDossier, HAC_THANH, waitFor } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
import { DnsStandIn } from './support/dns-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { WebhookReceiver, type Received } from './support/webhook-receiver.js';

/** Quick retries and a short attempt timeout, so a test sees several attempts; the retry window stays a day. */
const ENV = { SEED_DEMO: 'true', OUTBOX_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '2000', WEBHOOK_TIMEOUT_MS: '1000' };

describe('webhooks (Standard Webhooks)', () => {
  let t: TestApp;
  let admin: string;
  let key: string;
  let keyId: string;
  let citizen: { idNumber: string; token: string; id: string };
  let fileId: string;
  let adminId: string;
  const receiver = new WebhookReceiver();
  const asKey = (req: ReturnType<ReturnType<TestApp['http']>['get']>) => req.set('X-API-Key', key);
  let endpointId: string;

  const file = async () => (await fileDossier(t, citizen, { fileId }));
  /** The messages about one dossier the receiver got, in arrival order. */
  const about = (code: string) => receiver.received.filter((r) => r.payload.data?.dossierCode === code);
  /** Waits until nothing is queued for the endpoint (so a scripted answer goes to the next message, not a late one). */
  const idle = () => waitFor(async () => (await t.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE target_id = $1 AND status = 'PENDING'`, [endpointId])).rows[0].n === 0, 'an idle queue', 20_000);
  const log = async () => (await asKey(t.http().get(`/api/v1/webhooks/${endpointId}/deliveries?limit=200`)).expect(200)).body as Array<Record<string, any>>;

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp({ env: ENV });
    admin = await login(t, ADMIN.username, ADMIN.password);
    adminId = (await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${admin}`).expect(200)).body.id;
    ({ key, id: keyId } = (await t.http().post('/api/v1/admin/api-keys').set('Authorization', `Bearer ${admin}`)
      .send({ name: 'Hệ thống hộ tịch', scopes: ['webhooks:manage', 'dossiers:read'], agencyCodes: [HAC_THANH] }).expect(201)).body);
    citizen = await registerCitizen(t);
    fileId = await uploadPdf(t, { token: citizen.token });
  });
  afterAll(async () => {
    await t?.close();
    await receiver.close();
  });

  it('refuses a loopback endpoint, also behind a host name (checked after DNS), until an admin allows its scheme://host:port for the key', async () => {
    for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost'), 'http://169.254.169.254/latest', 'http://10.1.2.3/hooks', 'http://[::1]:9/x']) {
      const res = await asKey(t.http().post('/api/v1/webhooks')).send({ url, topics: ['dossier.submitted'] }).expect(422);
      expect(res.body.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
    }
    await asKey(t.http().post('/api/v1/admin/webhook-allowances')).send({ urlPrefix: receiver.origin, ownerKind: 'api-key', ownerId: keyId }).expect(403); // an integrator cannot allow itself
    await t.http().post('/api/v1/admin/webhook-allowances').set('Authorization', `Bearer ${admin}`).send({ urlPrefix: receiver.origin, ownerKind: 'api-key', ownerId: keyId, note: 'test receiver' }).expect(201);

    const res = await asKey(t.http().post('/api/v1/webhooks')).send({ url: receiver.url, topics: ['dossier.submitted', 'dossier.status_changed'] }).expect(201);
    expect(res.body).toMatchObject({ url: receiver.url, status: 'ACTIVE', agencyCodes: [HAC_THANH], ownerKind: 'api-key' });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.secret = res.body.secret;
    endpointId = res.body.id;
    // Shown once: stored sealed, never listed.
    const stored = await t.db.query('SELECT secret_sealed FROM webhook_endpoints WHERE id = $1', [endpointId]);
    expect(stored.rows[0].secret_sealed).not.toContain(res.body.secret.slice(6));
    const listed = (await asKey(t.http().get('/api/v1/webhooks')).expect(200)).body;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(res.body.secret.slice(6));
    // Never beyond the key's agencies.
    const beyond = await asKey(t.http().post('/api/v1/webhooks')).send({ url: receiver.url, topics: ['dossier.submitted'], agencyCodes: ['000.00.00.H56'] }).expect(403);
    expect(beyond.body.code).toBe('WEBHOOK_AGENCY_OUT_OF_SCOPE');
  });

  it('delivers thin, signed messages that the standardwebhooks package verifies', async () => {
    const d = await file();
    const got = await waitFor(async () => (about(d.code).length >= 2 ? about(d.code) : null), 'the filing\'s two messages');
    expect(got.map((r) => r.payload.type).sort()).toEqual(['dossier.status_changed', 'dossier.submitted']);
    for (const r of got) {
      expect(r.verified).toBe(true);
      expect(r.id).toMatch(/^msg_\d+$/);
      expect(r.signatures).toHaveLength(1);
      expect(r.payload.data).toMatchObject({ dossierId: d.id, dossierCode: d.code, status: 'SUBMITTED', statusCode: 1 });
      // Thin: nothing personal.
      for (const personal of [citizen.idNumber, '0912345678', 'Lê Lợi', 'Nguyễn Văn An']) expect(r.body).not.toContain(personal);
    }
    // Someone else's secret does not verify.
    expect(receiver.verifies('whsec_' + Buffer.alloc(32, 7).toString('base64'), got[0].body, { 'webhook-id': got[0].id, 'webhook-timestamp': got[0].timestamp, 'webhook-signature': got[0].signatures.join(' ') })).toBe(false);
  });

  it('retries after a 500 with the same webhook-id, and logs both attempts without secrets', async () => {
    await idle();
    receiver.next({ status: 500 });
    const d = await file();
    const first = await waitFor(async () => about(d.code).find((r) => r.status === 500), 'the failed attempt');
    const again = await waitFor(async () => receiver.of(first.id).find((r) => r.status === 200), 'the retry');
    expect(again.verified).toBe(true);
    const entry = await waitFor(async () => (await log()).find((e) => e.messageId === first.id && e.status !== 'PENDING'), 'the logged outcome');
    expect(entry).toMatchObject({ status: 'SUCCEEDED', attempts: 2, lastHttpStatus: 200 });
    expect(entry.attemptLog.map((a: { outcome: string }) => a.outcome)).toEqual(['RETRY', 'SUCCEEDED']);
    expect(entry.attemptLog[0]).toMatchObject({ response: { status: 500 }, error: 'HTTP 500', request: { method: 'POST', url: receiver.url } });
    expect(entry.attemptLog[0].request.headers['webhook-id']).toBe(first.id);
    expect(JSON.stringify(entry)).not.toContain(receiver.secret.slice(6));
  });

  it('honours Retry-After on a 429, and retries a receiver that does not answer within the timeout', async () => {
    await idle();
    receiver.next({ status: 429, retryAfter: '1' });
    const d = await file();
    const first = await waitFor(async () => about(d.code).find((r) => r.status === 429), 'the 429');
    const again = await waitFor(async () => receiver.of(first.id).find((r) => r.status === 200), 'the retry after Retry-After', 20_000);
    expect(again.at - first.at).toBeGreaterThanOrEqual(1000); // not before the server asked (a schedule, not a speed)

    await idle();
    receiver.next({ delayMs: 3000 });
    const slow = await file();
    const late = await waitFor(async () => about(slow.code)[0], 'the slow attempt');
    await waitFor(async () => receiver.of(late.id).length >= 2, 'the attempt after the timeout', 20_000);
    const entry = await waitFor(async () => (await log()).find((e) => e.messageId === late.id && e.status === 'SUCCEEDED'), 'the logged success');
    expect(entry.attemptLog[0]).toMatchObject({ outcome: 'RETRY', response: null, error: 'no answer within 1000 ms' });
  });

  it('signs with both secrets during a rotation', async () => {
    await idle();
    const old = receiver.secret;
    const rotated = (await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/rotate-secret`)).expect(200)).body;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(old);
    expect(new Date(rotated.previousSecretUntil).getTime()).toBeGreaterThan(Date.now());
    receiver.secret = rotated.secret;
    const d = await file();
    const got = await waitFor(async () => about(d.code)[0], 'a message after the rotation');
    expect(got.signatures).toHaveLength(2);
    const headers = (sig: string) => ({ 'webhook-id': got.id, 'webhook-timestamp': got.timestamp, 'webhook-signature': sig });
    expect(receiver.verifies(rotated.secret, got.body, headers(got.signatures[0]))).toBe(true);
    expect(receiver.verifies(old, got.body, headers(got.signatures[1]))).toBe(true);
    expect(receiver.verifies(old, got.body, headers(got.signatures[0]))).toBe(false);
  });

  it('replays from a cursor: every subscribed event after it, oldest first, with the same ids', async () => {
    await idle();
    const sent = (await log()).filter((e) => e.status === 'SUCCEEDED').map((e) => Number(e.messageId.slice(4))).sort((a, b) => a - b);
    const cursor = sent[1];
    const expected = sent.filter((id) => id > cursor).map((id) => `msg_${id}`);
    const before = receiver.received.length;
    const res = await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/replay?since=${cursor}`)).expect(202);
    expect(res.body).toMatchObject({ replayed: expected.length, lastCursor: String(sent.at(-1)), more: false });
    const replayed = await waitFor(async () => (receiver.received.length - before >= expected.length ? receiver.received.slice(before) : null), 'the replayed messages');
    expect(replayed.map((r) => r.id)).toEqual(expected);
    expect(replayed.every((r: Received) => r.verified)).toBe(true);
    await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/replay?since=yesterday`)).expect(400);
  });

  it('refuses at delivery time a destination no longer allowed, and delivers once it is allowed again', async () => {
    await idle();
    const [allowance] = (await t.http().get(`/api/v1/admin/webhook-allowances?ownerId=${keyId}`).set('Authorization', `Bearer ${admin}`).expect(200)).body;
    expect(allowance).toMatchObject({ urlPrefix: `${receiver.origin}/`, ownerKind: 'api-key', ownerId: keyId, note: 'test receiver' });
    await t.http().delete(`/api/v1/admin/webhook-allowances/${allowance.id}`).set('Authorization', `Bearer ${admin}`).expect(204);
    expect((await t.http().delete(`/api/v1/admin/webhook-allowances/${allowance.id}`).set('Authorization', `Bearer ${admin}`).expect(404)).body.code).toBe('WEBHOOK_ALLOWANCE_NOT_FOUND');
    const before = receiver.received.length;
    const d = await file();
    const refused = await waitFor(async () => (await log()).find((e) => e.payload.data.dossierCode === d.code && e.attempts >= 1), 'a refused attempt');
    expect(refused.status).toBe('PENDING');
    expect(refused.attemptLog[0]).toMatchObject({ outcome: 'RETRY', response: null, error: expect.stringMatching(/destination not allowed/) });
    expect(receiver.received.length).toBe(before);
    await t.http().post('/api/v1/admin/webhook-allowances').set('Authorization', `Bearer ${admin}`).send({ urlPrefix: receiver.origin, ownerKind: 'api-key', ownerId: keyId }).expect(201);
    await waitFor(async () => about(d.code).length >= 2, 'the deliveries once allowed', 20_000);
  });

  it('tells subscribers of the deadline topics when a dossier falls due soon', async () => {
    await idle();
    const changed = (await asKey(t.http().patch(`/api/v1/webhooks/${endpointId}`)).send({ topics: ['dossier.submitted', 'dossier.status_changed', 'dossier.deadline.due_soon'] }).expect(200)).body;
    expect(changed.topics).toContain('dossier.deadline.due_soon');
    const d = await file();
    const clock = await t.app.get(DataSource).transaction((em) => t.app.get(DeadlinesService).start(em, { dossierId: d.id, kind: 'OVERALL', agencyCode: HAC_THANH, limit: { value: 5, unit: 'WORKING_DAYS' } }));
    // The firing a delayed job would run at the warning instant, run now.
    expect(await t.app.get(DeadlineFiring).fire({ clockId: clock.id, version: clock.version, kind: 'DUE_SOON' })).toBe('flagged');
    const warned = await waitFor(async () => about(d.code).find((r) => r.payload.type === 'dossier.deadline.due_soon'), 'the due-soon message');
    expect(warned.verified).toBe(true);
    expect(warned.payload.data).toEqual({ dossierId: d.id, dossierCode: d.code, clockKind: 'OVERALL', stepCode: null, dueAt: clock.dueAt });
  });

  it('stops after a 410: the endpoint is disabled, its owner told, and nothing more is sent until it is enabled', async () => {
    await idle();
    receiver.always = { status: 410 };
    const d = await file();
    await waitFor(async () => (await asKey(t.http().get(`/api/v1/webhooks/${endpointId}`)).expect(200)).body.status === 'DISABLED', 'the endpoint disabled');
    const gone = about(d.code);
    expect(gone).toHaveLength(1); // its sibling message waits behind it: one target, one ordered queue
    const view = (await asKey(t.http().get(`/api/v1/webhooks/${endpointId}`)).expect(200)).body;
    expect(view.disabledReason).toMatch(/410/);
    const notices = (await t.http().get('/api/v1/notifications').set('Authorization', `Bearer ${admin}`).expect(200)).body;
    const items = Array.isArray(notices) ? notices : notices.items;
    expect(items.find((n: { kind: string }) => n.kind === 'WEBHOOK_DISABLED')).toMatchObject({ payload: { endpointId, url: receiver.url } });
    expect((await t.db.query('SELECT id FROM notifications WHERE recipient_id = $1 AND kind = $2', [adminId, 'WEBHOOK_DISABLED'])).rows).toHaveLength(1);

    receiver.always = undefined;
    const count = receiver.received.length;
    const later = await file();
    await waitFor(async () => (await t.db.query(`SELECT 1 FROM integration_events WHERE data->>'dossierCode' = $1`, [later.code])).rows.length === 2, 'the later events recorded');
    const queued = await t.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE target_id = $1 AND payload->'data'->>'dossierCode' = $2`, [endpointId, later.code]);
    expect(queued.rows[0].n).toBe(0);
    expect(receiver.received.length).toBe(count);
    await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/replay?since=0`)).expect(409);

    // Enabled again, the queue goes on from where it stopped (the message 410 refused is not resent).
    await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/enable`)).expect(200);
    await waitFor(async () => about(d.code).length >= 2, 'the waiting sibling delivered');
    expect(about(d.code).filter((r) => r.id === gone[0].id)).toHaveLength(1);
  });

  it('keeps endpoints to their owner, and lists the topics', async () => {
    const other = (await t.http().post('/api/v1/admin/api-keys').set('Authorization', `Bearer ${admin}`).send({ name: 'Hệ thống khác', scopes: ['webhooks:manage'] }).expect(201)).body.key;
    await t.http().get(`/api/v1/webhooks/${endpointId}`).set('X-API-Key', other).expect(404);
    expect((await t.http().get('/api/v1/webhooks').set('X-API-Key', other).expect(200)).body).toEqual([]);
    await t.http().get(`/api/v1/webhooks/${endpointId}`).set('Authorization', `Bearer ${admin}`).expect(200);
    const noScope = (await t.http().post('/api/v1/admin/api-keys').set('Authorization', `Bearer ${admin}`).send({ name: 'Chỉ đọc', scopes: ['dossiers:read'] }).expect(201)).body.key;
    expect((await t.http().get('/api/v1/webhooks').set('X-API-Key', noScope).expect(403)).body.code).toBe('MISSING_SCOPE');
    const topics = (await asKey(t.http().get('/api/v1/webhooks/topics')).expect(200)).body.map((x: { name: string }) => x.name);
    expect(topics).toEqual(expect.arrayContaining(['dossier.submitted', 'dossier.status_changed', 'dossier.deadline.due_soon', 'dossier.deadline.overdue', 'payment.paid', 'result.signed']));
  });
});

describe('webhooks: a message failing for the whole retry window', () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();
  beforeAll(async () => {
    await receiver.start();
    // A retry window of 1.5 s stands for the day: what is checked is what happens when it ends.
    t = await createTestApp({ env: { ...ENV, WEBHOOK_RETRY_WINDOW_MS: '1500' } });
  });
  afterAll(async () => {
    await t?.close();
    await receiver.close();
  });

  it('dead-letters the message, disables the endpoint and tells the admin who registered it', async () => {
    const admin = await login(t, ADMIN.username, ADMIN.password);
    const auth = { Authorization: `Bearer ${admin}` };
    const adminId = (await t.http().get('/api/v1/auth/me').set(auth).expect(200)).body.id;
    // An admin's own endpoint needs an allowance too, for the admin.
    await t.http().post('/api/v1/admin/webhook-allowances').set(auth).send({ urlPrefix: receiver.origin, ownerKind: 'user', ownerId: adminId }).expect(201);
    const endpoint = (await t.http().post('/api/v1/webhooks').set(auth).send({ url: receiver.url, topics: ['dossier.submitted'] }).expect(201)).body;
    receiver.secret = endpoint.secret;
    receiver.always = { status: 503 };
    const citizen = await registerCitizen(t);
    const d = await fileDossier(t, citizen);
    const view = await waitFor(async () => {
      const v = (await t.http().get(`/api/v1/webhooks/${endpoint.id}`).set(auth).expect(200)).body;
      return v.status === 'DISABLED' ? v : null;
    }, 'the endpoint disabled', 30_000);
    expect(view.disabledReason).toMatch(/failed for .* of retries \(last: HTTP 503\)/);
    const [entry] = (await t.http().get(`/api/v1/webhooks/${endpoint.id}/deliveries?status=DEAD`).set(auth).expect(200)).body;
    expect(entry).toMatchObject({ status: 'DEAD', eventType: 'dossier.submitted', payload: { data: { dossierCode: d.code } } });
    expect(entry.attempts).toBeGreaterThanOrEqual(2);
    expect(entry.attemptLog.at(-1).outcome).toBe('DEAD');
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const notices = (await t.http().get('/api/v1/notifications').set(auth).expect(200)).body;
    const items = Array.isArray(notices) ? notices : notices.items;
    expect(items.find((n: { kind: string }) => n.kind === 'WEBHOOK_DISABLED')).toMatchObject({ payload: { endpointId: endpoint.id } });
  });
});

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
    t.http().post('/api/v1/webhooks').set('X-API-Key', keys[k].key).send({ url, topics: ['dossier.submitted', 'dossier.status_changed'] });
  const logOf = async (id: string) => (await t.http().get(`/api/v1/webhooks/${id}/deliveries?limit=200`).set(auth).expect(200)).body as Array<Record<string, any>>;
  const about = (receiver: WebhookReceiver, code: string) => receiver.received.filter((x) => x.payload.data?.dossierCode === code);
  const idle = (id?: string) => waitFor(async () => (await t.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE ($1::varchar IS NULL OR target_id = $1) AND status = 'PENDING'`, [id ?? null])).rows[0].n === 0, 'an idle queue', 20_000);
  /** The first attempt logged for a dossier's message to an endpoint. */
  const firstAttempt = (id: string, code: string) => waitFor(async () => (await logOf(id)).find((e) => e.payload.data.dossierCode === code && e.attempts >= 1), 'an attempt');

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
    await t.http().post('/api/v1/admin/webhook-allowances').set('X-API-Key', keys.a.key).send({ urlPrefix: b.origin, ownerKind: 'api-key', ownerId: keys.a.id }).expect(403);
    const bad = await t.http().post('/api/v1/admin/webhook-allowances').set(auth).send({ urlPrefix: `${b.origin}/?x=1`, ownerKind: 'api-key', ownerId: keys.a.id }).expect(422);
    expect(bad.body).toMatchObject({ code: 'WEBHOOK_ALLOWANCE_INVALID', details: [{ field: 'urlPrefix' }] });
    const nobody = await t.http().post('/api/v1/admin/webhook-allowances').set(auth).send({ urlPrefix: b.origin, ownerKind: 'api-key', ownerId: randomUUID() }).expect(422);
    expect(nobody.body).toMatchObject({ code: 'UNKNOWN_WEBHOOK_OWNER', details: [{ field: 'ownerId' }] });

    const d = await fileDossier(t, citizen);
    await waitFor(async () => about(a, d.code).length >= 2 && about(b, d.code).length >= 2, 'each endpoint delivered');
    expect([...about(a, d.code), ...about(b, d.code)].every((x) => x.verified)).toBe(true);
  });

  it('asks again at every attempt: B\'s endpoint pointed at A\'s allowance behind the API is refused, A\'s own go through', async () => {
    await idle();
    // As a row written while allowances were per host could be.
    await t.db.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [endpoints.b.id, a.url]);
    const d = await fileDossier(t, citizen);
    const attempt = await firstAttempt(endpoints.b.id, d.code);
    expect(attempt).toMatchObject({ status: 'PENDING', attemptLog: [expect.objectContaining({ outcome: 'RETRY', response: null, error: expect.stringMatching(/destination not allowed/) })] });
    await waitFor(async () => about(a, d.code).length >= 2, 'A\'s own messages');
    expect(about(a, d.code).map((x) => x.verified)).toEqual([true, true]); // A's two, under A's secret: nothing of B's
    expect(about(b, d.code)).toHaveLength(0);
    // Back at its own allowance, B's waiting messages go out.
    await t.db.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [endpoints.b.id, b.url]);
    await waitFor(async () => about(b, d.code).length >= 2, 'B\'s messages at its own receiver', 20_000);
  });

  it('sends no dossier event to a key without dossiers:read: refused at subscription, filtered at fan-out and replay', async () => {
    const topics = (await t.http().get('/api/v1/webhooks/topics').set('X-API-Key', keys.m.key).expect(200)).body as Array<{ name: string; requiredScopes: string[] }>;
    expect(topics.find((x) => x.name === 'dossier.submitted')?.requiredScopes).toEqual(['dossiers:read']);
    expect(topics.every((x) => x.requiredScopes.includes('dossiers:read'))).toBe(true); // every topic so far tells of a dossier
    await allow(m.origin, keys.m.id);
    const refused = await t.http().post('/api/v1/webhooks').set('X-API-Key', keys.m.key).send({ url: m.url, topics: ['dossier.submitted', 'payment.paid'] }).expect(403);
    expect(refused.body).toMatchObject({
      code: 'WEBHOOK_TOPIC_OUT_OF_SCOPE',
      details: [{ field: 'topics', message: 'dossier.submitted needs scope dossiers:read' }, { field: 'topics', message: 'payment.paid needs scope dossiers:read' }],
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
    expect((await t.http().post(`/api/v1/webhooks/${endpoints.m.id}/replay?since=0`).set('X-API-Key', keys.m.key).expect(202)).body).toMatchObject({ replayed: 0 });
    expect(m.received).toHaveLength(0);
    // The same endpoint back under a key with dossiers:read: the replay brings it the events (the filter was the scope).
    await t.db.query(`UPDATE webhook_endpoints SET owner_id = $2 WHERE id = $1`, [endpoints.m.id, keys.a.id]);
    expect((await t.http().post(`/api/v1/webhooks/${endpoints.m.id}/replay?since=0`).set('X-API-Key', keys.a.key).expect(202)).body.replayed).toBeGreaterThan(0);
    await waitFor(async () => about(m, d.code).length >= 2, 'the replayed messages');
  });

  it('judges IPv4 carried in IPv6 as that address, written in the URL or answered by DNS, at registration and at delivery', async () => {
    dns.set('compat.test', { AAAA: ['::7f00:1'] });
    dns.set('mapped.test', { AAAA: ['::ffff:7f00:1'] });
    dns.set('mixed.test', { A: ['8.8.8.8'], AAAA: ['::ffff:a00:1'] });
    // A holds an allowance for 127.0.0.1 on a's port: for the plain address as URLs write it, not these forms.
    const refused = [
      `http://[::127.0.0.1]:${a.port}/hooks`, `http://[::7f00:1]:${a.port}/hooks`, `http://[::ffff:127.0.0.1]:${a.port}/hooks`,
      `http://[::ffff:7f00:1]:${a.port}/hooks`, `http://[0:0:0:0:0:ffff:7f00:1]:${a.port}/hooks`, 'http://[::ffff:169.254.169.254]/latest/meta-data',
      'http://[64:ff9b::127.0.0.1]/hooks', 'http://[64:ff9b::a00:1]/hooks', 'http://[2002:7f00:1::1]/hooks',
      `http://compat.test:${a.port}/hooks`, `http://mapped.test:${a.port}/hooks`, `http://mixed.test:${a.port}/hooks`,
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
    const entry = await waitFor(async () => (await logOf(endpoints.a.id)).find((e) => e.messageId === first.id && e.status === 'SUCCEEDED'), 'the retried message', 20_000);
    expect(entry.attemptLog[0].response).toMatchObject({ status: 500, headers: { 'content-type': 'application/json' } });
    const body: string = entry.attemptLog[0].response.body;
    expect(body).toHaveLength(4096);
    expect(body.startsWith('start\ufffdxxx')).toBe(true);
  });

  it('migrated each host allowed for everyone to the scheme://host:port its owners\' endpoints used, for them only', async () => {
    await idle();
    const runner = t.app.get(DataSource).createQueryRunner();
    const migration = new WebhookAllowances1796693182795();
    try {
      await migration.down(runner); // the table as it was: hosts, for every owner
      expect((await runner.query(`SELECT host FROM webhook_allowed_hosts ORDER BY host`)).map((x: { host: string }) => x.host)).toEqual(['127.0.0.1', 'rebind.test']);
      await runner.query(`INSERT INTO webhook_allowed_hosts (host, note) VALUES ('unused.tinh.gov.vn', 'no endpoint uses it')`);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const rows = (await t.db.query(`SELECT owner_id, url_prefix FROM webhook_allowed_hosts`)).rows.map((x) => `${x.owner_id} ${x.url_prefix}`).sort();
    expect(rows).toEqual([
      `${keys.a.id} ${a.origin}/`, `${keys.a.id} ${m.origin}/`, `${keys.a.id} http://rebind.test:${r.port}/`, `${keys.b.id} ${b.origin}/`,
    ].sort());
    // And delivery goes on under them.
    const d = await fileDossier(t, citizen);
    await waitFor(async () => [a, b, m, r].every((x) => about(x, d.code).length >= 2), 'every endpoint delivered');
  });
});
