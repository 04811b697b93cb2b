/**
 * CSV as Excel and the machines both read it: UTF-8 with a byte-order mark (without it Excel on
 * Windows reads the file as the ANSI code page and "Hồ sơ" turns into "Há»“ sÆ¡"), CRLF line
 * ends and RFC 4180 quoting.
 *
 * The separator: a comma by default, with a decimal point — RFC 4180, what LibreOffice, Google
 * Sheets, pandas and the national portal's importers expect, and what Excel splits on under the
 * en-US list separator most offices' Windows has. The XLSX is the file for people; the CSV is for
 * data. `delimiter: ';'` writes the vi-VN convention instead (semicolon, decimal comma) for an
 * Excel whose regional setting is Vietnamese. A "sep=;" first line would tell Excel the separator
 * but makes it ignore the BOM (the diacritics break), so it is not written.
 */
export type CsvCell = string | number | null | undefined;
export interface CsvOptions {
  delimiter?: ',' | ';';
}

const BOM = '\uFEFF';

/** The CSV bytes of a table whose first row is the header. */
export function toCsv(rows: CsvCell[][], opts: CsvOptions = {}): Buffer {
  const delimiter = opts.delimiter ?? ',';
  const decimal = delimiter === ';' ? ',' : '.';
  const cell = (v: CsvCell): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v).replace('.', decimal) : '';
    // A text that Excel would take for a formula (=, +, -, @, tab, CR at the start) is written as
    // text: applicants' names and procedure names are typed by people (CSV injection, OWASP).
    const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return Buffer.from(BOM + rows.map((r) => r.map(cell).join(delimiter)).join('\r\n') + '\r\n', 'utf8');
}

/** A rate in [0, 1] as a percentage with two decimals, for a CSV column "(%)". */
export const percent2 = (rate: number | null): number | null => (rate === null ? null : Math.round(rate * 10_000) / 100);
