import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login, registerCitizen } from './support/auth.js';
import { signPdf } from '../src/signatures/signing/pdf-signer.js';
import { binaryBody, pdfBytes, uploadPdf } from './support/files.js';
import { attachmentsVerified, fileDossier, resultSigned } from './support/dossiers.js';
import { demoCaKey, type SigningKey } from './support/pki.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const HAC_THANH = '000.00.20.H56';
const DEMO = 'Demo@2026';
const PARTIAL = '1.001193'; // birth registration: PARTIAL_ONLINE, commune level
const FULL = '1.004194'; // FULL_ONLINE, commune level

describe('the one-stop workflow', () => {
  let lastPdf: Buffer | undefined;
  let t: TestApp;
  let citizen: { idNumber: string; token: string; id: string };
  let citizenKey: SigningKey;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    citizen = await registerCitizen(t);
    // The citizen signs their application forms with a certificate of the demo CA.
    citizenKey = await demoCaKey(t.config, { commonName: 'Nguyễn Văn An', cccd: citizen.idNumber });
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh', 'tiepnhan.tinh']) {
      tok[name] = await login(t, name, DEMO);
      ids[name] = (await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${tok[name]}`).expect(200)).body.id;
    }
    // A second receptionist at the same centre, for the race.
    const admin = await login(t, 'admin', 'MotCua@2026');
    await t
      .http()
      .post('/api/v1/admin/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: 'tiepnhan2.hacthanh', password: 'CanBo2026x', fullName: 'Ngô Thị Hạnh', role: 'RECEPTION_OFFICER', agencyCode: HAC_THANH })
      .expect(201);
    tok['tiepnhan2.hacthanh'] = await login(t, 'tiepnhan2.hacthanh', 'CanBo2026x');
  });
  afterAll(async () => {
    // For looking at a page by hand: MOTCUA_KEEP_FORM=/tmp/form06.pdf npm test -- test/workflow
    if (process.env.MOTCUA_KEEP_FORM && lastPdf) (await import('node:fs')).writeFileSync(process.env.MOTCUA_KEEP_FORM, lastPdf);
    await t?.close();
  });

  const file = (procedureCode: string) => fileDossier(t, citizen, { procedureCode, agencyCode: HAC_THANH });
  const signedUpload = async () =>
    uploadPdf(t, { token: citizen.token }, undefined, await signPdf(pdfBytes('to-khai'), citizenKey, { signingTime: new Date(), reason: 'Ký tờ khai' }));

  async function act(who: string, id: string, action: string, body: Record<string, unknown> = {}, status = 200) {
    const current = (
      await t
        .http()
        .get(`/api/v1/dossiers/${id}`)
        .set('Authorization', `Bearer ${tok[who] ?? citizen.token}`)
        .expect(200)
    ).body;
    const res = await t
      .http()
      .post(`/api/v1/dossiers/${id}/actions/${action}`)
      .set('Authorization', `Bearer ${tok[who] ?? citizen.token}`)
      .send({ expectedVersion: current.version, ...body });
    expect({ action, status: res.status, body: res.status === status ? 'ok' : res.body }).toEqual({ action, status, body: 'ok' });
    return res.body;
  }

  it('takes a partial-online dossier from filing to the returned result', async () => {
    const d = await file(PARTIAL);
    const seen = (await t.http().get(`/api/v1/dossiers/${d.id}`).set('Authorization', `Bearer ${tok['tiepnhan.hacthanh']}`).expect(200)).body;
    expect(seen.allowedActions.map((a: { action: string }) => a.action)).toEqual(['accept', 'request-supplement', 'refuse']);

    const accepted = await act('tiepnhan.hacthanh', d.id, 'accept', { note: 'Đủ thành phần' });
    expect(accepted).toMatchObject({ status: 'RECEIVED', statusCode: 2, version: 2, stepIndex: 0, deadline: { state: 'RUNNING', stepState: 'RUNNING' } });
    expect(accepted.receivedAt).toEqual(expect.any(String));
    expect(new Date(accepted.deadline.dueAt).getTime()).toBeGreaterThan(new Date(accepted.receivedAt).getTime());

    const assigned = await act('tiepnhan.hacthanh', d.id, 'assign', { assigneeId: ids['chuyenvien.hacthanh'] });
    expect(assigned).toMatchObject({ status: 'IN_PROGRESS', statusCode: 4, stepIndex: 1, stepAssigneeId: ids['chuyenvien.hacthanh'] });

    const asked = await act('chuyenvien.hacthanh', d.id, 'request-supplement', {
      items: [{ componentCode: 'TP04', description: 'Giấy chứng sinh bản rõ nét hơn' }],
    });
    expect(asked).toMatchObject({
      status: 'SUPPLEMENT_REQUESTED',
      statusCode: 5,
      supplement: { requestedAtStatusCode: 4, items: [{ componentCode: 'TP04' }] },
      deadline: { state: 'PAUSED' },
    });

    const newFile = await uploadPdf(t, { token: citizen.token });
    const back = await act('citizen', d.id, 'supplement', { attachments: [{ componentCode: 'TP04', fileId: newFile }] });
    expect(back).toMatchObject({ status: 'IN_PROGRESS', supplement: null, deadline: { state: 'RUNNING' } });
    expect(back.attachments).toContainEqual(expect.objectContaining({ componentCode: 'TP04', fileId: newFile }));

    expect(await act('chuyenvien.hacthanh', d.id, 'request-payment', { amountVnd: 8000, description: 'Lệ phí cấp bản sao trích lục' })).toMatchObject({
      status: 'AWAITING_PAYMENT',
      deadline: { state: 'PAUSED' },
    });
    expect(await act('tiepnhan.hacthanh', d.id, 'confirm-payment', { receiptNumber: 'BL-0001' })).toMatchObject({
      status: 'IN_PROGRESS',
      deadline: { state: 'RUNNING' },
    });
    expect(await act('chuyenvien.hacthanh', d.id, 'forward', { assigneeId: ids['lanhdao.hacthanh'] })).toMatchObject({
      stepIndex: 2,
      stepAssigneeId: ids['lanhdao.hacthanh'],
    });

    const resultFile = await uploadPdf(t, { token: tok['lanhdao.hacthanh'] }, 'trich-luc-khai-sinh');
    const resolved = await act('lanhdao.hacthanh', d.id, 'approve', { outcome: 'GRANTED', resultFileId: resultFile });
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      statusCode: 9,
      result: { outcome: 'GRANTED', fileId: resultFile, timeliness: 'EARLY' },
      deadline: { state: 'STOPPED' },
    });

    // The result is signed with the leader's key (demo CA) and verified before it can be returned.
    const unsigned = await act('tiepnhan.hacthanh', d.id, 'return', { method: 'COUNTER', originalsChecked: true }, 422);
    expect(unsigned.code).toBe('RESULT_NOT_SIGNED');
    expect((await resultSigned(t, tok['tiepnhan.hacthanh'], d.id)).result.signature).toMatchObject({
      status: 'SIGNED',
      indication: 'TOTAL_PASSED',
      signer: expect.stringContaining('Phạm Quốc Hùng'),
    });
    // Originals of a partial-online procedure are checked at return.
    const noCheck = await act('tiepnhan.hacthanh', d.id, 'return', { method: 'COUNTER' }, 422);
    expect(noCheck.code).toBe('ORIGINALS_NOT_CHECKED');
    const returned = await act('tiepnhan.hacthanh', d.id, 'return', { method: 'COUNTER', originalsChecked: true });
    expect(returned).toMatchObject({ status: 'RETURNED', statusCode: 10, returned: { method: 'COUNTER' }, allowedActions: [] });

    const history = (await t.http().get(`/api/v1/dossiers/${d.id}/events`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body;
    expect(history.integrity).toBe('VALID');
    // The forms this life issued, as PDFs, to the citizen and the officers; not to others.
    for (const [number, who] of [
      ['01', citizen.token],
      ['02', tok['tiepnhan.hacthanh']],
      ['06', tok['lanhdao.hacthanh']],
    ] as const) {
      const pdf = await t
        .http()
        .get(`/api/v1/dossiers/${d.code}/forms/${number}`)
        .set('Authorization', `Bearer ${who}`)
        .buffer(true)
        .parse(binaryBody)
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      lastPdf = pdf.body as Buffer;
    }
    const notYet = await t.http().get(`/api/v1/dossiers/${d.id}/forms/05`).set('Authorization', `Bearer ${citizen.token}`).expect(409);
    expect(notYet.body.code).toBe('FORM_NOT_AVAILABLE');
    await t.http().get(`/api/v1/dossiers/${d.id}/forms/09`).set('Authorization', `Bearer ${citizen.token}`).expect(404);
    await t.http().get(`/api/v1/dossiers/${d.id}/forms/01`).set('Authorization', `Bearer ${tok['tiepnhan.tinh']}`).expect(404);
    const types = history.events.map((e: { type: string }) => e.type);
    for (const type of [
      'SUBMITTED',
      'ACCEPT',
      'ASSIGN',
      'REQUEST_SUPPLEMENT',
      'SUPPLEMENT',
      'REQUEST_PAYMENT',
      'CONFIRM_PAYMENT',
      'FORWARD',
      'APPROVE',
      'RETURN',
    ])
      expect(types).toContain(type);
  });

  it('takes a full-online dossier through a reception supplement, a claim, one re-appointment and a denial', async () => {
    // Its application forms must carry a valid signature (signatureRequired).
    const d = await fileDossier(t, citizen, { procedureCode: FULL, agencyCode: HAC_THANH, fileId: await signedUpload() });
    await attachmentsVerified(t, tok['tiepnhan.hacthanh'], d.id);
    expect(await act('tiepnhan.hacthanh', d.id, 'request-supplement', { items: [{ description: 'Bổ sung tờ khai có chữ ký' }] })).toMatchObject({
      status: 'SUPPLEMENT_REQUESTED',
      supplement: { requestedAtStatusCode: 1 },
    });
    const f = await signedUpload();
    const proc = (await t.http().get(`/api/v1/procedures/${FULL}`).expect(200)).body;
    expect(await act('citizen', d.id, 'supplement', { attachments: [{ componentCode: proc.components[0].code, fileId: f }] })).toMatchObject({
      status: 'SUBMITTED',
    });
    await attachmentsVerified(t, tok['tiepnhan.hacthanh'], d.id);
    await act('tiepnhan.hacthanh', d.id, 'accept');
    expect(await act('tiepnhan.hacthanh', d.id, 'assign')).toMatchObject({ stepIndex: 1, stepAssigneeId: null });
    expect(await act('chuyenvien.hacthanh', d.id, 'claim')).toMatchObject({ stepAssigneeId: ids['chuyenvien.hacthanh'] });
    const claimedAgain = await act('chuyenvien.hacthanh', d.id, 'claim', {}, 422);
    expect(claimedAgain.code).toBe('STEP_ALREADY_ASSIGNED');
    const current = (await t.http().get(`/api/v1/dossiers/${d.id}`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body;
    const later = new Date(new Date(current.deadline.dueAt).getTime() + 3 * 86400_000).toISOString();
    const moved = await act('chuyenvien.hacthanh', d.id, 'reschedule', { newDueAt: later, reason: 'Cần xác minh thông tin cư trú' });
    expect(moved).toMatchObject({ rescheduled: true, deadline: { dueAt: later } });
    await t.http().get(`/api/v1/dossiers/${d.id}/forms/04`).set('Authorization', `Bearer ${citizen.token}`).expect(200);
    const twice = await act('chuyenvien.hacthanh', d.id, 'reschedule', { newDueAt: later, reason: 'Lần hai' }, 422);
    expect(twice.code).toBe('ALREADY_RESCHEDULED');
    await act('chuyenvien.hacthanh', d.id, 'forward');
    const noReasons = await act('lanhdao.hacthanh', d.id, 'approve', { outcome: 'DENIED' }, 400);
    expect(noReasons).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'reasons' }] });
    expect(await act('lanhdao.hacthanh', d.id, 'approve', { outcome: 'DENIED', reasons: ['Không đủ điều kiện theo quy định'] })).toMatchObject({
      status: 'RESOLVED',
      result: { outcome: 'DENIED' },
    });
    expect(await act('tiepnhan.hacthanh', d.id, 'return', { method: 'ONLINE' })).toMatchObject({ status: 'RETURNED' });
  });

  it('refuses a stale version with 409, an action of another status with 422 listing what is allowed, and hides the dossier from other agencies', async () => {
    const d = await file(PARTIAL);
    const stale = await t
      .http()
      .post(`/api/v1/dossiers/${d.id}/actions/accept`)
      .set('Authorization', `Bearer ${tok['tiepnhan.hacthanh']}`)
      .send({ expectedVersion: 7 })
      .expect(409);
    expect(stale.body).toMatchObject({ code: 'DOSSIER_VERSION_CONFLICT', details: { currentVersion: 1 } });
    const wrong = await t
      .http()
      .post(`/api/v1/dossiers/${d.id}/actions/approve`)
      .set('Authorization', `Bearer ${tok['tiepnhan.hacthanh']}`)
      .send({ expectedVersion: 1, outcome: 'GRANTED' })
      .expect(422);
    expect(wrong.body).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { allowedActions: ['accept', 'request-supplement', 'refuse'] } });
    await t
      .http()
      .post(`/api/v1/dossiers/${d.id}/actions/accept`)
      .set('Authorization', `Bearer ${tok['tiepnhan.tinh']}`)
      .send({ expectedVersion: 1 })
      .expect(404);
    await t
      .http()
      .post(`/api/v1/dossiers/${d.id}/actions/teleport`)
      .set('Authorization', `Bearer ${tok['tiepnhan.hacthanh']}`)
      .send({ expectedVersion: 1 })
      .expect(404);
    const extra = await t
      .http()
      .post(`/api/v1/dossiers/${d.id}/actions/accept`)
      .set('Authorization', `Bearer ${tok['tiepnhan.hacthanh']}`)
      .send({ expectedVersion: 1, colour: 'red' })
      .expect(400);
    expect(extra.body.code).toBe('UNKNOWN_FIELD');
    const noReasons = await t
      .http()
      .post(`/api/v1/dossiers/${d.id}/actions/refuse`)
      .set('Authorization', `Bearer ${tok['tiepnhan.hacthanh']}`)
      .send({ expectedVersion: 1 })
      .expect(400);
    expect(noReasons.body).toMatchObject({ code: 'VALIDATION_FAILED', details: expect.arrayContaining([expect.objectContaining({ field: 'reasons' })]) });
    // The owner may withdraw, nobody else; after that nothing is possible.
    expect(await act('citizen', d.id, 'withdraw')).toMatchObject({ status: 'WITHDRAWN', statusCode: 7, allowedActions: [] });
  });

  it('lets exactly one of two officers accepting at the same moment win', async () => {
    const d = await file(PARTIAL);
    const results = await Promise.all(
      ['tiepnhan.hacthanh', 'tiepnhan2.hacthanh'].map((who) =>
        t.http().post(`/api/v1/dossiers/${d.id}/actions/accept`).set('Authorization', `Bearer ${tok[who]}`).send({ expectedVersion: 1 }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const events = (await t.http().get(`/api/v1/dossiers/${d.id}/events`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body.events;
    expect(events.filter((e: { type: string }) => e.type === 'ACCEPT')).toHaveLength(1);
    const clocks = await t.db.query(`SELECT kind FROM dossier_clocks WHERE dossier_id = $1 ORDER BY kind`, [d.id]);
    expect(clocks.rows.map((r: { kind: string }) => r.kind)).toEqual(['OVERALL', 'STEP']);
  });

  it('refuses a dossier at reception with reasons', async () => {
    const d = await file(PARTIAL);
    const refused = await act('tiepnhan.hacthanh', d.id, 'refuse', { reasons: ['Hồ sơ không thuộc thẩm quyền của phường'] });
    expect(refused).toMatchObject({ status: 'REFUSED', statusCode: 3, allowedActions: [] });
    await t.http().get(`/api/v1/dossiers/${d.id}/forms/03`).set('Authorization', `Bearer ${citizen.token}`).expect(200);
    await t.http().get(`/api/v1/dossiers/${d.id}/forms/01`).set('Authorization', `Bearer ${citizen.token}`).expect(409);
  });
});
