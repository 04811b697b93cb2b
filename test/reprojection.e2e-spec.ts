import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { vietnamDate } from '../src/common/clock.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { fileDossier, waitFor } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('a calendar change re-projects running clocks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('moves a dossier’s due date when its due day becomes a holiday of the province above it', async () => {
    const citizen = await registerCitizen(t);
    const d = await fileDossier(t, citizen, { procedureCode: '1.001193', applicant: { fullName: 'Đinh Văn Tùng' } });
    const officer = await login(t, 'tiepnhan.hacthanh', 'Demo@2026');
    const accepted = (
      await t.http().post(`/api/v1/dossiers/${d.id}/actions/accept`).set('Authorization', `Bearer ${officer}`).send({ expectedVersion: 1 }).expect(200)
    ).body;
    const before = new Date(accepted.deadline.dueAt);

    // The province (the commune's parent) declares the due day a holiday.
    const admin = await login(t, ADMIN.username, ADMIN.password);
    const day = vietnamDate(before);
    await t
      .http()
      .put(`/api/v1/calendar/days/${day}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ type: 'HOLIDAY', name: 'Nghỉ đột xuất (thử nghiệm)', agencyCode: '000.00.00.H56' })
      .expect(200);

    const after = await waitFor(async () => {
      const due = new Date((await t.http().get(`/api/v1/dossiers/${d.id}`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body.deadline.dueAt);
      return due.getTime() !== before.getTime() ? due : null;
    }, 'the due date to move');
    expect(after.getTime()).toBeGreaterThan(before.getTime());
    expect(vietnamDate(after)).not.toBe(day);
    const events = (await t.http().get(`/api/v1/dossiers/${d.id}/events`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body;
    expect(events.integrity).toBe('VALID');
    expect(events.events).toContainEqual(
      expect.objectContaining({
        type: 'DEADLINE_REPROJECTED',
        data: expect.objectContaining({ reason: `calendar change on ${day}`, oldDueAt: before.toISOString(), newDueAt: after.toISOString() }),
      }),
    );
  });
});
