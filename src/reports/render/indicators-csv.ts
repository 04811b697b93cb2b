import type { IndicatorCounts, IndicatorReport, IndicatorRow } from '../report-types.js';
import { percent2, toCsv, type CsvCell, type CsvOptions } from '../../common/render/csv.js';
import { breakdowns, COUNT_LINES, PROCEDURE_LINES } from './labels.js';

export const INDICATOR_CSV_HEADER = [
  'Nhóm / Group',
  'Mã nhóm / Group key',
  'Tên nhóm / Group name',
  'Từ ngày / From',
  'Đến ngày / To',
  'Phần / Part',
  'Mã / Code',
  'Nội dung / Item',
  'Tử số / Numerator',
  'Mẫu số / Denominator',
  'Tỷ lệ (%) / Rate (%)',
  'Điểm / Points',
  'Điểm tối đa / Max points',
  'Số lượng / Count',
] as const;

const PART = { indicator: 'Chỉ số', count: 'Số liệu', procedures: 'Thủ tục' } as const;
const GROUP = { agency: 'Đơn vị', procedure: 'Thủ tục', field: 'Lĩnh vực' } as const;

/**
 * The indicator table as one tidy CSV table (one header, every row self-describing): first the
 * indicators of the agency (code, Vietnamese label, numerator, denominator, rate in %, points),
 * then its counts and its procedures online, then each breakdown's indicators and counts (per
 * procedure, per field) when the report has them. Every row carries the group and the period, so
 * files of several agencies or periods can be stacked.
 */
export function indicatorsCsv(report: IndicatorReport, opts: CsvOptions = {}): Buffer {
  const { from, to } = report.period;
  const rows: CsvCell[][] = [[...INDICATOR_CSV_HEADER]];
  const group = (kind: keyof typeof GROUP, key: string, name: string) => [GROUP[kind], key, name, from, to];
  const indicatorRows = (g: CsvCell[], list: IndicatorRow[]) =>
    list.forEach((i) => rows.push([...g, PART.indicator, i.code, i.label.vi, i.numerator, i.denominator, percent2(i.rate), i.points, i.maxPoints, null]));
  const countRows = (g: CsvCell[], c: IndicatorCounts) =>
    COUNT_LINES.forEach((l) => rows.push([...g, PART.count, l.key, l.label.vi, null, null, null, null, null, l.value(c)]));

  const agency = group('agency', report.agency.code, report.agency.name);
  indicatorRows(agency, report.indicators);
  countRows(agency, report.counts);
  PROCEDURE_LINES.forEach((l) => rows.push([...agency, PART.procedures, l.key, l.label.vi, null, null, null, null, null, l.value(report)]));
  for (const b of breakdowns(report)) {
    for (const r of b.rows) {
      const g = group(b.kind, r.key, r.name);
      indicatorRows(g, r.indicators);
      countRows(g, r.counts);
    }
  }
  return toCsv(rows, opts);
}
