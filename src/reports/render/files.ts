import type { Register } from '../../forms/forms.js';
import type { CsvOptions } from './csv.js';
import { registerCsv, registerFileName, registerXlsx } from './register.js';

/** What a download is: its formats and content types (no chart or PDF code loads from here). */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** A file ready to send: its bytes, its Content-Type, and the name for Content-Disposition. */
export interface RenderedFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** A centre's register (form 07's lines) as CSV or XLSX. */
export async function renderRegister(format: 'csv' | 'xlsx', register: Register, csv?: CsvOptions): Promise<RenderedFile> {
  const body = format === 'csv' ? registerCsv(register, csv) : await registerXlsx(register);
  return { body, contentType: CONTENT_TYPES[format], filename: registerFileName(register, format) };
}

/** The Content-Disposition of a download; names are ASCII (see reportFileName), quoted. */
export const contentDisposition = (filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string =>
  `${disposition}; filename="${filename.replace(/["\\\r\n]/g, '_')}"`;
