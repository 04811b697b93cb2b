import { PDFDocument, PDFName } from 'pdf-lib';
import { createTestPki, toPkcs12, type TestPki } from '../../../test/support/pki.js';
import { HttpCrlSource } from '../trust/crl-cache.js';
import { verifyPdf } from '../formats/pdf.js';
import { findSignatures } from '../formats/pdf-fields.js';
import { getText, loadPdf } from '../formats/pdf-structure.js';
import { LocalPkcs12Signer } from './local-pkcs12-provider.js';

const now = new Date();
let pki: TestPki;
let p12: Buffer;
beforeAll(async () => {
  pki = await createTestPki({ now });
  p12 = toPkcs12(await pki.issue({ commonName: 'Võ Minh Trưởng' }), 'mật-khẩu');
});
afterAll(async () => {
  await pki.close();
});

async function blankPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  doc.addPage();
  return doc.save();
}

describe('LocalPkcs12Signer', () => {
  it("signs with the PKCS#12 key: a visible signature on the last page, named after the certificate's CN, that verifies", async () => {
    const signer = new LocalPkcs12Signer(p12, 'mật-khẩu');
    const signed = await signer.signPdf(await blankPdf(), { reason: 'Ký kết quả hồ sơ', signingTime: new Date(now.getTime() - 60_000) });

    const report = await verifyPdf(signed, {
      trustAnchors: [pki.root],
      validationTime: now,
      proofOfExistence: null,
      crls: new HttpCrlSource({ allowPrivateNetworks: true }),
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0].pdf).toMatchObject({ visible: true, coversWholeDocument: true });
    expect(report.signatures[0].signer?.name).toBe('Võ Minh Trưởng');

    const doc = await loadPdf(signed);
    const sig = findSignatures(doc)[0].sig;
    expect(getText(doc.context, sig, 'Name')).toBe('Võ Minh Trưởng');
    expect(getText(doc.context, sig, 'Reason')).toBe('Ký kết quả hồ sơ');
    expect(doc.getPages().map((p) => p.node.has(PDFName.of('Annots')))).toEqual([false, true]);
  });

  it('uses the name given instead of the CN', async () => {
    const signed = await new LocalPkcs12Signer(p12, 'mật-khẩu').signPdf(await blankPdf(), { reason: 'Duyệt', signingTime: now, signerName: 'Chủ tịch UBND' });
    const doc = await loadPdf(signed);
    expect(getText(doc.context, findSignatures(doc)[0].sig, 'Name')).toBe('Chủ tịch UBND');
  });

  it('rejects a wrong password', () => {
    expect(() => new LocalPkcs12Signer(p12, 'sai')).toThrow(expect.objectContaining({ code: 'PKCS12_WRONG_PASSWORD' }));
  });
});
