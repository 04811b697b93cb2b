import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { REPORT_FONTS, registerPdfFonts } from '../../common/render/pdf-fonts.js';
import type { IndicatorReport, ReportSeries } from '../report-types.js';
import { chartSvg, onTimeTrendSpec, overdueByProcedureSpec, receivedByMonthSpec } from './charts.js';
import { agencyLine, COUNT_LINES, dmy, PROCEDURE_LINES, REPORT_TITLE, viInstant, viInt, viNumber, viPercent } from './labels.js';

const PAGE = { width: 595.28, height: 841.89 };
const M = { top: 50, bottom: 56, left: 50, right: 50 };
const W = PAGE.width - M.left - M.right;
const BOTTOM = PAGE.height - M.bottom;

type Doc = PDFKit.PDFDocument;
type Align = 'left' | 'right' | 'center';
interface Column {
  title: string;
  width: number;
  align?: Align;
}

/**
 * The province's figures as a PDF report in Vietnamese (A4 portrait): a header (agency, period,
 * when it was made), I. the indicator table with points, II. the counts behind it and the
 * procedures online, III. three charts — dossiers received by month and channel (stacked bars),
 * the on-time rate by month (line), the procedures with the most overdue dossiers (top 10,
 * horizontal bars) — and a page number on every page.
 */
export async function reportPdf(report: IndicatorReport, series: ReportSeries): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: M,
    bufferPages: true,
    info: {
      Title: `${REPORT_TITLE.vi} – ${report.agency.name} – ${report.period.label}`,
      Subject: 'Quyết định 766/QĐ-TTg',
      Creator: 'motcua',
      CreationDate: new Date(report.generatedAt),
    },
  });
  registerPdfFonts(doc, REPORT_FONTS);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // Charts first: a failure to draw one fails the report before anything is written.
  const charts = await Promise.all([
    series.months.some((m) => m.received.online + m.received.counter + m.received.postal > 0) ? chartSvg(receivedByMonthSpec(series, 400, 140)) : null,
    series.months.some((m) => m.onTimeRate !== null) ? chartSvg(onTimeTrendSpec(series, 400, 115)) : null,
    series.overdueByProcedure.some((p) => p.overdue > 0) ? chartSvg(overdueByProcedureSpec(series, 170)) : null,
  ]);

  header(doc, report);
  heading(doc, 'I. CÁC CHỈ SỐ THEO QUYẾT ĐỊNH 766/QĐ-TTg');
  indicatorTable(doc, report);
  heading(doc, 'II. SỐ LIỆU');
  countsTable(doc, report);
  heading(doc, 'III. BIỂU ĐỒ');
  chart(doc, 'Hình 1. Hồ sơ tiếp nhận theo tháng: trực tuyến, trực tiếp và bưu chính', charts[0], 'Không có hồ sơ tiếp nhận trong kỳ.');
  chart(doc, 'Hình 2. Tỷ lệ giải quyết đúng hạn theo tháng (chỉ số 2.1)', charts[1], 'Không có hồ sơ đến hạn trong kỳ.');
  chart(doc, 'Hình 3. Thủ tục có nhiều hồ sơ quá hạn nhất (10 thủ tục)', charts[2], 'Không có hồ sơ quá hạn trong kỳ.');

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // The footer sits in the bottom margin: with the margin in force pdfkit would start a new page.
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(7.5)
      .fillColor('#666')
      .text(`${report.agency.name} – ${report.period.label} – Trang ${i + 1}/${range.count}`, M.left, PAGE.height - M.bottom + 22, {
        width: W,
        align: 'center',
        lineBreak: false,
      });
    doc.fillColor('black');
    doc.page.margins.bottom = M.bottom;
  }
  doc.end();
  return done;
}

function header(doc: Doc, r: IndicatorReport): void {
  const top = M.top;
  const half = W / 2;
  doc
    .font('bold')
    .fontSize(10)
    .text(r.agency.name.toUpperCase(), M.left, top, { width: half - 10, align: 'center' });
  doc
    .font('regular')
    .fontSize(9)
    .text(`Mã đơn vị: ${r.agency.code}`, M.left, doc.y + 2, { width: half - 10, align: 'center' });
  const leftBottom = doc.y;
  doc
    .font('bold')
    .fontSize(10)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', M.left + half, top, { width: half, align: 'center' });
  doc
    .font('bold')
    .fontSize(10)
    .text('Độc lập - Tự do - Hạnh phúc', M.left + half, doc.y + 1, { width: half, align: 'center', underline: true });
  doc
    .font('italic')
    .fontSize(9)
    .text(`Lập lúc ${viInstant(r.generatedAt)}`, M.left + half, doc.y + 4, { width: half, align: 'center', underline: false });
  doc.y = Math.max(leftBottom, doc.y) + 18;
  // Broken where a reader would break it, not where the line happens to end.
  doc.font('bold').fontSize(13.5).text('BÁO CÁO CHỈ SỐ ĐÁNH GIÁ CHẤT LƯỢNG\nPHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP', M.left, doc.y, { width: W, align: 'center' });
  doc
    .font('italic')
    .fontSize(9.5)
    .text('(Bộ chỉ số theo Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ)', M.left, doc.y + 3, { width: W, align: 'center' });
  doc
    .font('bold')
    .fontSize(10.5)
    .text(`Kỳ báo cáo: ${r.period.label} (từ ${dmy(r.period.from)} đến ${dmy(r.period.to)})`, M.left, doc.y + 8, { width: W, align: 'center' });
  doc
    .font('regular')
    .fontSize(10)
    .text(`Đơn vị: ${agencyLine(r)}`, M.left, doc.y + 3, { width: W, align: 'center' });
  doc.y += 10;
}

function heading(doc: Doc, text: string): void {
  ensure(doc, 60);
  doc
    .font('bold')
    .fontSize(11)
    .fillColor('#1f4e79')
    .text(text, M.left, doc.y + 8, { width: W });
  doc.fillColor('black');
  doc.y += 4;
}

/** A new page when fewer than `h` points are left on this one. */
function ensure(doc: Doc, h: number): void {
  if (doc.y + h > BOTTOM) {
    doc.addPage();
    doc.y = M.top;
  }
}

/** A bordered table with a grey header repeated on every page it spans; a row is never split. */
function table(doc: Doc, columns: Column[], rows: Array<{ cells: string[]; bold?: boolean; fill?: string }>, fontSize = 8.5): void {
  const widths = columns.map((c) => c.width * W);
  const pad = 3;
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(fontSize);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i] - 2 * pad }))) + 2 * pad;
  };
  const draw = (cells: string[], font: string, fill?: string) => {
    const h = heightOf(cells, font);
    const y = doc.y;
    let x = M.left;
    cells.forEach((c, i) => {
      if (fill) doc.rect(x, y, widths[i], h).fillAndStroke(fill, '#777');
      else doc.rect(x, y, widths[i], h).strokeColor('#777').stroke();
      doc
        .fillColor('black')
        .font(font)
        .fontSize(fontSize)
        .text(c, x + pad, y + pad, { width: widths[i] - 2 * pad, align: columns[i].align ?? 'left' });
      x += widths[i];
    });
    doc.y = y + h;
  };
  const head = columns.map((c) => c.title);
  doc.lineWidth(0.5);
  ensure(doc, heightOf(head, 'bold') + heightOf(rows[0]?.cells ?? head, 'regular'));
  draw(head, 'bold', '#dde6f0');
  for (const row of rows) {
    const font = row.bold ? 'bold' : 'regular';
    if (doc.y + heightOf(row.cells, font) > BOTTOM) {
      doc.addPage();
      doc.y = M.top;
      draw(head, 'bold', '#dde6f0');
    }
    draw(row.cells, font, row.fill);
  }
  doc.x = M.left;
}

function indicatorTable(doc: Doc, r: IndicatorReport): void {
  const points = (p: number | null, max: number | null) => (max === null ? '–' : `${viNumber(p)}/${viNumber(max)}`);
  const rows = r.indicators.map((i) => ({
    cells: [
      i.code,
      i.label.vi,
      viInt(i.numerator),
      viInt(i.denominator),
      viPercent(i.rate),
      i.fullMarksAt === null ? '–' : `≥ ${viNumber(i.fullMarksAt * 100)} %`,
      points(i.points, i.maxPoints),
    ],
  }));
  const scored = r.indicators.filter((i) => i.maxPoints !== null);
  const total = scored.reduce((s, i) => s + (i.points ?? 0), 0);
  const max = scored.reduce((s, i) => s + (i.maxPoints ?? 0), 0);
  rows.push({ cells: ['', 'Tổng điểm các chỉ số có điểm', '', '', '', '', points(total, max)], bold: true, fill: '#f3f3f3' } as never);
  table(
    doc,
    [
      { title: 'Mã', width: 0.06, align: 'center' },
      { title: 'Chỉ số', width: 0.38 },
      { title: 'Tử số', width: 0.1, align: 'right' },
      { title: 'Mẫu số', width: 0.1, align: 'right' },
      { title: 'Tỷ lệ', width: 0.11, align: 'right' },
      { title: 'Đạt tối đa khi', width: 0.12, align: 'right' },
      { title: 'Điểm', width: 0.13, align: 'right' },
    ],
    rows,
  );
  const notes = r.indicators.filter((i) => i.note);
  if (notes.length) {
    doc.font('italic').fontSize(7.5).fillColor('#444');
    doc.text('Ghi chú:', M.left, doc.y + 4, { width: W });
    for (const i of notes) doc.text(`(${i.code}) ${i.note!.vi}`, M.left + 8, doc.y + 1, { width: W - 8 });
    doc.fillColor('black');
  }
  doc.y += 4;
}

/** The counts in two side-by-side columns of label and number. */
function countsTable(doc: Doc, r: IndicatorReport): void {
  const lines = [
    ...COUNT_LINES.map((l) => ({ label: l.label.vi, part: l.part, value: l.value(r.counts) })),
    ...PROCEDURE_LINES.map((l) => ({ label: l.label.vi, part: l.part, value: l.value(r) })),
  ];
  const half = Math.ceil(lines.length / 2);
  // Keep a total and its parts in one column: move the split down past any part lines.
  let split = half;
  while (split < lines.length && lines[split].part) split++;
  const cell = (l: (typeof lines)[number] | undefined) => (l ? [l.part ? `   – ${l.label}` : l.label, viInt(l.value)] : ['', '']);
  const rows = Array.from({ length: Math.max(split, lines.length - split) }, (_, i) => ({
    cells: [...cell(lines[i < split ? i : lines.length]), ...cell(lines[split + i])],
  }));
  table(
    doc,
    [
      { title: 'Nội dung', width: 0.34 },
      { title: 'Số lượng', width: 0.16, align: 'right' },
      { title: 'Nội dung', width: 0.34 },
      { title: 'Số lượng', width: 0.16, align: 'right' },
    ],
    rows,
    8,
  );
}

function chart(doc: Doc, title: string, svg: string | null, empty: string): void {
  const size = svg ? svgSize(svg) : null;
  const scale = size ? Math.min(1, W / size.width) : 1;
  const h = size ? size.height * scale : 20;
  ensure(doc, h + 30);
  doc
    .font('bold')
    .fontSize(9.5)
    .text(title, M.left, doc.y + 8, { width: W, align: 'center' });
  doc.y += 4;
  if (!svg || !size) {
    doc
      .font('italic')
      .fontSize(9)
      .fillColor('#555')
      .text(empty, M.left, doc.y + 2, { width: W, align: 'center' });
    doc.fillColor('black');
    doc.y += 6;
    return;
  }
  const x = M.left + (W - size.width * scale) / 2;
  SVGtoPDF(doc as never, svg, x, doc.y, {
    width: size.width * scale,
    height: h,
    assumePt: true,
    preserveAspectRatio: 'xMidYMin meet',
    fontCallback: (_family, bold, italic) => (bold ? 'bold' : italic ? 'italic' : 'regular'),
  });
  doc.x = M.left;
  doc.y += h + 6;
}

function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const num = (name: string) => Number(new RegExp(`\\b${name}="([\\d.]+)"`).exec(root)?.[1] ?? NaN);
  return { width: num('width'), height: num('height') };
}
