import { createHash } from 'node:crypto';
import { PDFArray, PDFContext, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFObject, PDFRawStream, PDFRef, PDFStream, PDFString } from 'pdf-lib';

/**
 * Low-level reading of a PDF's file structure, shared by the verifier (pdf.ts) and the signer
 * (src/signatures/signing/pdf-signer.ts): the file envelope (header, startxref, %%EOF), its revisions
 * (incremental updates), and safe object access on top of pdf-lib.
 *
 * pdf-lib parses the body sequentially (every `n g obj`, object streams included, later ones
 * overriding earlier ones), so loading the prefix of the file that ends at a revision's %%EOF gives
 * exactly the objects of that revision.
 */

const latin1 = (bytes: Uint8Array, from = 0, to = bytes.length): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, to - from)).toString('latin1');

const isWhite = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;

/** The file's length without trailing whitespace (a writer may add an EOL or padding after %%EOF). */
export function trimmedLength(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && isWhite(bytes[end - 1])) end--;
  return end;
}

/** Where the cross-reference section of the last revision starts, and whether it is a stream. */
export interface XrefSection {
  offset: number;
  kind: 'table' | 'stream';
  /** /Prev of its trailer (or of the xref stream dictionary). */
  prev: number | null;
  /** /Size of its trailer. */
  size: number | null;
}

/**
 * Checks the envelope of a PDF: the header within the first 1024 bytes, a `startxref` near the
 * end followed by `%%EOF` that ends the file, and a cross-reference section where startxref points.
 * Returns why the file is not a readable PDF, or null. A file cut anywhere but exactly after a
 * revision's %%EOF fails here.
 */
export function envelopeProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 32) return 'Tệp quá ngắn để là PDF / File too short to be a PDF';
  if (!latin1(bytes, 0, Math.min(1024, bytes.length)).includes('%PDF-')) return 'Không có phần đầu %PDF- / No %PDF- header';
  const end = trimmedLength(bytes);
  const tail = latin1(bytes, Math.max(0, end - 1024), end);
  if (!/%%EOF$/.test(tail)) return 'Tệp không kết thúc bằng %%EOF (bị cắt cụt?) / File does not end with %%EOF (truncated?)';
  const sx = /startxref\s+(\d+)\s*%%EOF$/.exec(tail);
  if (!sx) return 'Không có startxref trước %%EOF / No startxref before %%EOF';
  const section = readXrefSection(bytes, Number(sx[1]));
  if (!section) return 'startxref không trỏ tới bảng tham chiếu chéo / startxref does not point to a cross-reference section';
  return null;
}

/** The offset in the last `startxref` of the file (or of the prefix ending at `end`). */
export function lastStartxref(bytes: Uint8Array, end = bytes.length): number | null {
  const tail = latin1(bytes, Math.max(0, end - 1024), end);
  const all = [...tail.matchAll(/startxref\s+(\d+)/g)];
  return all.length ? Number(all[all.length - 1][1]) : null;
}

/** Reads the cross-reference section at `offset`: a classic table with its trailer, or an xref stream. */
export function readXrefSection(bytes: Uint8Array, offset: number): XrefSection | null {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= bytes.length) return null;
  const head = latin1(bytes, offset, Math.min(bytes.length, offset + 64));
  const num = (dict: string, key: string): number | null => {
    const m = new RegExp(`/${key}\\s+(\\d+)`).exec(dict);
    return m ? Number(m[1]) : null;
  };
  if (/^\s*xref/.test(head)) {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const t = buf.indexOf('trailer', offset, 'latin1');
    if (t < 0) return null;
    const s = buf.indexOf('startxref', t, 'latin1');
    const dict = latin1(bytes, t, s < 0 ? Math.min(bytes.length, t + 4096) : s);
    return { offset, kind: 'table', prev: num(dict, 'Prev'), size: num(dict, 'Size') };
  }
  if (/^\s*\d+\s+\d+\s+obj/.test(head)) {
    const window = latin1(bytes, offset, Math.min(bytes.length, offset + 4096));
    const s = window.indexOf('stream');
    const dict = s < 0 ? window : window.slice(0, s);
    if (!/\/Type\s*\/XRef/.test(dict)) return null;
    return { offset, kind: 'stream', prev: num(dict, 'Prev'), size: num(dict, 'Size') };
  }
  return null;
}

/** The end of the `%%EOF` line that follows `from` (after its EOL), or null. */
function eofEndAfter(bytes: Uint8Array, from: number): number | null {
  const i = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf('%%EOF', from, 'latin1');
  if (i < 0) return null;
  let end = i + 5;
  if (bytes[end] === 0x0d) end++;
  if (bytes[end] === 0x0a) end++;
  return end;
}

/**
 * The end offset of every revision, ascending: one per cross-reference section reached from the
 * last startxref through /Prev, each ending at the %%EOF that follows it. The first-page section of
 * a linearized file (its /Prev points forward) is part of the first revision, not one of its own.
 * When the /Prev chain is broken, every `startxref … %%EOF` marks a revision instead.
 */
export function revisionEnds(bytes: Uint8Array): number[] {
  const fileEnd = eofEndAfter(bytes, Math.max(0, trimmedLength(bytes) - 5)) ?? bytes.length;
  const ends = new Set<number>([fileEnd]);
  let offset = lastStartxref(bytes);
  const seen = new Set<number>();
  let broken = offset === null;
  while (offset !== null && !seen.has(offset) && seen.size < 10_000) {
    seen.add(offset);
    const section = readXrefSection(bytes, offset);
    if (!section) {
      broken = true;
      break;
    }
    const end = eofEndAfter(bytes, offset);
    const linearizedFirstPage = section.prev !== null && section.prev > offset;
    if (end !== null && !linearizedFirstPage) ends.add(end);
    offset = section.prev;
  }
  if (broken) {
    for (const m of latin1(bytes).matchAll(/startxref\s+\d+\s*%%EOF/g)) {
      const end = eofEndAfter(bytes, m.index);
      if (end !== null) ends.add(end);
    }
  }
  return [...ends].sort((a, b) => a - b);
}

// pdf-lib warns on the console about every odd object it recovers from; the verifier reports
// instead. Loads may overlap (they yield while parsing object streams), so the original
// console.warn is put back only when the last one finishes.
let quietLoads = 0;
let consoleWarn: typeof console.warn = console.warn;

/** Loads a PDF (or the prefix of one) with pdf-lib, quietly: no metadata update, no warnings. */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  if (quietLoads++ === 0) {
    consoleWarn = console.warn;
    console.warn = () => undefined;
  }
  try {
    return await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } finally {
    if (--quietLoads === 0) console.warn = consoleWarn;
  }
}

// ---- safe object access (pdf-lib's typed lookups throw on an unexpected type) ----

export function deref(context: PDFContext, obj: PDFObject | undefined): PDFObject | undefined {
  let o = obj;
  for (let i = 0; o instanceof PDFRef && i < 32; i++) o = context.lookup(o);
  return o instanceof PDFRef ? undefined : o;
}

export function dictOf(context: PDFContext, obj: PDFObject | undefined): PDFDict | undefined {
  const o = deref(context, obj);
  if (o instanceof PDFDict) return o;
  if (o instanceof PDFStream) return o.dict;
  return undefined;
}

export function getDict(context: PDFContext, dict: PDFDict, key: string): PDFDict | undefined {
  const o = deref(context, dict.get(PDFName.of(key)));
  return o instanceof PDFDict ? o : undefined;
}

export function getArray(context: PDFContext, dict: PDFDict, key: string): PDFArray | undefined {
  const o = deref(context, dict.get(PDFName.of(key)));
  return o instanceof PDFArray ? o : undefined;
}

export function getName(context: PDFContext, dict: PDFDict, key: string): string | undefined {
  const o = deref(context, dict.get(PDFName.of(key)));
  return o instanceof PDFName ? o.decodeText() : undefined;
}

export function getNumber(context: PDFContext, dict: PDFDict, key: string): number | undefined {
  const o = deref(context, dict.get(PDFName.of(key)));
  return o instanceof PDFNumber ? o.asNumber() : undefined;
}

export function getText(context: PDFContext, dict: PDFDict, key: string): string | undefined {
  const o = deref(context, dict.get(PDFName.of(key)));
  return o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined;
}

export function getBytes(context: PDFContext, dict: PDFDict, key: string): Uint8Array | undefined {
  const o = deref(context, dict.get(PDFName.of(key)));
  return o instanceof PDFString || o instanceof PDFHexString ? o.asBytes() : undefined;
}

/** The trailer's /Root catalog. */
export function catalogOf(doc: PDFDocument): { ref: PDFRef | undefined; dict: PDFDict | undefined } {
  const root = doc.context.trailerInfo.Root;
  const ref = root instanceof PDFRef ? root : undefined;
  return { ref, dict: dictOf(doc.context, root) };
}

/** A stable key for an indirect reference. */
export const refKey = (ref: PDFRef): string => `${ref.objectNumber} ${ref.generationNumber}`;

/** Whether two objects are the same value (dictionaries compared key by key, streams byte by byte). */
export function sameObject(a: PDFObject | undefined, b: PDFObject | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a instanceof PDFRawStream && b instanceof PDFRawStream) {
    return a.dict.toString() === b.dict.toString() && Buffer.from(a.contents).equals(Buffer.from(b.contents));
  }
  if (a instanceof PDFStream || b instanceof PDFStream) return false;
  return a.toString() === b.toString();
}

// ---- PDF dates ----

/** Parses a PDF date string `D:YYYYMMDDHHmmSSOHH'mm'` (all but the year optional). */
export function parsePdfDate(text: string | undefined): Date | null {
  if (!text) return null;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(?:(\d{2})'?)?)?)?/.exec(text.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(utc)) return null;
  const offsetMin = sign === '+' || sign === '-' ? (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) : 0;
  return new Date(utc - offsetMin * 60_000);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Formats a PDF date in UTC: `D:YYYYMMDDHHmmSSZ`. */
export function formatPdfDate(date: Date): string {
  return `D:${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}${pad2(date.getUTCHours())}${pad2(date.getUTCMinutes())}${pad2(date.getUTCSeconds())}Z`;
}

/** The number of bytes of the DER value at the start of `der` (tag, length, content), or null if it is not DER. */
export function derLength(der: Uint8Array): number | null {
  if (der.length < 2 || der[0] !== 0x30) return null;
  const first = der[1];
  if (first < 0x80) return 2 + first <= der.length ? 2 + first : null;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return null;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i];
  return 2 + n + len <= der.length ? 2 + n + len : null;
}

// ---- writing an incremental update ----

/**
 * Loads a PDF to change it by an incremental update: as loadPdf, and new objects get numbers after
 * everything the last cross-reference section declares (its /Size also counts the xref and object
 * streams pdf-lib does not keep). Throws when the file has no readable last xref section or catalog.
 */
export async function loadForUpdate(bytes: Uint8Array): Promise<PDFDocument> {
  const doc = await loadPdf(bytes);
  const startxref = lastStartxref(bytes);
  const section = startxref === null ? null : readXrefSection(bytes, startxref);
  if (!section || !catalogOf(doc).ref) throw new Error('no readable cross-reference section or catalog');
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, (section.size ?? 0) - 1);
  return doc;
}

function serialize(obj: PDFObject): Uint8Array {
  const buf = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(buf, 0);
  return buf;
}

/** Runs of consecutive object numbers: [[first, count], …]. */
function runs(numbers: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === n) last[1]++;
    else out.push([n, 1]);
  }
  return out;
}

/**
 * Appends an incremental update to `original` (loaded with loadForUpdate): the objects given
 * (their body as given, or serialized from the document), then a cross-reference section of the
 * kind the file already uses (a table, or an uncompressed xref stream, W [1 4 2], that lists
 * itself) and a trailer chained to the previous one with /Prev. The original bytes are kept as
 * they are, so earlier signatures stay valid. Returns the new file and where each object's body
 * starts.
 */
export function appendIncrementalUpdate(
  original: Uint8Array,
  doc: PDFDocument,
  objects: { ref: PDFRef; body?: Uint8Array }[],
): { bytes: Buffer; bodyOffsets: Map<number, number> } {
  const ctx = doc.context;
  const prev = lastStartxref(original);
  const section = prev === null ? null : readXrefSection(original, prev);
  const root = catalogOf(doc).ref;
  if (!section || !root) throw new Error('no readable cross-reference section or catalog');
  const parts: Uint8Array[] = [original];
  let length = original.length;
  const push = (b: Uint8Array): void => {
    parts.push(b);
    length += b.length;
  };
  if (!isWhite(original[original.length - 1])) push(Buffer.from('\n'));
  const entries = new Map<number, { offset: number; gen: number }>();
  const bodyOffsets = new Map<number, number>();
  for (const { ref, body } of [...objects].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber)) {
    entries.set(ref.objectNumber, { offset: length, gen: ref.generationNumber });
    const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1');
    bodyOffsets.set(ref.objectNumber, length + head.length);
    const obj = body ? undefined : ctx.lookup(ref);
    if (!body && !obj) throw new Error(`object ${ref} is not in the document`);
    push(Buffer.concat([head, body ?? serialize(obj!), Buffer.from('\nendobj\n')]));
  }
  const { Info, ID } = ctx.trailerInfo;
  const id = ID ? ID.toString() : `[<${createHash('md5').update(original).digest('hex')}> <${createHash('md5').update(original).digest('hex')}>]`;
  const trailer = (size: number): string => `/Size ${size} /Root ${root}${Info ? ` /Info ${Info}` : ''} /ID ${id} /Prev ${prev}`;
  const xrefAt = length;
  if (section.kind === 'table') {
    let s = 'xref\n';
    for (const [first, count] of runs([...entries.keys()])) {
      s += `${first} ${count}\n`;
      for (let n = first; n < first + count; n++) {
        const { offset, gen } = entries.get(n)!;
        s += `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`;
      }
    }
    push(Buffer.from(`${s}trailer\n<< ${trailer(ctx.largestObjectNumber + 1)} >>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  } else {
    const self = ctx.nextRef().objectNumber;
    entries.set(self, { offset: xrefAt, gen: 0 });
    const index = runs([...entries.keys()]);
    const rows = Buffer.alloc(entries.size * 7);
    let i = 0;
    for (const [first, count] of index) {
      for (let n = first; n < first + count; n++, i += 7) {
        const { offset, gen } = entries.get(n)!;
        rows.writeUInt8(1, i);
        rows.writeUInt32BE(offset, i + 1);
        rows.writeUInt16BE(gen, i + 5);
      }
    }
    const dict = `<< /Type /XRef ${trailer(self + 1)} /Index [${index.flat().join(' ')}] /W [1 4 2] /Length ${rows.length} >>`;
    push(Buffer.from(`${self} 0 obj\n${dict}\nstream\n`, 'latin1'));
    push(rows);
    push(Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  }
  return { bytes: Buffer.concat(parts, length), bodyOffsets };
}
