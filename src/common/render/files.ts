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

/** The Content-Disposition of a download; names are ASCII (see reportFileName), quoted. */
export const contentDisposition = (filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string =>
  `${disposition}; filename="${filename.replace(/["\\\r\n]/g, '_')}"`;
