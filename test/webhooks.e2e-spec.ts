import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { DeadlineFiring } from '../src/deadlines/deadline-firing.js';
import { DeadlinesService } from '../src/deadlines/deadlines.service.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { fileDossier, HAC_THANH, waitFor } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
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

  const file = async () => await fileDossier(t, citizen, { fileId });
  /** The messages about one dossier the receiver got, in arrival order. */
  const about = (code: string) => receiver.received.filter((r) => r.payload.data?.dossierCode === code);
  /** Waits until nothing is queued for the endpoint (so a scripted answer goes to the next message, not a late one). */
  const idle = () =>
    waitFor(
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE target_id = $1 AND status = 'PENDING'`, [endpointId])).rows[0].n === 0,
      'an idle queue',
      20_000,
    );
  const log = async () => (await asKey(t.http().get(`/api/v1/webhooks/${endpointId}/deliveries?limit=200`)).expect(200)).body as Array<Record<string, any>>;

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp({ env: ENV });
    admin = await login(t, ADMIN.username, ADMIN.password);
    adminId = (await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${admin}`).expect(200)).body.id;
    ({ key, id: keyId } = (
      await t
        .http()
        .post('/api/v1/admin/api-keys')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'Hệ thống hộ tịch', scopes: ['webhooks:manage', 'dossiers:read'], agencyCodes: [HAC_THANH] })
        .expect(201)
    ).body);
    citizen = await registerCitizen(t);
    fileId = await uploadPdf(t, { token: citizen.token });
  });
  afterAll(async () => {
    await t?.close();
    await receiver.close();
  });

  it('refuses a loopback endpoint, also behind a host name (checked after DNS), until an admin allows its scheme://host:port for the key', async () => {
    for (const url of [
      receiver.url,
      receiver.url.replace('127.0.0.1', 'localhost'),
      'http://169.254.169.254/latest',
      'http://10.1.2.3/hooks',
      'http://[::1]:9/x',
    ]) {
      const res = await asKey(t.http().post('/api/v1/webhooks'))
        .send({ url, topics: ['dossier.submitted'] })
        .expect(422);
      expect(res.body.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
    }
    await asKey(t.http().post('/api/v1/admin/webhook-allowances')).send({ urlPrefix: receiver.origin, ownerKind: 'api-key', ownerId: keyId }).expect(403); // an integrator cannot allow itself
    await t
      .http()
      .post('/api/v1/admin/webhook-allowances')
      .set('Authorization', `Bearer ${admin}`)
      .send({ urlPrefix: receiver.origin, ownerKind: 'api-key', ownerId: keyId, note: 'test receiver' })
      .expect(201);

    const res = await asKey(t.http().post('/api/v1/webhooks'))
      .send({ url: receiver.url, topics: ['dossier.submitted', 'dossier.status_changed'] })
      .expect(201);
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
    const beyond = await asKey(t.http().post('/api/v1/webhooks'))
      .send({ url: receiver.url, topics: ['dossier.submitted'], agencyCodes: ['000.00.00.H56'] })
      .expect(403);
    expect(beyond.body.code).toBe('WEBHOOK_AGENCY_OUT_OF_SCOPE');
  });

  it('delivers thin, signed messages that the standardwebhooks package verifies', async () => {
    const d = await file();
    const got = await waitFor(async () => (about(d.code).length >= 2 ? about(d.code) : null), "the filing's two messages");
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
    expect(
      receiver.verifies('whsec_' + Buffer.alloc(32, 7).toString('base64'), got[0].body, {
        'webhook-id': got[0].id,
        'webhook-timestamp': got[0].timestamp,
        'webhook-signature': got[0].signatures.join(' '),
      }),
    ).toBe(false);
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
    const sent = (await log())
      .filter((e) => e.status === 'SUCCEEDED')
      .map((e) => Number(e.messageId.slice(4)))
      .sort((a, b) => a - b);
    const cursor = sent[1];
    const expected = sent.filter((id) => id > cursor).map((id) => `msg_${id}`);
    const before = receiver.received.length;
    const res = await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/replay?since=${cursor}`)).expect(202);
    expect(res.body).toMatchObject({ replayed: expected.length, lastCursor: String(sent.at(-1)), more: false });
    const replayed = await waitFor(
      async () => (receiver.received.length - before >= expected.length ? receiver.received.slice(before) : null),
      'the replayed messages',
    );
    expect(replayed.map((r) => r.id)).toEqual(expected);
    expect(replayed.every((r: Received) => r.verified)).toBe(true);
    await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/replay?since=yesterday`)).expect(400);
  });

  it('refuses at delivery time a destination no longer allowed, and delivers once it is allowed again', async () => {
    await idle();
    const [allowance] = (await t.http().get(`/api/v1/admin/webhook-allowances?ownerId=${keyId}`).set('Authorization', `Bearer ${admin}`).expect(200)).body;
    expect(allowance).toMatchObject({ urlPrefix: `${receiver.origin}/`, ownerKind: 'api-key', ownerId: keyId, note: 'test receiver' });
    await t.http().delete(`/api/v1/admin/webhook-allowances/${allowance.id}`).set('Authorization', `Bearer ${admin}`).expect(204);
    expect((await t.http().delete(`/api/v1/admin/webhook-allowances/${allowance.id}`).set('Authorization', `Bearer ${admin}`).expect(404)).body.code).toBe(
      'WEBHOOK_ALLOWANCE_NOT_FOUND',
    );
    const before = receiver.received.length;
    const d = await file();
    const refused = await waitFor(async () => (await log()).find((e) => e.payload.data.dossierCode === d.code && e.attempts >= 1), 'a refused attempt');
    expect(refused.status).toBe('PENDING');
    expect(refused.attemptLog[0]).toMatchObject({ outcome: 'RETRY', response: null, error: expect.stringMatching(/destination not allowed/) });
    expect(receiver.received.length).toBe(before);
    await t
      .http()
      .post('/api/v1/admin/webhook-allowances')
      .set('Authorization', `Bearer ${admin}`)
      .send({ urlPrefix: receiver.origin, ownerKind: 'api-key', ownerId: keyId })
      .expect(201);
    await waitFor(async () => about(d.code).length >= 2, 'the deliveries once allowed', 20_000);
  });

  it('tells subscribers of the deadline topics when a dossier falls due soon', async () => {
    await idle();
    const changed = (
      await asKey(t.http().patch(`/api/v1/webhooks/${endpointId}`))
        .send({ topics: ['dossier.submitted', 'dossier.status_changed', 'dossier.deadline.due_soon'] })
        .expect(200)
    ).body;
    expect(changed.topics).toContain('dossier.deadline.due_soon');
    const d = await file();
    const clock = await t.app
      .get(DataSource)
      .transaction((em) =>
        t.app.get(DeadlinesService).start(em, { dossierId: d.id, kind: 'OVERALL', agencyCode: HAC_THANH, limit: { value: 5, unit: 'WORKING_DAYS' } }),
      );
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
    await waitFor(
      async () => (await t.db.query(`SELECT 1 FROM integration_events WHERE data->>'dossierCode' = $1`, [later.code])).rows.length === 2,
      'the later events recorded',
    );
    const queued = await t.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE target_id = $1 AND payload->'data'->>'dossierCode' = $2`, [
      endpointId,
      later.code,
    ]);
    expect(queued.rows[0].n).toBe(0);
    expect(receiver.received.length).toBe(count);
    await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/replay?since=0`)).expect(409);

    // Enabled again, the queue goes on from where it stopped (the message 410 refused is not resent).
    await asKey(t.http().post(`/api/v1/webhooks/${endpointId}/enable`)).expect(200);
    await waitFor(async () => about(d.code).length >= 2, 'the waiting sibling delivered');
    expect(about(d.code).filter((r) => r.id === gone[0].id)).toHaveLength(1);
  });

  it('keeps endpoints to their owner, and lists the topics', async () => {
    const other = (
      await t
        .http()
        .post('/api/v1/admin/api-keys')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'Hệ thống khác', scopes: ['webhooks:manage'] })
        .expect(201)
    ).body.key;
    await t.http().get(`/api/v1/webhooks/${endpointId}`).set('X-API-Key', other).expect(404);
    expect((await t.http().get('/api/v1/webhooks').set('X-API-Key', other).expect(200)).body).toEqual([]);
    await t.http().get(`/api/v1/webhooks/${endpointId}`).set('Authorization', `Bearer ${admin}`).expect(200);
    const noScope = (
      await t
        .http()
        .post('/api/v1/admin/api-keys')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'Chỉ đọc', scopes: ['dossiers:read'] })
        .expect(201)
    ).body.key;
    expect((await t.http().get('/api/v1/webhooks').set('X-API-Key', noScope).expect(403)).body.code).toBe('MISSING_SCOPE');
    const topics = (await asKey(t.http().get('/api/v1/webhooks/topics')).expect(200)).body.map((x: { name: string }) => x.name);
    expect(topics).toEqual(
      expect.arrayContaining([
        'dossier.submitted',
        'dossier.status_changed',
        'dossier.deadline.due_soon',
        'dossier.deadline.overdue',
        'payment.paid',
        'result.signed',
      ]),
    );
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
    const endpoint = (
      await t
        .http()
        .post('/api/v1/webhooks')
        .set(auth)
        .send({ url: receiver.url, topics: ['dossier.submitted'] })
        .expect(201)
    ).body;
    receiver.secret = endpoint.secret;
    receiver.always = { status: 503 };
    const citizen = await registerCitizen(t);
    const d = await fileDossier(t, citizen);
    const view = await waitFor(
      async () => {
        const v = (await t.http().get(`/api/v1/webhooks/${endpoint.id}`).set(auth).expect(200)).body;
        return v.status === 'DISABLED' ? v : null;
      },
      'the endpoint disabled',
      30_000,
    );
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
