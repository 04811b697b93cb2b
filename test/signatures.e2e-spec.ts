import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SignedXml } from 'xml-crypto';
import { BackfillSignatureReports1795359299937 } from '../migrations/1795359299937-BackfillSignatureReports.js';
import { useXmlAlgorithms } from '../src/signatures/formats/xml.js';
import { signPdf } from '../src/signatures/signing/pdf-signer.js';
import { login, registerCitizen } from './support/auth.js';
import { act, approveWithResult, BIRTH, fileDossier, HAC_THANH, waitFor } from './support/dossiers.js';
import { pdfBytes, uploadPdf } from './support/files.js';
import { certificatePem as pem } from '../src/signatures/trust/certificate-authority.js';
import { createTestPki, toPkcs12, type SigningKey, type TestPki } from './support/pki.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO = 'Demo@2026';
const P12_PASSWORD = 'khoa-ky-2026';

describe('signatures on uploads and on results', () => {
  let pki: TestPki;
  let stranger: TestPki; // a CA the service does not trust (until an admin adds it)
  let flaky: TestPki; // a trusted CA whose CRL server goes down
  let t: TestApp;
  let citizen: Awaited<ReturnType<typeof registerCitizen>>;
  let citizenKey: SigningKey;
  let admin: string;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    pki = await createTestPki();
    stranger = await createTestPki({ label: 'B' });
    flaky = await createTestPki({ label: 'C' });
    const trustDir = mkdtempSync(path.join(tmpdir(), 'motcua-trust-'));
    // Several certificates in one PEM file, as CA bundles come.
    writeFileSync(path.join(trustDir, 'root-ca.pem'), pem(pki.root) + pem(flaky.root));
    // The leader of Hạc Thành signs on the server with a key from this test's CA.
    const keysDir = mkdtempSync(path.join(tmpdir(), 'motcua-keys-'));
    const leaderKey = await pki.issue({ commonName: 'Lê Thị Lãnh Đạo', cccd: '038085000123' });
    writeFileSync(path.join(keysDir, 'lanhdao.hacthanh.p12'), toPkcs12(leaderKey, P12_PASSWORD));
    t = await createTestApp({
      env: {
        SEED_DEMO: 'true',
        OUTBOX_POLL_MS: '50',
        SIGNATURE_TRUST_DIR: trustDir,
        SIGNING_KEYS_DIR: keysDir,
        SIGNING_KEYS_PASSWORD: P12_PASSWORD,
        SIGNATURE_RETRY_DELAY_MS: '300',
      },
    });
    citizen = await registerCitizen(t);
    citizenKey = await pki.issue({ commonName: 'Nguyễn Văn An', cccd: citizen.idNumber });
    admin = await login(t, 'admin', 'MotCua@2026');
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh']) tok[name] = await login(t, name, DEMO);
  });
  afterAll(async () => {
    await t?.close();
    await pki?.close();
    await stranger?.close();
    await flaky?.close();
  });

  const signed = (key: SigningKey, label = 'don-de-nghi') => signPdf(pdfBytes(label), key, { signingTime: new Date(), reason: 'Ký đơn đề nghị' });
  const signaturesOf = (fileId: string, token = citizen.token) => t.http().get(`/api/v1/files/${fileId}/signatures`).set('Authorization', `Bearer ${token}`);
  const verified = (fileId: string, token = citizen.token) =>
    waitFor(async () => {
      const r = (await signaturesOf(fileId, token).expect(200)).body;
      return r.state === 'VERIFIED' && !r.retrying ? r : null;
    }, `verification of ${fileId}`);
  const detail = async (id: string, token: string) => (await t.http().get(`/api/v1/dossiers/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;

  it('verifies a signed upload in the background and reports the signer, the certificate and the evidence', async () => {
    const fileId = await uploadPdf(t, { token: citizen.token }, undefined, await signed(citizenKey));
    const r = await verified(fileId);
    expect(r).toMatchObject({ fileId, state: 'VERIFIED', indication: 'TOTAL_PASSED', attempts: 1, report: { format: 'PDF', indication: 'TOTAL_PASSED' } });
    const [s] = r.report.signatures;
    expect(s).toMatchObject({
      indication: 'TOTAL_PASSED',
      subIndication: null,
      format: 'PAdES',
      signer: { name: 'Nguyễn Văn An', cccd: citizen.idNumber },
      algorithms: { digest: 'SHA-256' },
      pdf: { revision: 2, revisions: 2, coversWholeDocument: true, laterChanges: 'NONE', visible: true },
    });
    expect(s.certificate.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(s.signingTime).toEqual(expect.any(String));
    expect(s.evidence.chain.length).toBeGreaterThanOrEqual(2);
    expect(s.evidence.crls.length).toBeGreaterThanOrEqual(1);
  });

  it('fails a document changed after signing, and finds no signature in an unsigned one or an image', async () => {
    const bytes = await signed(citizenKey, 'sua-sau-khi-ky');
    const at = bytes.indexOf('sua-sau-khi-ky');
    bytes[at] = 'S'.charCodeAt(0); // inside the signed byte range
    const tampered = await uploadPdf(t, { token: citizen.token }, undefined, bytes);
    expect((await verified(tampered)).report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });

    const plain = await uploadPdf(t, { token: citizen.token });
    expect(await verified(plain)).toMatchObject({ indication: 'NO_SIGNATURE_FOUND', report: { signatures: [] } });

    const png = Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
      'hex',
    );
    const image = (
      await t
        .http()
        .post('/api/v1/files')
        .set('Authorization', `Bearer ${citizen.token}`)
        .attach('file', png, { filename: 'anh.png', contentType: 'image/png' })
        .expect(201)
    ).body.id;
    // Nothing to wait for: an image can carry no embedded signature.
    expect((await signaturesOf(image).expect(200)).body).toMatchObject({ state: 'VERIFIED', indication: 'NO_SIGNATURE_FOUND', report: { format: 'OTHER' } });
  });

  it('verifies a signed XML e-form upload (XML Signature)', async () => {
    const form = '<?xml version="1.0" encoding="UTF-8"?><ToKhai><HoTen>Nguyễn Văn An</HoTen><NoiDung>Đăng ký khai sinh cho Nguyễn Thị Mai</NoiDung></ToKhai>';
    const sig = useXmlAlgorithms(
      new SignedXml({
        privateKey: citizenKey.privateKey,
        publicCert: pem(citizenKey.certificate) + citizenKey.chain.map(pem).join(''),
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      }),
    );
    sig.addReference({
      xpath: '/*',
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      isEmptyUri: true,
    });
    sig.computeSignature(form, { prefix: 'ds' });
    const upload = async (xml: string) =>
      (
        await t
          .http()
          .post('/api/v1/files')
          .set('Authorization', `Bearer ${citizen.token}`)
          .attach('file', Buffer.from(xml, 'utf8'), { filename: 'to-khai.xml', contentType: 'application/xml' })
          .expect(201)
      ).body;
    const good = await upload(sig.getSignedXml());
    expect(good.contentType).toBe('application/xml');
    expect((await verified(good.id)).report).toMatchObject({
      format: 'XML',
      indication: 'TOTAL_PASSED',
      signatures: [{ format: 'XMLDSig', signer: { name: 'Nguyễn Văn An', cccd: citizen.idNumber } }],
    });
    const changed = await upload(sig.getSignedXml().replace('Nguyễn Thị Mai', 'Nguyễn Thị Lan'));
    expect((await verified(changed.id)).report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('verifies files uploaded before verification existed once the upgrade migration ran', async () => {
    const fileId = await uploadPdf(t, { token: citizen.token }, undefined, await signed(citizenKey, 'truoc-nang-cap'));
    await verified(fileId);
    await t.db.query(`DELETE FROM file_signature_reports WHERE file_id = $1`, [fileId]); // as before the upgrade
    expect((await signaturesOf(fileId).expect(200)).body.state).toBe('UNVERIFIED');
    const runner = t.app.get(DataSource).createQueryRunner();
    try {
      await new BackfillSignatureReports1795359299937().up(runner);
    } finally {
      await runner.release();
    }
    expect(await verified(fileId)).toMatchObject({ indication: 'TOTAL_PASSED' });
  });

  it('shows a file’s signatures only to those who may read the file', async () => {
    const fileId = await uploadPdf(t, { token: citizen.token });
    const other = await registerCitizen(t);
    expect((await signaturesOf(fileId, other.token).expect(404)).body.code).toBe('FILE_NOT_FOUND');
    await t.http().get(`/api/v1/files/${fileId}/signatures`).expect(401);
  });

  it('keeps an INDETERMINATE result while the CRL cannot be fetched, and passes it once the CRL is back', async () => {
    // A CA whose CRL this service has not fetched yet (fetched CRLs are cached until their nextUpdate).
    flaky.setCrlAvailable(false);
    const fileId = await uploadPdf(
      t,
      { token: citizen.token },
      undefined,
      await signed(await flaky.issue({ commonName: 'Trần Thị Bình', cccd: '001190000002' })),
    );
    const waiting = await waitFor(async () => {
      const r = (await signaturesOf(fileId).expect(200)).body;
      return r.state === 'VERIFIED' ? r : null;
    }, 'a first verification');
    expect(waiting).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', retrying: true });
    flaky.setCrlAvailable(true);
    const later = await verified(fileId);
    expect(later).toMatchObject({ indication: 'TOTAL_PASSED', retrying: false });
    expect(later.attempts).toBeGreaterThan(1);
  });

  it('lets an admin manage trust anchors; a signature under a newly trusted CA passes when verified again', async () => {
    const list = (await t.http().get('/api/v1/admin/trust-anchors').set('Authorization', `Bearer ${admin}`).expect(200)).body;
    expect(list).toEqual([
      expect.objectContaining({ id: null, source: 'DIRECTORY', file: 'root-ca.pem' }),
      expect.objectContaining({ id: null, source: 'DIRECTORY', file: 'root-ca.pem' }),
    ]);
    await t.http().get('/api/v1/admin/trust-anchors').set('Authorization', `Bearer ${tok['lanhdao.hacthanh']}`).expect(403);

    const fileId = await uploadPdf(t, { token: citizen.token }, undefined, await signed(await stranger.issue({ commonName: 'Phạm Văn Cường' })));
    expect((await verified(fileId)).report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });

    const bad = await t
      .http()
      .post('/api/v1/admin/trust-anchors')
      .set('Authorization', `Bearer ${admin}`)
      .send({ pem: `-----BEGIN CERTIFICATE-----\n${'A'.repeat(80)}\n-----END CERTIFICATE-----` })
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_CERTIFICATE', details: [{ field: 'pem' }] });
    const leaf = await t
      .http()
      .post('/api/v1/admin/trust-anchors')
      .set('Authorization', `Bearer ${admin}`)
      .send({ pem: pem(citizenKey.certificate) })
      .expect(422);
    expect(leaf.body.code).toBe('NOT_A_CA_CERTIFICATE');
    const added = (
      await t
        .http()
        .post('/api/v1/admin/trust-anchors')
        .set('Authorization', `Bearer ${admin}`)
        .send({ pem: pem(stranger.root), label: 'CA thử nghiệm' })
        .expect(201)
    ).body;
    expect(added).toMatchObject({ id: expect.any(String), source: 'ADMIN', label: 'CA thử nghiệm' });
    expect(
      (
        await t
          .http()
          .post('/api/v1/admin/trust-anchors')
          .set('Authorization', `Bearer ${admin}`)
          .send({ pem: pem(stranger.root) })
          .expect(409)
      ).body.code,
    ).toBe('TRUST_ANCHOR_EXISTS');
    expect((await t.http().get('/api/v1/admin/trust-anchors').set('Authorization', `Bearer ${admin}`).expect(200)).body).toHaveLength(3);

    expect((await t.http().post(`/api/v1/files/${fileId}/signatures/verify`).set('Authorization', `Bearer ${citizen.token}`).expect(202)).body.state).toBe(
      'PENDING',
    );
    expect(await verified(fileId)).toMatchObject({ indication: 'TOTAL_PASSED' });

    await t.http().delete(`/api/v1/admin/trust-anchors/${added.id}`).set('Authorization', `Bearer ${admin}`).expect(204);
    expect((await t.http().delete(`/api/v1/admin/trust-anchors/${added.id}`).set('Authorization', `Bearer ${admin}`).expect(404)).body.code).toBe(
      'TRUST_ANCHOR_NOT_FOUND',
    );
  });

  it('signs an approved result with the leader’s key, verifies it, and returns it only then', async () => {
    const d = await fileDossier(t, citizen, { procedureCode: BIRTH, agencyCode: HAC_THANH });
    const resultFile = await uploadPdf(t, { token: tok['lanhdao.hacthanh'] }, 'trich-luc-khai-sinh');
    const approved = await approveWithResult(
      t,
      { reception: tok['tiepnhan.hacthanh'], specialist: tok['chuyenvien.hacthanh'], leader: tok['lanhdao.hacthanh'] },
      d.id,
      resultFile,
    );
    expect(approved).toMatchObject({ status: 'RESOLVED', result: { outcome: 'GRANTED' } });

    const done = await waitFor(async () => {
      const v = await detail(d.id, tok['tiepnhan.hacthanh']);
      return v.result.signature?.status === 'SIGNED' && v.result.signature.indication ? v : null;
    }, 'the signed result');
    expect(done.result.signature).toMatchObject({
      status: 'SIGNED',
      provider: 'local',
      signer: 'Lê Thị Lãnh Đạo',
      indication: 'TOTAL_PASSED',
      signedFileId: expect.any(String),
    });
    expect(done.result.fileId).toBe(done.result.signature.signedFileId);
    expect(done.allowedActions).toContainEqual({ action: 'return', allowed: true });

    const signedReport = (await signaturesOf(done.result.fileId, tok['tiepnhan.hacthanh']).expect(200)).body;
    expect(signedReport.report.signatures).toEqual([
      expect.objectContaining({ indication: 'TOTAL_PASSED', signer: expect.objectContaining({ name: 'Lê Thị Lãnh Đạo', cccd: '038085000123' }) }),
    ]);
    // The citizen sees the result only once it is returned.
    await t.http().get(`/api/v1/files/${done.result.fileId}/content`).set('Authorization', `Bearer ${citizen.token}`).expect(404);
    expect((await act(t, tok['tiepnhan.hacthanh'], d.id, 'return', { method: 'ONLINE', originalsChecked: true })).status).toBe(200);
    const download = await t.http().get(`/api/v1/files/${done.result.fileId}/content`).set('Authorization', `Bearer ${citizen.token}`).expect(200);
    expect(Number(download.headers['content-length'])).toBeGreaterThan(1000);

    const types = (await t.http().get(`/api/v1/dossiers/${d.id}/events`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(types.slice(-3)).toEqual(['APPROVE', 'RESULT_SIGNED', 'RETURN']);
  });

  it('blocks return while the result is not validly signed, and a leader without a key gets FAILED with the reason', async () => {
    // A second leader at Hạc Thành with no key in SIGNING_KEYS_DIR.
    await t
      .http()
      .post('/api/v1/admin/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: 'lanhdao2.hacthanh', password: 'LanhDao2026x', fullName: 'Hoàng Văn Phó', role: 'LEADER', agencyCode: HAC_THANH })
      .expect(201);
    const leader2 = await login(t, 'lanhdao2.hacthanh', 'LanhDao2026x');
    const d = await fileDossier(t, citizen, { procedureCode: BIRTH, agencyCode: HAC_THANH });
    const resultFile = await uploadPdf(t, { token: leader2 }, 'ket-qua');
    await approveWithResult(t, { reception: tok['tiepnhan.hacthanh'], specialist: tok['chuyenvien.hacthanh'], leader: leader2 }, d.id, resultFile);
    const early = await act(t, tok['tiepnhan.hacthanh'], d.id, 'return', { method: 'ONLINE', originalsChecked: true });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('RESULT_NOT_SIGNED');

    const failed = await waitFor(async () => {
      const v = await detail(d.id, leader2);
      return v.result.signature?.status === 'FAILED' ? v : null;
    }, 'the failed signing');
    expect(failed.result.signature.message).toContain('lanhdao2.hacthanh');
    expect(failed.allowedActions).toContainEqual({ action: 'request-signature', allowed: true });
    expect((await act(t, tok['tiepnhan.hacthanh'], d.id, 'return', { method: 'ONLINE', originalsChecked: true })).body.code).toBe('RESULT_NOT_SIGNED');
  });

  it('accepts a dossier whose signature-required component is validly signed, and blocks it otherwise, naming the component', async () => {
    // A procedure not filed yet in this test (filing caches a procedure's placement for a few seconds).
    const FULL = '1.004194';
    const proc = (await t.http().get(`/api/v1/procedures/${FULL}`).expect(200)).body;
    const first = proc.components.find((c: { required: boolean }) => c.required);
    const components = proc.components.map((c: { code: string }) => (c.code === first.code ? { ...c, signatureRequired: true } : c));
    await t.http().patch(`/api/v1/admin/procedures/${FULL}`).set('Authorization', `Bearer ${admin}`).send({ components }).expect(200);

    const unsigned = await fileDossier(t, citizen, { procedureCode: FULL, agencyCode: HAC_THANH });
    const plainFile = (await detail(unsigned.id, citizen.token)).attachments[0].fileId;
    await verified(plainFile);
    const seen = await detail(unsigned.id, tok['tiepnhan.hacthanh']);
    expect(seen.attachments[0].signature).toMatchObject({ state: 'VERIFIED', indication: 'NO_SIGNATURE_FOUND' });
    const blocked = seen.allowedActions.find((a: { action: string }) => a.action === 'accept');
    expect(blocked).toMatchObject({ allowed: false, blockedBy: { code: 'SIGNATURE_REQUIRED' } });
    expect(blocked.blockedBy.message).toContain(`${first.code}: NO_SIGNATURE_FOUND`);
    const refused = await act(t, tok['tiepnhan.hacthanh'], unsigned.id, 'accept');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SIGNATURE_REQUIRED');

    const signedFile = await uploadPdf(t, { token: citizen.token }, undefined, await signed(citizenKey, 'to-khai-co-ky'));
    const good = await fileDossier(t, citizen, { procedureCode: FULL, agencyCode: HAC_THANH, fileId: signedFile });
    await verified(signedFile);
    const ok = await detail(good.id, tok['tiepnhan.hacthanh']);
    expect(ok.attachments[0].signature).toMatchObject({
      indication: 'TOTAL_PASSED',
      signers: [expect.objectContaining({ name: 'Nguyễn Văn An', indication: 'TOTAL_PASSED' })],
    });
    expect((await act(t, tok['tiepnhan.hacthanh'], good.id, 'accept')).status).toBe(200);
  });
});
