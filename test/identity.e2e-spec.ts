import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ADMIN, CARD_ISSUED_ON, login, loginAs as passwordLogin, nextCccd, registerCitizen } from './support/auth.js';
import { BIRTH, HAC_THANH, fileDossier } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
import { startIdentityProvider, TEST_CLIENT, type TestIdentityProvider } from './support/oidc-provider.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REDIRECT_URI = 'http://localhost:3000/api/v1/auth/oidc/callback';
const VICTIM = '001090246810';
const LINKER = '001090135791';
const DEMO_PASSWORD = 'Demo@2026';

/**
 * Ownership follows a proven identity: the squatting scenario of issue 9. Someone registers with
 * another person's CCCD; an integrator later files a dossier for that CCCD. The squatter must not
 * see or touch it; the real citizen, once verified (VNeID or a desk check), does.
 */
describe('who owns a dossier filed for a CCCD', () => {
  let idp: TestIdentityProvider;
  let t: TestApp;
  let integratorKey: string;
  let officer: string;

  beforeAll(async () => {
    idp = await startIdentityProvider({
      redirectUri: REDIRECT_URI,
      accounts: { victim: { cccd: VICTIM, name: 'Lê Thị Thật' }, linker: { cccd: LINKER, name: 'Phạm Văn Gộp' } },
    });
    t = await createTestApp({
      env: {
        LOG_LEVEL: 'error',
        SEED_DEMO: 'true',
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: TEST_CLIENT.id,
        OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
        OIDC_REDIRECT_URI: REDIRECT_URI,
        OIDC_SCOPES: 'openid profile cccd',
      },
    });
    const admin = await login(t, ADMIN.username, ADMIN.password);
    integratorKey = (
      await t
        .http()
        .post('/api/v1/admin/api-keys')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'cong-dvc-quoc-gia', scopes: ['dossiers:read', 'dossiers:write'], agencyCodes: [HAC_THANH] })
        .expect(201)
    ).body.key;
    officer = await login(t, 'tiepnhan.hacthanh', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const vneidLogin = async (account: string) => {
    const started = await t.http().get('/api/v1/auth/oidc/authorize').expect(200);
    const cookie = (started.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('motcua_oidc='))!.split(';')[0];
    const back = await idp.logIn(started.body.authorizationUrl, account);
    return (await t.http().get(`/api/v1/auth/oidc/callback${back.search}`).set('Cookie', cookie).expect(200)).body;
  };
  /** An integrator (the national portal) files a birth registration for `idNumber`, with a PDF. */
  const integratorFiles = async (idNumber: string) => {
    const proc = (await t.http().get(`/api/v1/procedures/${BIRTH}`).expect(200)).body;
    const fileId = await uploadPdf(t, { apiKey: integratorKey });
    const attachments = proc.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => ({ componentCode: c.code, fileId }));
    const res = await t
      .http()
      .post('/api/v1/dossiers')
      .set('X-API-Key', integratorKey)
      .set('Idempotency-Key', randomUUID())
      .send({
        procedureCode: BIRTH,
        agencyCode: HAC_THANH,
        resultDelivery: 'ONLINE',
        attachments,
        applicant: { fullName: 'Lê Thị Thật', idNumber, dateOfBirth: '1990-03-15', phone: '0912000111', address: 'Số 9 Trần Phú, Thanh Hóa' },
        formData: { childName: 'Lê Minh Khôi', childDateOfBirth: '2026-11-20' },
      })
      .expect(201);
    return { id: res.body.id as string, code: res.body.code as string, fileId };
  };
  const listIds = async (token: string) =>
    ((await t.http().get('/api/v1/dossiers').set(bearer(token)).expect(200)).body.items as Array<{ id: string }>).map((d) => d.id);

  it('a squatter who typed the CCCD gets 404 on everything; the VNeID-verified citizen gets the dossier', async () => {
    const squatter = await registerCitizen(t, { idNumber: VICTIM, fullName: 'Kẻ Mạo Danh' });
    expect((await t.http().get('/api/v1/auth/me').set(bearer(squatter.token)).expect(200)).body).toMatchObject({
      idNumber: VICTIM,
      identityAssurance: 'UNVERIFIED',
    });
    const filed = await integratorFiles(VICTIM);

    expect(await listIds(squatter.token)).not.toContain(filed.id);
    for (const path of [
      `/api/v1/dossiers/${filed.id}`,
      `/api/v1/dossiers/${filed.code}`,
      `/api/v1/dossiers/${filed.id}/events`,
      `/api/v1/files/${filed.fileId}`,
      `/api/v1/files/${filed.fileId}/content`,
    ]) {
      const res = await t.http().get(path).set(bearer(squatter.token));
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    for (const action of ['withdraw']) {
      const res = await t.http().post(`/api/v1/dossiers/${filed.id}/actions/${action}`).set(bearer(squatter.token)).send({ expectedVersion: 1 });
      expect({ action, status: res.status }).toEqual({ action, status: 404 });
    }

    // The real citizen logs in with VNeID: a verified account of its own, not the squatter's.
    const real = await vneidLogin('victim');
    expect(real.user).toMatchObject({ idNumber: VICTIM, identityAssurance: 'VERIFIED', identityMethod: 'VNEID', username: `vneid.${VICTIM}` });
    expect(real.user.id).not.toBe(squatter.id);
    expect(await listIds(real.accessToken)).toContain(filed.id);
    const seen = await t.http().get(`/api/v1/dossiers/${filed.id}`).set(bearer(real.accessToken)).expect(200);
    expect(seen.body.applicant.fullName).toBe('Lê Thị Thật');
    await t.http().get(`/api/v1/files/${filed.fileId}`).set(bearer(real.accessToken)).expect(200);
    // … and a dossier filed after the verification is theirs too, still not the squatter's.
    const later = await integratorFiles(VICTIM);
    expect(await listIds(real.accessToken)).toContain(later.id);
    await t.http().get(`/api/v1/dossiers/${later.id}`).set(bearer(squatter.token)).expect(404);

    // The squatter cannot get their account verified for that CCCD at the desk either.
    const desk = await t
      .http()
      .post('/api/v1/auth/identity-checks')
      .set(bearer(officer))
      .send({ username: VICTIM, idNumber: VICTIM, issuedOn: CARD_ISSUED_ON })
      .expect(409);
    expect(desk.body).toMatchObject({ code: 'IDENTITY_ALREADY_VERIFIED', details: [{ field: 'idNumber' }] });
    // Nor take over the verified account by linking: they are not verified.
    const link = await t.http().post('/api/v1/auth/me/link-password-account').set(bearer(squatter.token)).send({ password: 'MatKhau123' }).expect(403);
    expect(link.body.code).toBe('IDENTITY_NOT_VERIFIED');
    // The real citizen does not know the squatter's password: nothing moves.
    const wrong = await t.http().post('/api/v1/auth/me/link-password-account').set(bearer(real.accessToken)).send({ password: 'DoanBua123' }).expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    await t.http().get('/api/v1/auth/me').set(bearer(squatter.token)).expect(200);
  });

  it('a desk check by a one-stop officer verifies an account, with who and when', async () => {
    const citizen = await registerCitizen(t);
    const filed = await integratorFiles(citizen.idNumber);
    await t.http().get(`/api/v1/dossiers/${filed.id}`).set(bearer(citizen.token)).expect(404);

    // Only one-stop officers (and admins) check cards; the number must be the account's.
    const self = await t
      .http()
      .post('/api/v1/auth/identity-checks')
      .set(bearer(citizen.token))
      .send({ username: citizen.idNumber, idNumber: citizen.idNumber, issuedOn: CARD_ISSUED_ON })
      .expect(403);
    expect(self.body.code).toBe('FORBIDDEN');
    const mismatch = await t
      .http()
      .post('/api/v1/auth/identity-checks')
      .set(bearer(officer))
      .send({ username: citizen.idNumber, idNumber: nextCccd(), issuedOn: CARD_ISSUED_ON })
      .expect(422);
    expect(mismatch.body).toMatchObject({ code: 'ID_NUMBER_MISMATCH', details: [{ field: 'idNumber' }] });
    const missing = await t
      .http()
      .post('/api/v1/auth/identity-checks')
      .set(bearer(officer))
      .send({ username: 'khong.ton.tai', idNumber: citizen.idNumber, issuedOn: CARD_ISSUED_ON })
      .expect(404);
    expect(missing.body.code).toBe('ACCOUNT_NOT_FOUND');

    const checked = await t
      .http()
      .post('/api/v1/auth/identity-checks')
      .set(bearer(officer))
      .send({ username: citizen.idNumber, idNumber: citizen.idNumber, issuedOn: CARD_ISSUED_ON })
      .expect(201);
    expect(checked.body.account).toMatchObject({ identityAssurance: 'VERIFIED', identityMethod: 'DESK', identityVerifiedAt: expect.any(String) });
    const officerId = (await t.http().get('/api/v1/auth/me').set(bearer(officer)).expect(200)).body.id;
    // The check itself is recorded: what was seen of the card, how, by whom.
    expect(checked.body).toMatchObject({
      idNumber: citizen.idNumber,
      cardIssuedOn: CARD_ISSUED_ON,
      method: 'CARD_SHOWN',
      officer: { id: officerId },
      usedByDossierId: null,
    });
    const stored = await t.db.query('SELECT identity_verified_by FROM users WHERE id = $1', [citizen.id]);
    expect(stored.rows[0].identity_verified_by).toBe(officerId);

    // A new login carries the assurance; the dossier filed for the CCCD is now the citizen's.
    const token = await login(t, citizen.idNumber, 'MatKhau123');
    expect(await listIds(token)).toContain(filed.id);
    const withdrawn = await t.http().post(`/api/v1/dossiers/${filed.id}/actions/withdraw`).set(bearer(token)).send({ expectedVersion: 1 });
    expect(withdrawn.status).toBe(200);
  });

  it('a verified citizen brings their earlier password account over only by proving its password', async () => {
    const old = await registerCitizen(t, { idNumber: LINKER, fullName: 'Phạm Văn Gộp' });
    const own = await fileDossier(t, old);
    const oldSession = await passwordLogin(t, LINKER, 'MatKhau123');

    const verified = await vneidLogin('linker');
    expect(verified.user.username).toBe(`vneid.${LINKER}`);
    await t.http().get(`/api/v1/dossiers/${own.id}`).set(bearer(verified.accessToken)).expect(404);

    const linked = await t.http().post('/api/v1/auth/me/link-password-account').set(bearer(verified.accessToken)).send({ password: 'MatKhau123' }).expect(200);
    expect(linked.body).toMatchObject({ id: verified.user.id, username: LINKER, identityAssurance: 'VERIFIED' });
    // The old account's own dossier and its upload moved; the old account is gone, its sessions ended.
    expect(await listIds(verified.accessToken)).toContain(own.id);
    const attachment = (await t.http().get(`/api/v1/dossiers/${own.id}`).set(bearer(verified.accessToken)).expect(200)).body.attachments[0].fileId;
    await t.http().get(`/api/v1/files/${attachment}`).set(bearer(verified.accessToken)).expect(200);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: oldSession.refreshToken }).expect(401);
    // The password now logs into the verified account.
    const again = await passwordLogin(t, LINKER, 'MatKhau123');
    expect(again.user).toMatchObject({ id: verified.user.id, identityAssurance: 'VERIFIED' });
    // Linking twice finds nothing left to link.
    const twice = await t.http().post('/api/v1/auth/me/link-password-account').set(bearer(verified.accessToken)).send({ password: 'MatKhau123' }).expect(404);
    expect(twice.body.code).toBe('NO_PASSWORD_ACCOUNT');
  });
});
