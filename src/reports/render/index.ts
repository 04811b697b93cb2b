import type { IndicatorReport, ReportSeries } from '../report-types.js';
import type { CsvOptions } from '../../common/render/csv.js';
import { indicatorsCsv } from './indicators-csv.js';
import { indicatorsXlsx } from './indicators-xlsx.js';
import { reportFileName } from './labels.js';
import { CONTENT_TYPES, type ExportFormat, type RenderedFile } from '../../common/render/files.js';
import { reportPdf } from './report-pdf.js';

export { indicatorsCsv } from './indicators-csv.js';
export { indicatorsXlsx } from './indicators-xlsx.js';
export { reportPdf } from './report-pdf.js';
export { CONTENT_TYPES, contentDisposition, EXPORT_FORMATS, type ExportFormat, type RenderedFile } from '../../common/render/files.js';

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
    format === 'csv'
      ? indicatorsCsv(report, csv)
      : format === 'xlsx'
        ? await indicatorsXlsx(report)
        : await reportPdf(report, series ?? { months: [], overdueByProcedure: [] });
  return { body, contentType: CONTENT_TYPES[format], filename: reportFileName(report, format) };
}
