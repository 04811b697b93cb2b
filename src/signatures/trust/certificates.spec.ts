import { createTestPki, type TestPki } from '../../../test/support/pki.js';
import { assessAlgorithms, assessSigningCertificate, certificateInfo, signerInfo } from './certificates.js';
import { HttpCrlSource } from './crl-cache.js';
import type { VerificationContext } from '../report.js';

const DAY = 24 * 3600 * 1000;
const now = new Date();
let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki({ now });
});
afterAll(async () => {
  await pki.close();
});

const context = (over: Partial<VerificationContext> = {}): VerificationContext => ({
  trustAnchors: [pki.root],
  validationTime: now,
  proofOfExistence: null,
  crls: new HttpCrlSource({ allowPrivateNetworks: true }),
  ...over,
});

describe('signerInfo and certificateInfo', () => {
  it('reads an organisation tax code (MST) and e-mail from the subject', async () => {
    const key = await pki.issue({ commonName: 'Công ty TNHH Một Cửa', taxCode: '0101234567-001', email: 'ketoan@motcua.vn' });
    expect(signerInfo(key.certificate)).toEqual({
      name: 'Công ty TNHH Một Cửa',
      subject: 'CN=Công ty TNHH Một Cửa, E=ketoan@motcua.vn, UID=MST:0101234567-001, ST=Hà Nội, C=VN',
      cccd: null,
      taxCode: '0101234567-001',
      email: 'ketoan@motcua.vn',
    });
  });

  it('describes a certificate by subject, issuer, validity and fingerprint', async () => {
    const notAfter = new Date(Math.floor(now.getTime() / 1000) * 1000 + 100 * DAY);
    const key = await pki.issue({ notAfter });
    const info = certificateInfo(key.certificate);
    expect(info.subject).toBe('CN=Nguyễn Văn An, UID=CCCD:001090000001, ST=Hà Nội, C=VN');
    expect(info.issuer).toBe(certificateInfo(pki.intermediate).subject);
    expect(info.notAfter).toBe(notAfter.toISOString());
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.sha256).not.toBe(certificateInfo(pki.intermediate).sha256);
  });
});

describe('assessAlgorithms', () => {
  const rsa = { signatureOid: '1.2.840.113549.1.1.1', keyType: 'RSA' as const };
  it('accepts SHA-256 with RSA 2048 and names what was used', () => {
    expect(assessAlgorithms({ ...rsa, digestOid: '2.16.840.1.101.3.4.2.1', keyBits: 2048 })).toEqual({
      ok: true,
      names: { digest: 'SHA-256', signature: 'RSA', keyBits: 2048 },
    });
  });
  it('refuses MD5, SHA-1 (also when implied by the signature algorithm), small keys and unknown algorithms', () => {
    expect(assessAlgorithms({ ...rsa, digestOid: '1.2.840.113549.2.5', keyBits: 2048 })).toMatchObject({ ok: false, message: expect.stringContaining('MD5') });
    expect(assessAlgorithms({ digestOid: '2.16.840.1.101.3.4.2.1', signatureOid: '1.2.840.113549.1.1.5', keyType: 'RSA', keyBits: 4096 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('SHA-1'),
    });
    expect(assessAlgorithms({ digestOid: '2.16.840.1.101.3.4.2.1', signatureOid: '1.2.840.10045.4.3.2', keyType: 'EC', keyBits: 192 }).ok).toBe(false);
    expect(assessAlgorithms({ digestOid: '1.2.3.4', signatureOid: '1.2.840.10045.4.3.2', keyType: 'EC', keyBits: 256 }).ok).toBe(false);
  });
});

describe('assessSigningCertificate', () => {
  it('fails the chain when an intermediate’s signature does not verify', async () => {
    const key = await pki.issue();
    const forged = Uint8Array.from(pki.intermediate);
    forged[forged.length - 10] ^= 0xff; // inside the signature value, at the end of the DER
    const result = await assessSigningCertificate(key.certificate, [forged], now, context());
    expect([result.indication, result.subIndication]).toEqual(['INDETERMINATE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE']);
  });

  it('finds no chain when the intermediate is missing', async () => {
    const key = await pki.issue();
    const result = await assessSigningCertificate(key.certificate, [], now, context());
    expect([result.indication, result.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });

  it('is REVOKED_CA_NO_POE when the intermediate was revoked, unless the service held the document before', async () => {
    const own = await createTestPki({ now });
    try {
      const key = await own.issue();
      await own.revoke({ certificate: own.intermediate }, new Date(now.getTime() - DAY));
      const ctx = { ...context(), trustAnchors: [own.root] };
      const revoked = await assessSigningCertificate(key.certificate, key.chain, new Date(now.getTime() - 2 * DAY), ctx);
      expect([revoked.indication, revoked.subIndication]).toEqual(['INDETERMINATE', 'REVOKED_CA_NO_POE']);
      const held = await assessSigningCertificate(key.certificate, key.chain, null, { ...ctx, proofOfExistence: new Date(now.getTime() - 2 * DAY) });
      expect([held.indication, held.subIndication]).toEqual(['TOTAL_PASSED', null]);
    } finally {
      await own.close();
    }
  });

  it('rejects a CRL that its issuer did not sign (TRY_LATER)', async () => {
    const other = await createTestPki({ now });
    try {
      const key = await pki.issue();
      // Every CRL URL answered by another PKI's server: right path, wrong signer.
      const crls = {
        fetch: (url: string, at: Date) => new HttpCrlSource({ allowPrivateNetworks: true }).fetch(url.replace(pki.crlBaseUrl, other.crlBaseUrl), at),
      };
      const result = await assessSigningCertificate(key.certificate, key.chain, now, context({ crls }));
      expect([result.indication, result.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
      expect(result.messages.join(' ')).toContain(`${pki.crlBaseUrl}/intermediate.crl`);
    } finally {
      await other.close();
    }
  });
});
