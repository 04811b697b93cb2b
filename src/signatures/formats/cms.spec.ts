import * as pkijs from 'pkijs';
import { createTestPki, type LeafOptions, type SigningKey, type TestPki } from '../../../test/support/pki.js';
import { signCmsDetached } from '../signing/cms-signer.js';
import { issueTimestampToken } from '../../../test/support/timestamp-authority.js';
import { verifyCmsDetached } from './cms.js';
import { HttpCrlSource } from '../trust/crl-cache.js';
import type { VerificationContext } from '../report.js';

const DAY = 24 * 3600 * 1000;
const now = new Date();
const daysFromNow = (days: number) => new Date(now.getTime() + days * DAY);
const content = new TextEncoder().encode('Đơn đề nghị cấp giấy phép xây dựng — bản ký số');

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki({ now });
});
afterAll(async () => {
  await pki.close();
});

function context(over: Partial<VerificationContext> = {}): VerificationContext {
  return { trustAnchors: [pki.root], validationTime: now, proofOfExistence: null, crls: new HttpCrlSource({ allowPrivateNetworks: true }), ...over };
}

async function signAndVerify(
  leaf: LeafOptions,
  opts: { signingTime?: Date; ctx?: Partial<VerificationContext>; key?: SigningKey; digest?: 'SHA-1' | 'SHA-256' } = {},
) {
  const key = opts.key ?? (await pki.issue(leaf));
  const cms = await signCmsDetached(content, key, { signingTime: opts.signingTime ?? now, digest: opts.digest });
  return verifyCmsDetached(cms, content, context(opts.ctx), { index: 0, format: 'PAdES' });
}

describe('verifyCmsDetached', () => {
  it('passes a signature made with a valid certificate, and reports who signed, with what and on what evidence', async () => {
    const key = await pki.issue({ commonName: 'Trần Thị Bình', cccd: '079190000123', email: 'binh@example.vn' });
    const signingTime = new Date(Math.floor(now.getTime() / 1000) * 1000 - 3600 * 1000);
    const cms = await signCmsDetached(content, key, { signingTime });
    const result = await verifyCmsDetached(cms, content, context(), { index: 2, format: 'PAdES' });

    expect(result).toMatchObject({ index: 2, format: 'PAdES', indication: 'TOTAL_PASSED', subIndication: null, pdf: null });
    expect(result.signer).toEqual({
      name: 'Trần Thị Bình',
      subject: 'CN=Trần Thị Bình, E=binh@example.vn, UID=CCCD:079190000123, ST=Hà Nội, C=VN',
      cccd: '079190000123',
      taxCode: null,
      email: 'binh@example.vn',
    });
    const serial = pkijs.Certificate.fromBER(key.certificate).serialNumber.valueBlock.valueHexView;
    expect(result.certificate?.serialNumber).toBe(Buffer.from(serial).toString('hex'));
    expect(result.certificate?.issuer).toBe('CN=Test CA Công cộng, O=motcua test PKI, ST=Hà Nội, C=VN');
    expect(result.signingTime).toBe(signingTime.toISOString());
    expect(result.algorithms).toEqual({ digest: 'SHA-256', signature: 'RSA', keyBits: 2048 });
    expect(result.evidence.chain.map((c) => c.subject.split(',')[0])).toEqual(['CN=Trần Thị Bình', 'CN=Test CA Công cộng', 'CN=Test Root CA (Quốc gia)']);
    expect(result.evidence.crls.map((c) => c.url)).toEqual([`${pki.crlBaseUrl}/intermediate.crl`, `${pki.crlBaseUrl}/root.crl`]);
    expect(result.evidence.crls[0].issuer).toBe(result.certificate?.issuer);
  });

  it('verifies content given in parts (a PDF byte range) as their concatenation', async () => {
    const key = await pki.issue();
    const parts = [content.subarray(0, 10), content.subarray(10)];
    const cms = await signCmsDetached(parts, key, { signingTime: now });
    expect((await verifyCmsDetached(cms, content, context(), { index: 0, format: 'PKCS7' })).indication).toBe('TOTAL_PASSED');
    expect((await verifyCmsDetached(cms, [content.subarray(0, 9), content.subarray(10)], context(), { index: 0, format: 'PKCS7' })).subIndication).toBe(
      'HASH_FAILURE',
    );
  });

  it('fails with HASH_FAILURE when one byte of the content changed', async () => {
    const cms = await signCmsDetached(content, await pki.issue(), { signingTime: now });
    const changed = Uint8Array.from(content);
    changed[5] ^= 0x01;
    const result = await verifyCmsDetached(cms, changed, context(), { index: 0, format: 'PAdES' });
    expect([result.indication, result.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
  });

  it('fails with SIG_CRYPTO_FAILURE when the signature value was tampered with', async () => {
    const cms = Buffer.from(await signCmsDetached(content, await pki.issue(), { signingTime: now }));
    const signerInfo = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(cms).content }).signerInfos[0];
    const at = cms.indexOf(Buffer.from(signerInfo.signature.valueBlock.valueHexView));
    cms[at + 20] ^= 0xff;
    const result = await verifyCmsDetached(cms, content, context(), { index: 0, format: 'PAdES' });
    expect([result.indication, result.subIndication]).toEqual(['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE']);
    expect(result.signer?.name).toBe('Nguyễn Văn An');
  });

  it('reports NO_SIGNING_CERTIFICATE_FOUND when the CMS carries no certificate', async () => {
    const cms = await signCmsDetached(content, await pki.issue(), { signingTime: now });
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(cms).content });
    signedData.certificates = undefined;
    const stripped = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) }).toSchema().toBER();
    const result = await verifyCmsDetached(new Uint8Array(stripped), content, context(), { index: 0, format: 'PAdES' });
    expect([result.indication, result.subIndication]).toEqual(['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND']);
  });

  it('fails with FORMAT_FAILURE on bytes that are not CMS', async () => {
    const result = await verifyCmsDetached(new TextEncoder().encode('not a signature at all'), content, context(), { index: 0, format: 'PAdES' });
    expect([result.indication, result.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
  });

  describe('certificate validity', () => {
    const expired = { notBefore: daysFromNow(-400), notAfter: daysFromNow(-10) };

    it('fails with EXPIRED when the claimed signing time is after the certificate expired', async () => {
      const result = await signAndVerify(expired, { signingTime: daysFromNow(-5) });
      expect([result.indication, result.subIndication]).toEqual(['TOTAL_FAILED', 'EXPIRED']);
    });

    it('passes a signature made before expiry when the service received it before expiry (POE)', async () => {
      const result = await signAndVerify(expired, { signingTime: daysFromNow(-20), ctx: { proofOfExistence: daysFromNow(-15) } });
      expect([result.indication, result.subIndication]).toEqual(['TOTAL_PASSED', null]);
      expect(result.messages.join(' ')).toMatch(/expired at .*received the document/);
    });

    it('is INDETERMINATE without proof the signature existed before expiry', async () => {
      const result = await signAndVerify(expired, { signingTime: daysFromNow(-20) });
      expect([result.indication, result.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NOT_REVOKED']);
      pki.setCrlAvailable(false);
      try {
        const unchecked = await signAndVerify(expired, { signingTime: daysFromNow(-20) });
        expect([unchecked.indication, unchecked.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE']);
      } finally {
        pki.setCrlAvailable(true);
      }
    });

    it('passes a B-T signature whose timestamp proves it was made before expiry, and ignores a timestamp that does not hold', async () => {
      const key = await pki.issue(expired);
      const tsa = await pki.issue({ commonName: 'TSA Thử nghiệm' });
      const stamped = await signCmsDetached(content, key, {
        signingTime: daysFromNow(-20),
        timestamp: (imprint) => issueTimestampToken(imprint, tsa, daysFromNow(-20)),
      });
      const result = await verifyCmsDetached(stamped, content, context(), { index: 0, format: 'PAdES' });
      expect([result.indication, result.subIndication]).toEqual(['TOTAL_PASSED', null]);
      expect(result.timestamp).toEqual({ time: daysFromNow(-20).toISOString(), tsa: 'TSA Thử nghiệm', indication: 'TOTAL_PASSED', subIndication: null });

      // A token over other bytes proves nothing about this signature.
      const wrong = await signCmsDetached(content, key, {
        signingTime: daysFromNow(-20),
        timestamp: (imprint) => issueTimestampToken({ ...imprint, hash: new Uint8Array(32) }, tsa, daysFromNow(-20)),
      });
      const unproven = await verifyCmsDetached(wrong, content, context(), { index: 0, format: 'PAdES' });
      expect(unproven.timestamp).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
      expect([unproven.indication, unproven.subIndication]).toEqual(['INDETERMINATE', 'OUT_OF_BOUNDS_NOT_REVOKED']);
    });

    it('fails with NOT_YET_VALID when signed before the certificate was valid', async () => {
      const result = await signAndVerify({ notBefore: daysFromNow(10), notAfter: daysFromNow(400) }, { signingTime: now });
      expect([result.indication, result.subIndication]).toEqual(['TOTAL_FAILED', 'NOT_YET_VALID']);
    });
  });

  describe('revocation', () => {
    it('fails with REVOKED when the certificate was revoked before the claimed signing time', async () => {
      const key = await pki.issue();
      await pki.revoke(key, daysFromNow(-2));
      const result = await signAndVerify({}, { key, signingTime: daysFromNow(-1) });
      expect([result.indication, result.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
      expect(result.messages.join(' ')).toContain('keyCompromise');
    });

    it('passes when revoked after the service received the document, and is REVOKED_NO_POE without that proof', async () => {
      const key = await pki.issue();
      await pki.revoke(key, daysFromNow(-1));
      const withPoe = await signAndVerify({}, { key, signingTime: daysFromNow(-3), ctx: { proofOfExistence: daysFromNow(-2) } });
      expect([withPoe.indication, withPoe.subIndication]).toEqual(['TOTAL_PASSED', null]);
      const withoutPoe = await signAndVerify({}, { key, signingTime: daysFromNow(-3) });
      expect([withoutPoe.indication, withoutPoe.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_NO_POE']);
    });

    it('is TRY_LATER while the CRL server is down, and passes once it is back', async () => {
      const key = await pki.issue();
      const crls = new HttpCrlSource({ timeoutMs: 2000, allowPrivateNetworks: true });
      const cms = await signCmsDetached(content, key, { signingTime: now });
      pki.setCrlAvailable(false);
      let down;
      try {
        down = await verifyCmsDetached(cms, content, context({ crls }), { index: 0, format: 'PAdES' });
      } finally {
        pki.setCrlAvailable(true);
      }
      expect([down.indication, down.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
      expect(down.messages.join(' ')).toContain(`${pki.crlBaseUrl}/intermediate.crl`);
      const up = await verifyCmsDetached(cms, content, context({ crls }), { index: 0, format: 'PAdES' });
      expect([up.indication, up.subIndication]).toEqual(['TOTAL_PASSED', null]);
    });
  });

  it('finds no chain for a certificate under a root that is not trusted', async () => {
    const result = await signAndVerify({ untrustedRoot: true });
    expect([result.indication, result.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect(result.evidence.chain.map((c) => c.subject.split(',')[0])).toEqual(['CN=Nguyễn Văn An', 'CN=Untrusted CA']);
  });

  describe('algorithm policy', () => {
    it('rejects an RSA key under 2048 bits', async () => {
      const result = await signAndVerify({ keyBits: 1024 });
      expect([result.indication, result.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE']);
      expect(result.algorithms.keyBits).toBe(1024);
    });

    it('rejects SHA-1 in the signature and in the certificate', async () => {
      const sha1Signature = await signAndVerify({}, { digest: 'SHA-1' });
      expect([sha1Signature.indication, sha1Signature.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE']);
      expect(sha1Signature.algorithms.digest).toBe('SHA-1');
      const sha1Certificate = await signAndVerify({ hash: 'SHA-1' });
      expect([sha1Certificate.indication, sha1Certificate.subIndication]).toEqual(['INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE']);
      expect(sha1Certificate.messages.join(' ')).toContain('SHA-1');
    });

    it('passes ECDSA with P-256', async () => {
      const result = await signAndVerify({ keyType: 'EC' });
      expect([result.indication, result.subIndication]).toEqual(['TOTAL_PASSED', null]);
      expect(result.algorithms).toEqual({ digest: 'SHA-256', signature: 'ECDSA', keyBits: 256 });
    });
  });
});
