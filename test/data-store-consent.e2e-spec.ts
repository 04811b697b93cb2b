import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../src/common/clock.js';
import { asAdmin, CARD_ISSUED_ON, login, nextCccd, registerCitizen, registerVerifiedCitizen } from './support/auth.js';
import { HAC_THANH } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const HAM_RONG = '000.00.21.H56'; // another commune's centre: it receives the same procedures
const MARITAL = '1.004873'; // Giấy xác nhận tình trạng hôn nhân: at the counter TP03 (identity paper) and TP06 (paper form)
const BIRTH = '1.001193';
const DEMO = 'Demo@2026';
const MINUTE = 60_000;

type Json = Record<string, any>;

/**
 * Issue 20, item 1, tried as the attacker would: an officer of another centre filing throw-away
 * counter dossiers for a stranger's CCCD to read, reuse and download what other centres digitised
 * for that person, or to slip their own scans into that person's store. Each attempt fails; the
 * citizen's consent (a share code) opens what it covers; a card check lets a filing's scans in;
 * the citizen sees every read; the leaders are told of the pattern.
 */
describe('a person’s data store opens only for them, or with their consent', () => {
  const clock = new ManualClock(new Date('2026-12-03T02:00:00Z')); // a Thursday, 09:00 in Hà Nội
  let t: TestApp;
  const tok: Record<string, string> = {};
  let victim: { idNumber: string; token: string; id: string };
  let applicant: Json;
  let home: Json; // the Hạc Thành dossier whose scans are the victim's store
  let docs: Record<string, Json>; // the victim's documents by component code
  let probe: Json; // the Hàm Rồng officer's throw-away dossier for the victim's CCCD
  let share: Json; // the victim's share code for Hàm Rồng, covering the identity paper only
  let reusedDossier: Json;

  const bearer = (who: string) => ({ Authorization: `Bearer ${tok[who]}` });
  const fileWithKey = (who: string, key: string, body: Json, shareCode?: string) => {
    const req = t.http().post('/api/v1/dossiers').set(bearer(who)).set('Idempotency-Key', key);
    return (shareCode ? req.set('X-Share-Code', shareCode) : req).send(body);
  };
  const file = (who: string, body: Json, shareCode?: string) => fileWithKey(who, randomUUID(), body, shareCode);
  const scan = (who: string, label: string) => uploadPdf(t, { token: tok[who] }, label);
  const counter = async (who: string, agencyCode: string, over: Json = {}): Promise<Json> => ({
    procedureCode: MARITAL,
    agencyCode,
    channel: 'COUNTER',
    resultDelivery: 'COUNTER',
    applicant,
    attachments: [
      { componentCode: 'TP03', fileId: await scan(who, 'cc') },
      { componentCode: 'TP06', fileId: await scan(who, 'tk') },
    ],
    ...over,
  });
  const listStore = (who: string, dossierId: string, shareCode?: string) => {
    const req = t.http().get(`/api/v1/dossiers/${dossierId}/applicant-documents`).set(bearer(who));
    return shareCode ? req.set('X-Share-Code', shareCode) : req;
  };
  const shared = (who: string, shareCode: string) => t.http().get('/api/v1/store/shared-documents').set(bearer(who)).set('X-Share-Code', shareCode);
  const myDocs = async (token = victim.token) =>
    (
      await t
        .http()
        .get('/api/v1/me/documents')
        .set({ Authorization: `Bearer ${token}` })
        .expect(200)
    ).body as Json[];
  const giveCode = (body: Json, token = victim.token) =>
    t
      .http()
      .post('/api/v1/me/documents/share-codes')
      .set({ Authorization: `Bearer ${token}` })
      .send(body);
  const cardCheck = (who: string, idNumber: string, over: Json = {}) =>
    t
      .http()
      .post('/api/v1/auth/identity-checks')
      .set(bearer(who))
      .send({ idNumber, issuedOn: CARD_ISSUED_ON, ...over });
  const count = async (table: string) => (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  const expectError = (res: { status: number; body: Json }, status: number, code: string, field?: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    if (field) expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  };

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { LOG_LEVEL: 'error', SEED_DEMO: 'true', STORE_ALERT_REFUSED_PER_DAY: '3' } });
    const admin = await asAdmin(t);
    for (const [username, fullName, role] of [
      ['tiepnhan.hamrong', 'Ngô Văn Tò (một cửa phường Hàm Rồng)', 'RECEPTION_OFFICER'],
      ['tiepnhan2.hamrong', 'Đinh Thị Mò (một cửa phường Hàm Rồng)', 'RECEPTION_OFFICER'],
      ['lanhdao.hamrong', 'Lý Văn Canh (Chủ tịch UBND phường Hàm Rồng)', 'LEADER'],
    ]) {
      await t
        .http()
        .post('/api/v1/admin/users')
        .set(admin)
        .send({ username, password: 'CanBo@2026', fullName, role, agencyCode: HAM_RONG, phone: '0912000111' })
        .expect(201);
      tok[username] = await login(t, username, 'CanBo@2026');
    }
    for (const name of ['tiepnhan.hacthanh', 'lanhdao.hacthanh', 'tiepnhan.tinh']) tok[name] = await login(t, name, DEMO);
    victim = await registerVerifiedCitizen(t, { fullName: 'Trịnh Thị Hoa' });
    applicant = {
      fullName: 'Trịnh Thị Hoa',
      idNumber: victim.idNumber,
      dateOfBirth: '1990-03-15',
      phone: '0912777888',
      address: 'Số 12 Lê Hoàn, phường Hạc Thành, Thanh Hóa',
    };

    // The genuine visit: Hạc Thành checks her card, files and accepts; the scans enter her store.
    const check = (await cardCheck('tiepnhan.hacthanh', victim.idNumber).expect(201)).body;
    home = (
      await file('tiepnhan.hacthanh', {
        procedureCode: MARITAL,
        agencyCode: HAC_THANH,
        channel: 'COUNTER',
        accept: true,
        resultDelivery: 'COUNTER',
        applicant,
        identityCheckId: check.id,
        attachments: [
          { componentCode: 'TP03', fileId: await scan('tiepnhan.hacthanh', 'can-cuoc'), issuedOn: CARD_ISSUED_ON, validUntil: '2036-06-01' },
          { componentCode: 'TP04', fileId: await scan('tiepnhan.hacthanh', 'cu-tru'), issuedOn: '2026-12-01', validUntil: '2027-06-01' },
          { componentCode: 'TP06', fileId: await scan('tiepnhan.hacthanh', 'to-khai') },
        ],
      }).expect(201)
    ).body;
    expect(home.status).toBe('RECEIVED');
    const stored = await myDocs();
    expect(stored.map((d) => d.type.code).sort()).toEqual(['TP03', 'TP04', 'TP06']);
    docs = Object.fromEntries(stored.map((d) => [d.type.code, d]));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows an officer of another centre none of what other centres digitised, and lets them neither reuse nor download it', async () => {
    probe = (await file('tiepnhan.hamrong', await counter('tiepnhan.hamrong', HAM_RONG)).expect(201)).body;
    expect((await listStore('tiepnhan.hamrong', probe.id).expect(200)).body).toEqual([]);
    // The centre that digitised them sees them, without any consent: it held them already.
    const own = (await listStore('tiepnhan.hacthanh', home.id).expect(200)).body as Json[];
    expect(own.map((d) => d.id).sort()).toEqual(
      Object.values(docs)
        .map((d) => d.id)
        .sort(),
    );

    const before = await count('dossiers');
    const reuse = await file(
      'tiepnhan.hamrong',
      await counter('tiepnhan.hamrong', HAM_RONG, {
        attachments: [
          { componentCode: 'TP03', documentId: docs.TP03.id },
          { componentCode: 'TP06', fileId: await scan('tiepnhan.hamrong', 'tk') },
        ],
      }),
    );
    expectError(reuse, 422, 'UNKNOWN_DOCUMENT', 'attachments[0].documentId');
    expect(await count('dossiers')).toBe(before);
    await t.http().get(`/api/v1/files/${docs.TP03.fileId}/content`).set(bearer('tiepnhan.hamrong')).expect(404);
  });

  it('opens to another centre what the citizen’s share code covers, for that centre only, for as many uses as it allows', async () => {
    const res = await giveCode({ agencyCode: HAM_RONG, documentIds: [docs.TP03.id], maxUses: 3 }).expect(201);
    share = res.body;
    expect(share).toMatchObject({
      code: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/),
      qrPayload: `MOTCUA-SHARE:1:${share.code.replace('-', '')}`,
      boundTo: { kind: 'AGENCY', agencyCode: HAM_RONG, dossierId: null },
      documentIds: [docs.TP03.id],
      maxUses: 3,
      uses: 0,
      status: 'ACTIVE',
      expiresAt: new Date(clock.now().getTime() + 10 * MINUTE).toISOString(),
    });

    expectError(await listStore('tiepnhan.hamrong', probe.id, 'AAAAA-AAAAA'), 403, 'SHARE_CODE_INVALID', 'X-Share-Code');
    expectError(await shared('tiepnhan.tinh', share.code), 403, 'SHARE_CODE_NOT_FOR_YOU');
    // Scanned from the QR code at the desk: what it covers, and nothing else.
    const seen = (await listStore('tiepnhan.hamrong', probe.id, share.qrPayload).expect(200)).body as Json[];
    expect(seen.map((d) => d.id)).toEqual([docs.TP03.id]);

    const notCovered = await file(
      'tiepnhan.hamrong',
      await counter('tiepnhan.hamrong', HAM_RONG, {
        attachments: [
          { componentCode: 'TP03', fileId: await scan('tiepnhan.hamrong', 'cc') },
          { componentCode: 'TP04', documentId: docs.TP04.id },
          { componentCode: 'TP06', fileId: await scan('tiepnhan.hamrong', 'tk') },
        ],
      }),
      share.code,
    );
    expectError(notCovered, 422, 'UNKNOWN_DOCUMENT', 'attachments[1].documentId');

    reusedDossier = (
      await file(
        'tiepnhan.hamrong',
        await counter('tiepnhan.hamrong', HAM_RONG, {
          attachments: [
            { componentCode: 'TP03', documentId: docs.TP03.id },
            { componentCode: 'TP06', fileId: await scan('tiepnhan.hamrong', 'tk') },
          ],
        }),
        share.code.toLowerCase(),
      ).expect(201)
    ).body;
    expect(reusedDossier.attachments).toContainEqual(
      expect.objectContaining({ componentCode: 'TP03', source: 'REUSED', documentId: docs.TP03.id, fileId: docs.TP03.fileId }),
    );
    await t.http().get(`/api/v1/files/${docs.TP03.fileId}/content`).set(bearer('tiepnhan.hamrong')).expect(200);

    // Two uses so far (the list and the filing; the refused filing counted none): one more, then no more.
    await listStore('tiepnhan.hamrong', probe.id, share.code).expect(200);
    expectError(await listStore('tiepnhan.hamrong', probe.id, share.code), 403, 'SHARE_CODE_USED_UP');
    const mine = (
      await t
        .http()
        .get('/api/v1/me/documents/share-codes')
        .set({ Authorization: `Bearer ${victim.token}` })
        .expect(200)
    ).body as Json[];
    expect(mine.find((c) => c.id === share.id)).toMatchObject({ uses: 3, status: 'USED_UP', lastUsedAt: clock.now().toISOString() });
    expect(mine.find((c) => c.id === share.id)).not.toHaveProperty('code');
  });

  it('binds a code to one officer or one dossier, and ends it when the citizen revokes it or its minutes run out', async () => {
    const forOfficer = (await giveCode({ officer: 'tiepnhan2.hamrong' }).expect(201)).body;
    expect(forOfficer.boundTo).toMatchObject({ kind: 'OFFICER', officerName: 'Đinh Thị Mò (một cửa phường Hàm Rồng)', agencyCode: HAM_RONG });
    expectError(await shared('tiepnhan.hamrong', forOfficer.code), 403, 'SHARE_CODE_NOT_FOR_YOU');
    const opened = (await shared('tiepnhan2.hamrong', forOfficer.code).expect(200)).body;
    expect(opened.idNumber).toBe(victim.idNumber);
    expect(opened.documents.map((d: Json) => d.id).sort()).toEqual(
      Object.values(docs)
        .map((d) => d.id)
        .sort(),
    );
    const revoked = (
      await t
        .http()
        .delete(`/api/v1/me/documents/share-codes/${forOfficer.id}`)
        .set({ Authorization: `Bearer ${victim.token}` })
        .expect(200)
    ).body;
    expect(revoked).toMatchObject({ status: 'REVOKED', revokedAt: clock.now().toISOString() });
    expectError(await shared('tiepnhan2.hamrong', forOfficer.code), 403, 'SHARE_CODE_REVOKED');

    // For one dossier (the victim sees the one filed for her CCCD): read through it, never used to file another.
    const forDossier = (await giveCode({ dossier: probe.code }).expect(201)).body;
    expect(forDossier.boundTo).toMatchObject({ kind: 'DOSSIER', dossierId: probe.id, dossierCode: probe.code });
    expect(((await listStore('tiepnhan.hamrong', probe.id, forDossier.code).expect(200)).body as Json[]).length).toBe(3);
    expectError(await listStore('tiepnhan.hamrong', reusedDossier.id, forDossier.code), 403, 'SHARE_CODE_NOT_FOR_YOU');
    const filing = await file(
      'tiepnhan.hamrong',
      await counter('tiepnhan.hamrong', HAM_RONG, {
        attachments: [
          { componentCode: 'TP03', documentId: docs.TP03.id },
          { componentCode: 'TP06', fileId: await scan('tiepnhan.hamrong', 'tk') },
        ],
      }),
      forDossier.code,
    );
    expectError(filing, 403, 'SHARE_CODE_NOT_FOR_YOU');

    const brief = (await giveCode({ agencyCode: HAM_RONG, minutes: 1 }).expect(201)).body;
    clock.advance(MINUTE);
    expectError(await listStore('tiepnhan.hamrong', probe.id, brief.code), 403, 'SHARE_CODE_EXPIRED');
    const statuses = new Map(
      (
        (
          await t
            .http()
            .get('/api/v1/me/documents/share-codes')
            .set({ Authorization: `Bearer ${victim.token}` })
            .expect(200)
        ).body as Json[]
      ).map((c) => [c.id, c.status]),
    );
    expect([statuses.get(forOfficer.id), statuses.get(forDossier.id), statuses.get(brief.id)]).toEqual(['REVOKED', 'ACTIVE', 'EXPIRED']);
  });

  it('refuses a share code asked for wrongly, from an unverified account, or of someone else', async () => {
    const before = await count('store_share_codes');
    expectError(await giveCode({ agencyCode: HAM_RONG, minutes: 11 }), 400, 'VALIDATION_FAILED', 'minutes');
    expectError(await giveCode({}), 422, 'SHARE_BINDING_INVALID', 'dossier');
    expectError(await giveCode({ agencyCode: HAM_RONG, officer: 'tiepnhan.hamrong' }), 422, 'SHARE_BINDING_INVALID');
    expectError(await giveCode({ officer: 'khong.co.ai' }), 422, 'UNKNOWN_OFFICER', 'officer');
    expectError(await giveCode({ officer: victim.idNumber }), 422, 'UNKNOWN_OFFICER', 'officer'); // a citizen is no officer
    expectError(await giveCode({ dossier: randomUUID() }), 422, 'UNKNOWN_DOSSIER', 'dossier');
    expectError(await giveCode({ agencyCode: '000.00.99.H56' }), 422, 'UNKNOWN_AGENCY', 'agencyCode');
    const other = await registerVerifiedCitizen(t);
    expectError(await giveCode({ agencyCode: HAM_RONG, documentIds: [docs.TP03.id] }, other.token), 422, 'UNKNOWN_DOCUMENT', 'documentIds[0]');
    const unverified = await registerCitizen(t, { idNumber: nextCccd() });
    expectError(await giveCode({ agencyCode: HAM_RONG }, unverified.token), 403, 'IDENTITY_NOT_VERIFIED');
    expectError(
      await t
        .http()
        .delete(`/api/v1/me/documents/share-codes/${share.id}`)
        .set({ Authorization: `Bearer ${other.token}` }),
      404,
      'SHARE_CODE_NOT_FOUND',
    );
    expect(await count('store_share_codes')).toBe(before);
    // Someone else's code opens nothing of the victim's, and says nothing of it.
    const theirs = (await giveCode({ agencyCode: HAM_RONG }, other.token).expect(201)).body;
    expectError(await listStore('tiepnhan.hamrong', probe.id, theirs.code), 403, 'SHARE_CODE_INVALID');
  });

  it('refuses a document of another type than the component asks for, naming the field', async () => {
    const before = await count('dossiers');
    // The officer's own centre digitised it, but the application form is no identity paper.
    const atDesk = await file(
      'tiepnhan.hacthanh',
      await counter('tiepnhan.hacthanh', HAC_THANH, {
        attachments: [
          { componentCode: 'TP03', documentId: docs.TP06.id },
          { componentCode: 'TP06', fileId: await scan('tiepnhan.hacthanh', 'tk') },
        ],
      }),
    );
    expectError(atDesk, 422, 'DOCUMENT_TYPE_MISMATCH', 'attachments[0].documentId');
    // Nor may the citizen herself give her identity paper as the birth certificate of another procedure.
    const eForm = await uploadPdf(t, { token: victim.token }, 'to-khai-dien-tu');
    const online = await t
      .http()
      .post('/api/v1/dossiers')
      .set({ Authorization: `Bearer ${victim.token}` })
      .set('Idempotency-Key', randomUUID())
      .send({
        procedureCode: BIRTH,
        agencyCode: HAC_THANH,
        resultDelivery: 'ONLINE',
        applicant,
        formData: { childName: 'Lê Minh An', childDateOfBirth: '2026-11-30' },
        attachments: [
          { componentCode: 'TP06', documentId: docs.TP03.id },
          { componentCode: 'TP05', documentId: docs.TP04.id },
          { componentCode: 'TP04', documentId: docs.TP03.id },
          { componentCode: 'TP08', fileId: eForm },
        ],
      });
    expectError(online, 422, 'DOCUMENT_TYPE_MISMATCH', 'attachments[2].documentId');
    expect(online.body.details).toHaveLength(1); // the identity paper as TP06 and the residence proof as TP05 are the same texts: right types
    expect(await count('dossiers')).toBe(before);
  });

  it('keeps an officer’s scans out of a stranger’s store when the CCCD was only typed in, and lets them in for a filing whose card was checked', async () => {
    const before = (await myDocs()).map((d) => d.id).sort();
    const poison = (await file('tiepnhan.hamrong', await counter('tiepnhan.hamrong', HAM_RONG, { accept: true })).expect(201)).body;
    expect(poison.status).toBe('RECEIVED');
    expect((await myDocs()).map((d) => d.id).sort()).toEqual(before);

    // What a check proves: this applicant's card, seen by this officer at the counter, recently, once.
    const dossiers = await count('dossiers');
    const mine = (await cardCheck('tiepnhan.hamrong', victim.idNumber).expect(201)).body;
    expect(mine).toMatchObject({
      idNumber: victim.idNumber,
      cardIssuedOn: CARD_ISSUED_ON,
      method: 'CARD_SHOWN',
      agencyCode: HAM_RONG,
      usedByDossierId: null,
      account: null,
    });
    expectError(
      await file('tiepnhan.hamrong', await counter('tiepnhan.hamrong', HAM_RONG, { channel: 'POSTAL', resultDelivery: 'POSTAL', identityCheckId: mine.id })),
      400,
      'VALIDATION_FAILED',
      'identityCheckId',
    );
    const strangerCard = (await cardCheck('tiepnhan.hamrong', nextCccd()).expect(201)).body;
    expectError(
      await file('tiepnhan.hamrong', await counter('tiepnhan.hamrong', HAM_RONG, { identityCheckId: strangerCard.id })),
      422,
      'IDENTITY_CHECK_MISMATCH',
      'identityCheckId',
    );
    const colleagues = (await cardCheck('tiepnhan2.hamrong', victim.idNumber).expect(201)).body;
    expectError(
      await file('tiepnhan.hamrong', await counter('tiepnhan.hamrong', HAM_RONG, { identityCheckId: colleagues.id })),
      422,
      'UNKNOWN_IDENTITY_CHECK',
      'identityCheckId',
    );
    expectError(
      await file('tiepnhan.hamrong', await counter('tiepnhan.hamrong', HAM_RONG, { identityCheckId: randomUUID() })),
      422,
      'UNKNOWN_IDENTITY_CHECK',
      'identityCheckId',
    );
    clock.advance(31 * MINUTE);
    expectError(
      await file('tiepnhan.hamrong', await counter('tiepnhan.hamrong', HAM_RONG, { identityCheckId: mine.id })),
      422,
      'IDENTITY_CHECK_EXPIRED',
      'identityCheckId',
    );
    expectError(await cardCheck('tiepnhan.hamrong', victim.idNumber, { issuedOn: '2026-12-04' }), 400, 'CARD_ISSUE_DATE_INVALID', 'issuedOn');
    expectError(await cardCheck('tiepnhan.hamrong', victim.idNumber, { issuedOn: '2015-12-31' }), 400, 'CARD_ISSUE_DATE_INVALID', 'issuedOn');
    expectError(await cardCheck('tiepnhan.hamrong', victim.idNumber, { method: 'TYPED_IN' }), 400, 'VALIDATION_FAILED', 'method');
    expect(await count('dossiers')).toBe(dossiers);

    // She is at the desk: the card checked, the filing accepted, its scans are hers now. Two filings
    // racing on one check: one wins, the other is told the check is spent, and stores nothing.
    const fresh = (await cardCheck('tiepnhan.hamrong', victim.idNumber).expect(201)).body;
    const keys = [randomUUID(), randomUUID()];
    const bodies = await Promise.all(keys.map(() => counter('tiepnhan.hamrong', HAM_RONG, { accept: true, identityCheckId: fresh.id })));
    const [a, b] = await Promise.all(keys.map((key, i) => fileWithKey('tiepnhan.hamrong', key, bodies[i])));
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const winner = a.status === 201 ? 0 : 1;
    const won = [a, b][winner].body;
    expect([a, b][1 - winner].body.code).toBe('IDENTITY_CHECK_USED');
    expect(await count('dossiers')).toBe(dossiers + 1);
    // The winner's retry (same key and body) is a replay of it, not a second use of the check.
    const retry = await fileWithKey('tiepnhan.hamrong', keys[winner], bodies[winner]).expect(201);
    expect({ replayed: retry.headers['idempotent-replayed'], id: retry.body.id }).toEqual({ replayed: 'true', id: won.id });
    expect(await count('dossiers')).toBe(dossiers + 1);
    const after = await myDocs();
    expect(
      after
        .filter((d) => d.sourceDossier.id === won.id)
        .map((d) => d.type.code)
        .sort(),
    ).toEqual(['TP03', 'TP06']);
    expect(after.filter((d) => d.sourceDossier.id === poison.id)).toEqual([]);
  });

  it('shows the citizen every read of her store by staff and every check of her card: who, when, what, through which dossier, under which consent', async () => {
    const log: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Json[]; nextCursor: string | null } = (
        await t
          .http()
          .get(`/api/v1/me/documents/access-log?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
          .set({ Authorization: `Bearer ${victim.token}` })
          .expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(3);
      log.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const times = log.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((x, y) => y - x)); // newest first
    for (const e of log) expect(Object.keys(e.by).sort()).toEqual(['agencyCode', 'agencyName', 'name', 'role']); // no internal ids
    const hamRong = {
      name: 'Ngô Văn Tò (một cửa phường Hàm Rồng)',
      role: 'RECEPTION_OFFICER',
      agencyCode: HAM_RONG,
      agencyName: 'Ủy ban nhân dân phường Hàm Rồng',
    };
    const hacThanh = {
      name: 'Lê Thị Thu (một cửa phường Hạc Thành)',
      role: 'RECEPTION_OFFICER',
      agencyCode: HAC_THANH,
      agencyName: 'Ủy ban nhân dân phường Hạc Thành',
    };
    const ids = (e: Json) => e.documents.map((d: Json) => d.id).sort();
    const has = (match: (e: Json) => boolean) => expect(log.filter(match).length).toBeGreaterThan(0);

    has(
      (e) =>
        e.action === 'IDENTITY_CHECKED' &&
        e.by.name === hacThanh.name &&
        e.identityCheck?.method === 'CARD_SHOWN' &&
        e.identityCheck.cardIssuedOn === CARD_ISSUED_ON &&
        e.dossier === null,
    );
    has((e) => e.action === 'IDENTITY_CHECKED' && e.by.name === hamRong.name);
    expect(log.find((e) => e.action === 'IDENTITY_CHECKED' && e.by.role === 'ADMIN')?.identityCheck).toMatchObject({ accountVerified: true });
    // The look through the throw-away dossier, which showed nothing, is there too.
    expect(log).toContainEqual(
      expect.objectContaining({ action: 'LISTED', by: hamRong, dossier: { id: probe.id, code: probe.code }, shareCodeId: null, documents: [] }),
    );
    expect(log).toContainEqual(expect.objectContaining({ action: 'LISTED', by: hacThanh, dossier: { id: home.id, code: home.code }, shareCodeId: null }));
    has((e) => e.action === 'LISTED' && e.by.name === hamRong.name && e.shareCodeId === share.id && ids(e).join() === docs.TP03.id);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'REUSED',
        by: hamRong,
        dossier: { id: reusedDossier.id, code: reusedDossier.code },
        shareCodeId: share.id,
        documents: [{ id: docs.TP03.id, type: { code: 'TP03', name: docs.TP03.type.name, procedureCode: MARITAL } }],
      }),
    );
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'DOWNLOADED',
        by: hamRong,
        dossier: { id: reusedDossier.id, code: reusedDossier.code },
        documents: [expect.objectContaining({ id: docs.TP03.id })],
      }),
    );
    has((e) => e.action === 'LISTED' && e.by.name === 'Đinh Thị Mò (một cửa phường Hàm Rồng)' && e.dossier === null && e.documents.length === 3);

    // Nobody else reads it, and nobody rewrites it.
    const other = await registerVerifiedCitizen(t);
    const theirs = (
      await t
        .http()
        .get('/api/v1/me/documents/access-log')
        .set({ Authorization: `Bearer ${other.token}` })
        .expect(200)
    ).body.items as Json[];
    expect(theirs.some((e) => e.by.agencyCode === HAM_RONG)).toBe(false);
    await expect(t.db.query('DELETE FROM store_access_log')).rejects.toThrow(/append-only/);
  });

  it('flags for the centre’s leaders an officer whose counter filings for many distinct CCCDs end refused in one day', async () => {
    const refuse = async (who: string, id: string) =>
      t
        .http()
        .post(`/api/v1/dossiers/${id}/actions/refuse`)
        .set(bearer(who))
        .send({ expectedVersion: 1, reasons: ['Hồ sơ không hợp lệ'] })
        .expect(200);
    const alerts = async (who = 'lanhdao.hamrong') =>
      (await t.http().get(`/api/v1/agencies/${HAM_RONG}/store-alerts`).set(bearer(who)).expect(200)).body as Json[];
    const storeNotices = async () =>
      ((await t.http().get('/api/v1/notifications').set(bearer('lanhdao.hamrong')).expect(200)).body.items as Json[]).filter((n) => n.kind === 'STORE_ALERT');
    const peeker = 'tiepnhan2.hamrong';
    const [second, third] = [nextCccd(), nextCccd()];
    const filed: Json[] = [];
    for (const idNumber of [victim.idNumber, victim.idNumber, second, third]) {
      filed.push((await file(peeker, await counter(peeker, HAM_RONG, { applicant: { ...applicant, idNumber } })).expect(201)).body);
    }
    // Two distinct CCCDs refused (the victim's twice): under the threshold of 3.
    for (const d of filed.slice(0, 3)) await refuse(peeker, d.id);
    expect(await alerts()).toEqual([]);
    expect(await storeNotices()).toEqual([]);
    await refuse(peeker, filed[3].id);
    const [alert, ...more] = await alerts();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      kind: 'REFUSED_FILINGS',
      day: '2026-12-03',
      officer: { name: 'Đinh Thị Mò (một cửa phường Hàm Rồng)', username: peeker },
      distinctIdNumbers: 3,
    });
    expect(alert.dossiers.map((d: Json) => d.id).sort()).toEqual(filed.map((d) => d.id).sort());
    expect(alert.dossiers.every((d: Json) => d.status === 'REFUSED')).toBe(true);
    expect(await storeNotices()).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ kind: 'REFUSED_FILINGS', day: '2026-12-03', distinctIdNumbers: 3 }) }),
    ]);
    // Only that centre's leaders (and administrators) read its alerts.
    expectError(await t.http().get(`/api/v1/agencies/${HAM_RONG}/store-alerts`).set(bearer('lanhdao.hacthanh')), 403, 'FORBIDDEN');
    await t.http().get(`/api/v1/agencies/${HAM_RONG}/store-alerts`).set(bearer(peeker)).expect(403);
    // Hạc Thành's own officer refused nothing: its leader has no alert.
    expect((await t.http().get(`/api/v1/agencies/${HAC_THANH}/store-alerts`).set(bearer('lanhdao.hacthanh')).expect(200)).body).toEqual([]);
  });
});
