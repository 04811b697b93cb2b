import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { fileDossier, waitFor } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('status notifications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true', OUTBOX_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('tells the applicant of each status change in the app, by e-mail and by SMS, once', async () => {
    const citizen = await registerCitizen(t, { email: 'lan@example.vn' });
    const d = await fileDossier(t, citizen, { procedureCode: '1.001193', applicant: { fullName: 'Vũ Thị Lan', phone: '0911222333', email: 'lan@example.vn' } });
    const officer = await login(t, 'tiepnhan.hacthanh', 'Demo@2026');
    await t.http().post(`/api/v1/dossiers/${d.id}/actions/accept`).set('Authorization', `Bearer ${officer}`).send({ expectedVersion: 1 }).expect(200);

    const admin = await login(t, ADMIN.username, ADMIN.password);
    const items: Array<Record<string, string>> = await waitFor(async () => {
      const list = (await t.http().get(`/api/v1/admin/notifications/deliveries?dossierId=${d.id}`).set('Authorization', `Bearer ${admin}`).expect(200)).body.items;
      return list.filter((x: { status: string }) => x.status === 'SENT').length >= 4 ? list : null;
    }, 'four deliveries sent');
    const sent = items.map((x) => [x.channel, x.recipient, x.subject, x.status]).sort();
    expect(sent).toEqual([
      ['EMAIL', 'lan@example.vn', `Hồ sơ ${d.code}: Mới đăng ký`, 'SENT'],
      ['EMAIL', 'lan@example.vn', `Hồ sơ ${d.code}: Được tiếp nhận`, 'SENT'],
      ['SMS', '0911222333', `Hồ sơ ${d.code}: Mới đăng ký`, 'SENT'],
      ['SMS', '0911222333', `Hồ sơ ${d.code}: Được tiếp nhận`, 'SENT'],
    ].sort());
    expect(items.find((x) => x.channel === 'EMAIL')!.body).toContain(`/api/v1/public/dossiers/${d.code}`);

    const mine = (await t.http().get('/api/v1/notifications').set('Authorization', `Bearer ${citizen.token}`).expect(200)).body;
    expect(mine.items.map((n: { payload: { status: string } }) => n.payload.status)).toEqual(['RECEIVED', 'SUBMITTED']);
    const other = await registerCitizen(t);
    expect((await t.http().get('/api/v1/notifications').set('Authorization', `Bearer ${other.token}`).expect(200)).body.items).toEqual([]);
    await t.http().get('/api/v1/admin/notifications/deliveries').set('Authorization', `Bearer ${citizen.token}`).expect(403);
  });
});
