import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate, createHash } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { createTestPki, type SigningKey, type TestPki } from '../../../test/support/pki.js';
import { HttpCrlSource } from '../trust/crl-cache.js';
import type { VerificationContext } from '../report.js';
import { useXmlAlgorithms, verifyXml } from './xml.js';

const NOW = new Date('2025-06-02T03:00:00Z');
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const XADES = 'http://uri.etsi.org/01903/v1.3.2#';
const ALGORITHMS = {
  'RSA-SHA256': { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
  'RSA-SHA1': { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
  'ECDSA-SHA256': { signature: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
};

/** An e-form as the national public service portal hands it over: "Tờ khai đăng ký khai sinh". */
const FORM = `<?xml version="1.0" encoding="UTF-8"?>
<HoSo xmlns="urn:dichvucong:hotich:khaisinh:1.0">
  <ToKhai Id="tokhai">
    <TenToKhai>Tờ khai đăng ký khai sinh</TenToKhai>
    <NguoiYeuCau><HoTen>Trần Thị Hoà</HoTen><SoDinhDanh>079190000123</SoDinhDanh><QuanHe>Mẹ</QuanHe></NguoiYeuCau>
    <NguoiDuocKhaiSinh><HoTen>Nguyễn Văn Bình</HoTen><NgaySinh>2025-05-20</NgaySinh><NoiSinh>Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh</NoiSinh></NguoiDuocKhaiSinh>
  </ToKhai>
  <XacNhan Id="xacnhan"><CanBo>Lê Văn Cường</CanBo><YKien>Đủ điều kiện tiếp nhận</YKien></XacNhan>
</HoSo>
`;

const pem = (der: Uint8Array) => new X509Certificate(der).toString();

interface SignOptions {
  algorithm?: keyof typeof ALGORITHMS;
  /** XPath of the signed element; the whole document (URI="", enveloped) by default. */
  element?: string;
  /** Publish the certificate (and its issuer, before or after it) in KeyInfo. */
  keyInfo?: 'certificate' | 'chain' | 'issuer-first' | 'none';
  /** Add XAdES SignedProperties with this SigningTime, covered by a reference. */
  signingTime?: string;
  /** With signingTime: the certificate XAdES SigningCertificateV2 names (by its SHA-256). */
  signingCertificate?: Uint8Array;
}

/** Signs `xml` as a Vietnamese signing tool would, with xml-crypto. */
function signXml(xml: string, key: SigningKey, o: SignOptions = {}): string {
  const algorithm = ALGORITHMS[o.algorithm ?? 'RSA-SHA256'];
  const keyInfo = o.keyInfo ?? 'chain';
  const id = `sig-${createHash('sha256').update(xml).digest('hex').slice(0, 8)}`;
  const signedXml = useXmlAlgorithms(
    new SignedXml({
      privateKey: key.privateKey,
      publicCert: {
        none: undefined,
        certificate: pem(key.certificate),
        chain: [key.certificate, ...key.chain].map(pem).join(''),
        'issuer-first': [...key.chain, key.certificate].map(pem).join(''),
      }[keyInfo],
      signatureAlgorithm: algorithm.signature,
      canonicalizationAlgorithm: EXC_C14N,
      objects: o.signingTime
        ? [
            {
              content:
                `<xades:QualifyingProperties xmlns:xades="${XADES}" Target="#${id}"><xades:SignedProperties Id="${id}-props">` +
                `<xades:SignedSignatureProperties><xades:SigningTime>${o.signingTime}</xades:SigningTime>${signingCertificate(o.signingCertificate)}</xades:SignedSignatureProperties>` +
                `</xades:SignedProperties></xades:QualifyingProperties>`,
            },
          ]
        : undefined,
    }),
  );
  if (o.element) signedXml.addReference({ xpath: o.element, digestAlgorithm: algorithm.digest, transforms: [EXC_C14N] });
  else signedXml.addReference({ xpath: '/*', digestAlgorithm: algorithm.digest, transforms: [ENVELOPED, EXC_C14N], isEmptyUri: true });
  if (o.signingTime) {
    signedXml.addReference({
      xpath: `//*[@Id='${id}-props']`,
      digestAlgorithm: algorithm.digest,
      transforms: [EXC_C14N],
      type: 'http://uri.etsi.org/01903#SignedProperties',
    });
  }
  signedXml.computeSignature(xml, { prefix: 'ds', attrs: { Id: id } });
  return signedXml.getSignedXml();
}

const bytes = (s: string) => Buffer.from(s, 'utf8');

function signingCertificate(der: Uint8Array | undefined): string {
  if (!der) return '';
  const digest = createHash('sha256').update(der).digest('base64');
  return (
    `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Algorithm="${ALGORITHMS['RSA-SHA256'].digest}"/>` +
    `<ds:DigestValue xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${digest}</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2>`
  );
}

describe('verifyXml', () => {
  let pki: TestPki;
  let mother: SigningKey;
  let ctx: VerificationContext;

  beforeAll(async () => {
    pki = await createTestPki({ now: NOW });
    mother = await pki.issue({ commonName: 'Trần Thị Hoà', cccd: '079190000123' });
    ctx = {
      trustAnchors: [pki.root],
      validationTime: NOW,
      proofOfExistence: NOW,
      crls: new HttpCrlSource({ allowPrivateNetworks: true }),
    };
  });
  afterAll(async () => {
    await pki?.close();
  });

  it('passes an enveloped RSA-SHA256 signature over the whole e-form, naming the signer and her CCCD', async () => {
    const report = await verifyXml(bytes(signXml(FORM, mother)), ctx);
    expect(report).toMatchObject({ format: 'XML', indication: 'TOTAL_PASSED', subIndication: null, validationTime: NOW.toISOString() });
    expect(report.signatures).toHaveLength(1);
    const [s] = report.signatures;
    expect(s).toMatchObject({
      index: 0,
      format: 'XMLDSig',
      indication: 'TOTAL_PASSED',
      subIndication: null,
      signer: { name: 'Trần Thị Hoà', cccd: '079190000123' },
      certificate: { sha256: createHash('sha256').update(mother.certificate).digest('hex') },
      signingTime: null,
      algorithms: { digest: 'SHA-256', signature: 'RSA', keyBits: 2048 },
      pdf: null,
    });
    expect(s.evidence.chain.length).toBeGreaterThanOrEqual(2);
    expect(s.messages.join('\n')).toContain('covers: the whole document (except the signature itself)');
  });

  it('reads the signing time from signed XAdES properties, and passes ECDSA P-256', async () => {
    const officer = await pki.issue({ commonName: 'Lê Văn Cường', cccd: '001085000777', keyType: 'EC' });
    const report = await verifyXml(bytes(signXml(FORM, officer, { algorithm: 'ECDSA-SHA256', signingTime: '2025-06-01T09:15:00+07:00' })), ctx);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]).toMatchObject({
      signingTime: '2025-06-01T02:15:00.000Z',
      signer: { name: 'Lê Văn Cường', cccd: '001085000777' },
      algorithms: { digest: 'SHA-256', signature: 'ECDSA', keyBits: 256 },
    });
    expect(report.signatures[0].messages.join('\n')).toContain('the XAdES signed properties');
  });

  it('finds the signer among KeyInfo certificates in any order, and the one XAdES SigningCertificateV2 names', async () => {
    const reversed = await verifyXml(bytes(signXml(FORM, mother, { keyInfo: 'issuer-first' })), ctx);
    expect(reversed.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', signer: { name: 'Trần Thị Hoà' } });
    const named = await verifyXml(
      bytes(signXml(FORM, mother, { keyInfo: 'issuer-first', signingTime: '2025-06-01T09:15:00Z', signingCertificate: mother.certificate })),
      ctx,
    );
    expect(named.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', signer: { name: 'Trần Thị Hoà' } });
    const someoneElse = await pki.issue({ commonName: 'Người Khác' });
    const wrong = await verifyXml(bytes(signXml(FORM, mother, { signingTime: '2025-06-01T09:15:00Z', signingCertificate: someoneElse.certificate })), ctx);
    expect(wrong.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND' });
    expect(wrong.signatures[0].messages.join('\n')).toContain('named by the XAdES properties is not in KeyInfo');
  });

  it('ignores a XAdES signing time that no reference covers', async () => {
    const signed = signXml(FORM, mother, { signingTime: '2025-06-01T09:15:00+07:00' });
    // Drop the reference to the properties: SignedInfo changes, so sign again without it and graft the properties in.
    const unsignedProps = signXml(FORM, mother).replace('</ds:Signature>', `${/<ds:Object>.*<\/ds:Object>/s.exec(signed)![0]}</ds:Signature>`);
    const report = await verifyXml(bytes(unsignedProps), ctx);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', signingTime: null });
    expect(report.signatures[0].messages.join('\n')).toContain('not covered by the signature and are ignored');
  });

  it('finds a text node changed after signing: TOTAL_FAILED / HASH_FAILURE', async () => {
    const signed = signXml(FORM, mother);
    const tampered = signed.replace('<HoTen>Nguyễn Văn Bình</HoTen>', '<HoTen>Nguyễn Văn Bính</HoTen>');
    expect(tampered).not.toBe(signed);
    const report = await verifyXml(bytes(tampered), ctx);
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', signer: { name: 'Trần Thị Hoà' } });
  });

  it('finds an altered SignatureValue: TOTAL_FAILED / SIG_CRYPTO_FAILURE', async () => {
    const signed = signXml(FORM, mother);
    const tampered = signed.replace(/<ds:SignatureValue>(.)/, (_, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`);
    expect(tampered).not.toBe(signed);
    const report = await verifyXml(bytes(tampered), ctx);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
  });

  it('does not trust a certificate the document brings under an unknown root: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const stranger = await pki.issue({ commonName: 'Trần Thị Hoà', cccd: '079190000123', untrustedRoot: true });
    const report = await verifyXml(bytes(signXml(FORM, stranger)), ctx);
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('holds RSA-SHA1 below policy: INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE_NO_POE', async () => {
    const report = await verifyXml(bytes(signXml(FORM, mother, { algorithm: 'RSA-SHA1' })), ctx);
    expect(report.signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
      algorithms: { digest: 'SHA-1' },
    });
  });

  it('says INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND when KeyInfo has no certificate', async () => {
    const report = await verifyXml(bytes(signXml(FORM, mother, { keyInfo: 'none' })), ctx);
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND', signer: null });
  });

  it('judges each of two signatures: the citizen’s holds, the officer’s over a changed part fails, and so does the document', async () => {
    const officer = await pki.issue({ commonName: 'Lê Văn Cường', cccd: '001085000777' });
    const once = signXml(FORM, mother, { element: "//*[@Id='tokhai']" });
    const twice = signXml(once, officer, { element: "//*[@Id='xacnhan']" });
    const intact = await verifyXml(bytes(twice), ctx);
    expect(intact.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(intact.signatures[0].messages.join('\n')).toContain('covers: element <ToKhai Id="tokhai">; the rest of the document is not signed');

    const report = await verifyXml(bytes(twice.replace('Đủ điều kiện tiếp nhận', 'Không đủ điều kiện')), ctx);
    expect(report.signatures).toMatchObject([
      { index: 0, indication: 'TOTAL_PASSED', signer: { name: 'Trần Thị Hoà' } },
      { index: 1, indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', signer: { name: 'Lê Văn Cường' } },
    ]);
    expect(report.indication).toBe('TOTAL_FAILED');
  });

  it('refuses a signature-wrapping attempt (a second element with the signed Id): FORMAT_FAILURE', async () => {
    const signed = signXml(FORM, mother, { element: "//*[@Id='tokhai']" });
    // The original signed form is kept (hidden in XacNhan) so the digest still holds, a forged one takes its place.
    const original = /<ToKhai Id="tokhai">.*?<\/ToKhai>/s.exec(signed)![0];
    const forged = original.replace('Nguyễn Văn Bình', 'Phạm Văn Giả');
    const wrapped = signed.replace(original, forged).replace('<CanBo>', `${original}<CanBo>`);
    const report = await verifyXml(bytes(wrapped), ctx);
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(report.signatures[0].messages.join('\n')).toContain('ID "tokhai" occurs 2 times: possible signature wrapping');
  });

  it('does not fetch a reference outside the document: FORMAT_FAILURE', async () => {
    const signed = signXml(FORM, mother, { element: "//*[@Id='tokhai']" }).replace('URI="#tokhai"', 'URI="http://127.0.0.1:9/to-khai.xml"');
    const report = await verifyXml(bytes(signed), ctx);
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(report.signatures[0].messages.join('\n')).toContain('outside the document (http://127.0.0.1:9/to-khai.xml), which is not fetched');
  });

  it('reads UTF-16 documents', async () => {
    const signed = signXml(FORM.replace('encoding="UTF-8"', 'encoding="UTF-16"'), mother);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(signed, 'utf16le')]);
    expect((await verifyXml(utf16, ctx)).indication).toBe('TOTAL_PASSED');
  });

  it('says NO_SIGNATURE_FOUND for a well-formed XML without a signature', async () => {
    const report = await verifyXml(bytes(FORM), ctx);
    expect(report).toMatchObject({ format: 'XML', indication: 'NO_SIGNATURE_FOUND', subIndication: null, signatures: [] });
  });

  it('says TOTAL_FAILED / FORMAT_FAILURE, without throwing, for truncated XML, random bytes, other encodings and a DTD', async () => {
    const signed = signXml(FORM, mother);
    let seed = Buffer.from('motcua');
    const random = Buffer.concat(Array.from({ length: 128 }, () => (seed = createHash('sha256').update(seed).digest())));
    const cases: [Uint8Array, string][] = [
      [bytes(signed.slice(0, signed.length / 2)), 'Not well-formed XML: unclosed xml tag(s)'],
      [random, 'not UTF-8 or UTF-16 text'],
      [new Uint8Array(0), 'Not well-formed XML'],
      [Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>H\xe0 N\xf4i</a>', 'latin1'), 'not UTF-8 or UTF-16 text'],
      [bytes('<?xml version="1.0" encoding="windows-1258"?><a>Ha Noi</a>'), 'Encoding windows-1258 is not supported'],
      [bytes(signed.replace('<HoSo ', '<!DOCTYPE HoSo [<!ATTLIST XacNhan Id ID #IMPLIED>]><HoSo ')), 'DOCTYPE declaration is not accepted'],
    ];
    for (const [input, reason] of cases) {
      const report = await verifyXml(input, ctx);
      expect(report).toMatchObject({ format: 'XML', indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', signatures: [] });
      expect(report.messages).toEqual([expect.stringContaining(reason)]);
    }
  });

  it('says which element a signature covers when the signed element was moved into the signature', async () => {
    const signed = signXml(FORM, mother, { element: "//*[@Id='tokhai']" });
    const original = /<ToKhai Id="tokhai">.*?<\/ToKhai>/s.exec(signed)![0];
    const moved = signed
      .replace(original, original.replace('Id="tokhai"', '').replace('Nguyễn Văn Bình', 'Phạm Văn Giả'))
      .replace('</ds:Signature>', `<ds:Object>${original}</ds:Object></ds:Signature>`);
    const [s] = (await verifyXml(bytes(moved), ctx)).signatures;
    expect(s.indication).toBe('TOTAL_PASSED'); // XMLDSig core validation holds; the scope is what tells

    expect(s.messages[0]).toContain('covers: element <ToKhai Id="tokhai"> inside the signature; the rest of the document is not signed');
  });
});
