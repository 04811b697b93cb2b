/**
 * File names as people send them are untrusted text that ends up in a header and on officers'
 * disks: these helpers make one safe to store and to offer back as a download name.
 */

/** Names are cut to this many UTF-8 bytes: ext4, NTFS and APFS allow 255, and downloads often gain a " (1)". */
export const MAX_FILE_NAME_BYTES = 200;
const FALLBACK_NAME = 'file';

/** Windows refuses these base names whatever the extension, and officers open downloads on Windows. */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
/** What reads as an extension: a dot, a letter, then up to four letters or digits (".pdf", ".jpeg", ".mp4"; not ".2024"). */
const EXTENSION = /^(.*)\.([A-Za-z][A-Za-z0-9]{0,4})$/;

/**
 * A file name safe to store and send back: the last part of any path the client sent, in NFC (macOS
 * sends Vietnamese decomposed), without control characters (CR/LF would split a header), without
 * the invisible direction marks used to disguise "gpj.exe" as "exe.jpg", with the characters Windows
 * reserves replaced, without leading dots (hidden files) or trailing dots and spaces (Windows drops
 * them), and at most MAX_FILE_NAME_BYTES. Never empty.
 */
export function sanitizeFileName(raw: string | undefined | null): string {
  const lastPart = (raw ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = lastPart
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must lose
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const [base, ext] = splitExtension(cleaned);
  const safeBase = WINDOWS_DEVICE_NAME.test(base) ? `_${base}` : base;
  return truncateKeepingExtension(safeBase, ext);
}

/**
 * The stored name of a file whose content is of `type`: the sanitised name, with its extension
 * made to agree with the content. A PNG sent as "scan.pdf" is stored as "scan.png", so the name an
 * officer downloads says what the file is; a name without an extension gains one.
 */
export function fileNameFor(raw: string | undefined | null, extensions: readonly string[]): string {
  const [base, ext] = splitExtension(sanitizeFileName(raw));
  const keep = ext !== undefined && extensions.includes(ext.toLowerCase());
  if (keep) return truncateKeepingExtension(base, ext);
  // "12.2024" has no extension by our definition, so it is kept whole: "12.2024.png".
  return truncateKeepingExtension(base, extensions[0]);
}

/**
 * A Content-Disposition header offering the file for download under its name: an ASCII fallback
 * (Vietnamese letters without their marks) for old clients, and the exact UTF-8 name (RFC 6266,
 * RFC 8187) that current browsers use.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_')
    // Quotes and backslashes would end or escape the quoted string; some browsers decode %XX in it.
    .replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** "20 MB", "2 KB" or "1500 bytes": a size limit as people read it. */
export function describeBytes(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

function splitExtension(name: string): [string, string | undefined] {
  const m = EXTENSION.exec(name);
  return m ? [m[1], m[2]] : [name, undefined];
}

function truncateKeepingExtension(base: string, ext: string | undefined): string {
  const suffix = ext === undefined ? '' : `.${ext}`;
  const budget = MAX_FILE_NAME_BYTES - Buffer.byteLength(suffix);
  let out = '';
  // By code point, so a truncation never splits a character.
  for (const ch of base) {
    if (Buffer.byteLength(out + ch) > budget) break;
    out += ch;
  }
  return `${out.replace(/[.\s]+$/, '') || FALLBACK_NAME}${suffix}`;
}
