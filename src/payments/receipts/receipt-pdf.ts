import PDFDocument from 'pdfkit';
import { FORM_FONTS, registerPdfFonts } from '../../common/render/pdf-fonts.js';
import { formatReceiptNumber } from './receipt-numbering.js';
import type { ReceiptView } from './receipt.entity.js';
import { formatVnd } from './vietnamese-words.js';

const METHOD_VI: Record<string, string> = {
  PAYGOV: 'Trực tuyến qua Nền tảng thanh toán quốc gia',
  VIETQR: 'Chuyển khoản (VietQR)',
  COUNTER_CASH: 'Tiền mặt tại quầy',
  COUNTER_CARD: 'Thẻ tại quầy',
  EXEMPT: 'Miễn',
};

function vietnamDateText(iso: string): string {
  const v = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `Ngày ${p(v.getUTCDate())} tháng ${p(v.getUTCMonth() + 1)} năm ${v.getUTCFullYear()}, ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}`;
}

/**
 * The e-receipt (biên lai thu phí, lệ phí) as an A4 PDF with DejaVu Serif embedded, the font the
 * forms use, so every Vietnamese letter and tone mark shows on any machine. The agency's digital
 * signature is added afterwards (ReceiptsService.pdf), in the space left at the bottom right.
 */
export async function renderReceiptPdf(r: ReceiptView, kindLabel: Record<string, string>): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 50, left: 60, right: 50 },
    info: { Title: `Biên lai ${r.series} ${formatReceiptNumber(r.number)}`, Creator: 'motcua' },
  });
  registerPdfFonts(doc, FORM_FONTS);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = 60;
  const width = 595.28 - 60 - 50;

  doc
    .font('bold')
    .fontSize(11)
    .text(r.agencyName.toUpperCase(), left, 50, { width: width * 0.55 });
  doc
    .font('regular')
    .fontSize(10)
    .text(`Mã số thuế: ${r.taxCode ?? '—'}`, left, doc.y, { width: width * 0.55 });
  doc
    .font('regular')
    .fontSize(10)
    .text(`Mẫu số: ${r.formCode}`, left + width * 0.6, 50, { width: width * 0.4 });
  doc.text(`Ký hiệu: ${r.series}`, left + width * 0.6, doc.y, { width: width * 0.4 });
  doc.font('bold').text(`Số: ${formatReceiptNumber(r.number)}`, left + width * 0.6, doc.y, { width: width * 0.4 });
  doc.moveDown(2);
  doc.font('bold').fontSize(15).text('BIÊN LAI THU PHÍ, LỆ PHÍ', left, doc.y, { width, align: 'center' });
  doc.font('italic').fontSize(10).text('(Biên lai điện tử)', left, doc.y, { width, align: 'center' });
  doc
    .font('italic')
    .fontSize(10.5)
    .text(vietnamDateText(r.issuedAt), left, doc.y + 4, { width, align: 'center' });
  doc.moveDown(1.2);

  doc.font('regular').fontSize(11);
  const row = (label: string, value: string) => {
    doc.font('regular').text(`${label}: `, left, doc.y, { continued: true, width }).font('bold').text(value);
  };
  row('Tên người nộp', r.payerName ?? '—');
  row('Mã hồ sơ', r.dossierCode);
  row('Thủ tục', r.procedureName);
  row('Hình thức thanh toán', METHOD_VI[r.method] ?? r.method);
  doc.moveDown(0.8);

  // The lines: number, name and kind, amount in figures; each amount in words below it.
  const cols = [left, left + 30, left + width - 120];
  const headY = doc.y;
  doc
    .font('bold')
    .fontSize(10.5)
    .text('STT', cols[0], headY)
    .text('Nội dung thu', cols[1], headY)
    .text('Số tiền (đồng)', cols[2], headY, { width: 120, align: 'right' });
  doc
    .moveTo(left, doc.y + 2)
    .lineTo(left + width, doc.y + 2)
    .stroke();
  doc.moveDown(0.4);
  r.lines.forEach((l, i) => {
    const y = doc.y;
    doc
      .font('regular')
      .fontSize(10.5)
      .text(String(i + 1), cols[0], y);
    // The portal names a line after its channels ("Trực tuyến, Trực tiếp"): the procedure says what it is for.
    const what = l.code === 'VARIABLE' ? l.name : `${r.procedureName} (${l.name})`;
    doc.text(`${kindLabel[l.kind] ?? l.kind}: ${what}`, cols[1], y, { width: cols[2] - cols[1] - 10 });
    const after = doc.y;
    doc.text(formatVnd(l.amountVnd), cols[2], y, { width: 120, align: 'right' });
    doc
      .font('italic')
      .fontSize(9.5)
      .text(`(${l.amountInWords})`, cols[1], Math.max(after, doc.y), { width: cols[2] - cols[1] - 10 });
    doc.moveDown(0.4);
  });
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .stroke();
  doc.moveDown(0.4);
  const totalY = doc.y;
  doc.font('bold').fontSize(11).text('Tổng cộng', cols[1], totalY).text(formatVnd(r.amountVnd), cols[2], totalY, { width: 120, align: 'right' });
  doc.moveDown(0.6);
  doc.font('regular').fontSize(11).text('Số tiền bằng chữ: ', left, doc.y, { continued: true, width }).font('bold').text(r.amountInWords);
  doc.moveDown(2);
  const signY = doc.y;
  doc
    .font('bold')
    .fontSize(11)
    .text('NGƯỜI NỘP TIỀN', left, signY, { width: width / 2, align: 'center' });
  doc.text('ĐƠN VỊ THU', left + width / 2, signY, { width: width / 2, align: 'center' });
  doc
    .font('italic')
    .fontSize(9.5)
    .text('(Ký số)', left + width / 2, doc.y, { width: width / 2, align: 'center' });
  // The left half of the foot: the agency's visible signature block takes the bottom right.
  doc
    .font('italic')
    .fontSize(8.5)
    .text(`Tra cứu biên lai theo mã hồ sơ ${r.dossierCode}. Biên lai điện tử theo Nghị định 254/2026/NĐ-CP.`, left, 745, { width: width * 0.5 });
  doc.end();
  return done;
}
