import { CHANNEL_SHORT_VI } from '../dossier-record/channels.js';
import type { Register } from './forms.js';
import { toCsv, type CsvCell, type CsvOptions } from '../common/render/csv.js';
import { CONTENT_TYPES, type RenderedFile } from '../common/render/files.js';
import { dmy, safe, viInstant } from '../common/render/vi-format.js';
import { addDataRow, excelVietnamTime, newWorkbook, NUM_FMT, sheetWithHeader, workbookBuffer } from '../common/render/xlsx.js';

/** The register's columns, as form 07 prints them (with the procedure's code apart from its name). */
export const REGISTER_COLUMNS = [
  'STT',
  'Mã hồ sơ',
  'Mã thủ tục',
  'Tên thủ tục',
  'Người nộp',
  'Kênh nộp',
  'Ngày nộp',
  'Ngày tiếp nhận',
  'Hẹn trả',
  'Ngày có kết quả',
  'Trạng thái',
] as const;
export const REGISTER_SHEET = 'Sổ theo dõi hồ sơ';

/** 2026-12-03 14:05 in Vietnam time: sorts as text and every spreadsheet reads it as a date. */
function isoVietnam(d: Date | null): string | null {
  const t = excelVietnamTime(d);
  return t ? t.toISOString().slice(0, 16).replace('T', ' ') : null;
}

/** The register (mẫu 07's lines) as CSV: one row per dossier, the header first, times in Vietnam time. */
export function registerCsv(register: Register, opts: CsvOptions = {}): Buffer {
  const rows: CsvCell[][] = [[...REGISTER_COLUMNS]];
  register.entries.forEach((e, i) =>
    rows.push([
      i + 1,
      e.code,
      e.procedureCode,
      e.procedureName,
      e.applicantName,
      CHANNEL_SHORT_VI[e.channel],
      isoVietnam(e.submittedAt),
      isoVietnam(e.receivedAt),
      isoVietnam(e.dueAt),
      isoVietnam(e.finishedAt),
      e.statusLabel,
    ]),
  );
  return toCsv(rows, opts);
}

/**
 * The register as a workbook: a title block (centre, period, the count per channel), the header
 * frozen and filtered, one row per dossier with its times as real dates (Vietnam time).
 */
export async function registerXlsx(register: Register): Promise<Buffer> {
  const wb = newWorkbook(register.at);
  wb.title = `Sổ theo dõi hồ sơ – ${register.centre.name} – ${dmy(register.from)} – ${dmy(register.to)}`;
  const count = (c: keyof typeof CHANNEL_SHORT_VI) => register.entries.filter((e) => e.channel === c).length;
  const { ws } = sheetWithHeader(
    wb,
    REGISTER_SHEET,
    [
      `SỔ THEO DÕI HỒ SƠ – ${register.centre.name.toUpperCase()}`,
      `Kỳ: ${dmy(register.from)} – ${dmy(register.to)}. Tổng số hồ sơ tiếp nhận: ${register.entries.length} (trực tuyến ${count('ONLINE')}, trực tiếp ${count('COUNTER')}, bưu chính ${count('POSTAL')}).`,
      `Lập lúc ${viInstant(register.at)}${register.centre.parentName ? ` – ${register.centre.parentName}` : ''}`,
    ],
    [
      { header: 'STT', width: 6, numFmt: NUM_FMT.int },
      { header: 'Mã hồ sơ', width: 26 },
      { header: 'Mã thủ tục', width: 12 },
      { header: 'Tên thủ tục', width: 44 },
      { header: 'Người nộp', width: 24 },
      { header: 'Kênh nộp', width: 11 },
      ...['Ngày nộp', 'Ngày tiếp nhận', 'Hẹn trả', 'Ngày có kết quả'].map((header) => ({ header, width: 17, numFmt: NUM_FMT.dateTime })),
      { header: 'Trạng thái', width: 20 },
    ],
    2,
  );
  register.entries.forEach((e, i) =>
    addDataRow(ws, [
      i + 1,
      e.code,
      e.procedureCode,
      e.procedureName,
      e.applicantName,
      CHANNEL_SHORT_VI[e.channel],
      excelVietnamTime(e.submittedAt),
      excelVietnamTime(e.receivedAt),
      excelVietnamTime(e.dueAt),
      excelVietnamTime(e.finishedAt),
      e.statusLabel,
    ]),
  );
  return workbookBuffer(wb);
}

/** The file name of a register export: the agency code and the dates. */
export const registerFileName = (register: Register, ext: string): string =>
  `so-theo-doi-${safe(register.centre.code ?? 'trung-tam')}-${register.from}-${register.to}.${ext}`;

/** A centre's register (form 07's lines) as CSV or XLSX. */
export async function renderRegister(format: 'csv' | 'xlsx', register: Register, csv?: CsvOptions): Promise<RenderedFile> {
  const body = format === 'csv' ? registerCsv(register, csv) : await registerXlsx(register);
  return { body, contentType: CONTENT_TYPES[format], filename: registerFileName(register, format) };
}
