import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Register } from '../../forms/forms.js';
import type { IndicatorCounts, IndicatorReport, IndicatorRow, ReportSeries } from '../report-types.js';
import { INDICATOR_CSV_HEADER } from './indicators-csv.js';
import { INDICATOR_SHEETS } from './indicators-xlsx.js';
import { contentDisposition, indicatorsCsv, indicatorsXlsx, renderIndicatorReport, reportPdf } from './index.js';
import { REGISTER_COLUMNS, REGISTER_SHEET, registerCsv, registerXlsx, renderRegister } from '../../forms/register-export.js';

/**
 * A worked report: a ward's service centre over the first nine months of 2026, figures of the
 * kind the province's reports quote (most dossiers online, a few late, 164 of 270 procedures
 * online), with per-procedure and per-field breakdowns, and the monthly series of its charts.
 */
const MONTHS: ReportSeries['months'] = [
  ['2026-01', 402, 85, 2, 0.975],
  ['2026-02', 311, 64, 1, 0.962],
  ['2026-03', 455, 71, 3, 0.981],
  ['2026-04', 470, 66, 0, 0.984],
  ['2026-05', 498, 59, 2, 0.979],
  ['2026-06', 512, 61, 1, 0.988],
  ['2026-07', 530, 48, 4, 0.991],
  ['2026-08', 547, 52, 0, 0.969],
  ['2026-09', 561, 44, 2, 0.993],
].map(([month, online, counter, postal, onTimeRate]) => ({
  month: month as string,
  received: { online: online as number, counter: counter as number, postal: postal as number },
  onTimeRate: onTimeRate as number,
}));

const sum = (f: (m: ReportSeries['months'][number]) => number) => MONTHS.reduce((s, m) => s + f(m), 0);
const ONLINE = sum((m) => m.received.online); // 4,286
const COUNTER = sum((m) => m.received.counter); // 550
const POSTAL = sum((m) => m.received.postal); // 15
const RECEIVED = ONLINE + COUNTER + POSTAL; // 4,851

function counts(received: number, online: number, counter: number, postal: number, late: number, overdue: number): IndicatorCounts {
  const carried = Math.round(received * 0.03);
  const inProgress = Math.round(received * 0.05);
  const finished = received + carried - inProgress;
  const early = Math.round((finished - late) * 0.7);
  return {
    received: { total: received, online, counter, postal },
    processed: received + carried,
    finished: { total: finished, early, onTime: finished - late - early, late },
    inProgress: { total: inProgress, onTime: inProgress - overdue, overdue },
    refused: Math.round(received * 0.006),
    withdrawn: Math.round(received * 0.009),
    stopped: Math.round(received * 0.002),
    supplementRounds: Math.round(received * 0.04),
    digitised: Math.round(received * 0.58),
    reused: Math.round(received * 0.27),
    electronicResult: Math.round(received * 0.86),
    paidOnline: Math.round(online * 0.41),
    synced: received - 3,
    ratings: {
      total: Math.round(received * 0.25),
      verySatisfied: Math.round(received * 0.19),
      satisfied: Math.round(received * 0.055),
      notSatisfied: Math.round(received * 0.25) - Math.round(received * 0.19) - Math.round(received * 0.055),
    },
    complaints: Math.round(received * 0.002),
  };
}

const row = (
  code: IndicatorRow['code'],
  vi: string,
  en: string,
  numerator: number,
  denominator: number,
  fullMarksAt: number | null,
  maxPoints: number | null,
  note?: string,
): IndicatorRow => {
  const rate = denominator ? numerator / denominator : null;
  const points = maxPoints === null || rate === null ? null : Math.round(maxPoints * Math.min(1, fullMarksAt ? rate / fullMarksAt : rate) * 100) / 100;
  return { code, label: { vi, en }, numerator, denominator, rate, fullMarksAt, points, maxPoints, ...(note ? { note: { vi: note, en: note } } : {}) };
};

function indicators(c: IndicatorCounts, procedures: { total: number; online: number }): IndicatorRow[] {
  const onTime = c.finished.early + c.finished.onTime + c.inProgress.onTime;
  const overdue = c.finished.late + c.inProgress.overdue;
  const sync = c.synced / c.received.total;
  return [
    row('1.4', 'Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia', 'Sync rate', c.synced, c.received.total, null, null),
    row(
      '2.1',
      'Tỷ lệ hồ sơ giải quyết đúng hạn',
      'On-time rate',
      onTime,
      c.processed,
      null,
      20,
      'Không tính thời gian bổ sung hồ sơ; hồ sơ bổ sung quá một lần tính là quá hạn.',
    ),
    row('3.1', 'Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến', 'Procedures online', procedures.online, procedures.total, 0.8, 4),
    row('3.3', 'Tỷ lệ hồ sơ trực tuyến', 'Online rate', Math.round(c.received.online * sync), c.received.total, 0.5, 8),
    row('3.6', 'Tỷ lệ thanh toán trực tuyến', 'Online payment', c.paidOnline, Math.round(c.received.online * 0.5), null, 10),
    row('4.1', 'Tỷ lệ cấp kết quả điện tử', 'E-result rate', c.electronicResult, Math.round(c.received.total * 0.88), null, 6),
    row('4.2', 'Tỷ lệ số hóa hồ sơ, kết quả', 'Digitisation rate', c.digitised, c.received.total, 0.8, 10),
    row('4.3', 'Tỷ lệ khai thác, tái sử dụng dữ liệu đã số hóa', 'Reuse rate', c.reused, c.received.total, 0.8, 6),
    row(
      '5.4',
      'Mức độ hài lòng của người dân, doanh nghiệp',
      'Satisfaction',
      c.processed - overdue - c.ratings.notSatisfied - c.complaints,
      c.processed,
      0.9,
      18,
    ),
  ];
}

const TOTAL = counts(RECEIVED, ONLINE, COUNTER, POSTAL, 61, 9);
const PROCEDURES = [
  { key: '1.001193', name: 'Đăng ký khai sinh', share: 0.46 },
  { key: '1.004873', name: 'Cấp Giấy xác nhận tình trạng hôn nhân', share: 0.31 },
  { key: '2.000908', name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản', share: 0.23 },
].map((p) => {
  const c = counts(
    Math.round(RECEIVED * p.share),
    Math.round(ONLINE * p.share),
    Math.round(COUNTER * p.share),
    Math.round(POSTAL * p.share),
    Math.round(61 * p.share),
    Math.round(9 * p.share),
  );
  return { key: p.key, name: p.name, counts: c, indicators: indicators(c, { total: 1, online: 1 }) };
});

export const REPORT: IndicatorReport = {
  agency: { code: '000.00.20.H56', name: 'Trung tâm Phục vụ hành chính công phường Hạc Thành' },
  subtree: false,
  period: { from: '2026-01-01', to: '2026-09-30', label: '9 tháng đầu năm 2026' },
  generatedAt: '2026-10-05T02:30:00.000Z', // 09:30 in Hà Nội
  indicators: indicators(TOTAL, { total: 270, online: 164 }),
  counts: TOTAL,
  procedures: { total: 270, fullOnline: 53, partialOnline: 111 },
  byProcedure: PROCEDURES,
  byField: [
    {
      key: 'HT',
      name: 'Hộ tịch',
      counts: counts(3730, 3300, 420, 10, 47, 7),
      indicators: indicators(counts(3730, 3300, 420, 10, 47, 7), { total: 40, online: 31 }),
    },
    {
      key: 'CT',
      name: 'Chứng thực',
      counts: counts(1121, 986, 130, 5, 14, 2),
      indicators: indicators(counts(1121, 986, 130, 5, 14, 2), { total: 12, online: 9 }),
    },
  ],
};

export const SERIES: ReportSeries = {
  months: MONTHS,
  overdueByProcedure: [
    ['1.001193', 'Đăng ký khai sinh', 21],
    ['1.004873', 'Cấp Giấy xác nhận tình trạng hôn nhân', 14],
    ['1.000656', 'Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu', 9],
    ['2.000908', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản', 7],
    ['1.001022', 'Đăng ký kết hôn', 5],
    ['1.000894', 'Đăng ký khai tử', 4],
    ['1.003583', 'Đăng ký thường trú', 3],
    ['2.001711', 'Cấp bản sao trích lục hộ tịch', 3],
    ['1.004227', 'Đăng ký nhận cha, mẹ, con', 2],
    ['1.001766', 'Thay đổi, cải chính, bổ sung thông tin hộ tịch', 1],
    ['1.009999', 'Thủ tục thứ mười một không được vẽ', 1],
  ].map(([procedureCode, procedureName, overdue]) => ({
    procedureCode: procedureCode as string,
    procedureName: procedureName as string,
    overdue: overdue as number,
  })),
};

/** RFC 4180 read back: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) (row.push(field), (field = ''));
    else if (ch === '\r' && text[i + 1] === '\n') (row.push(field), rows.push(row), (row = []), (field = ''), i++);
    else field += ch;
  }
  return rows;
}

/** The text of every page of a PDF, by pdf.js (what a reader's search finds). */
async function pdfText(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    // Lines joined by one space: a phrase broken over two lines is still found.
    pages.push(
      content.items
        .map((i) => ('str' in i ? i.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await doc.destroy();
  return pages;
}

/** MOTCUA_KEEP_REPORT=/tmp/dir keeps the files to look at (pdftoppm -png -r 60). */
function keep(name: string, body: Buffer): void {
  const dir = process.env.MOTCUA_KEEP_REPORT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), body);
}

describe('indicator CSV', () => {
  it('writes UTF-8 with a BOM, one tidy table: indicators, then counts and procedures, then the breakdowns', () => {
    const csv = indicatorsCsv(REPORT);
    keep('chi-so.csv', csv);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csv.toString('utf8').slice(1));
    expect(rows[0]).toEqual([...INDICATOR_CSV_HEADER]);
    expect(rows.every((r) => r.length === INDICATOR_CSV_HEADER.length)).toBe(true);
    const agency = rows.filter((r) => r[1] === '000.00.20.H56');
    const ind = agency.filter((r) => r[5] === 'Chỉ số');
    expect(ind.map((r) => r[6])).toEqual(['1.4', '2.1', '3.1', '3.3', '3.6', '4.1', '4.2', '4.3', '5.4']);
    const onTime = REPORT.indicators[1];
    expect(ind[1]).toEqual([
      'Đơn vị',
      '000.00.20.H56',
      REPORT.agency.name,
      '2026-01-01',
      '2026-09-30',
      'Chỉ số',
      '2.1',
      'Tỷ lệ hồ sơ giải quyết đúng hạn',
      String(onTime.numerator),
      String(onTime.denominator),
      String(Math.round(onTime.rate! * 10_000) / 100),
      String(onTime.points),
      '20',
      '',
    ]);
    expect(ind[2].slice(6, 13)).toEqual(['3.1', 'Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến', '164', '270', '60.74', '3.04', '4']);
    expect(ind[0].slice(11, 13)).toEqual(['', '']); // 1.4 has no points
    const count = (key: string) => agency.find((r) => r[6] === key)!;
    expect(count('received.total').slice(7)).toEqual(['Hồ sơ tiếp nhận', '', '', '', '', '', String(RECEIVED)]);
    expect(count('received.online')[13]).toBe('4286');
    expect(count('received.counter')[13]).toBe('550');
    expect(count('procedures.partialOnline').slice(5)).toEqual(['Thủ tục', 'procedures.partialOnline', 'Trực tuyến một phần', '', '', '', '', '', '111']);
    const birth = rows.filter((r) => r[0] === 'Thủ tục' && r[1] === '1.001193');
    expect(birth[0][2]).toBe('Đăng ký khai sinh');
    expect(birth.filter((r) => r[5] === 'Chỉ số')).toHaveLength(9);
    expect(birth.find((r) => r[6] === 'received.total')![13]).toBe(String(PROCEDURES[0].counts.received.total));
    expect(rows.filter((r) => r[0] === 'Lĩnh vực').map((r) => r[2])).toContain('Chứng thực');
  });

  it('writes the vi-VN convention on request: semicolons and a decimal comma', () => {
    const rows = parseCsv(indicatorsCsv(REPORT, { delimiter: ';' }).toString('utf8').slice(1), ';');
    expect(rows.find((r) => r[6] === '3.1')!.slice(10, 12)).toEqual(['60,74', '3,04']);
  });
});

describe('indicator XLSX', () => {
  it('reads back: sheet names, numbers as numbers, rates as %, thousands grouped, header styled and frozen', async () => {
    const xlsx = await indicatorsXlsx(REPORT);
    keep('chi-so.xlsx', xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      INDICATOR_SHEETS.indicators,
      INDICATOR_SHEETS.counts,
      INDICATOR_SHEETS.procedure,
      INDICATOR_SHEETS.field,
    ]);
    const ws = wb.getWorksheet('Chỉ số')!;
    expect(ws.getCell('A1').value).toBe('BÁO CÁO CHỈ SỐ ĐÁNH GIÁ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP');
    expect(ws.getCell('A3').value).toMatch(/^Kỳ báo cáo: 9 tháng đầu năm 2026 \(01\/01\/2026 – 30\/09\/2026\); lập lúc 09:30 ngày 05\/10\/2026$/);
    expect(ws.getRow(5).values).toEqual([
      undefined,
      'Mã',
      'Chỉ số',
      'Indicator',
      'Tử số',
      'Mẫu số',
      'Tỷ lệ',
      'Điểm tối đa khi đạt',
      'Điểm',
      'Điểm tối đa',
      'Ghi chú',
    ]);
    expect(ws.getCell('A5').font).toMatchObject({ bold: true });
    expect(ws.getCell('A5').fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
    const onTime = REPORT.indicators[1];
    const r21 = ws.getRow(7);
    expect([r21.getCell(1).value, r21.getCell(2).value, r21.getCell(4).value, r21.getCell(5).value, r21.getCell(8).value, r21.getCell(9).value]).toEqual([
      '2.1',
      'Tỷ lệ hồ sơ giải quyết đúng hạn',
      onTime.numerator,
      onTime.denominator,
      onTime.points,
      20,
    ]);
    expect(r21.getCell(6).value).toBeCloseTo(onTime.rate!, 12);
    expect(r21.getCell(4).numFmt).toBe('#,##0');
    expect(r21.getCell(6).numFmt).toBe('0.00%');
    expect(ws.getRow(8).getCell(7).value).toBe(0.8); // 3.1 earns full marks at 80 %
    const total = ws.getRow(15);
    expect(total.getCell(2).value).toBe('Tổng điểm');
    expect(total.getCell(8).value).toMatchObject({ formula: 'SUM(H6:H14)', result: REPORT.indicators.reduce((s, i) => s + (i.points ?? 0), 0) });

    const counts = wb.getWorksheet('Số liệu')!;
    const byKey = new Map<string, ExcelJS.Row>();
    counts.eachRow((r) => byKey.set(String(r.getCell(1).value), r));
    expect(byKey.get('received.total')!.getCell(4).value).toBe(RECEIVED);
    expect(byKey.get('received.total')!.getCell(4).numFmt).toBe('#,##0');
    expect(byKey.get('received.online')!.getCell(2).value).toBe('Trực tuyến');
    expect(byKey.get('procedures.fullOnline')!.getCell(4).value).toBe(53);

    const proc = wb.getWorksheet('Theo thủ tục')!;
    expect(proc.views[0]).toMatchObject({ state: 'frozen', ySplit: 5, xSplit: 2 });
    const header = proc.getRow(5).values as string[];
    expect(header.slice(1, 4)).toEqual(['Mã thủ tục', 'Thủ tục', 'Tiếp nhận']);
    const rateCol = header.indexOf('2.1 Tỷ lệ hồ sơ giải quyết đúng hạn');
    expect(proc.getRow(6).getCell(1).value).toBe('1.001193');
    expect(proc.getRow(6).getCell(3).value).toBe(PROCEDURES[0].counts.received.total);
    expect(proc.getRow(6).getCell(rateCol).value).toBeCloseTo(PROCEDURES[0].indicators[1].rate!, 12);
    expect(proc.getRow(6).getCell(rateCol).numFmt).toBe('0.00%');
    expect(wb.getWorksheet('Theo lĩnh vực')!.getRow(7).getCell(2).value).toBe('Chứng thực');
  });

  it('leaves the breakdown sheets out when the report has none', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await indicatorsXlsx({ ...REPORT, byProcedure: undefined, byField: [] })) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Chỉ số', 'Số liệu']);
  });
});

describe('PDF report', () => {
  it('has its Vietnamese text, its figures and three charts with their labels, as text a reader can search', async () => {
    const pdf = await reportPdf(REPORT, SERIES);
    keep('bao-cao.pdf', pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfText(pdf);
    const all = pages.join('\n');
    for (const s of [
      'BÁO CÁO CHỈ SỐ ĐÁNH GIÁ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP',
      'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG HẠC THÀNH',
      'Kỳ báo cáo: 9 tháng đầu năm 2026 (từ 01/01/2026 đến 30/09/2026)',
      'Lập lúc 09:30 ngày 05/10/2026',
      'Tỷ lệ hồ sơ giải quyết đúng hạn',
      'Mức độ hài lòng của người dân, doanh nghiệp',
      'Tỷ lệ khai thác, tái sử dụng dữ liệu đã số hóa',
      'Trực tuyến toàn trình',
      'Hồ sơ tiếp nhận',
      'Không tính thời gian bổ sung hồ sơ',
    ])
      expect(all).toContain(s);
    // The figures, in Vietnamese notation.
    const onTime = REPORT.indicators[1];
    expect(all).toContain(new Intl.NumberFormat('vi-VN').format(onTime.numerator));
    expect(all).toContain(
      `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.round(onTime.rate! * 10_000) / 100)} %`,
    );
    expect(all).toContain('19,72/20'); // its points
    expect(all).toContain('≥ 80 %'); // 3.1's full-marks threshold
    expect(all).toContain('4.851'); // received
    expect(all).toContain('60,74 %'); // 3.1: 164 of 270
    // The charts: their titles, axis and legend words, month ticks, procedure names; top 10 only.
    for (const s of [
      'Hình 1.',
      'Hình 2.',
      'Hình 3.',
      'Số hồ sơ',
      'Kênh tiếp nhận',
      'Bưu chính',
      'Trực tiếp',
      'T1/2026',
      'T9/2026',
      'Tỷ lệ đúng hạn',
      '99,3%',
      'Số hồ sơ quá hạn',
      'Đăng ký khai sinh (1.001193)',
    ])
      expect(all).toContain(s);
    expect(all).not.toContain('Thủ tục thứ mười một');
    expect(all).not.toContain('Không có hồ sơ');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.at(-1)).toContain(`Trang ${pages.length}/${pages.length}`);
  });

  it('says so instead of drawing an empty chart when the period has nothing to draw', async () => {
    const pdf = await reportPdf(REPORT, {
      months: [{ month: '2026-09', received: { online: 0, counter: 0, postal: 0 }, onTimeRate: null }],
      overdueByProcedure: [],
    });
    keep('bao-cao-trong.pdf', pdf);
    const all = (await pdfText(pdf)).join('\n');
    expect(all).toContain('Không có hồ sơ tiếp nhận trong kỳ.');
    expect(all).toContain('Không có hồ sơ đến hạn trong kỳ.');
    expect(all).toContain('Không có hồ sơ quá hạn trong kỳ.');
  });
});

describe('renderIndicatorReport', () => {
  it('gives the bytes, the content type and a file name with the agency code and the period', async () => {
    const csv = await renderIndicatorReport('csv', REPORT);
    expect(csv).toMatchObject({ contentType: 'text/csv; charset=utf-8', filename: 'chi-so-766-000.00.20.H56-2026-01-01-2026-09-30.csv' });
    const xlsx = await renderIndicatorReport('xlsx', REPORT);
    expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.body.subarray(0, 2).toString()).toBe('PK');
    const pdf = await renderIndicatorReport('pdf', REPORT, SERIES);
    expect(pdf).toMatchObject({ contentType: 'application/pdf', filename: 'chi-so-766-000.00.20.H56-2026-01-01-2026-09-30.pdf' });
    expect(contentDisposition(pdf.filename)).toBe('attachment; filename="chi-so-766-000.00.20.H56-2026-01-01-2026-09-30.pdf"');
  });
});

describe('register export', () => {
  const at = (iso: string) => new Date(iso);
  const register: Register = {
    centre: { code: '000.00.20.H56', name: 'Trung tâm Phục vụ hành chính công phường Hạc Thành', parentName: 'Ủy ban nhân dân phường Hạc Thành' },
    place: 'Thanh Hóa',
    from: '2026-12-01',
    to: '2026-12-03',
    at: at('2026-12-03T08:00:00Z'),
    entries: [
      {
        code: 'H56.20-261201-0001',
        procedureCode: '1.001193',
        procedureName: 'Đăng ký khai sinh',
        applicantName: 'Nguyễn Văn An',
        channel: 'ONLINE',
        submittedAt: at('2026-12-01T01:05:00Z'),
        receivedAt: at('2026-12-01T02:00:00Z'),
        dueAt: at('2026-12-03T10:00:00Z'),
        finishedAt: null,
        statusLabel: 'Đang xử lý',
      },
      {
        code: 'H56.20-261202-0002',
        procedureCode: '1.004873',
        procedureName: 'Cấp Giấy xác nhận tình trạng hôn nhân',
        applicantName: '=HYPERLINK("x"), "Lê"',
        channel: 'COUNTER',
        submittedAt: at('2026-12-02T16:30:00Z'),
        receivedAt: null,
        dueAt: null,
        finishedAt: null,
        statusLabel: 'Mới nộp',
      },
    ],
  };

  it('writes CSV in Vietnam time, quoting what needs it and defusing formulas', async () => {
    const file = await renderRegister('csv', register);
    expect(file.filename).toBe('so-theo-doi-000.00.20.H56-2026-12-01-2026-12-03.csv');
    const rows = parseCsv(registerCsv(register).toString('utf8').slice(1));
    expect(rows[0]).toEqual([...REGISTER_COLUMNS]);
    expect(rows[1]).toEqual([
      '1',
      'H56.20-261201-0001',
      '1.001193',
      'Đăng ký khai sinh',
      'Nguyễn Văn An',
      'Trực tuyến',
      '2026-12-01 08:05',
      '2026-12-01 09:00',
      '2026-12-03 17:00',
      '',
      'Đang xử lý',
    ]);
    expect(rows[2][4]).toBe(`'=HYPERLINK("x"), "Lê"`);
    expect(rows[2][6]).toBe('2026-12-02 23:30'); // filed late at night in Hà Nội: still the 2nd
  });

  it('writes XLSX with the dossiers, real dates shown in Vietnam time, the header frozen', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await registerXlsx(register)) as never);
    const ws = wb.getWorksheet(REGISTER_SHEET)!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
    expect(ws.getCell('A2').value).toContain('Tổng số hồ sơ tiếp nhận: 2 (trực tuyến 1, trực tiếp 1, bưu chính 0)');
    expect((ws.getRow(5).values as string[]).slice(1)).toEqual([...REGISTER_COLUMNS]);
    expect(ws.getCell('B6').value).toBe('H56.20-261201-0001');
    expect(ws.getCell('G6').value).toEqual(new Date('2026-12-01T08:05:00Z')); // the wall clock Excel shows
    expect(ws.getCell('G6').numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(ws.getCell('E7').value).toBe('=HYPERLINK("x"), "Lê"'); // a string cell, never a formula
    expect(ws.getCell('H7').value).toBeNull();
  });
});
