import { safe } from '../../common/render/vi-format.js';
export { dmy, safe, viInstant, viInt, viNumber, viPercent } from '../../common/render/vi-format.js';
import type { IndicatorBreakdownRow, IndicatorCounts, IndicatorReport, Label } from '../report-types.js';

/**
 * What the exports and the PDF call each count of IndicatorCounts, in one list, so the CSV, the
 * XLSX and the PDF print the same counts in the same order under the same names.
 */
export interface CountLine {
  /** The count's path in IndicatorCounts, e.g. "received.online": a stable key for machines. */
  key: string;
  label: Label;
  /** Printed indented under the line before (a part of a total). */
  part?: boolean;
  value: (c: IndicatorCounts) => number;
}

export const COUNT_LINES: readonly CountLine[] = [
  { key: 'received.total', label: { vi: 'Hồ sơ tiếp nhận', en: 'Dossiers received' }, value: (c) => c.received.total },
  { key: 'received.online', label: { vi: 'Trực tuyến', en: 'Online' }, part: true, value: (c) => c.received.online },
  { key: 'received.counter', label: { vi: 'Trực tiếp', en: 'At the counter' }, part: true, value: (c) => c.received.counter },
  { key: 'received.postal', label: { vi: 'Qua bưu chính công ích', en: 'By post' }, part: true, value: (c) => c.received.postal },
  { key: 'processed', label: { vi: 'Hồ sơ xử lý trong kỳ (gồm kỳ trước chuyển sang)', en: 'Processed (with those carried over)' }, value: (c) => c.processed },
  { key: 'finished.total', label: { vi: 'Đã giải quyết', en: 'Finished' }, value: (c) => c.finished.total },
  { key: 'finished.early', label: { vi: 'Trước hạn', en: 'Early' }, part: true, value: (c) => c.finished.early },
  { key: 'finished.onTime', label: { vi: 'Đúng hạn', en: 'On time' }, part: true, value: (c) => c.finished.onTime },
  { key: 'finished.late', label: { vi: 'Quá hạn', en: 'Late' }, part: true, value: (c) => c.finished.late },
  { key: 'inProgress.total', label: { vi: 'Đang giải quyết cuối kỳ', en: 'In progress at the period’s end' }, value: (c) => c.inProgress.total },
  { key: 'inProgress.onTime', label: { vi: 'Trong hạn', en: 'Within time' }, part: true, value: (c) => c.inProgress.onTime },
  { key: 'inProgress.overdue', label: { vi: 'Quá hạn', en: 'Overdue' }, part: true, value: (c) => c.inProgress.overdue },
  { key: 'refused', label: { vi: 'Từ chối tiếp nhận, giải quyết', en: 'Refused' }, value: (c) => c.refused },
  { key: 'withdrawn', label: { vi: 'Công dân rút hồ sơ', en: 'Withdrawn' }, value: (c) => c.withdrawn },
  { key: 'stopped', label: { vi: 'Dừng xử lý', en: 'Stopped' }, value: (c) => c.stopped },
  { key: 'supplementRounds', label: { vi: 'Lượt yêu cầu bổ sung', en: 'Supplement requests' }, value: (c) => c.supplementRounds },
  { key: 'synced', label: { vi: 'Đồng bộ lên Cổng DVC quốc gia', en: 'Synced to the national portal' }, value: (c) => c.synced },
  { key: 'digitised', label: { vi: 'Số hóa thành phần hồ sơ', en: 'With digitised components' }, value: (c) => c.digitised },
  { key: 'reused', label: { vi: 'Tái sử dụng dữ liệu đã số hóa', en: 'Reusing a digitised document' }, value: (c) => c.reused },
  { key: 'electronicResult', label: { vi: 'Có kết quả điện tử', en: 'With an electronic result' }, value: (c) => c.electronicResult },
  { key: 'paidOnline', label: { vi: 'Thanh toán trực tuyến', en: 'Paid online' }, value: (c) => c.paidOnline },
  { key: 'ratings.total', label: { vi: 'Lượt đánh giá', en: 'Ratings' }, value: (c) => c.ratings.total },
  { key: 'ratings.verySatisfied', label: { vi: 'Rất hài lòng', en: 'Very satisfied' }, part: true, value: (c) => c.ratings.verySatisfied },
  { key: 'ratings.satisfied', label: { vi: 'Hài lòng', en: 'Satisfied' }, part: true, value: (c) => c.ratings.satisfied },
  { key: 'ratings.notSatisfied', label: { vi: 'Không hài lòng', en: 'Not satisfied' }, part: true, value: (c) => c.ratings.notSatisfied },
  { key: 'complaints', label: { vi: 'Phản ánh, kiến nghị', en: 'Complaints' }, value: (c) => c.complaints },
];

/** 3.1's parts, printed with the counts. */
export const PROCEDURE_LINES: ReadonlyArray<{ key: string; label: Label; part?: boolean; value: (r: IndicatorReport) => number }> = [
  { key: 'procedures.total', label: { vi: 'Thủ tục hành chính của đơn vị', en: 'Procedures of the agency' }, value: (r) => r.procedures.total },
  { key: 'procedures.fullOnline', label: { vi: 'Trực tuyến toàn trình', en: 'Fully online' }, part: true, value: (r) => r.procedures.fullOnline },
  { key: 'procedures.partialOnline', label: { vi: 'Trực tuyến một phần', en: 'Partly online' }, part: true, value: (r) => r.procedures.partialOnline },
];

/** The breakdowns a report may carry, with their sheet / section names. */
export function breakdowns(report: IndicatorReport): Array<{ kind: 'procedure' | 'field'; title: Label; rows: IndicatorBreakdownRow[] }> {
  const out: Array<{ kind: 'procedure' | 'field'; title: Label; rows: IndicatorBreakdownRow[] }> = [];
  if (report.byProcedure?.length) out.push({ kind: 'procedure', title: { vi: 'Theo thủ tục', en: 'By procedure' }, rows: report.byProcedure });
  if (report.byField?.length) out.push({ kind: 'field', title: { vi: 'Theo lĩnh vực', en: 'By field' }, rows: report.byField });
  return out;
}

export const REPORT_TITLE: Label = {
  vi: 'Báo cáo chỉ số đánh giá chất lượng phục vụ người dân, doanh nghiệp',
  en: 'Service quality indicators (Decision 766/QĐ-TTg)',
};

/** "Tháng 11/2026" style month tick from yyyy-mm: "T11/2026". */
export const monthLabel = (yyyyMm: string): string => {
  const [y, m] = yyyyMm.split('-');
  return `T${Number(m)}/${y}`;
};

/** The agency line: "Phường Hạc Thành (000.00.20.H56)", with its subtree when the report covers it. */
export const agencyLine = (r: IndicatorReport): string => `${r.agency.name} (${r.agency.code})${r.subtree ? ' và các đơn vị trực thuộc' : ''}`;

/** A file name for the report: ASCII only, with the agency code and the period. */
export const reportFileName = (r: IndicatorReport, ext: string): string => `chi-so-766-${safe(r.agency.code)}-${r.period.from}-${r.period.to}.${ext}`;
