import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { vietnamDate } from '../src/common/clock.js';
import { ADMIN, CARD_ISSUED_ON, login, registerCitizen } from './support/auth.js';
import { uploadPdf } from './support/files.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const HAC_THANH = '000.00.20.H56'; // commune service centre (resolves commune procedures)
const HAM_RONG = '000.00.21.H56';
const PROVINCE_CENTRE = '000.00.01.H56';
const BIRTH = '1.001193'; // PARTIAL_ONLINE, commune level
const DEMO_PASSWORD = 'Demo@2026';

describe('dossier submission and access', () => {
  let t: TestApp;
  let citizen: { idNumber: string; token: string; id: string };
  let other: { idNumber: string; token: string; id: string };
  let fileId: string;
  let requiredBirth: string[];

  const applicant = (idNumber: string) => ({
    fullName: 'Nguyễn Văn An',
    idNumber,
    dateOfBirth: '1990-03-15',
    phone: '0912345678',
    address: 'Số 5 Lê Lợi, phường Hạc Thành, Thanh Hóa',
  });
  const body = (over: Record<string, unknown> = {}) => ({
    procedureCode: BIRTH,
    agencyCode: HAC_THANH,
    applicant: applicant(citizen.idNumber),
    formData: { childName: 'Nguyễn Thị Mai', childDateOfBirth: '2026-11-01' },
    attachments: requiredBirth.map((componentCode) => ({ componentCode, fileId })),
    resultDelivery: 'ONLINE',
    ...over,
  });
  const submit = (token: string, payload: unknown, key: string | null = randomUUID()) => {
    const r = t.http().post('/api/v1/dossiers').set('Authorization', `Bearer ${token}`);
    if (key) r.set('Idempotency-Key', key);
    return r.send(payload as object);
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    citizen = await registerCitizen(t);
    other = await registerCitizen(t);
    fileId = await uploadPdf(t, { token: citizen.token });
    const proc = await t.http().get(`/api/v1/procedures/${BIRTH}`).expect(200);
    requiredBirth = proc.body.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => c.code);
    expect(requiredBirth.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('files a dossier: 201 with its code, status 1 and both agencies', async () => {
    const res = await submit(citizen.token, body()).expect(201);
    // The code carries the submission's date in Vietnam (from the answer, not the wall clock: the test may cross midnight).
    const today = vietnamDate(new Date(res.body.submittedAt)).slice(2).replace(/-/g, '');
    expect(res.body).toMatchObject({
      status: 'SUBMITTED',
      statusCode: 1,
      serviceLevel: 'PARTIAL_ONLINE',
      procedureCode: BIRTH,
      procedureVersion: 1,
      agencyCode: HAC_THANH,
      competentAgencyCode: HAC_THANH,
      resultDelivery: 'ONLINE',
      version: 1,
      applicant: { idNumber: citizen.idNumber, fullName: 'Nguyễn Văn An' },
    });
    expect(res.body.code).toMatch(new RegExp(`^000\\.00\\.20\\.H56-${today}-\\d{4}$`));
    expect(res.body.attachments).toHaveLength(requiredBirth.length);
    expect(res.headers.location).toBe(`/api/v1/dossiers/${res.body.id}`);
    const events = await t.http().get(`/api/v1/dossiers/${res.body.id}/events`).set('Authorization', `Bearer ${citizen.token}`).expect(200);
    expect(events.body).toMatchObject({ integrity: 'VALID', events: [{ seq: 1, type: 'SUBMITTED', prevHash: '0'.repeat(64) }] });
    const outbox = await t.db.query(`SELECT payload FROM outbox WHERE payload->>'dossierId' = $1`, [res.body.id]);
    expect(outbox.rows).toEqual([{ payload: expect.objectContaining({ status: 'SUBMITTED', code: res.body.code }) }]);
  });

  it('replays the same key and body without creating anything, and refuses the key with another body', async () => {
    const key = randomUUID();
    const first = await submit(citizen.token, body(), key).expect(201);
    const again = await submit(citizen.token, body(), key).expect(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.code).toBe(first.body.code);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const reused = await submit(citizen.token, body({ resultDelivery: 'POSTAL' }), key).expect(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'Idempotency-Key' }] });
    const count = await t.db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1`, [key]);
    expect(count.rows[0].n).toBe(1);
    // Keys are per caller: another citizen may use the same key string for their own filing.
    const otherFile = await uploadPdf(t, { token: other.token });
    const theirs = await submit(
      other.token,
      body({ applicant: applicant(other.idNumber), attachments: requiredBirth.map((componentCode) => ({ componentCode, fileId: otherFile })) }),
      key,
    ).expect(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('is safe under concurrent retries: ten at once with one key make one dossier', async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(citizen.token, body(), key)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM dossiers WHERE id = $1`, [results[0].body.id]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('gives 50 parallel submissions to one agency 50 distinct codes', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => submit(citizen.token, body({ agencyCode: HAM_RONG }))));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const codes = results.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(50);
    const seqs = codes.map((c) => Number(c.split('-').pop())).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('refuses bad input with a clear error naming the field, and stores nothing', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM dossiers')).rows[0].n;
    const cases: Array<[unknown, string | null, number, string, string]> = [
      [body({ procedureCode: '9.999999' }), randomUUID(), 422, 'UNKNOWN_PROCEDURE', 'procedureCode'],
      [body({ attachments: [] }), randomUUID(), 422, 'MISSING_COMPONENT', 'attachments'],
      [body({ attachments: [{ componentCode: 'TP99', fileId }] }), randomUUID(), 422, 'UNKNOWN_COMPONENT', 'attachments[0].componentCode'],
      [
        body({ attachments: requiredBirth.map((componentCode) => ({ componentCode, fileId: randomUUID() })) }),
        randomUUID(),
        422,
        'UNKNOWN_FILE',
        'attachments[0].fileId',
      ],
      [body({ applicant: { ...applicant(citizen.idNumber), idNumber: '12345' } }), randomUUID(), 400, 'INVALID_ID_NUMBER', 'applicant.idNumber'],
      [body({ applicant: { ...applicant(citizen.idNumber), phone: 'abc' } }), randomUUID(), 400, 'VALIDATION_FAILED', 'applicant.phone'],
      [body({ colour: 'blue' }), randomUUID(), 400, 'UNKNOWN_FIELD', 'colour'],
      [body({ resultDelivery: 'DRONE' }), randomUUID(), 400, 'VALIDATION_FAILED', 'resultDelivery'],
      [body({ agencyCode: '000.00.05.H56' }), randomUUID(), 422, 'AGENCY_NOT_RECEIVING', 'agencyCode'],
      [body({ agencyCode: '000.00.99.H56' }), randomUUID(), 422, 'UNKNOWN_AGENCY', 'agencyCode'],
      [body({ agencyCode: PROVINCE_CENTRE }), randomUUID(), 422, 'COMPETENT_AGENCY_REQUIRED', 'competentAgencyCode'],
      [body({ agencyCode: PROVINCE_CENTRE, competentAgencyCode: '000.00.05.H56' }), randomUUID(), 422, 'COMPETENT_AGENCY_INVALID', 'competentAgencyCode'],
      [body(), null, 400, 'IDEMPOTENCY_KEY_REQUIRED', 'Idempotency-Key'],
      [body(), 'short', 400, 'IDEMPOTENCY_KEY_REQUIRED', 'Idempotency-Key'],
    ];
    for (const [payload, key, status, code, field] of cases) {
      const res = await submit(citizen.token, payload, key);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(res.body.requestId).toEqual(expect.any(String));
    }
    // Someone else's file is not "yours" either.
    const foreign = await uploadPdf(t, { token: other.token });
    const res = await submit(citizen.token, body({ attachments: requiredBirth.map((componentCode) => ({ componentCode, fileId: foreign })) })).expect(422);
    expect(res.body.code).toBe('UNKNOWN_FILE');
    expect((await t.db.query('SELECT count(*)::int AS n FROM dossiers')).rows[0].n).toBe(before);
  });

  it('lets a commune procedure be filed at the provincial centre once the competent commune is chosen', async () => {
    const res = await submit(citizen.token, body({ agencyCode: PROVINCE_CENTRE, competentAgencyCode: HAM_RONG })).expect(201);
    expect(res.body).toMatchObject({ agencyCode: PROVINCE_CENTRE, competentAgencyCode: HAM_RONG });
    expect(res.body.code.startsWith(`${PROVINCE_CENTRE}-`)).toBe(true);
    // Staff of either agency see it; staff of a third do not.
    const hamRongStaff = await createStaff(t, 'chuyenvien.hamrong', 'SPECIALIST', HAM_RONG);
    await t.http().get(`/api/v1/dossiers/${res.body.id}`).set('Authorization', `Bearer ${hamRongStaff}`).expect(200);
    const centre = await login(t, 'tiepnhan.tinh', DEMO_PASSWORD);
    await t.http().get(`/api/v1/dossiers/${res.body.code}`).set('Authorization', `Bearer ${centre}`).expect(200);
  });

  it('refuses counter delivery for a full-online procedure', async () => {
    const proc = await t.http().get('/api/v1/procedures?serviceLevel=FULL_ONLINE&agencyLevel=COMMUNE').expect(200);
    const code = proc.body.items[0].code;
    const full = await t.http().get(`/api/v1/procedures/${code}`).expect(200);
    const attachments = full.body.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => ({ componentCode: c.code, fileId }));
    const res = await submit(citizen.token, body({ procedureCode: code, attachments, resultDelivery: 'COUNTER' })).expect(422);
    expect(res.body).toMatchObject({ code: 'DELIVERY_NOT_ALLOWED', details: [{ field: 'resultDelivery' }] });
    const ok = await submit(citizen.token, body({ procedureCode: code, attachments, resultDelivery: 'POSTAL' })).expect(201);
    expect(ok.body.serviceLevel).toBe('FULL_ONLINE');
  });

  it('shows a dossier to its owner and the agency staff, and 404 to everyone else', async () => {
    const d = (await submit(citizen.token, body()).expect(201)).body;
    await t.http().get(`/api/v1/dossiers/${d.id}`).expect(401);
    await t.http().get(`/api/v1/dossiers/${d.id}`).set('Authorization', `Bearer ${citizen.token}`).expect(200);
    await t.http().get(`/api/v1/dossiers/${d.code}`).set('Authorization', `Bearer ${citizen.token}`).expect(200);
    const officer = await login(t, 'tiepnhan.hacthanh', DEMO_PASSWORD);
    const seen = await t.http().get(`/api/v1/dossiers/${d.code}`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(seen.body.id).toBe(d.id);
    for (const token of [other.token, await login(t, 'chuyenvien.congan', DEMO_PASSWORD), await login(t, ADMIN.username, ADMIN.password)]) {
      const res = await t.http().get(`/api/v1/dossiers/${d.id}`).set('Authorization', `Bearer ${token}`).expect(404);
      expect(res.body.code).toBe('DOSSIER_NOT_FOUND');
      await t.http().get(`/api/v1/dossiers/${d.id}/events`).set('Authorization', `Bearer ${token}`).expect(404);
    }
    await t.http().get(`/api/v1/dossiers/${randomUUID()}`).set('Authorization', `Bearer ${citizen.token}`).expect(404);
    await t.http().get('/api/v1/dossiers/not-a-code').set('Authorization', `Bearer ${citizen.token}`).expect(404);
    // The agency's officers may read the attached files; other agencies' may not.
    await t.http().get(`/api/v1/files/${fileId}/content`).set('Authorization', `Bearer ${officer}`).expect(200);
    await t
      .http()
      .get(`/api/v1/files/${fileId}`)
      .set('Authorization', `Bearer ${await login(t, 'chuyenvien.congan', DEMO_PASSWORD)}`)
      .expect(404);
    // Processing staff cannot file; a reception officer files only what came to the counter or by post.
    const specialistFiling = await submit(await login(t, 'chuyenvien.hacthanh', DEMO_PASSWORD), body()).expect(403);
    expect(specialistFiling.body.code).toBe('FORBIDDEN');
    const officerOnline = await submit(officer, body()).expect(422);
    expect(officerOnline.body).toMatchObject({ code: 'CHANNEL_NOT_ALLOWED', details: [{ field: 'channel' }] });
  });

  it('lists what the caller may see, filtered and cursor-paginated', async () => {
    const mine = await collect(citizen.token, '');
    const theirs = await collect(other.token, '');
    expect(mine.length).toBeGreaterThan(50);
    expect(theirs.length).toBe(1);
    expect(new Set(mine.map((d) => d.id)).size).toBe(mine.length);
    const sorted = [...mine].sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0));
    expect(mine.map((d) => d.submittedAt)).toEqual(sorted.map((d) => d.submittedAt));
    const officer = await login(t, 'tiepnhan.hacthanh', DEMO_PASSWORD);
    const atHacThanh = await collect(officer, '');
    expect(atHacThanh.length).toBeGreaterThan(0);
    expect(atHacThanh.every((d) => d.agencyCode === HAC_THANH || d.competentAgencyCode === HAC_THANH)).toBe(true);
    // The day (in Vietnam) of one such filing, not the wall clock's: the suite may cross midnight.
    const day = vietnamDate(new Date(mine.find((d) => d.procedureCode === BIRTH && d.status === 'SUBMITTED')!.submittedAt));
    const filtered = await collect(citizen.token, `&procedureCode=${BIRTH}&status=SUBMITTED&from=${day}&to=${day}`);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((d) => d.procedureCode === BIRTH && d.status === 'SUBMITTED')).toBe(true);
    const none = await t.http().get('/api/v1/dossiers?from=2020-01-01&to=2020-01-31').set('Authorization', `Bearer ${citizen.token}`).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    const bad = await t.http().get('/api/v1/dossiers?cursor=garbage').set('Authorization', `Bearer ${citizen.token}`).expect(400);
    expect(bad.body.code).toBe('INVALID_CURSOR');
    const admin = await login(t, ADMIN.username, ADMIN.password);
    await t.http().get('/api/v1/dossiers').set('Authorization', `Bearer ${admin}`).expect(403);
  });

  it('keeps the history append-only: the database refuses edits and deletions', async () => {
    const d = (await submit(citizen.token, body()).expect(201)).body;
    await expect(t.db.query(`UPDATE dossier_events SET data = '{}' WHERE dossier_id = $1`, [d.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM dossier_events WHERE dossier_id = $1`, [d.id])).rejects.toThrow(/append-only/);
    const events = await t.http().get(`/api/v1/dossiers/${d.id}/events`).set('Authorization', `Bearer ${citizen.token}`).expect(200);
    expect(events.body.integrity).toBe('VALID');
  });

  it('lets an integrator file for a citizen within its agencies and scopes', async () => {
    const admin = await login(t, ADMIN.username, ADMIN.password);
    const makeKey = async (scopes: string[], agencyCodes: string[]) =>
      (
        await t
          .http()
          .post('/api/v1/admin/api-keys')
          .set('Authorization', `Bearer ${admin}`)
          .send({ name: `portal-${randomUUID().slice(0, 8)}`, scopes, agencyCodes })
          .expect(201)
      ).body.key as string;
    const key = await makeKey(['dossiers:read', 'dossiers:write'], [HAC_THANH]);
    const file = await uploadPdf(t, { apiKey: key });
    const payload = body({ applicant: applicant(other.idNumber), attachments: requiredBirth.map((componentCode) => ({ componentCode, fileId: file })) });
    const filed = await t.http().post('/api/v1/dossiers').set('X-API-Key', key).set('Idempotency-Key', randomUUID()).send(payload).expect(201);
    // It belongs to the verified identity for the CCCD it carries: not to an account that only
    // typed that CCCD in, until an officer has checked the card.
    await t.http().get(`/api/v1/dossiers/${filed.body.id}`).set('Authorization', `Bearer ${other.token}`).expect(404);
    await t
      .http()
      .post('/api/v1/auth/identity-checks')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: other.idNumber, idNumber: other.idNumber, issuedOn: CARD_ISSUED_ON })
      .expect(201);
    const verified = await login(t, other.idNumber, 'MatKhau123');
    await t.http().get(`/api/v1/dossiers/${filed.body.id}`).set('Authorization', `Bearer ${verified}`).expect(200);
    await t.http().get(`/api/v1/dossiers/${filed.body.id}`).set('X-API-Key', key).expect(200);
    const elsewhere = await t
      .http()
      .post('/api/v1/dossiers')
      .set('X-API-Key', key)
      .set('Idempotency-Key', randomUUID())
      .send({ ...payload, agencyCode: HAM_RONG })
      .expect(403);
    expect(elsewhere.body).toMatchObject({ code: 'AGENCY_NOT_ALLOWED', details: [{ field: 'agencyCode' }] });
    const readOnly = await makeKey(['dossiers:read'], []);
    const noWrite = await t.http().post('/api/v1/dossiers').set('X-API-Key', readOnly).set('Idempotency-Key', randomUUID()).send(payload).expect(403);
    expect(noWrite.body.code).toBe('MISSING_SCOPE');
    const otherAgencyKey = await makeKey(['dossiers:read'], ['000.00.22.H56']);
    await t.http().get(`/api/v1/dossiers/${filed.body.id}`).set('X-API-Key', otherAgencyKey).expect(404);
  });

  async function collect(token: string, query: string): Promise<Array<Record<string, string>>> {
    const all: Array<Record<string, string>> = [];
    let cursor: string | null = null;
    do {
      const res = await t
        .http()
        .get(`/api/v1/dossiers?limit=7${query}${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      const page = res.body as { items: Array<Record<string, string>>; nextCursor: string | null };
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }
});

async function createStaff(t: TestApp, username: string, role: string, agencyCode: string): Promise<string> {
  const admin = await login(t, ADMIN.username, ADMIN.password);
  await t
    .http()
    .post('/api/v1/admin/users')
    .set('Authorization', `Bearer ${admin}`)
    .send({ username, password: 'CanBo2026x', fullName: 'Cán bộ thử nghiệm', role, agencyCode })
    .expect(201);
  return login(t, username, 'CanBo2026x');
}
