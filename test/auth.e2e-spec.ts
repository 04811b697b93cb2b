import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, login, nextCccd, registerCitizen } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('accounts and tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates the first admin at start, who can log in and read /auth/me', async () => {
    const res = await t.http().post('/api/v1/auth/login').send(ADMIN).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { username: 'admin', role: 'ADMIN' } });
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ username: 'admin', role: 'ADMIN' });
    expect(me.body.passwordHash).toBeUndefined();
    const rows = await t.db.query(`SELECT password_hash FROM users WHERE username = 'admin'`);
    expect(rows.rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers 401 without a token, with a bad token, and with a wrong password', async () => {
    const none = await t.http().get('/api/v1/auth/me').expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', requestId: expect.any(String) });
    await t.http().get('/api/v1/auth/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
    const wrong = await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: 'nope-nope-1' }).expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    const ghost = await t.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'nope-nope-1' }).expect(401);
    expect(ghost.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('registers a citizen whose username is the CCCD', async () => {
    const c = await registerCitizen(t, { email: 'an@example.vn' });
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${c.token}`).expect(200);
    expect(me.body).toMatchObject({
      username: c.idNumber,
      idNumber: c.idNumber,
      role: 'CITIZEN',
      fullName: 'Nguyễn Văn An',
      email: 'an@example.vn',
      identityAssurance: 'UNVERIFIED',
      identityMethod: null,
    });
  });

  it('answers a registration the same way whether or not the CCCD already has an account, and keeps the first', async () => {
    const c = await registerCitizen(t);
    const fresh = await t
      .http()
      .post('/api/v1/auth/citizens/register')
      .send({ idNumber: nextCccd(), fullName: 'X Y', dateOfBirth: '1990-03-15', phone: '0912345678', password: 'MatKhau123' })
      .expect(202);
    const again = await t
      .http()
      .post('/api/v1/auth/citizens/register')
      .send({ idNumber: c.idNumber, fullName: 'Kẻ Mạo Danh', dateOfBirth: '1990-03-15', phone: '0900000000', password: 'KhacHan999' })
      .expect(202);
    expect(again.body).toEqual(fresh.body);
    expect(again.body.status).toBe('ACCEPTED');
    // The existing account is untouched: its password still works, the second one does not.
    await t.http().post('/api/v1/auth/login').send({ username: c.idNumber, password: 'KhacHan999' }).expect(401);
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${c.token}`).expect(200);
    expect(me.body.fullName).toBe('Nguyễn Văn An');
    const rows = await t.db.query('SELECT count(*)::int AS n FROM users WHERE id_number = $1', [c.idNumber]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('refuses a malformed CCCD, naming the field', async () => {
    const base = { fullName: 'Lê Thị Hoa', dateOfBirth: '1990-03-15', phone: '0912345678', password: 'MatKhau123' };
    const short = await t
      .http()
      .post('/api/v1/auth/citizens/register')
      .send({ ...base, idNumber: '12345' })
      .expect(400);
    expect(short.body).toMatchObject({ code: 'INVALID_ID_NUMBER', details: [{ field: 'idNumber' }] });
    const province = await t
      .http()
      .post('/api/v1/auth/citizens/register')
      .send({ ...base, idNumber: '003090123456' })
      .expect(400);
    expect(province.body.code).toBe('INVALID_ID_NUMBER');
    const year = await t
      .http()
      .post('/api/v1/auth/citizens/register')
      .send({ ...base, idNumber: '001085123456' })
      .expect(400);
    expect(year.body.code).toBe('INVALID_ID_NUMBER');
    const phone = await t
      .http()
      .post('/api/v1/auth/citizens/register')
      .send({ ...base, idNumber: nextCccd(), phone: '12' })
      .expect(400);
    expect(phone.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'phone' })] });
    const extra = await t
      .http()
      .post('/api/v1/auth/citizens/register')
      .send({ ...base, idNumber: nextCccd(), role: 'ADMIN' })
      .expect(400);
    expect(extra.body).toMatchObject({ code: 'UNKNOWN_FIELD', details: [expect.objectContaining({ field: 'role' })] });
  });

  it('rotates refresh tokens, and a reused one revokes the whole family', async () => {
    const first = await t.http().post('/api/v1/auth/login').send(ADMIN).expect(200);
    const second = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(200);
    // The first token again: theft suspected, the family (including the second token) is revoked.
    const reuse = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    const afterReuse = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
    expect(afterReuse.body.code).toBe('INVALID_REFRESH_TOKEN');
    // Another login is a separate family and still works.
    const other = await t.http().post('/api/v1/auth/login').send(ADMIN).expect(200);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: other.body.refreshToken }).expect(200);
  });

  it('logout ends the login', async () => {
    const s = await t.http().post('/api/v1/auth/login').send(ADMIN).expect(200);
    await t.http().post('/api/v1/auth/logout').send({ refreshToken: s.body.refreshToken }).expect(204);
    const r = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s.body.refreshToken }).expect(401);
    expect(r.body.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('only admins create staff; staff need a known agency', async () => {
    const admin = await login(t, ADMIN.username, ADMIN.password);
    const citizen = await registerCitizen(t);
    const dto = { username: 'canbo.tiepnhan', password: 'CanBo2026x', fullName: 'Trần Thị Bình', role: 'RECEPTION_OFFICER', agencyCode: '000.00.00.Z99' };
    const forbidden = await t.http().post('/api/v1/admin/users').set('Authorization', `Bearer ${citizen.token}`).send(dto).expect(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    const noAgency = await t
      .http()
      .post('/api/v1/admin/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...dto, agencyCode: undefined })
      .expect(400);
    expect(noAgency.body).toMatchObject({ code: 'AGENCY_REQUIRED', details: [{ field: 'agencyCode' }] });
    const unknown = await t.http().post('/api/v1/admin/users').set('Authorization', `Bearer ${admin}`).send(dto).expect(422);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_AGENCY', details: [{ field: 'agencyCode' }] });
    const badRole = await t
      .http()
      .post('/api/v1/admin/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...dto, role: 'CITIZEN' })
      .expect(400);
    expect(badRole.body.code).toBe('INVALID_ROLE');
    const secondAdmin = await t
      .http()
      .post('/api/v1/admin/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...dto, username: 'admin2', role: 'ADMIN', agencyCode: undefined })
      .expect(201);
    expect(secondAdmin.body).toMatchObject({ username: 'admin2', role: 'ADMIN' });
    await login(t, 'admin2', dto.password);
  });
});

// Its own app, after the first one closed: two live apps in one file would share Passport's
// strategies (the last one registered wins), so tokens of the first would stop verifying.
describe('registration throttle', () => {
  it('throttles registrations per client address on their own budget', async () => {
    const limited = await createTestApp({ env: { REGISTER_MAX_PER_CLIENT_PER_HOUR: '2' } });
    try {
      const body = () => ({ idNumber: nextCccd(), fullName: 'X Y', dateOfBirth: '1990-03-15', phone: '0912345678', password: 'MatKhau123' });
      await limited.http().post('/api/v1/auth/citizens/register').set('X-Forwarded-For', '198.51.100.77').send(body()).expect(202);
      await limited.http().post('/api/v1/auth/citizens/register').set('X-Forwarded-For', '198.51.100.77').send(body()).expect(202);
      const third = await limited.http().post('/api/v1/auth/citizens/register').set('X-Forwarded-For', '198.51.100.77').send(body()).expect(429);
      expect(third.body).toMatchObject({ code: 'TOO_MANY_REGISTRATIONS', details: { retryAfterSeconds: expect.any(Number) } });
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      // Logins and other clients are not affected.
      await limited.http().post('/api/v1/auth/citizens/register').set('X-Forwarded-For', '198.51.100.78').send(body()).expect(202);
      await limited.http().post('/api/v1/auth/login').set('X-Forwarded-For', '198.51.100.77').send(ADMIN).expect(200);
    } finally {
      await limited.close();
    }
  });
});
