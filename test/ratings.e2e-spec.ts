import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { uploadPdf } from './support/files.js';
import { act, approveWithResult, BIRTH, fileDossier, HAC_THANH, resultSigned, waitFor, type Filed } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO = 'Demo@2026';
const ALL_TWO = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2, 9: 2 };

describe('satisfaction ratings and complaints', () => {
  let t: TestApp;
  let owner: { idNumber: string; token: string; id: string };
  let stranger: { idNumber: string; token: string; id: string };
  let integratorKey: string;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let steps: string[];
  let returned: Filed;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const must = async (token: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const res = await act(t, token, id, action, body);
    if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const ratingRows = async (dossierId: string) => (await t.db.query(`SELECT * FROM dossier_ratings WHERE dossier_id = $1 ORDER BY revision`, [dossierId])).rows;
  const eventTypes = async (dossierId: string) =>
    (await t.db.query(`SELECT type FROM dossier_events WHERE dossier_id = $1 ORDER BY seq`, [dossierId])).rows.map((r: { type: string }) => r.type);
  const rate = (headers: Record<string, string>, id: string, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/dossiers/${id}/rating`).set(headers).send(body);

  /** A dossier taken through the API to RETURNED: accepted, assigned, claimed, forwarded, approved, its result signed, returned. */
  async function returnedDossier(): Promise<Filed> {
    const d = await fileDossier(t, owner);
    const resultFile = await uploadPdf(t, { token: tok['lanhdao.hacthanh'] }, 'trich-luc-khai-sinh');
    await approveWithResult(
      t,
      { reception: tok['tiepnhan.hacthanh'], specialist: tok['chuyenvien.hacthanh'], leader: tok['lanhdao.hacthanh'] },
      d.id,
      resultFile,
    );
    await resultSigned(t, tok['tiepnhan.hacthanh'], d.id);
    await must(tok['tiepnhan.hacthanh'], d.id, 'return', { method: 'ONLINE', originalsChecked: true });
    return d;
  }

  /** A dossier to RETURNED the short way: a denial (no result to sign). */
  async function deniedAndReturned(): Promise<Filed> {
    const d = await fileDossier(t, owner);
    await must(tok['tiepnhan.hacthanh'], d.id, 'accept');
    await must(tok['tiepnhan.hacthanh'], d.id, 'assign');
    await must(tok['chuyenvien.hacthanh'], d.id, 'claim');
    await must(tok['chuyenvien.hacthanh'], d.id, 'forward');
    await must(tok['lanhdao.hacthanh'], d.id, 'approve', { outcome: 'DENIED', reasons: ['Không đủ điều kiện theo quy định'] });
    await must(tok['tiepnhan.hacthanh'], d.id, 'return', { method: 'ONLINE', originalsChecked: true });
    return d;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    owner = await registerCitizen(t);
    stranger = await registerCitizen(t);
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh', 'tiepnhan.tinh']) {
      tok[name] = await login(t, name, DEMO);
      ids[name] = (await t.http().get('/api/v1/auth/me').set(as(tok[name])).expect(200)).body.id;
    }
    const admin = await login(t, ADMIN.username, ADMIN.password);
    integratorKey = (
      await t
        .http()
        .post('/api/v1/admin/api-keys')
        .set(as(admin))
        .send({ name: `portal-${randomUUID().slice(0, 8)}`, scopes: ['dossiers:read', 'dossiers:write'], agencyCodes: [HAC_THANH] })
        .expect(201)
    ).body.key;
    steps = (await t.http().get(`/api/v1/procedures/${BIRTH}`).expect(200)).body.steps.map((s: { code: string }) => s.code);
    returned = await returnedDossier();
    // Files, processes, signs and returns a dossier: generous on a loaded machine (no figure is judged).
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lets the owner rate a returned dossier once, computing total and band, tied to the officers of its history', async () => {
    const before = (await t.http().get(`/api/v1/dossiers/${returned.id}/rating`).set(as(owner.token)).expect(200)).body;
    expect(before).toMatchObject({ latest: null, revisions: [], canRate: true, correctableUntil: null });
    expect(before.indicators.map((i: { code: string }) => i.code)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(before.indicators.filter((i: { labelSource: string }) => i.labelSource === 'PLACEHOLDER')).toHaveLength(5);

    const res = await rate(as(owner.token), returned.id, {
      overall: 'SATISFIED',
      scores: { ...ALL_TWO, 8: 1, 9: 0 },
      comment: '  Cán bộ hướng dẫn tận tình  ',
    }).expect(201);
    expect(res.body.latest).toMatchObject({
      revision: 1,
      overall: 'SATISFIED',
      total: 15,
      band: 'EXCELLENT',
      comment: 'Cán bộ hướng dẫn tận tình',
      ratedBy: owner.id,
    });
    expect(res.body).toMatchObject({ canRate: false, correctionsLeft: 3 });

    // The officers, as the dossier's own history (read through the API) names them.
    const history = (await t.http().get(`/api/v1/dossiers/${returned.id}/events`).set(as(owner.token)).expect(200)).body.events as Array<{
      type: string;
      actorId: string;
    }>;
    const actorOf = (type: string) => history.find((e) => e.type === type)!.actorId;
    expect([actorOf('ACCEPT'), actorOf('ASSIGN'), actorOf('FORWARD'), actorOf('APPROVE'), actorOf('RESULT_SIGNED'), actorOf('RETURN')]).toEqual([
      ids['tiepnhan.hacthanh'],
      ids['tiepnhan.hacthanh'],
      ids['chuyenvien.hacthanh'],
      ids['lanhdao.hacthanh'],
      ids['lanhdao.hacthanh'],
      ids['tiepnhan.hacthanh'],
    ]);
    const [row] = await ratingRows(returned.id);
    expect(row).toMatchObject({ revision: 1, overall: 'SATISFIED', total: 15, band: 'EXCELLENT', agency_code: HAC_THANH, rated_by: owner.id });
    expect(row.scores).toEqual({ ...ALL_TWO, 8: 1, 9: 0 });
    expect(row.officers).toEqual([
      { role: 'ACCEPTED', step: steps[0], userId: actorOf('ACCEPT') },
      { role: 'PROCESSED', step: steps[0], userId: actorOf('ASSIGN') },
      { role: 'PROCESSED', step: steps[1], userId: actorOf('FORWARD') },
      { role: 'APPROVED', step: steps[2], userId: actorOf('APPROVE') },
      { role: 'SIGNED', step: steps[2], userId: actorOf('RESULT_SIGNED') },
      { role: 'RETURNED', step: 'RETURN', userId: actorOf('RETURN') },
    ]);
    expect(history.map((e) => e.type)).toContain('RATED');
    const rated = history.find((e) => e.type === 'RATED') as unknown as { actorId: string; data: Record<string, unknown> };
    expect(rated).toMatchObject({
      actorId: owner.id,
      data: { ratingId: row.id, revision: 1, total: 15, band: 'EXCELLENT', commentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    // Integrators hear of it through the outbox (no comment in it).
    const told = await waitFor(
      async () => (await t.db.query(`SELECT data FROM integration_events WHERE type = 'dossier.rated' AND dossier_id = $1`, [returned.id])).rows[0],
      'the dossier.rated event',
    );
    expect(told.data).toEqual({
      dossierId: returned.id,
      dossierCode: returned.code,
      ratingId: row.id,
      revision: 1,
      overall: 'SATISFIED',
      total: 15,
      band: 'EXCELLENT',
    });

    const again = await rate(as(owner.token), returned.id, { overall: 'VERY_SATISFIED', scores: ALL_TWO }).expect(409);
    expect(again.body.code).toBe('ALREADY_RATED');
    expect(await ratingRows(returned.id)).toHaveLength(1);
  });

  it('writes a correction as the next revision and leaves revision 1 as it was; the database refuses edits', async () => {
    const [first] = await ratingRows(returned.id);
    const res = await t
      .http()
      .post(`/api/v1/dossiers/${returned.code}/rating/corrections`)
      .set(as(owner.token))
      .send({ overall: 'NOT_SATISFIED', scores: { 1: 0, 2: 1, 3: 1, 4: 0, 5: 1, 6: 1, 7: 0, 8: 1, 9: 0 } })
      .expect(201);
    expect(res.body.latest).toMatchObject({ revision: 2, overall: 'NOT_SATISFIED', total: 5, band: 'WEAK', comment: null });
    expect(res.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(res.body.correctionsLeft).toBe(2);
    const rows = await ratingRows(returned.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(first);
    expect(rows[1].officers).toEqual(first.officers);
    expect(await eventTypes(returned.id)).toEqual(expect.arrayContaining(['RATED', 'RATING_CORRECTED']));
    await expect(t.db.query(`UPDATE dossier_ratings SET total = 18 WHERE dossier_id = $1`, [returned.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM dossier_ratings WHERE dossier_id = $1`, [returned.id])).rejects.toThrow(/append-only/);

    // Staff of the dossier read the rating with its whole history; the chain still holds.
    const seen = (await t.http().get(`/api/v1/dossiers/${returned.id}/rating`).set(as(tok['lanhdao.hacthanh'])).expect(200)).body;
    expect(seen).toMatchObject({ latest: { revision: 2 }, canRate: false });
    expect(seen.revisions).toHaveLength(2);
    expect((await t.http().get(`/api/v1/dossiers/${returned.id}/events`).set(as(owner.token)).expect(200)).body.integrity).toBe('VALID');

    // At most 3 corrections.
    for (const revision of [3, 4]) {
      const r = await t
        .http()
        .post(`/api/v1/dossiers/${returned.id}/rating/corrections`)
        .set(as(owner.token))
        .send({ overall: 'SATISFIED', scores: ALL_TWO })
        .expect(201);
      expect(r.body.latest.revision).toBe(revision);
    }
    const fourth = await t
      .http()
      .post(`/api/v1/dossiers/${returned.id}/rating/corrections`)
      .set(as(owner.token))
      .send({ overall: 'SATISFIED', scores: ALL_TWO })
      .expect(409);
    expect(fourth.body.code).toBe('TOO_MANY_CORRECTIONS');
    expect(await ratingRows(returned.id)).toHaveLength(4);
  });

  it('lets nobody else rate or correct: another citizen (404), the officer and an integrator key (403); nothing is written', async () => {
    const d = await deniedAndReturned();
    const body = { overall: 'VERY_SATISFIED', scores: ALL_TWO };
    expect((await rate(as(stranger.token), d.id, body).expect(404)).body.code).toBe('DOSSIER_NOT_FOUND');
    for (const officer of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh', 'tiepnhan.tinh']) {
      expect((await rate(as(tok[officer]), d.id, body).expect(403)).body.code).toBe('FORBIDDEN');
    }
    expect((await rate({ 'X-API-Key': integratorKey }, d.id, body).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.http().post(`/api/v1/dossiers/${d.id}/rating/corrections`).set(as(stranger.token)).send(body).expect(404)).body.code).toBe(
      'DOSSIER_NOT_FOUND',
    );
    expect((await t.http().post(`/api/v1/dossiers/${d.id}/rating/corrections`).set(as(tok['tiepnhan.hacthanh'])).send(body).expect(403)).body.code).toBe(
      'FORBIDDEN',
    );
    expect(await ratingRows(d.id)).toEqual([]);
    expect(await eventTypes(d.id)).not.toContain('RATED');
    // Reading: not the stranger's (404), not an integrator's (403).
    await t.http().get(`/api/v1/dossiers/${d.id}/rating`).set(as(stranger.token)).expect(404);
    await t.http().get(`/api/v1/dossiers/${d.id}/rating`).set({ 'X-API-Key': integratorKey }).expect(403);
    expect((await t.http().get(`/api/v1/dossiers/${d.id}/rating`).set(as(tok['tiepnhan.hacthanh'])).expect(200)).body).toMatchObject({
      latest: null,
      canRate: false,
    });

    // Its owner may (a denial returned is a result too); no correction before a rating.
    expect((await t.http().post(`/api/v1/dossiers/${d.id}/rating/corrections`).set(as(owner.token)).send(body).expect(409)).body.code).toBe('NOT_RATED');
    const ok = await rate(as(owner.token), d.id, body).expect(201);
    expect(ok.body.latest.officers.map((o: { role: string }) => o.role)).toEqual(['ACCEPTED', 'PROCESSED', 'PROCESSED', 'APPROVED', 'RETURNED']);
  }, 60_000);

  it('refuses a rating before the result is returned (409 RESULT_NOT_RETURNED), and after the correction window', async () => {
    const open = await fileDossier(t, owner);
    const early = await rate(as(owner.token), open.id, { overall: 'SATISFIED', scores: ALL_TWO }).expect(409);
    expect(early.body).toMatchObject({ code: 'RESULT_NOT_RETURNED', details: { status: 'SUBMITTED', statusCode: 1 } });
    await must(tok['tiepnhan.hacthanh'], open.id, 'accept');
    expect((await rate(as(owner.token), open.id, { overall: 'SATISFIED', scores: ALL_TWO }).expect(409)).body.code).toBe('RESULT_NOT_RETURNED');
    expect(await ratingRows(open.id)).toEqual([]);

    // A rating made 8 days ago (written as the service would have then) can no longer be corrected.
    const d = await deniedAndReturned();
    await t.db.query(
      `INSERT INTO dossier_ratings (dossier_id, revision, agency_code, overall, scores, total, band, officers, rated_by, rated_at)
       VALUES ($1, 1, $2, 'SATISFIED', $3, 18, 'EXCELLENT', '[]', $4, now() - interval '8 days')`,
      [d.id, HAC_THANH, JSON.stringify(ALL_TWO), owner.id],
    );
    const late = await t
      .http()
      .post(`/api/v1/dossiers/${d.id}/rating/corrections`)
      .set(as(owner.token))
      .send({ overall: 'NOT_SATISFIED', scores: ALL_TWO })
      .expect(409);
    expect(late.body).toMatchObject({ code: 'CORRECTION_WINDOW_CLOSED', details: { correctableUntil: expect.any(String) } });
    expect(await ratingRows(d.id)).toHaveLength(1);
  }, 60_000);

  it('refuses bad bodies, each with its code and field, writing nothing', async () => {
    const d = await deniedAndReturned();
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ overall: 'SATISFIED', scores: { ...ALL_TWO, 9: undefined } }, 422, 'INVALID_SCORES', 'scores.9'],
      [{ overall: 'SATISFIED', scores: { ...ALL_TWO, 3: 3 } }, 422, 'INVALID_SCORES', 'scores.3'],
      [{ overall: 'SATISFIED', scores: { ...ALL_TWO, 4: -1 } }, 422, 'INVALID_SCORES', 'scores.4'],
      [{ overall: 'SATISFIED', scores: { ...ALL_TWO, 5: 1.5 } }, 422, 'INVALID_SCORES', 'scores.5'],
      [{ overall: 'SATISFIED', scores: { ...ALL_TWO, 6: '2' } }, 422, 'INVALID_SCORES', 'scores.6'],
      [{ overall: 'SATISFIED', scores: { ...ALL_TWO, 10: 1 } }, 422, 'INVALID_SCORES', 'scores.10'],
      [{ overall: 'SATISFIED', scores: [2, 2, 2, 2, 2, 2, 2, 2, 2] }, 422, 'INVALID_SCORES', 'scores'],
      [{ overall: 'SATISFIED' }, 422, 'INVALID_SCORES', 'scores'],
      [{ scores: ALL_TWO }, 400, 'VALIDATION_FAILED', 'overall'],
      [{ overall: 'HAPPY', scores: ALL_TWO }, 400, 'VALIDATION_FAILED', 'overall'],
      [{ overall: 'SATISFIED', scores: ALL_TWO, comment: 'x'.repeat(1001) }, 400, 'VALIDATION_FAILED', 'comment'],
      [{ overall: 'SATISFIED', scores: ALL_TWO, comment: 42 }, 400, 'VALIDATION_FAILED', 'comment'],
      [{ overall: 'SATISFIED', scores: ALL_TWO, total: 18 }, 400, 'UNKNOWN_FIELD', 'total'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await rate(as(owner.token), d.id, body);
      expect({ body, status: res.status, code: res.body.code, fields: (res.body.details ?? []).map((x: { field: string }) => x.field) }).toEqual({
        body,
        status,
        code,
        fields: expect.arrayContaining([field]),
      });
    }
    expect(await ratingRows(d.id)).toEqual([]);
    expect(await eventTypes(d.id)).not.toContain('RATED');
  }, 60_000);

  it('takes complaints from the owner at any time after filing, lists them to the owner and the staff, and limits them per dossier', async () => {
    const d = await fileDossier(t, owner);
    const complain = (headers: Record<string, string>, content: unknown) => t.http().post(`/api/v1/dossiers/${d.id}/complaints`).set(headers).send({ content });
    const filed = await complain(as(owner.token), '  Tôi phải đến trụ sở hai lần để bổ sung cùng một giấy tờ ').expect(201);
    expect(filed.body).toMatchObject({ dossierId: d.id, content: 'Tôi phải đến trụ sở hai lần để bổ sung cùng một giấy tờ', filedBy: owner.id });
    const [row] = (await t.db.query(`SELECT * FROM dossier_complaints WHERE dossier_id = $1`, [d.id])).rows;
    expect(row).toMatchObject({ id: filed.body.id, agency_code: HAC_THANH, filed_by: owner.id });
    const history = (await t.http().get(`/api/v1/dossiers/${d.id}/events`).set(as(owner.token)).expect(200)).body;
    expect(history.integrity).toBe('VALID');
    expect(history.events.find((e: { type: string }) => e.type === 'COMPLAINT_FILED')).toMatchObject({
      actorId: owner.id,
      data: { complaintId: filed.body.id, contentSha256: expect.any(String) },
    });
    await waitFor(
      async () => (await t.db.query(`SELECT 1 FROM integration_events WHERE type = 'dossier.complaint_filed' AND dossier_id = $1`, [d.id])).rows[0],
      'the complaint event',
    );

    for (const who of [owner.token, tok['tiepnhan.hacthanh'], tok['lanhdao.hacthanh']]) {
      const list = (await t.http().get(`/api/v1/dossiers/${d.id}/complaints`).set(as(who)).expect(200)).body;
      expect(list.items).toEqual([filed.body]);
    }
    await t.http().get(`/api/v1/dossiers/${d.id}/complaints`).set(as(stranger.token)).expect(404);
    await t.http().get(`/api/v1/dossiers/${d.id}/complaints`).set(as(tok['tiepnhan.tinh'])).expect(404);

    // Nobody else files one; blank or too long is refused.
    expect((await complain(as(stranger.token), 'Giả mạo').expect(404)).body.code).toBe('DOSSIER_NOT_FOUND');
    expect((await complain(as(tok['tiepnhan.hacthanh']), 'Cán bộ').expect(403)).body.code).toBe('FORBIDDEN');
    expect((await complain({ 'X-API-Key': integratorKey }, 'Hệ thống').expect(403)).body.code).toBe('FORBIDDEN');
    for (const bad of ['   ', '', 'x'.repeat(2001), 7, undefined]) {
      expect((await complain(as(owner.token), bad).expect(400)).body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: expect.arrayContaining([expect.objectContaining({ field: 'content' })]),
      });
    }
    // At most 3 in 24 hours per dossier: the fourth waits (Retry-After).
    await complain(as(owner.token), 'Lần hai').expect(201);
    await complain(as(owner.token), 'Lần ba').expect(201);
    const fourth = await complain(as(owner.token), 'Lần bốn').expect(429);
    expect(fourth.body.code).toBe('COMPLAINTS_TOO_FREQUENT');
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM dossier_complaints WHERE dossier_id = $1`, [d.id])).rows[0].n).toBe(3);
  });
});
