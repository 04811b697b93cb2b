import type { Register } from '../../forms/forms.js';
import type { IndicatorReport, ReportSeries } from '../report-types.js';
import type { CsvOptions } from './csv.js';
import { indicatorsCsv } from './indicators-csv.js';
import { indicatorsXlsx } from './indicators-xlsx.js';
import { reportFileName } from './labels.js';
import { registerCsv, registerFileName, registerXlsx } from './register.js';
import { reportPdf } from './report-pdf.js';

export { indicatorsCsv } from './indicators-csv.js';
export { indicatorsXlsx } from './indicators-xlsx.js';
export { reportPdf } from './report-pdf.js';
export { registerCsv, registerXlsx } from './register.js';

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

/**
 * The indicator report as a file, for the route that serves it (GET /reports/indicators with a
 * format, once the engine lands):
 *
 *   const file = await renderIndicatorReport(format, report, series);
 *   res.setHeader('Content-Type', file.contentType);
 *   res.setHeader('Content-Disposition', contentDisposition(file.filename));
 *   res.end(file.body);
 *
 * csv and xlsx need only the report; pdf also needs the monthly series its charts draw (without
 * one, the charts say there is nothing to draw). The filename holds the agency code and period.
 */
export async function renderIndicatorReport(format: ExportFormat, report: IndicatorReport, series?: ReportSeries, csv?: CsvOptions): Promise<RenderedFile> {
  const body =
    format === 'csv' ? indicatorsCsv(report, csv)
    : format === 'xlsx' ? await indicatorsXlsx(report)
    : await reportPdf(report, series ?? { months: [], overdueByProcedure: [] });
  return { body, contentType: CONTENT_TYPES[format], filename: reportFileName(report, format) };
}

/** A centre's register (form 07's lines) as CSV or XLSX. */
export async function renderRegister(format: 'csv' | 'xlsx', register: Register, csv?: CsvOptions): Promise<RenderedFile> {
  const body = format === 'csv' ? registerCsv(register, csv) : await registerXlsx(register);
  return { body, contentType: CONTENT_TYPES[format], filename: registerFileName(register, format) };
}

/** The Content-Disposition of a download; names are ASCII (see reportFileName), quoted. */
export const contentDisposition = (filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string =>
  `${disposition}; filename="${filename.replace(/["\\\r\n]/g, '_')}"`;
