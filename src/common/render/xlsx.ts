import ExcelJS from 'exceljs';

/** Shared look of the workbooks motcua writes: a bold title block, a filled header row, thin borders. */
export const NUM_FMT = { int: '#,##0', percent: '0.00%', points: '0.00', dateTime: 'dd/mm/yyyy hh:mm' } as const;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const THIN: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

export function newWorkbook(created: Date): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  wb.created = created;
  wb.modified = created;
  return wb;
}

/**
 * A sheet whose first `titles.length` rows are a title block and whose next row is the header,
 * frozen (it stays on screen when scrolling) and with a filter. Returns the header row's number.
 */
export function sheetWithHeader(
  wb: ExcelJS.Workbook,
  name: string,
  titles: string[],
  columns: Array<{ header: string; width: number; numFmt?: string }>,
  freezeColumns = 0,
): { ws: ExcelJS.Worksheet; headerRow: number } {
  const headerRow = titles.length ? titles.length + 2 : 1;
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: headerRow, xSplit: freezeColumns }] });
  titles.forEach((t, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = t;
    cell.font = i === 0 ? { bold: true, size: 14 } : { italic: i > 1, size: 11 };
  });
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.numFmt) col.numFmt = c.numFmt;
  });
  const header = ws.getRow(headerRow);
  header.values = columns.map((c) => c.header);
  header.height = 32;
  header.eachCell((cell) => {
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = THIN;
    cell.numFmt = 'General';
  });
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: columns.length } };
  return { ws, headerRow };
}

/** Appends a data row with borders; `bold` for a total line. */
export function addDataRow(ws: ExcelJS.Worksheet, values: ExcelJS.CellValue[], opts: { bold?: boolean; indent?: number } = {}): ExcelJS.Row {
  const row = ws.addRow(values);
  row.eachCell({ includeEmpty: true }, (cell, col) => {
    if (col > values.length) return;
    cell.border = THIN;
    if (opts.bold) cell.font = { bold: true };
  });
  if (opts.indent) row.getCell(2).alignment = { indent: opts.indent };
  return row;
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * An instant as the Excel date that shows its Vietnam wall-clock time: Excel dates have no time
 * zone, and exceljs writes a Date's UTC fields, so the instant is moved by UTC+7 (Vietnam keeps no
 * summer time).
 */
export const excelVietnamTime = (d: Date | null): Date | null => (d ? new Date(d.getTime() + 7 * 3600_000) : null);
