import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { uploadPdf } from './support/files.js';
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
    const proc = (await t.http().get('/api/v1/procedures/1.001193').expect(200)).body;
    const fileId = await uploadPdf(t, { token: citizen.token });
    const attachments = proc.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => ({ componentCode: c.code, fileId }));
    const d = (await t.http().post('/api/v1/dossiers').set('Authorization', `Bearer ${citizen.token}`).set('Idempotency-Key', randomUUID())
      .send({ procedureCode: '1.001193', agencyCode: '000.00.20.H56', applicant: { fullName: 'Vũ Thị Lan', idNumber: citizen.idNumber, phone: '0911222333', email: 'lan@example.vn', address: 'Phường Hạc Thành' }, attachments, resultDelivery: 'ONLINE' }).expect(201)).body;
    const officer = await login(t, 'tiepnhan.hacthanh', 'Demo@2026');
    await t.http().post(`/api/v1/dossiers/${d.id}/actions/accept`).set('Authorization', `Bearer ${officer}`).send({ expectedVersion: 1 }).expect(200);

    const admin = await login(t, ADMIN.username, ADMIN.password);
    let items: Array<Record<string, string>> = [];
    for (let i = 0; i < 100 && items.filter((x) => x.status === 'SENT').length < 4; i++) {
      await new Promise((r) => setTimeout(r, 100));
      items = (await t.http().get(`/api/v1/admin/notifications/deliveries?dossierId=${d.id}`).set('Authorization', `Bearer ${admin}`).expect(200)).body.items;
    }
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
