import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { FORM_FONTS, registerPdfFonts } from '../common/render/pdf-fonts.js';
import type { FormModel } from './form-model.js';

export { FORM_FONTS };

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 56, bottom: 56, left: 70, right: 50 }; // Decree 30/2020 layout: 20–25 mm left, 15–20 mm right

/** Renders a form to a PDF (A4 portrait), returning its bytes. */
export async function renderFormPdf(form: FormModel): Promise<Buffer> {
  const page = form.landscape ? { width: A4.height, height: A4.width } : A4;
  const doc = new PDFDocument({
    size: 'A4',
    layout: form.landscape ? 'landscape' : 'portrait',
    margins: MARGIN,
    info: { Title: `${form.title} (${form.dossierCode})`, Subject: `Mẫu số ${form.number}`, Creator: 'motcua' },
    bufferPages: true,
  });
  registerPdfFonts(doc, FORM_FONTS);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const contentWidth = page.width - MARGIN.left - MARGIN.right;
  const half = contentWidth / 2;
  // The national motto needs a wider column than the issuer's name.
  const leftWidth = contentWidth * 0.42;
  const rightX = MARGIN.left + leftWidth;
  const rightWidth = contentWidth - leftWidth;
  const top = doc.y;

  doc
    .font('italic')
    .fontSize(9)
    .text(`Mẫu số ${form.number}`, MARGIN.left, top - 22, { width: contentWidth, align: 'right' });
  // Header: the issuer on the left, the national motto on the right.
  if (form.issuer.parent)
    doc
      .font('regular')
      .fontSize(10.5)
      .text(form.issuer.parent.toUpperCase(), MARGIN.left, top, { width: leftWidth - 8, align: 'center' });
  doc
    .font('bold')
    .fontSize(10.5)
    .text(form.issuer.unit.toUpperCase(), MARGIN.left, doc.y, { width: leftWidth - 8, align: 'center' });
  const leftBottom = doc.y;
  doc.font('bold').fontSize(10.5).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: rightWidth, align: 'center' });
  doc.font('bold').fontSize(11.5).text('Độc lập - Tự do - Hạnh phúc', rightX, doc.y, { width: rightWidth, align: 'center', underline: true });
  const rightBottom = doc.y;
  doc
    .font('regular')
    .fontSize(10.5)
    .text(`${form.codeLabel ?? 'Mã hồ sơ'}: ${form.dossierCode}`, MARGIN.left, Math.max(leftBottom, rightBottom) + 6, {
      width: leftWidth - 8,
      align: 'center',
    });
  doc
    .font('italic')
    .fontSize(11)
    .text(form.placeAndDate, rightX, Math.max(leftBottom, rightBottom) + 6, { width: rightWidth, align: 'center' });

  doc.moveDown(1.5);
  doc.font('bold').fontSize(14).text(form.title, MARGIN.left, doc.y, { width: contentWidth, align: 'center' });
  doc.moveDown(1);

  for (const block of form.blocks) {
    doc.x = MARGIN.left;
    switch (block.kind) {
      case 'field':
        doc.font('bold').fontSize(12).text(`${block.label}: `, { continued: true, width: contentWidth }).font('regular').text(block.value);
        break;
      case 'paragraph':
        doc.font('regular').fontSize(12).text(block.text, { width: contentWidth, align: 'justify' });
        break;
      case 'list':
        doc.font('bold').fontSize(12).text(`${block.label}:`, { width: contentWidth });
        block.items.forEach((item, i) =>
          doc
            .font('regular')
            .fontSize(12)
            .text(`${i + 1}. ${item}`, MARGIN.left + 14, doc.y, { width: contentWidth - 14 }),
        );
        break;
      case 'table':
        drawTable(doc, block, contentWidth, page.height);
        break;
    }
    doc.moveDown(0.4);
  }

  // Signatures and the QR code of the public lookup.
  doc.moveDown(1);
  if (doc.y > page.height - MARGIN.bottom - 150) doc.addPage();
  const signY = doc.y;
  const captions = form.signatures;
  captions.forEach((caption, i) => {
    const x = captions.length === 1 ? MARGIN.left + half : MARGIN.left + i * half;
    doc.font('bold').fontSize(12).text(caption, x, signY, { width: half, align: 'center' });
    doc.font('italic').fontSize(10).text('(Ký và ghi rõ họ tên)', x, doc.y, { width: half, align: 'center' });
  });
  if (form.qrText) {
    const qr = await QRCode.toBuffer(form.qrText, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
    const qrY = Math.min(signY + 80, page.height - MARGIN.bottom - 90);
    doc.image(qr, MARGIN.left, qrY, { width: 80 });
    doc
      .font('italic')
      .fontSize(8)
      .text('Tra cứu hồ sơ / Dossier lookup', MARGIN.left, qrY + 82, { width: 120 });
  }

  doc.end();
  return done;
}

function drawTable(doc: PDFKit.PDFDocument, t: Extract<FormModel['blocks'][number], { kind: 'table' }>, width: number, pageHeight: number): void {
  const total = t.columns.reduce((s, c) => s + c.width, 0);
  const widths = t.columns.map((c) => (c.width / total) * width);
  const drawRow = (cells: string[], font: string) => {
    doc.font(font).fontSize(9);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - 6 }));
    const h = Math.max(...heights) + 6;
    if (doc.y + h > pageHeight - MARGIN.bottom) doc.addPage();
    const y = doc.y;
    let x = MARGIN.left;
    cells.forEach((c, i) => {
      doc.rect(x, y, widths[i], h).stroke();
      doc.text(c, x + 3, y + 3, { width: widths[i] - 6 });
      x += widths[i];
    });
    doc.x = MARGIN.left;
    doc.y = y + h;
  };
  drawRow(
    t.columns.map((c) => c.title),
    'bold',
  );
  for (const row of t.rows) drawRow(row, 'regular');
}
