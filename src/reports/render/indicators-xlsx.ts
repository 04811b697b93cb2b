import { INDICATOR_CODES, type IndicatorReport, type IndicatorRow } from '../report-types.js';
import { agencyLine, breakdowns, COUNT_LINES, dmy, PROCEDURE_LINES, REPORT_TITLE, viInstant } from './labels.js';
import { addDataRow, newWorkbook, NUM_FMT, sheetWithHeader, workbookBuffer } from '../../common/render/xlsx.js';

export const INDICATOR_SHEETS = { indicators: 'Chỉ số', counts: 'Số liệu', procedure: 'Theo thủ tục', field: 'Theo lĩnh vực' } as const;

/** The counts a breakdown sheet shows beside the rates: COUNT_LINES key and column title. */
const BREAKDOWN_COUNTS: Array<[string, string]> = [
  ['received.total', 'Tiếp nhận'],
  ['received.online', 'Trực tuyến'],
  ['received.counter', 'Trực tiếp'],
  ['received.postal', 'Bưu chính'],
  ['finished.total', 'Đã giải quyết'],
  ['finished.late', 'Giải quyết quá hạn'],
  ['inProgress.overdue', 'Đang giải quyết quá hạn'],
  ['refused', 'Từ chối'],
  ['withdrawn', 'Rút hồ sơ'],
];

/**
 * The indicator table as a workbook: "Chỉ số" (the indicators with numerator, denominator, rate
 * as a percentage, the full-marks threshold and points, and the total points), "Số liệu" (the
 * counts and procedures online), and one sheet per breakdown ("Theo thủ tục", "Theo lĩnh vực":
 * a row per procedure or field, its main counts and every rate). Numbers are numbers (thousands
 * grouped by the reader's own locale), rates are fractions formatted as %, headers frozen.
 */
export async function indicatorsXlsx(report: IndicatorReport): Promise<Buffer> {
  const wb = newWorkbook(new Date(report.generatedAt));
  wb.title = `${REPORT_TITLE.vi} – ${report.agency.name} – ${report.period.label}`;
  const titles = [
    REPORT_TITLE.vi.toUpperCase(),
    `Đơn vị: ${agencyLine(report)}`,
    `Kỳ báo cáo: ${report.period.label} (${dmy(report.period.from)} – ${dmy(report.period.to)}); lập lúc ${viInstant(report.generatedAt)}`,
  ];

  const { ws, headerRow } = sheetWithHeader(wb, INDICATOR_SHEETS.indicators, titles, [
    { header: 'Mã', width: 7 },
    { header: 'Chỉ số', width: 44 },
    { header: 'Indicator', width: 32 },
    { header: 'Tử số', width: 12, numFmt: NUM_FMT.int },
    { header: 'Mẫu số', width: 12, numFmt: NUM_FMT.int },
    { header: 'Tỷ lệ', width: 10, numFmt: NUM_FMT.percent },
    { header: 'Điểm tối đa khi đạt', width: 12, numFmt: NUM_FMT.percent },
    { header: 'Điểm', width: 9, numFmt: NUM_FMT.points },
    { header: 'Điểm tối đa', width: 10, numFmt: NUM_FMT.points },
    { header: 'Ghi chú', width: 50 },
  ]);
  for (const i of report.indicators)
    addDataRow(ws, [i.code, i.label.vi, i.label.en, i.numerator, i.denominator, i.rate, i.fullMarksAt, i.points, i.maxPoints, i.note?.vi ?? null]);
  const first = headerRow + 1;
  const last = headerRow + report.indicators.length;
  const sum = (pick: (i: IndicatorRow) => number | null) => report.indicators.reduce((s, i) => s + (pick(i) ?? 0), 0);
  addDataRow(
    ws,
    [
      '',
      'Tổng điểm',
      'Total points',
      null,
      null,
      null,
      null,
      { formula: `SUM(H${first}:H${last})`, result: sum((i) => i.points) },
      { formula: `SUM(I${first}:I${last})`, result: sum((i) => i.maxPoints) },
      null,
    ],
    { bold: true },
  );
  ws.getColumn(10).alignment = { wrapText: true, vertical: 'top' };

  const counts = sheetWithHeader(wb, INDICATOR_SHEETS.counts, titles, [
    { header: 'Mã', width: 24 },
    { header: 'Số liệu', width: 48 },
    { header: 'Item', width: 36 },
    { header: 'Số lượng', width: 14, numFmt: NUM_FMT.int },
  ]).ws;
  for (const l of COUNT_LINES) addDataRow(counts, [l.key, l.label.vi, l.label.en, l.value(report.counts)], { indent: l.part ? 2 : 0 });
  for (const l of PROCEDURE_LINES) addDataRow(counts, [l.key, l.label.vi, l.label.en, l.value(report)], { indent: l.part ? 2 : 0 });

  for (const b of breakdowns(report)) {
    const codes = INDICATOR_CODES.filter((c) => b.rows.some((r) => r.indicators.some((i) => i.code === c)));
    const labelOf = (code: string) => b.rows.flatMap((r) => r.indicators).find((i) => i.code === code)!.label.vi;
    const lines = BREAKDOWN_COUNTS.map(([k, header]) => ({ ...COUNT_LINES.find((l) => l.key === k)!, header }));
    const { ws: sheet, headerRow: top } = sheetWithHeader(
      wb,
      INDICATOR_SHEETS[b.kind],
      titles,
      [
        { header: b.kind === 'procedure' ? 'Mã thủ tục' : 'Mã lĩnh vực', width: 14 },
        { header: b.kind === 'procedure' ? 'Thủ tục' : 'Lĩnh vực', width: 48 },
        ...lines.map((l) => ({ header: l.header, width: 12, numFmt: NUM_FMT.int })),
        ...codes.map((c) => ({ header: `${c} ${labelOf(c)}`, width: 14, numFmt: NUM_FMT.percent })),
      ],
      2,
    );
    sheet.getRow(top).height = 60;
    for (const r of b.rows) {
      addDataRow(sheet, [r.key, r.name, ...lines.map((l) => l.value(r.counts)), ...codes.map((c) => r.indicators.find((i) => i.code === c)?.rate ?? null)]);
    }
  }
  return workbookBuffer(wb);
}
