import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { vn } from '../src/calendar/calendar-fixtures.js';
import { ManualClock } from '../src/common/clock.js';
import { login, registerCitizen } from './support/auth.js';
import { act, fileDossier, HAC_THANH } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO = 'Demo@2026';
const MARITAL = '1.004873'; // certificate of marital status: 3 working days, commune level, no signed component

const iso = (local: string) => vn(local).toISOString();

// The app runs on a ManualClock set to each instant, so what is asserted never depends on the hour
// the suite runs at. The rule (resumeAfterPause in src/calendar/working-calendar.ts, worked through
// in its unit tests): a limit in days gives back the working days a pause reached into; a pause
// and a resume on one working day before its close, or a pause entirely outside working time,
// move nothing. The REVIEW step's budget here is in days too (2 working days).
describe("the one-stop workflow at the day's edges: a supplement that pauses the clock (ManualClock)", () => {
  let t: TestApp;
  const clock = new ManualClock(vn('2026-12-07 08:00'));
  let citizen: { idNumber: string; token: string; id: string };
  const tok: Record<string, string> = {};
  let specialistId: string;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { SEED_DEMO: 'true' } });
    citizen = await registerCitizen(t);
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh']) tok[name] = await login(t, name, DEMO);
    specialistId = (await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${tok['chuyenvien.hacthanh']}`).expect(200)).body.id;
    const admin = await login(t, 'admin', 'MotCua@2026');
    const patched = await t
      .http()
      .patch(`/api/v1/admin/procedures/${MARITAL}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ supplement: { days: 15, clock: 'PAUSE' } })
      .expect(200);
    expect(patched.body).toMatchObject({ timeLimit: { value: 3, unit: 'WORKING_DAYS' }, supplement: { days: 15, clock: 'PAUSE' } });
    expect(patched.body.steps.map((s: { budget: unknown }) => s.budget)[1]).toEqual({ value: 2, unit: 'WORKING_DAYS' });
    const bad = await t
      .http()
      .patch(`/api/v1/admin/procedures/${MARITAL}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ supplement: { days: 0, clock: 'STOP' } })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['supplement.clock', 'supplement.days']);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An action at the instant `at` (Vietnam time); fails on anything but 200. */
  async function actAt(at: string, token: string, id: string, action: string, body: Record<string, unknown> = {}) {
    clock.set(vn(at));
    const res = await act(t, token, id, action, body);
    expect({ action, at, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ action, at, status: 200, body: 'ok' });
    return res.body;
  }

  // Each row: accepted and assigned at once, the supplement requested (the pause), supplemented (the
  // resume), all Vietnam times; then the dates (all at 17:00) the overall and REVIEW-step clocks
  // are due before and after, and the citizen's 15 calendar days to supplement. December 2026:
  // 3 working days from Tue 8 are Wed 9, Thu 10, Fri 11; Fri 1/1/2027 is New Year's Day.
  const EDGES = `
    at 07:25, before the office opens (the clock ran since Monday) | 2026-12-07 10:00    | 2026-12-08 07:25    | 2026-12-08 07:25:40 | 2026-12-10 2026-12-10 | 2026-12-09 2026-12-09 | 2026-12-23
    at 07:55 (the issue: the due date rolled to 07:30 next day)   | 2026-12-08 07:55    | 2026-12-08 07:55:20 | 2026-12-08 07:55:40 | 2026-12-11 2026-12-11 | 2026-12-10 2026-12-10 | 2026-12-23
    at 11:30, into the lunch break                                | 2026-12-08 11:29:30 | 2026-12-08 11:29:50 | 2026-12-08 11:30:10 | 2026-12-11 2026-12-11 | 2026-12-10 2026-12-10 | 2026-12-23
    at 14:59, across the 15:00 cut-off (a resume has none)        | 2026-12-08 14:59:20 | 2026-12-08 14:59:40 | 2026-12-08 15:00:10 | 2026-12-11 2026-12-11 | 2026-12-10 2026-12-10 | 2026-12-23
    at 16:59, in the last minute of the day                       | 2026-12-08 10:00    | 2026-12-08 16:59:20 | 2026-12-08 16:59:40 | 2026-12-11 2026-12-11 | 2026-12-10 2026-12-10 | 2026-12-24
    at 16:59, resumed after the close: one working day back       | 2026-12-08 10:00    | 2026-12-08 16:59:20 | 2026-12-08 17:00:20 | 2026-12-11 2026-12-14 | 2026-12-10 2026-12-11 | 2026-12-24
    on a Friday evening, seconds before the close                 | 2026-12-09 10:00    | 2026-12-11 16:59:30 | 2026-12-11 16:59:50 | 2026-12-14 2026-12-14 | 2026-12-11 2026-12-11 | 2026-12-29
    from a Friday evening to Monday 07:25: no working time        | 2026-12-09 10:00    | 2026-12-11 17:05    | 2026-12-14 07:25    | 2026-12-14 2026-12-14 | 2026-12-11 2026-12-11 | 2026-12-29
    from Friday's last seconds to Saturday: resumed on Monday     | 2026-12-09 10:00    | 2026-12-11 16:59:30 | 2026-12-12 09:00    | 2026-12-14 2026-12-15 | 2026-12-11 2026-12-14 | 2026-12-29
    on New Year's Eve, seconds before the close                   | 2026-12-30 10:00    | 2026-12-31 16:59:20 | 2026-12-31 16:59:40 | 2027-01-05 2027-01-05 | 2027-01-04 2027-01-04 | 2027-01-19
    over New Year's Day and the weekend, outside working time     | 2026-12-30 10:00    | 2026-12-31 17:10    | 2027-01-04 07:20    | 2027-01-05 2027-01-05 | 2027-01-04 2027-01-04 | 2027-01-19`;
  const close = (date: string) => iso(`${date} 17:00`);
  const edges = EDGES.trim()
    .split('\n')
    .map((line) => {
      const [what, accepted, paused, resumed, due, stepDue, supplementDue] = line.split('|').map((cell) => cell.trim());
      return { what, accepted, paused, resumed, due: due.split(' ').map(close), stepDue: stepDue.split(' ').map(close), supplementDue: close(supplementDue) };
    });

  it.each(edges)('a supplement $what', async (e) => {
    clock.set(new Date(vn(e.accepted).getTime() - 60_000));
    const d = await fileDossier(t, citizen, { procedureCode: MARITAL, agencyCode: HAC_THANH });
    await actAt(e.accepted, tok['tiepnhan.hacthanh'], d.id, 'accept');
    const assigned = await actAt(e.accepted, tok['tiepnhan.hacthanh'], d.id, 'assign', { assigneeId: specialistId });
    expect(assigned.deadline).toMatchObject({ dueAt: e.due[0], stepCode: 'REVIEW', stepDueAt: e.stepDue[0], state: 'RUNNING' });

    const asked = await actAt(e.paused, tok['chuyenvien.hacthanh'], d.id, 'request-supplement', { items: [{ description: 'Bổ sung bản sao giấy tờ' }] });
    expect(asked).toMatchObject({ status: 'SUPPLEMENT_REQUESTED', supplement: { dueAt: e.supplementDue }, deadline: { state: 'PAUSED', dueAt: e.due[0] } });
    const f = await uploadPdf(t, { token: citizen.token });
    const back = await actAt(e.resumed, citizen.token, d.id, 'supplement', { attachments: [{ componentCode: asked.attachments[0].componentCode, fileId: f }] });
    expect(back).toMatchObject({ status: 'IN_PROGRESS', deadline: { state: 'RUNNING', stepState: 'RUNNING', dueAt: e.due[1], stepDueAt: e.stepDue[1] } });

    // Resumed, not restarted; the history says by how much the due date moved.
    const events = (await t.http().get(`/api/v1/dossiers/${d.id}/events`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body.events;
    const resumed = events.filter((ev: { type: string; data: { kind: string } }) => ev.type === 'DEADLINE_RESUMED' && ev.data.kind === 'OVERALL');
    expect(resumed.map((ev: { data: Record<string, unknown> }) => ({ oldDueAt: ev.data.oldDueAt, newDueAt: ev.data.newDueAt }))).toEqual([
      { oldDueAt: e.due[0], newDueAt: e.due[1] },
    ]);
    expect(events.map((ev: { type: string }) => ev.type)).not.toContain('DEADLINE_RESTARTED');
  });
});
