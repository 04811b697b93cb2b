import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login, registerCitizen } from './support/auth.js';
import { fileDossier } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('public dossier lookup', () => {
  let t: TestApp;
  let code: string;
  let citizen: { idNumber: string; token: string };

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true', PUBLIC_LOOKUP_PER_MINUTE: '4' } });
    citizen = await registerCitizen(t, { fullName: 'Hoàng Thị Mai' });
    const d = await fileDossier(t, citizen, {
      procedureCode: '1.001193',
      applicant: { fullName: 'Hoàng Thị Mai', phone: '0987654321', address: 'Số 3 Trần Phú, Hạc Thành' },
    });
    code = d.code;
    const officer = await login(t, 'tiepnhan.hacthanh', 'Demo@2026');
    await t.http().post(`/api/v1/dossiers/${d.id}/actions/accept`).set('Authorization', `Bearer ${officer}`).send({ expectedVersion: 1 }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('tells anyone the status and dates of a dossier by its code, and nothing personal', async () => {
    const res = await t.http().get(`/api/v1/public/dossiers/${code}`).expect(200);
    expect(res.body).toMatchObject({
      code,
      status: 'RECEIVED',
      statusCode: 2,
      statusLabel: 'Được tiếp nhận',
      procedure: { code: '1.001193', name: expect.stringContaining('khai sinh') },
      receivingAgency: { code: '000.00.20.H56' },
      competentAgency: { code: '000.00.20.H56' },
      receivedAt: expect.any(String),
      dueAt: expect.any(String),
      timeliness: 'ON_TRACK',
    });
    const text = JSON.stringify(res.body);
    for (const personal of [citizen.idNumber, 'Hoàng Thị Mai', '0987654321', 'Trần Phú']) expect(text).not.toContain(personal);
    const unknown = await t.http().get('/api/v1/public/dossiers/000.00.20.H56-261122-9999').expect(404);
    expect(unknown.body.code).toBe('DOSSIER_NOT_FOUND');
  });

  it('limits lookups per client', async () => {
    // Two lookups were made above; the budget is four a minute.
    await t.http().get(`/api/v1/public/dossiers/${code}`).expect(200);
    await t.http().get(`/api/v1/public/dossiers/${code}`).expect(200);
    const over = await t.http().get(`/api/v1/public/dossiers/${code}`).expect(429);
    expect(over.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });
});
