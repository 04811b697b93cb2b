import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import QRCode from 'qrcode';
import { ManualClock, vietnamDate } from '../src/common/clock.js';
import { login, nextCccd, registerCitizen, registerVerifiedCitizen } from './support/auth.js';
import { HAC_THANH, resultSigned } from './support/dossiers.js';
import { binaryBody, uploadPdf } from './support/files.js';
import { startIdentityProvider, TEST_CLIENT, type TestIdentityProvider } from './support/oidc-provider.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REDIRECT_URI = 'http://localhost:3000/api/v1/auth/oidc/callback';
const DEMO = 'Demo@2026';
const MARITAL = '1.004873'; // Giấy xác nhận tình trạng hôn nhân: partial online, commune level
const BIRTH = '1.001193'; // Đăng ký khai sinh: partial online, commune level
const PERSON = '001090864201'; // the walk-in applicant, later logged in with VNeID
const PROVINCIAL_CENTRE = '000.00.01.H56';
const DAY = 24 * 3600 * 1000;

type Json = Record<string, any>;

/**
 * The desk as it really works (issue 12): a walk-in dossier filed, scanned and accepted by the
 * officer, its result returned at the counter; the same person, verified, filing online again and
 * reusing two documents of their data store without uploading them; an expired document refused;
 * the stored flags right on each; the register (mẫu 07) rendered.
 */
describe('counter intake, digitisation and the data store', () => {
  const clock = new ManualClock(new Date());
  let idp: TestIdentityProvider;
  let t: TestApp;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let person: { token: string; id: string };
  let squatter: { token: string };
  let walkIn: Json;

  beforeAll(async () => {
    idp = await startIdentityProvider({ redirectUri: REDIRECT_URI, accounts: { person: { cccd: PERSON, name: 'Trịnh Thị Hoa' } } });
    t = await createTestApp({
      clock,
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
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh', 'tiepnhan.tinh']) {
      tok[name] = await login(t, name, DEMO);
      ids[name] = (await t.http().get('/api/v1/auth/me').set(bearer(tok[name])).expect(200)).body.id;
    }
    // Someone typed the person's CCCD into a password registration before they ever logged in.
    squatter = await registerCitizen(t, { idNumber: PERSON, fullName: 'Kẻ Mạo Danh', dateOfBirth: '1990-01-01' });
    const started = await t.http().get('/api/v1/auth/oidc/authorize').expect(200);
    const cookie = (started.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('motcua_oidc='))!.split(';')[0];
    const back = await idp.logIn(started.body.authorizationUrl, 'person');
    const session = (await t.http().get(`/api/v1/auth/oidc/callback${back.search}`).set('Cookie', cookie).expect(200)).body;
    person = { token: session.accessToken, id: session.user.id };
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const officer = () => bearer(tok['tiepnhan.hacthanh']);
  const applicant = {
    fullName: 'Trịnh Thị Hoa',
    idNumber: PERSON,
    dateOfBirth: '1990-05-20',
    phone: '0912777888',
    address: 'Số 12 Lê Hoàn, phường Hạc Thành, Thanh Hóa',
  };
  const today = () => vietnamDate(clock.now());
  const plusDays = (n: number) => vietnamDate(new Date(clock.now().getTime() + n * DAY));
  const file = (auth: Record<string, string>, body: Json) => t.http().post('/api/v1/dossiers').set(auth).set('Idempotency-Key', randomUUID()).send(body);
  const detail = async (auth: Record<string, string>, id: string) => (await t.http().get(`/api/v1/dossiers/${id}`).set(auth).expect(200)).body;
  const upload = async (token: string, bytes: Buffer, name: string, type: string) =>
    (await t.http().post('/api/v1/files').set(bearer(token)).attach('file', bytes, { filename: name, contentType: type }).expect(201)).body.id as string;
  const scan = (label: string) => uploadPdf(t, { token: tok['tiepnhan.hacthanh'] }, label);
  const dossierCount = async () => (await t.db.query('SELECT count(*)::int AS n FROM dossiers')).rows[0].n as number;
  async function act(who: string, id: string, action: string, body: Json = {}) {
    const current = await detail(bearer(tok[who]), id);
    const res = await t
      .http()
      .post(`/api/v1/dossiers/${id}/actions/${action}`)
      .set(bearer(tok[who]))
      .send({ expectedVersion: current.version, ...body });
    expect({ action, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ action, status: 200, body: 'ok' });
    return res.body as Json;
  }
  async function processToReturn(id: string, approve: Json) {
    await act('tiepnhan.hacthanh', id, 'assign');
    await act('chuyenvien.hacthanh', id, 'claim');
    await act('chuyenvien.hacthanh', id, 'forward', { assigneeId: ids['lanhdao.hacthanh'] });
    await act('lanhdao.hacthanh', id, 'approve', { outcome: 'GRANTED', ...approve });
  }

  it('files a walk-in dossier with scanned components and accepts it in the same step (form 01 at once)', async () => {
    const [identity, residence, form] = [await scan('can-cuoc'), await scan('xac-nhan-cu-tru'), await scan('to-khai')];
    // The officer checks the card first: that check (not the typed CCCD) lets the scans into the store.
    const check = (await t.http().post('/api/v1/auth/identity-checks').set(officer()).send({ idNumber: PERSON, issuedOn: '2021-06-01' }).expect(201)).body;
    const res = await file(officer(), {
      procedureCode: MARITAL,
      agencyCode: HAC_THANH,
      channel: 'COUNTER',
      accept: true,
      resultDelivery: 'COUNTER',
      applicant,
      identityCheckId: check.id,
      attachments: [
        { componentCode: 'TP03', fileId: identity, issuedOn: '2021-06-01', validUntil: '2036-06-01' },
        // The residence confirmation is valid one more day: reused tomorrow it still is, later not.
        { componentCode: 'TP04', fileId: residence, issuedOn: today(), validUntil: plusDays(1) },
        { componentCode: 'TP06', fileId: form },
      ],
    });
    expect(res.status).toBe(201);
    walkIn = res.body;
    expect(walkIn).toMatchObject({
      status: 'RECEIVED',
      statusCode: 2,
      channel: 'COUNTER',
      filedBy: { kind: 'user', id: ids['tiepnhan.hacthanh'] },
      flags: { channel: 'COUNTER', digitised: true, reused: false, electronicResult: false, resultForm: null, applicantVneid: true },
    });
    expect(walkIn.attachments).toHaveLength(3);
    for (const a of walkIn.attachments) {
      expect(a).toMatchObject({ source: 'SCANNED', scannedBy: ids['tiepnhan.hacthanh'], documentId: null });
      expect(Date.parse(a.scannedAt)).toBe(clock.now().getTime());
    }
    const receipt = await t.http().get(`/api/v1/dossiers/${walkIn.id}/forms/01`).set(officer()).buffer(true).parse(binaryBody).expect(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    if (process.env.MOTCUA_KEEP_FORM01) writeFileSync(process.env.MOTCUA_KEEP_FORM01, receipt.body as Buffer);
    const events = (await t.http().get(`/api/v1/dossiers/${walkIn.id}/events`).set(officer()).expect(200)).body.events;
    expect(events.map((e: Json) => e.type)).toEqual(expect.arrayContaining(['SUBMITTED', 'ACCEPT']));
    expect(events[0].data).toMatchObject({
      channel: 'COUNTER',
      sources: [
        { componentCode: 'TP03', source: 'SCANNED' },
        { componentCode: 'TP04', source: 'SCANNED' },
        { componentCode: 'TP06', source: 'SCANNED' },
      ],
    });
  });

  it('gives the dossier to the applicant’s verified account, not to an unverified one with the same CCCD', async () => {
    const theirs = (await t.http().get('/api/v1/dossiers').set(bearer(person.token)).expect(200)).body.items.map((d: Json) => d.id);
    expect(theirs).toContain(walkIn.id);
    const squatters = (await t.http().get('/api/v1/dossiers').set(bearer(squatter.token)).expect(200)).body.items.map((d: Json) => d.id);
    expect(squatters).not.toContain(walkIn.id);
    await t.http().get(`/api/v1/dossiers/${walkIn.id}`).set(bearer(squatter.token)).expect(404);
    await t.http().get('/api/v1/me/documents').set(bearer(squatter.token)).expect(403);
    const lookup = (
      await t
        .http()
        .get(`/api/v1/public/dossiers/${encodeURIComponent(walkIn.code)}`)
        .expect(200)
    ).body;
    expect(lookup).toMatchObject({ channel: 'COUNTER', channelLabel: 'Trực tiếp tại Bộ phận Một cửa' });
  });

  it('puts the accepted scans in the person’s data store, and lets the handling officer see it while the dossier is open', async () => {
    const docs = (await t.http().get('/api/v1/me/documents').set(bearer(person.token)).expect(200)).body as Json[];
    expect(docs.map((d) => d.type.code).sort()).toEqual(['TP03', 'TP04', 'TP06']);
    for (const d of docs) expect(d).toMatchObject({ kind: 'COMPONENT', form: 'SCANNED', sourceDossier: { id: walkIn.id, code: walkIn.code }, usable: true });
    expect(docs.find((d) => d.type.code === 'TP03')).toMatchObject({ issuedOn: '2021-06-01', validUntil: '2036-06-01' });
    const seen = (await t.http().get(`/api/v1/dossiers/${walkIn.id}/applicant-documents`).set(officer()).expect(200)).body as Json[];
    expect(seen.map((d) => d.id).sort()).toEqual(docs.map((d) => d.id).sort());
    // An officer of another centre does not handle this dossier.
    await t.http().get(`/api/v1/dossiers/${walkIn.id}/applicant-documents`).set(bearer(tok['tiepnhan.tinh'])).expect(404);
  });

  it('returns the signed electronic result at the counter, with the originals checked; the result joins the store', async () => {
    const result = await uploadPdf(t, { token: tok['lanhdao.hacthanh'] }, 'giay-xac-nhan-tinh-trang-hon-nhan');
    await processToReturn(walkIn.id, { resultFileId: result, resultValidUntil: plusDays(180) });
    await resultSigned(t, officer().Authorization.slice(7), walkIn.id);
    const returned = await act('tiepnhan.hacthanh', walkIn.id, 'return', { method: 'COUNTER', originalsChecked: true });
    expect(returned).toMatchObject({
      status: 'RETURNED',
      returned: { method: 'COUNTER' },
      flags: { channel: 'COUNTER', digitised: true, reused: false, electronicResult: true, resultForm: 'ELECTRONIC', applicantVneid: true },
    });
    const docs = (await t.http().get('/api/v1/me/documents').set(bearer(person.token)).expect(200)).body as Json[];
    const kept = docs.find((d) => d.kind === 'RESULT');
    expect(kept).toMatchObject({ form: 'ELECTRONIC', fileId: returned.result.fileId, validUntil: plusDays(180), sourceDossier: { id: walkIn.id } });
    expect(kept!.fileId).not.toBe(result); // the signed file, not the draft
    // Closed: the officer no longer sees the applicant's store through it.
    expect((await t.http().get(`/api/v1/dossiers/${walkIn.id}/applicant-documents`).set(officer()).expect(403)).body.code).toBe('STORE_NOT_OPEN');
  });

  it('lets the same person, verified, file online reusing two documents of the store without uploading them', async () => {
    const reusable = (await t.http().get(`/api/v1/me/procedures/${BIRTH}/reusable`).set(bearer(person.token)).expect(200)).body;
    const byCode = new Map(reusable.components.map((c: Json) => [c.code, c]));
    // The identity paper (TP06 of birth registration) and the proof of residence (TP05) are the
    // very same component texts as TP03 and TP04 of the marital-status procedure.
    const identityDoc = (byCode.get('TP06') as Json).documents[0];
    const residenceDoc = (byCode.get('TP05') as Json).documents[0];
    expect(identityDoc).toMatchObject({ type: { code: 'TP03', procedureCode: MARITAL }, usable: true });
    expect(residenceDoc).toMatchObject({ type: { code: 'TP04', procedureCode: MARITAL }, usable: true });
    expect(reusable.requiredCovered).toContain('TP06');

    clock.advance(DAY); // the next day: the residence paper's last valid day
    const filesBefore = (await t.db.query('SELECT count(*)::int AS n FROM stored_files')).rows[0].n;
    const [certificate, eForm] = [
      await uploadPdf(t, { token: person.token }, 'giay-chung-sinh'),
      await uploadPdf(t, { token: person.token }, 'to-khai-dien-tu'),
    ];
    const res = await file(bearer(person.token), {
      procedureCode: BIRTH,
      agencyCode: HAC_THANH,
      resultDelivery: 'ONLINE',
      applicant,
      formData: { childName: 'Lê Minh An', childDateOfBirth: today() },
      attachments: [
        { componentCode: 'TP06', documentId: identityDoc.id },
        { componentCode: 'TP05', documentId: residenceDoc.id },
        { componentCode: 'TP04', fileId: certificate },
        { componentCode: 'TP08', fileId: eForm },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'SUBMITTED',
      channel: 'ONLINE',
      filedBy: { kind: 'user', id: person.id },
      flags: { channel: 'ONLINE', digitised: false, reused: true, electronicResult: false, resultForm: null, applicantVneid: true },
    });
    const byComponent = new Map(res.body.attachments.map((a: Json) => [a.componentCode, a]));
    expect(byComponent.get('TP06')).toEqual({
      componentCode: 'TP06',
      fileId: identityDoc.fileId,
      source: 'REUSED',
      documentId: identityDoc.id,
      scannedBy: null,
      scannedAt: null,
      stateDataRef: null,
    });
    expect(byComponent.get('TP05')).toMatchObject({ fileId: residenceDoc.fileId, source: 'REUSED', documentId: residenceDoc.id });
    expect(byComponent.get('TP04')).toMatchObject({ fileId: certificate, source: 'UPLOADED' });
    // Only the two new papers were uploaded.
    expect((await t.db.query('SELECT count(*)::int AS n FROM stored_files')).rows[0].n).toBe(filesBefore + 2);
    // The officer handling it can open the reused file through the dossier.
    await t.http().get(`/api/v1/files/${identityDoc.fileId}/content`).set(officer()).expect(200);
    const stored = await detail(officer(), res.body.id);
    expect(stored.flags).toEqual(res.body.flags);
  });

  it('refuses a document whose validity has ended, and stores nothing', async () => {
    clock.advance(2 * DAY);
    const docs = (await t.http().get('/api/v1/me/documents').set(bearer(person.token)).expect(200)).body as Json[];
    const residence = docs.find((d) => d.type.code === 'TP04')!;
    expect(residence.usable).toBe(false);
    const identity = docs.find((d) => d.type.code === 'TP03')!;
    const before = await dossierCount();
    const eForm = await uploadPdf(t, { token: person.token }, 'to-khai-2');
    const res = await file(bearer(person.token), {
      procedureCode: MARITAL,
      agencyCode: HAC_THANH,
      resultDelivery: 'ONLINE',
      applicant,
      attachments: [
        { componentCode: 'TP03', documentId: identity.id },
        { componentCode: 'TP04', documentId: residence.id },
        { componentCode: 'TP05', fileId: eForm },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'DOCUMENT_EXPIRED', details: [{ field: 'attachments[1].documentId', validUntil: residence.validUntil }] });
    expect(await dossierCount()).toBe(before);
  });

  it('marks a paper-only result scanned in, with no signing round', async () => {
    const res = await file(officer(), {
      procedureCode: MARITAL,
      agencyCode: HAC_THANH,
      channel: 'POSTAL',
      accept: true,
      resultDelivery: 'POSTAL',
      applicant,
      attachments: [
        { componentCode: 'TP03', fileId: await scan('can-cuoc-2') },
        { componentCode: 'TP06', fileId: await scan('to-khai-2') },
      ],
    }).expect(201);
    expect(res.body).toMatchObject({ channel: 'POSTAL', status: 'RECEIVED', flags: { digitised: true } });
    const png = await QRCode.toBuffer('giấy xác nhận (bản giấy, đã quét)', { type: 'png' });
    const paperScan = await upload(tok['lanhdao.hacthanh'], png, 'ket-qua-quet.png', 'image/png');
    await processToReturn(res.body.id, { resultFileId: paperScan, resultForm: 'SCANNED' });
    const resolved = await detail(officer(), res.body.id);
    expect(resolved.result).toMatchObject({ outcome: 'GRANTED', fileId: paperScan, signature: null });
    const returned = await act('tiepnhan.hacthanh', res.body.id, 'return', { method: 'POSTAL', trackingNumber: 'EB123456789VN', originalsChecked: true });
    expect(returned.flags).toMatchObject({ channel: 'POSTAL', electronicResult: true, resultForm: 'SCANNED' });
    const docs = (await t.http().get('/api/v1/me/documents').set(bearer(person.token)).expect(200)).body as Json[];
    expect(docs).toContainEqual(
      expect.objectContaining({ kind: 'RESULT', form: 'SCANNED', fileId: paperScan, sourceDossier: expect.objectContaining({ id: res.body.id }) }),
    );
    // By post nobody saw the card: the result issued for the CCCD joins the store, the posted papers' scans do not.
    expect(docs.filter((d) => d.sourceDossier.id === res.body.id).map((d) => d.kind)).toEqual(['RESULT']);
  });

  it('filters the to-receive queue and the list by channel', async () => {
    const left = (
      await file(officer(), {
        procedureCode: MARITAL,
        agencyCode: HAC_THANH,
        channel: 'COUNTER',
        resultDelivery: 'COUNTER',
        applicant,
        attachments: [
          { componentCode: 'TP03', fileId: await scan('cc') },
          { componentCode: 'TP06', fileId: await scan('tk') },
        ],
      }).expect(201)
    ).body;
    expect(left).toMatchObject({ status: 'SUBMITTED', channel: 'COUNTER' });
    const counter = (await t.http().get('/api/v1/queues/to-receive?channel=COUNTER').set(officer()).expect(200)).body.items.map((d: Json) => d.id);
    const online = (await t.http().get('/api/v1/queues/to-receive?channel=ONLINE').set(officer()).expect(200)).body.items.map((d: Json) => d.id);
    expect(counter).toContain(left.id);
    expect(online).not.toContain(left.id);
    expect(online.length).toBeGreaterThan(0); // the online birth registration waits there
    const listed = (await t.http().get('/api/v1/dossiers?channel=POSTAL').set(officer()).expect(200)).body.items;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((d: Json) => d.channel === 'POSTAL')).toBe(true);
    expect((await t.http().get('/api/v1/queues/to-receive?channel=KIOSK').set(officer()).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('takes a supplement brought to the desk as the officer’s scan', async () => {
    const d = (
      await file(officer(), {
        procedureCode: MARITAL,
        agencyCode: HAC_THANH,
        channel: 'COUNTER',
        resultDelivery: 'COUNTER',
        applicant,
        attachments: [
          { componentCode: 'TP03', fileId: await scan('cc-3') },
          { componentCode: 'TP06', fileId: await scan('tk-3') },
        ],
      }).expect(201)
    ).body;
    await act('tiepnhan.hacthanh', d.id, 'request-supplement', { items: [{ componentCode: 'TP04', description: 'Giấy xác nhận thông tin về cư trú' }] });
    const paper = await scan('cu-tru-bo-sung');
    const back = await act('tiepnhan.hacthanh', d.id, 'supplement', { attachments: [{ componentCode: 'TP04', fileId: paper }] });
    expect(back).toMatchObject({ status: 'SUBMITTED', supplement: null });
    expect(back.attachments).toContainEqual(
      expect.objectContaining({ componentCode: 'TP04', fileId: paper, source: 'SCANNED', scannedBy: ids['tiepnhan.hacthanh'] }),
    );
  });

  describe('bad input: a clear 4xx with code and field, nothing stored', () => {
    const refused = async (auth: Record<string, string>, body: Json, status: number, code: string, field: string) => {
      const before = await dossierCount();
      const res = await file(auth, body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await dossierCount()).toBe(before);
    };
    const walkInBody = async (over: Json = {}): Promise<Json> => ({
      procedureCode: MARITAL,
      agencyCode: HAC_THANH,
      channel: 'COUNTER',
      resultDelivery: 'COUNTER',
      applicant,
      attachments: [
        { componentCode: 'TP03', fileId: await scan('a') },
        { componentCode: 'TP06', fileId: await scan('b') },
      ],
      ...over,
    });

    it('an officer filing at another centre than their own', async () => {
      await refused(officer(), await walkInBody({ agencyCode: PROVINCIAL_CENTRE, procedureCode: '2.001195' }), 403, 'NOT_YOUR_CENTRE', 'agencyCode');
    });

    it('a citizen filing as COUNTER', async () => {
      const citizen = await registerCitizen(t);
      const fileId = await uploadPdf(t, { token: citizen.token });
      await refused(
        bearer(citizen.token),
        {
          procedureCode: MARITAL,
          agencyCode: HAC_THANH,
          channel: 'COUNTER',
          resultDelivery: 'ONLINE',
          applicant: { ...applicant, idNumber: citizen.idNumber, dateOfBirth: '1990-03-15' },
          attachments: [
            { componentCode: 'TP03', fileId },
            { componentCode: 'TP05', fileId },
          ],
        },
        422,
        'CHANNEL_NOT_ALLOWED',
        'channel',
      );
    });

    it('a documentId that is not the applicant’s', async () => {
      const other = await registerVerifiedCitizen(t, { idNumber: nextCccd() });
      const theirDoc = ((await t.http().get('/api/v1/me/documents').set(bearer(person.token)).expect(200)).body as Json[]).find((d) => d.type.code === 'TP03')!;
      const fileId = await uploadPdf(t, { token: other.token });
      await refused(
        bearer(other.token),
        {
          procedureCode: MARITAL,
          agencyCode: HAC_THANH,
          resultDelivery: 'ONLINE',
          applicant: { ...applicant, idNumber: other.idNumber, dateOfBirth: '1990-03-15' },
          attachments: [
            { componentCode: 'TP03', documentId: theirDoc.id },
            { componentCode: 'TP05', fileId },
          ],
        },
        422,
        'UNKNOWN_DOCUMENT',
        'attachments[0].documentId',
      );
      // Nor may the squatter, filing with the person's own CCCD from an unverified account.
      const squatterFile = await uploadPdf(t, { token: squatter.token });
      await refused(
        bearer(squatter.token),
        {
          procedureCode: MARITAL,
          agencyCode: HAC_THANH,
          resultDelivery: 'ONLINE',
          applicant: { ...applicant, dateOfBirth: '1990-01-01' },
          attachments: [
            { componentCode: 'TP03', documentId: theirDoc.id },
            { componentCode: 'TP05', fileId: squatterFile },
          ],
        },
        422,
        'UNKNOWN_DOCUMENT',
        'attachments[0].documentId',
      );
    });

    it('a scan that is not a PDF, JPEG or PNG', async () => {
      const xml = await upload(
        tok['tiepnhan.hacthanh'],
        Buffer.from('<?xml version="1.0" encoding="UTF-8"?><toKhai><hoTen>Trịnh Thị Hoa</hoTen></toKhai>'),
        'to-khai.xml',
        'application/xml',
      );
      await refused(
        officer(),
        await walkInBody({
          attachments: [
            { componentCode: 'TP03', fileId: await scan('c') },
            { componentCode: 'TP06', fileId: xml },
          ],
        }),
        422,
        'SCAN_TYPE_NOT_ALLOWED',
        'attachments[1].fileId',
      );
    });

    it('both a file and a document for one component, a paper already expired, a missing birth date, an accept by a citizen', async () => {
      const both = await walkInBody();
      both.attachments[0].documentId = randomUUID();
      await refused(officer(), both, 422, 'ATTACHMENT_FILE_OR_DOCUMENT', 'attachments[0]');
      const stale = await walkInBody();
      stale.attachments[0].validUntil = plusDays(-1);
      await refused(officer(), stale, 422, 'DOCUMENT_ALREADY_EXPIRED', 'attachments[0].validUntil');
      await refused(officer(), await walkInBody({ applicant: { ...applicant, dateOfBirth: undefined } }), 400, 'VALIDATION_FAILED', 'applicant.dateOfBirth');
      const fileId = await uploadPdf(t, { token: person.token });
      await refused(
        bearer(person.token),
        {
          procedureCode: MARITAL,
          agencyCode: HAC_THANH,
          resultDelivery: 'ONLINE',
          applicant,
          accept: true,
          attachments: [
            { componentCode: 'TP03', fileId },
            { componentCode: 'TP05', fileId },
          ],
        },
        400,
        'VALIDATION_FAILED',
        'accept',
      );
    });
  });

  it('renders the register of received dossiers (mẫu 07) for the centre’s staff, with the channel of each', async () => {
    const from = vietnamDate(new Date(clock.now().getTime() - 5 * DAY));
    const res = await t
      .http()
      .get(`/api/v1/agencies/${HAC_THANH}/forms/07?from=${from}&to=${today()}`)
      .set(officer())
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await PDFDocument.load(res.body as Buffer);
    const { width, height } = pdf.getPage(0).getSize();
    expect(width).toBeGreaterThan(height); // landscape: ten columns
    expect(pdf.getTitle()).toMatch(/SỔ THEO DÕI HỒ SƠ/);
    // For looking at the page: MOTCUA_KEEP_FORM07=/tmp/mau07.pdf, then pdftoppm -png.
    if (process.env.MOTCUA_KEEP_FORM07) writeFileSync(process.env.MOTCUA_KEEP_FORM07, res.body as Buffer);
    await t.http().get(`/api/v1/agencies/${HAC_THANH}/forms/07?from=${from}&to=${today()}`).set(bearer(tok['tiepnhan.tinh'])).expect(403);
    expect((await t.http().get(`/api/v1/agencies/${HAC_THANH}/forms/07?from=${today()}&to=${from}`).set(officer()).expect(400)).body.details[0].field).toBe(
      'from',
    );
  });
});
