import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, StandardFonts } from 'pdf-lib';
import { createTestPki, type SigningKey, type TestPki } from '../../../test/support/pki.js';
import { findSignatures, formFields } from '../formats/pdf-fields.js';
import { catalogOf, dictOf, getArray, getDict, getName, loadPdf, revisionEnds } from '../formats/pdf-structure.js';
import { pdfBomb } from '../testing/hostile-files.js';
import { signPdf, type PdfSignOptions } from './pdf-signer.js';

const signingTime = new Date('2026-11-22T07:30:00Z');
let pki: TestPki;
let key: SigningKey;
beforeAll(async () => {
  pki = await createTestPki();
  key = await pki.issue({ commonName: 'Phạm Thị Thu Hằng' });
});
afterAll(async () => {
  await pki.close();
});

async function onePagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Giay xac nhan', { x: 60, y: 760, size: 16, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save({ useObjectStreams: false });
}

const sign = (pdf: Uint8Array, opts: Partial<PdfSignOptions> = {}) => signPdf(pdf, key, { signingTime, reason: 'Xác nhận hồ sơ', ...opts });

const streamText = (stream: PDFRawStream): string => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');

/** The text a reader extracts from a widget's appearance: its <hex> Tj runs mapped through the font's ToUnicode bfchar entries. */
function appearanceText(doc: PDFDocument, widget: PDFDict): { lines: string[]; font: PDFDict } {
  const ctx = doc.context;
  const ap = ctx.lookup(getDict(ctx, widget, 'AP')!.get(PDFName.of('N'))) as PDFRawStream;
  const font = dictOf(ctx, getDict(ctx, getDict(ctx, ap.dict, 'Resources')!, 'Font')!.get(PDFName.of('F1')))!;
  const cmap = streamText(ctx.lookup(font.get(PDFName.of('ToUnicode'))) as PDFRawStream);
  const toUnicode = new Map([...cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/g)].map((m) => [m[1], Buffer.from(m[2], 'hex').swap16().toString('utf16le')]));
  const lines = [...streamText(ap).matchAll(/<([0-9a-f]*)> Tj/g)].map((m) =>
    m[1]
      .match(/.{4}/g)!
      .map((cid) => toUnicode.get(cid) ?? '?')
      .join(''),
  );
  return { lines, font };
}

describe('signPdf', () => {
  it('appends an incremental update: the original bytes stay as they were and a revision is added', async () => {
    const original = await onePagePdf();
    const signed = await sign(original);
    expect(Buffer.from(signed.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    expect(revisionEnds(signed)).toHaveLength(revisionEnds(original).length + 1);
    expect(signed.subarray(original.length).toString('latin1')).toMatch(/\/Prev \d+/);
  });

  it('adds a signature field on the page and in the AcroForm with SigFlags 3, and a visible block in Vietnamese (DejaVu Serif subset, text copyable)', async () => {
    const doc = await loadPdf(await sign(await onePagePdf(), { location: 'UBND xã Tân Phú' }));
    const ctx = doc.context;
    const acroForm = getDict(ctx, catalogOf(doc).dict!, 'AcroForm')!;
    expect(acroForm.get(PDFName.of('SigFlags'))?.toString()).toBe('3');
    const [field] = formFields(doc);
    expect(field).toMatchObject({ name: 'Signature1', type: 'Sig' });
    const pageAnnots = getArray(ctx, doc.getPages()[0].node, 'Annots')!.asArray();
    expect(pageAnnots.map(String)).toContain(String(field.ref));

    const { lines, font } = appearanceText(doc, field.widgets[0]);
    expect(lines).toEqual(['Ký bởi: Phạm Thị Thu Hằng', 'Thời gian ký: 22/11/2026 14:30 (UTC+7)', 'Lý do: Xác nhận hồ sơ', 'Nơi ký: UBND xã Tân Phú']);
    expect(getName(ctx, font, 'Subtype')).toBe('Type0');
    expect(getName(ctx, font, 'Encoding')).toBe('Identity-H');
    expect(getName(ctx, font, 'BaseFont')).toMatch(/^[A-Z]{6}\+DejaVuSerif$/);
    const descendant = dictOf(ctx, getArray(ctx, font, 'DescendantFonts')!.get(0))!;
    expect(getName(ctx, descendant, 'Subtype')).toBe('CIDFontType2');
    expect(getDict(ctx, descendant, 'FontDescriptor')!.has(PDFName.of('FontFile2'))).toBe(true);
  });

  it('wraps a long reason inside the box', async () => {
    const reason = 'Phê duyệt kết quả giải quyết thủ tục hành chính cấp giấy phép xây dựng nhà ở riêng lẻ tại đô thị';
    const doc = await loadPdf(await sign(await onePagePdf(), { reason, visible: { rect: [300, 40, 520, 110] } }));
    const { lines } = appearanceText(doc, formFields(doc)[0].widgets[0]);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(2).join(' ')).toBe(`Lý do: ${reason}`);
  });

  it('signs invisibly with visible: false (empty /Rect)', async () => {
    const doc = await loadPdf(await sign(await onePagePdf(), { visible: false, fieldName: 'An' }));
    const [field] = formFields(doc);
    expect(field.name).toBe('An');
    expect(getArray(doc.context, field.widgets[0], 'Rect')!.toString()).toBe('[ 0 0 0 0 ]');
    expect(findSignatures(doc)[0].visible).toBe(false);
  });

  it('writes a DocMDP certification: /Reference in the signature and /Perms /DocMDP in the catalog', async () => {
    const doc = await loadPdf(await sign(await onePagePdf(), { certify: 2 }));
    const ctx = doc.context;
    const [entry] = findSignatures(doc);
    const perms = getDict(ctx, catalogOf(doc).dict!, 'Perms')!;
    expect((perms.get(PDFName.of('DocMDP')) as PDFRef).toString()).toBe(entry.sigRef!.toString());
    const reference = dictOf(ctx, getArray(ctx, entry.sig, 'Reference')!.get(0))!;
    expect(getName(ctx, reference, 'TransformMethod')).toBe('DocMDP');
    expect(getDict(ctx, reference, 'TransformParams')!.get(PDFName.of('P'))?.toString()).toBe('2');
    expect(getName(ctx, entry.sig, 'SubFilter')).toBe('ETSI.CAdES.detached');
  });

  it('refuses what it cannot do properly, with PDF_SIGN_INVALID', async () => {
    const signed = await sign(await onePagePdf());
    await expect(sign(signed, { certify: 2 })).rejects.toMatchObject({ code: 'PDF_SIGN_INVALID', status: 422 });
    await expect(sign(signed, { fieldName: 'Signature1' })).rejects.toMatchObject({ code: 'PDF_SIGN_INVALID' });
    await expect(sign(Buffer.from('%PDF-1.7\ngarbage'))).rejects.toMatchObject({ code: 'PDF_SIGN_INVALID' });
    await expect(sign(await onePagePdf(), { contentsSize: 200 })).rejects.toMatchObject({ code: 'PDF_SIGN_INVALID' });
    await expect(sign(await onePagePdf(), { visible: { page: 5 } })).rejects.toMatchObject({ code: 'PDF_SIGN_INVALID' });
  });

  it('refuses a PDF bomb before inflating it', async () => {
    // The cap stops the inflate at VERIFY_MAX_INFLATED_BYTES (how fast is for bench:hostile, not a test).
    await expect(sign(await pdfBomb(1024 * 1024 * 1024))).rejects.toMatchObject({
      code: 'PDF_SIGN_INVALID',
      message: expect.stringContaining('over the INFLATED_BYTES limit'),
    });
  });
});
