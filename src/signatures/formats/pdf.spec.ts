import { randomBytes } from 'node:crypto';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFRef, StandardFonts } from 'pdf-lib';
import { createTestPki, type SigningKey, type TestPki } from '../../../test/support/pki.js';
import { signPdf, timestampPdf, type PdfSignOptions } from '../signing/pdf-signer.js';
import { issueTimestampToken } from '../../../test/support/timestamp-authority.js';
import { HttpCrlSource } from '../trust/crl-cache.js';
import { verifyPdf } from './pdf.js';
import { appendIncrementalUpdate, loadForUpdate } from './pdf-structure.js';
import type { VerificationContext } from '../report.js';

const now = new Date();
const signingTime = new Date(Math.floor(now.getTime() / 1000) * 1000 - 3600_000);

let pki: TestPki;
let leader: SigningKey;
beforeAll(async () => {
  pki = await createTestPki({ now });
  leader = await pki.issue({ commonName: 'Lê Văn Lãnh Đạo' });
});
afterAll(async () => {
  await pki.close();
});

const context = (): VerificationContext => ({
  trustAnchors: [pki.root],
  validationTime: now,
  proofOfExistence: null,
  crls: new HttpCrlSource({ allowPrivateNetworks: true }),
});

/** A two-page PDF made with pdf-lib; with object streams it uses an xref stream, without a classic xref table. */
async function samplePdf(useObjectStreams = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of ['Quyet dinh so 123/QD-UBND', 'Trang 2']) doc.addPage([595, 842]).drawText(text, { x: 60, y: 760, size: 16, font });
  return doc.save({ useObjectStreams });
}

const sign = (pdf: Uint8Array, opts: Partial<PdfSignOptions> = {}, key = leader) => signPdf(pdf, key, { signingTime, reason: 'Phê duyệt', ...opts });

/** Appends an incremental update made by `change`, which returns the objects it changed or added. */
async function appendUpdate(pdf: Uint8Array, change: (doc: PDFDocument) => PDFRef[]): Promise<Buffer> {
  const doc = await loadForUpdate(pdf);
  return appendIncrementalUpdate(
    pdf,
    doc,
    change(doc).map((ref) => ({ ref })),
  ).bytes;
}

/** An incremental update that adds a sticky-note annotation to the first page. */
const addNote = (pdf: Uint8Array) =>
  appendUpdate(pdf, (doc) => {
    const page = doc.getPages()[0];
    const note = doc.context.register(doc.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [40, 40, 60, 60], Contents: PDFHexString.fromText('Ghi chú') }));
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    if (annots) annots.push(note);
    else page.node.set(PDFName.of('Annots'), doc.context.obj([note]));
    return [note, page.ref];
  });

describe('verifyPdf', () => {
  it('passes a signed PDF and says the signature covers the whole file, revision 2 of 2', async () => {
    const signed = await sign(await samplePdf(), { fieldName: 'LanhDao' });
    const report = await verifyPdf(signed, context());

    expect(report).toMatchObject({ indication: 'TOTAL_PASSED', subIndication: null, format: 'PDF', validationTime: now.toISOString() });
    expect(report.signatures).toHaveLength(1);
    const [sig] = report.signatures;
    expect(sig).toMatchObject({ index: 0, format: 'PAdES', indication: 'TOTAL_PASSED', signingTime: signingTime.toISOString() });
    expect(sig.signer?.name).toBe('Lê Văn Lãnh Đạo');
    expect(sig.pdf).toEqual({
      revision: 2,
      revisions: 2,
      coversWholeDocument: true,
      laterChanges: 'NONE',
      certification: null,
      fieldName: 'LanhDao',
      visible: true,
    });
  });

  it('reports HASH_FAILURE when one byte inside the signed range is changed', async () => {
    const signed = Buffer.from(await sign(await samplePdf()));
    const at = signed.indexOf('595 842'); // the first page's /MediaBox, well inside the signed range
    expect(at).toBeGreaterThan(0);
    signed.write('595 843', at, 'latin1');
    const report = await verifyPdf(signed, context());

    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('judges each of two signatures on its own: the first (unknown root) is INDETERMINATE, the second passes, the document takes the worse', async () => {
    const stranger = await pki.issue({ commonName: 'Người Lạ', untrustedRoot: true });
    const once = await sign(await samplePdf(), { reason: 'Người lập' }, stranger);
    const twice = await sign(once, { reason: 'Lãnh đạo duyệt', visible: { page: 0 } });
    const report = await verifyPdf(twice, context());

    expect(report.indication).toBe('INDETERMINATE');
    const [first, second] = report.signatures;
    expect(first).toMatchObject({ index: 0, indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(first.signer?.name).toBe('Người Lạ');
    expect(first.pdf).toMatchObject({ revision: 2, revisions: 3, coversWholeDocument: false, laterChanges: 'ALLOWED' });
    expect(second).toMatchObject({ index: 1, indication: 'TOTAL_PASSED' });
    expect(second.pdf).toMatchObject({ revision: 3, revisions: 3, coversWholeDocument: true, laterChanges: 'NONE', fieldName: 'Signature2' });
  });

  it('allows a visible signature after a certification signature with P=2', async () => {
    const certified = await sign(await samplePdf(), { certify: 2, visible: false });
    const report = await verifyPdf(await sign(certified, { reason: 'Ký duyệt' }), context());

    expect(report.indication).toBe('TOTAL_PASSED');
    const [first, second] = report.signatures;
    expect(first.indication).toBe('TOTAL_PASSED');
    expect(first.pdf).toEqual({
      revision: 2,
      revisions: 3,
      coversWholeDocument: false,
      laterChanges: 'ALLOWED',
      certification: { permission: 2 },
      fieldName: 'Signature1',
      visible: false,
    });
    expect(second.indication).toBe('TOTAL_PASSED');
    expect(second.pdf).toMatchObject({ coversWholeDocument: true, certification: null, visible: true });
  });

  it('makes a P=1 certification INDETERMINATE / SIG_CONSTRAINTS_FAILURE when anything is added after it, and the signer refuses to sign it', async () => {
    const certified = await sign(await samplePdf(), { certify: 1 });
    await expect(sign(certified)).rejects.toMatchObject({ code: 'PDF_SIGN_INVALID' });
    const report = await verifyPdf(await addNote(certified), context());

    expect(report.indication).toBe('INDETERMINATE');
    expect(report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' });
    expect(report.signatures[0].pdf).toMatchObject({ laterChanges: 'NOT_ALLOWED', certification: { permission: 1 } });
    expect(report.signatures[0].messages.join('\n')).toMatch(/certification signature does not allow/);
  });

  it('allows an annotation added after an approval signature', async () => {
    const report = await verifyPdf(await addNote(await sign(await samplePdf())), context());
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', pdf: { revision: 2, revisions: 3, laterChanges: 'ALLOWED' } });
  });

  it('flags page content changed by an incremental update after a signature as NOT_ALLOWED', async () => {
    const signed = await sign(await samplePdf());
    const altered = await appendUpdate(signed, (doc) => {
      const page = doc.getPages()[0];
      const content = doc.context.register(doc.context.stream('BT /F1 16 Tf 60 760 Td (Quyet dinh so 999/QD-UBND) Tj ET'));
      page.node.set(PDFName.of('Contents'), content);
      return [content, page.ref];
    });
    const report = await verifyPdf(altered, context());

    expect(report.indication).toBe('INDETERMINATE');
    expect(report.signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
      pdf: { coversWholeDocument: false, laterChanges: 'NOT_ALLOWED' },
    });
    expect(report.signatures[0].messages).toContain('Nội dung trang 1 đã bị thay đổi / The content of page 1 was changed');
  });

  it('says NO_SIGNATURE_FOUND for an unsigned PDF', async () => {
    const report = await verifyPdf(await samplePdf(true), context());
    expect(report).toMatchObject({ indication: 'NO_SIGNATURE_FOUND', subIndication: null, signatures: [] });
  });

  it('gives FORMAT_FAILURE, never a throw, for a truncated signed PDF, random bytes and an empty file', async () => {
    const signed = await sign(await samplePdf());
    for (const bytes of [
      signed.subarray(0, Math.floor(signed.length / 2)),
      signed.subarray(0, signed.length - 200),
      randomBytes(5000),
      new Uint8Array(0),
      Buffer.from('%PDF-1.7\nnot really'),
    ]) {
      const report = await verifyPdf(bytes, context());
      expect(report).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', signatures: [] });
      expect(report.messages[0]).toMatch(/ \/ /);
    }
  });

  it('gives the signature FORMAT_FAILURE when its /ByteRange does not frame its /Contents', async () => {
    const signed = Buffer.from(await sign(await samplePdf()));
    const text = signed.toString('latin1');
    const m = /\/ByteRange \[0 (\d+) /.exec(text)!;
    signed.write(String(Number(m[1]) - 1).padEnd(m[1].length, ' '), m.index + '/ByteRange [0 '.length, 'latin1');
    const report = await verifyPdf(signed, context());

    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.subIndication).toBeNull();
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
  });

  it('verifies a document timestamp (RFC 3161) added after a signature: the TSA, its time, and the signature still holds', async () => {
    const tsa = await pki.issue({ commonName: 'TSA Thử nghiệm' });
    const stampedAt = new Date(signingTime.getTime() + 60_000);
    const signed = await sign(await samplePdf());
    const stamped = await timestampPdf(signed, (imprint) => issueTimestampToken(imprint, tsa, stampedAt));
    const report = await verifyPdf(stamped, context());
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => [s.format, s.indication, s.pdf?.revision])).toEqual([
      ['PAdES', 'TOTAL_PASSED', 2],
      ['DocTimeStamp', 'TOTAL_PASSED', 3],
    ]);
    expect(report.signatures[0].pdf).toMatchObject({ coversWholeDocument: false, laterChanges: 'ALLOWED' });
    expect(report.signatures[1]).toMatchObject({
      signer: { name: 'TSA Thử nghiệm' },
      signingTime: stampedAt.toISOString(),
      pdf: { coversWholeDocument: true, visible: false },
    });

    // A token issued for other bytes does not cover this document.
    const misplaced = await timestampPdf(signed, (imprint) => issueTimestampToken({ ...imprint, hash: randomBytes(32) }, tsa, stampedAt));
    expect((await verifyPdf(misplaced, context())).signatures[1]).toMatchObject({
      format: 'DocTimeStamp',
      indication: 'TOTAL_FAILED',
      subIndication: 'HASH_FAILURE',
    });
  });

  it("reports an unsupported /SubFilter (adbe.x509.rsa_sha1) as that signature's FORMAT_FAILURE", async () => {
    const signed = Buffer.from(await sign(await samplePdf()));
    const at = signed.indexOf('/SubFilter /ETSI.CAdES.detached');
    signed.write('/SubFilter /adbe.x509.rsa_sha1 ', at, 'latin1');
    const report = await verifyPdf(signed, context());

    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', pdf: { coversWholeDocument: true } });
    expect(report.signatures[0].messages[0]).toMatch(/Unsupported signature \/SubFilter adbe\.x509\.rsa_sha1/);
  });

  it('verifies several PDFs at once and leaves console.warn as it was (pdf-lib warnings are silenced only while loading)', async () => {
    const warn = console.warn;
    const files = await Promise.all([sign(await samplePdf(true)), samplePdf(true), sign(await samplePdf())]);
    const reports = await Promise.all(files.map((f) => verifyPdf(f, context())));
    expect(reports.map((r) => r.indication)).toEqual(['TOTAL_PASSED', 'NO_SIGNATURE_FOUND', 'TOTAL_PASSED']);
    expect(console.warn).toBe(warn);
  });

  it('signs and verifies a PDF that uses an xref stream and object streams, twice', async () => {
    const source = await samplePdf(true);
    expect(Buffer.from(source).toString('latin1')).toMatch(/\/Type \/XRef/);
    const twice = await sign(await sign(source, { certify: 3 }), { reason: 'Đồng ý' });
    const report = await verifyPdf(twice, context());

    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => s.pdf?.revision)).toEqual([2, 3]);
    expect(report.signatures[0].pdf).toMatchObject({ revisions: 3, laterChanges: 'ALLOWED', certification: { permission: 3 } });
  });
});
