import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock } from '../src/common/clock.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('integrator API keys', () => {
  let t: TestApp;
  let admin: string;
  const clock = new ManualClock(new Date('2026-03-02T03:00:00Z'));
  const create = (body: Record<string, unknown>) => t.http().post('/api/v1/admin/api-keys').set('Authorization', `Bearer ${admin}`).send(body);
  const me = (key: string) => t.http().get('/api/v1/auth/me').set('X-API-Key', key);

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await login(t, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('issues a key shown once, stores only its hash, and lets the integrator call the API with it', async () => {
    const res = await create({ name: 'Cổng DVC quốc gia', scopes: ['dossiers:read', 'dossiers:write'] }).expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: 'Cổng DVC quốc gia',
      scopes: ['dossiers:read', 'dossiers:write'],
      agencyCodes: [],
      revokedAt: null,
      lastUsedAt: null,
    });
    const key: string = res.body.key;
    expect(key).toMatch(new RegExp(`^mck_${res.body.id}_[A-Za-z0-9_-]{43}$`));

    const stored = await t.db.query('SELECT * FROM api_keys WHERE id = $1', [res.body.id]);
    expect(JSON.stringify(stored.rows[0])).not.toContain(key.slice(-43));
    expect(stored.rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);

    const list = await t.http().get('/api/v1/admin/api-keys').set('Authorization', `Bearer ${admin}`).expect(200);
    const listed = list.body.find((k: { id: string }) => k.id === res.body.id);
    expect(listed).toMatchObject({ name: 'Cổng DVC quốc gia', scopes: ['dossiers:read', 'dossiers:write'] });
    expect(JSON.stringify(list.body)).not.toContain(key.slice(-43));
    expect(listed.key).toBeUndefined();
    expect(listed.secretHash).toBeUndefined();

    const caller = await me(key).expect(200);
    expect(caller.body).toMatchObject({
      kind: 'api-key',
      id: res.body.id,
      username: 'Cổng DVC quốc gia',
      role: 'INTEGRATOR',
      scopes: ['dossiers:read', 'dossiers:write'],
      agencyCodes: [],
    });
  });

  it('answers 401 to a wrong, malformed or unknown key', async () => {
    const { body } = await create({ name: 'Hệ thống hộ tịch', scopes: ['dossiers:read'] }).expect(201);
    const key: string = body.key;
    const wrongSecret = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const bad of [wrongSecret, 'mck_nonsense', key.replace(body.id, '00000000-0000-4000-8000-000000000000'), '']) {
      const res = await me(bad).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('revokes a key at once; revoking again is harmless, an unknown id is 404', async () => {
    const { body } = await create({ name: 'Hệ thống cư trú', scopes: ['dossiers:read'] }).expect(201);
    await me(body.key).expect(200);
    await t.http().delete(`/api/v1/admin/api-keys/${body.id}`).set('Authorization', `Bearer ${admin}`).expect(204);
    const after = await me(body.key).expect(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
    await t.http().delete(`/api/v1/admin/api-keys/${body.id}`).set('Authorization', `Bearer ${admin}`).expect(204);
    const list = await t.http().get('/api/v1/admin/api-keys').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(list.body.find((k: { id: string }) => k.id === body.id).revokedAt).toEqual(expect.any(String));

    const unknown = await t.http().delete('/api/v1/admin/api-keys/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${admin}`).expect(404);
    expect(unknown.body.code).toBe('API_KEY_NOT_FOUND');
    const malformed = await t.http().delete('/api/v1/admin/api-keys/not-a-uuid').set('Authorization', `Bearer ${admin}`).expect(400);
    expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'id' }] });
  });

  it('refuses unknown or missing scopes and unknown agencies, naming the field', async () => {
    const unknownScope = await create({ name: 'Hệ thống X', scopes: ['dossiers:read', 'dossiers:delete'] }).expect(400);
    expect(unknownScope.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'scopes', message: expect.stringContaining('catalog:write') })],
    });
    const none = await create({ name: 'Hệ thống Y', scopes: [] }).expect(400);
    expect(none.body.details).toEqual([expect.objectContaining({ field: 'scopes' })]);
    const agency = await create({ name: 'Hệ thống Z', scopes: ['dossiers:read'], agencyCodes: ['000.00.00.Z99'] }).expect(422);
    expect(agency.body).toMatchObject({ code: 'UNKNOWN_AGENCY', details: [{ field: 'agencyCodes[0]' }] });
  });

  it('only admins manage keys; an integrator cannot issue itself another', async () => {
    const citizen = await registerCitizen(t);
    const byCitizen = await t
      .http()
      .post('/api/v1/admin/api-keys')
      .set('Authorization', `Bearer ${citizen.token}`)
      .send({ name: 'Mine', scopes: ['dossiers:read'] })
      .expect(403);
    expect(byCitizen.body.code).toBe('FORBIDDEN');
    await t.http().get('/api/v1/admin/api-keys').set('Authorization', `Bearer ${citizen.token}`).expect(403);
    const { body } = await create({ name: 'Hệ thống BHYT', scopes: ['dossiers:read', 'dossiers:write', 'catalog:write'] }).expect(201);
    await t
      .http()
      .post('/api/v1/admin/api-keys')
      .set('X-API-Key', body.key)
      .send({ name: 'Another', scopes: ['dossiers:read'] })
      .expect(403);
    await t.http().delete(`/api/v1/admin/api-keys/${body.id}`).set('X-API-Key', body.key).expect(403);
  });

  it('carries the agencies a key is limited to into the caller', async () => {
    const { body } = await create({ name: 'Hệ thống tỉnh', scopes: ['dossiers:read'] }).expect(201);
    // Agencies are not wired in yet (none exists to name at creation), so the row is limited directly.
    await t.db.query(`UPDATE api_keys SET agency_codes = '{000.00.20.H56}' WHERE id = $1`, [body.id]);
    const caller = await me(body.key).expect(200);
    expect(caller.body.agencyCodes).toEqual(['000.00.20.H56']);
  });

  it('records when a key was last used, writing at most once a minute', async () => {
    const { body } = await create({ name: 'Hệ thống thanh toán', scopes: ['dossiers:read'] }).expect(201);
    const lastUsed = async () => (await t.db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [body.id])).rows[0].last_used_at as Date | null;
    expect(await lastUsed()).toBeNull();
    const first = clock.now();
    await me(body.key).expect(200);
    expect((await lastUsed())?.getTime()).toBe(first.getTime());
    clock.advance(30_000);
    await me(body.key).expect(200);
    expect((await lastUsed())?.getTime()).toBe(first.getTime());
    clock.advance(31_000);
    await me(body.key).expect(200);
    expect((await lastUsed())?.getTime()).toBe(first.getTime() + 61_000);
  });
});
