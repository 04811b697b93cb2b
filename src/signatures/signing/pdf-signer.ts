import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { PDFArray, PDFContext, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFObject, PDFRef, PDFString } from 'pdf-lib';
import { AppError } from '../../common/errors.js';
import { FORM_FONTS } from '../../common/render/pdf-fonts.js';
import { signerInfo } from '../trust/certificates.js';
import { checkPdfStreams, LimitExceeded } from '../formats/limits.js';
import { docMdpPermission, findSignatures, formFields } from '../formats/pdf-fields.js';
import { DEFAULT_VERIFICATION_LIMITS } from '../report.js';
import { appendIncrementalUpdate, catalogOf, deref, envelopeProblem, formatPdfDate, loadForUpdate } from '../formats/pdf-structure.js';
import { digestParts } from '../trust/algorithms.js';
import type { SigningKey } from '../trust/signing-key.js';
import { signCmsDetached, type SignatureTimestamper } from './cms-signer.js';
import { SignatureErrors } from '../signatures.errors.js';

/** The signature's visible stamp is set in the forms' face (DejaVu Serif: every Vietnamese letter). */
const FONT_PATH = FORM_FONTS.regular;

export interface PdfSignOptions {
  /** The signing time written in /M and shown in the visible block. */
  signingTime: Date;
  reason: string;
  location?: string;
  /** Shown as "Ký bởi"; defaults to the certificate's CN. */
  signerName?: string;
  /** Defaults to "Signature<n>", n the first free number. */
  fieldName?: string;
  /** Where the visible block goes (page 0-based, default the last; rect in PDF points, default bottom right), or false for an invisible signature. */
  visible?: { page?: number; rect?: [number, number, number, number] } | false;
  /** Certification (DocMDP) signature with this permission; only as the first signature. */
  certify?: 1 | 2 | 3;
  digest?: 'SHA-256' | 'SHA-1';
  /** Bytes reserved for the CMS in /Contents (default 16384). */
  contentsSize?: number;
  /** A TSA to timestamp the signature value (PAdES B-T): the token gives later verifiers a proof of existence. */
  timestamp?: SignatureTimestamper;
}

const invalid = (why: string): AppError => SignatureErrors.PDF_SIGN_INVALID(why);

/**
 * Signs a PDF as an incremental update appended to the original bytes, so that earlier
 * signatures stay valid: a signature field whose widget is added to the page's /Annots and the
 * AcroForm's /Fields (/SigFlags 3), the signature dictionary (/SubFilter /ETSI.CAdES.detached, /M,
 * /Reason), a visible block in Vietnamese unless `visible: false`, and a new cross-reference
 * section (a table, or an xref stream when the file already uses them) chained with /Prev. The
 * CMS is made over the two byte ranges around /Contents.
 */
export async function signPdf(pdf: Uint8Array, key: SigningKey, opts: PdfSignOptions): Promise<Buffer> {
  const signerName = opts.signerName ?? signerInfo(key.certificate).name ?? signerInfo(key.certificate).subject;
  return appendSignatureField(pdf, {
    ...opts,
    signerName,
    dictionary: (size) => signatureDictionary(opts, signerName, size),
    contents: (parts) => signCmsDetached(parts, key, { digest: opts.digest ?? 'SHA-256', timestamp: opts.timestamp }),
  });
}

/**
 * Adds a document timestamp (PAdES, ISO 32000-2 /DocTimeStamp, /SubFilter /ETSI.RFC3161) as an
 * incremental update: an invisible field whose /Contents is the RFC 3161 token `stamp` returns
 * for the digest of the byte ranges (a TSA's answer).
 */
export async function timestampPdf(pdf: Uint8Array, stamp: SignatureTimestamper, opts: { fieldName?: string; contentsSize?: number } = {}): Promise<Buffer> {
  return appendSignatureField(pdf, {
    ...opts,
    visible: false,
    signerName: '',
    signingTime: new Date(0), // not written: a timestamp's time is in its token
    reason: '',
    dictionary: (size) => timestampDictionary(size),
    contents: (parts) => stamp({ digest: 'SHA-256', hash: digestParts('SHA-256', parts) }),
  });
}

interface FieldSpec extends PdfSignOptions {
  signerName: string;
  dictionary: (contentsSize: number) => { bytes: Buffer; byteRangeAt: number; contentsAt: number };
  contents: (byteRanges: Uint8Array[]) => Promise<Uint8Array>;
}

/** The incremental update shared by signatures and document timestamps. */
async function appendSignatureField(pdf: Uint8Array, opts: FieldSpec): Promise<Buffer> {
  const original = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const problem = envelopeProblem(original);
  if (problem) throw invalid(problem);
  let doc: PDFDocument;
  try {
    // The same caps as verification, before pdf-lib inflates anything (a PDF bomb stops here).
    await checkPdfStreams(original, DEFAULT_VERIFICATION_LIMITS);
    doc = await loadForUpdate(original);
  } catch (e) {
    if (e instanceof LimitExceeded) throw invalid(`vượt giới hạn ${e.kind} (${e.max}) / over the ${e.kind} limit (${e.max})`);
    throw invalid((e as Error).message);
  }
  const ctx = doc.context;
  if (ctx.trailerInfo.Encrypt) throw invalid('tệp được mã hóa / the file is encrypted');
  const { ref: catalogRef, dict: catalog } = catalogOf(doc);
  if (!catalogRef || !catalog) throw invalid('không có danh mục tài liệu / no document catalog');

  const existing = findSignatures(doc);
  if (opts.certify && existing.length > 0) throw invalid('chữ ký chứng thực phải là chữ ký đầu tiên / a certification signature must be the first signature');
  if (existing.some((s) => docMdpPermission(doc, s.sig) === 1))
    throw invalid('tài liệu đã được chứng thực không cho phép thay đổi (P=1) / the document is certified with no changes allowed (P=1)');

  const pages = doc.getPages();
  const visible = opts.visible === undefined ? {} : opts.visible;
  const pageIndex = visible ? (visible.page ?? pages.length - 1) : pages.length - 1;
  const page = pages[pageIndex];
  if (!page) throw invalid(`không có trang ${pageIndex} / no page ${pageIndex}`);
  const names = new Set(formFields(doc).map((f) => f.name));
  let fieldName = opts.fieldName;
  if (fieldName && names.has(fieldName)) throw invalid(`trường "${fieldName}" đã tồn tại / field "${fieldName}" already exists`);
  for (let n = 1; !fieldName; n++) if (!names.has(`Signature${n}`)) fieldName = `Signature${n}`;

  const updated = new Map<number, PDFRef>();
  const touch = (ref: PDFRef): void => void updated.set(ref.objectNumber, ref);

  const sigRef = ctx.nextRef();
  const widgetRef = ctx.nextRef();
  touch(sigRef);
  touch(widgetRef);

  let rect: [number, number, number, number] = [0, 0, 0, 0];
  if (visible) {
    const box = page.getCropBox();
    rect = visible.rect ?? [box.x + box.width - 36 - 230, box.y + 36, box.x + box.width - 36, box.y + 36 + 76];
  }
  const signerName = opts.signerName;
  const apRef = ctx.register(
    visible ? appearance(ctx, rect, signatureLines(signerName, opts), touch) : ctx.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 0, 0] }),
  );
  touch(apRef);
  ctx.assign(
    widgetRef,
    ctx.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFHexString.fromText(fieldName),
      V: sigRef,
      F: 132, // Print + Locked
      P: page.ref,
      Rect: rect,
      AP: { N: apRef },
    }),
  );

  // The page lists the widget among its annotations.
  const annots = page.node.get(PDFName.of('Annots'));
  const annotsArray = deref(ctx, annots);
  if (annots instanceof PDFRef && annotsArray instanceof PDFArray) {
    annotsArray.push(widgetRef);
    touch(annots);
  } else {
    page.node.set(PDFName.of('Annots'), ctx.obj([...(annotsArray instanceof PDFArray ? annotsArray.asArray() : []), widgetRef]));
    touch(page.ref);
  }

  // The AcroForm lists the field; SigFlags 3 = signatures exist, append only.
  const acroFormEntry = catalog.get(PDFName.of('AcroForm'));
  let acroForm = deref(ctx, acroFormEntry);
  if (!(acroForm instanceof PDFDict)) {
    acroForm = ctx.obj({ Fields: [] });
    const acroFormRef = ctx.register(acroForm);
    catalog.set(PDFName.of('AcroForm'), acroFormRef);
    touch(catalogRef);
    touch(acroFormRef);
  } else if (acroFormEntry instanceof PDFRef) touch(acroFormEntry);
  else touch(catalogRef);
  const form = acroForm as PDFDict;
  const fieldsEntry = form.get(PDFName.of('Fields'));
  const fields = deref(ctx, fieldsEntry);
  if (fieldsEntry instanceof PDFRef && fields instanceof PDFArray) {
    fields.push(widgetRef);
    touch(fieldsEntry);
  } else form.set(PDFName.of('Fields'), ctx.obj([...(fields instanceof PDFArray ? fields.asArray() : []), widgetRef]));
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));

  if (opts.certify) {
    catalog.set(PDFName.of('Perms'), ctx.obj({ DocMDP: sigRef }));
    touch(catalogRef);
  }

  // Append the update, then patch the byte range, sign it, and fill /Contents.
  const contentsSize = opts.contentsSize ?? 16384;
  const sig = opts.dictionary(contentsSize);
  const objects = [...updated.values()].map((ref) => ({ ref, body: ref === sigRef ? sig.bytes : undefined }));
  const { bytes: out, bodyOffsets } = appendIncrementalUpdate(original, doc, objects);
  const placeholder = { byteRange: bodyOffsets.get(sigRef.objectNumber)! + sig.byteRangeAt, contents: bodyOffsets.get(sigRef.objectNumber)! + sig.contentsAt };
  const gapStart = placeholder.contents;
  const gapEnd = gapStart + 2 + contentsSize * 2;
  const byteRange = [0, gapStart, gapEnd, out.length - gapEnd].map((n) => String(n));
  out.write(`[${byteRange.join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), placeholder.byteRange, 'latin1');
  const cms = await opts.contents([out.subarray(0, gapStart), out.subarray(gapEnd)]);
  if (cms.length > contentsSize)
    throw invalid(
      `chữ ký (${cms.length} byte) lớn hơn chỗ dành sẵn (${contentsSize}) / the signature (${cms.length} bytes) exceeds the reserved space (${contentsSize})`,
    );
  out.write(Buffer.from(cms).toString('hex').toUpperCase(), gapStart + 1, 'latin1');
  return out;
}

const BYTE_RANGE_PLACEHOLDER = `[0 ${'0'.repeat(10)} ${'0'.repeat(10)} ${'0'.repeat(10)}]`;

/** A document timestamp's dictionary: type, sub-filter, the two placeholders, nothing else. */
function timestampDictionary(contentsSize: number): { bytes: Buffer; byteRangeAt: number; contentsAt: number } {
  let head = '<<\n/Type /DocTimeStamp\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.RFC3161\n/ByteRange ';
  const byteRangeAt = head.length;
  head += `${BYTE_RANGE_PLACEHOLDER}\n/Contents `;
  const contentsAt = head.length;
  return { bytes: Buffer.from(`${head}<${'0'.repeat(contentsSize * 2)}>\n>>`, 'latin1'), byteRangeAt, contentsAt };
}

/** The signature dictionary, written by hand so /ByteRange and /Contents can be patched in place. */
function signatureDictionary(opts: PdfSignOptions, signerName: string, contentsSize: number): { bytes: Buffer; byteRangeAt: number; contentsAt: number } {
  const text = (s: string): string => PDFHexString.fromText(s).toString();
  let head = '<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n/ByteRange ';
  const byteRangeAt = head.length;
  head += `${BYTE_RANGE_PLACEHOLDER}\n/Contents `;
  const contentsAt = head.length;
  const tail = [
    '',
    `/M (${formatPdfDate(opts.signingTime)})`,
    `/Name ${text(signerName)}`,
    `/Reason ${text(opts.reason)}`,
    ...(opts.location ? [`/Location ${text(opts.location)}`] : []),
    ...(opts.certify
      ? [`/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${opts.certify} /V /1.2 >> >>]`]
      : []),
    '/Prop_Build << /App << /Name /motcua >> >>',
    '>>',
  ].join('\n');
  return { bytes: Buffer.from(`${head}<${'0'.repeat(contentsSize * 2)}>${tail}`, 'latin1'), byteRangeAt, contentsAt };
}

// ---- the visible block ----

/** The lines of the visible block, in Vietnamese; the time in Vietnam's time zone (UTC+7). */
function signatureLines(signerName: string, opts: PdfSignOptions): string[] {
  const t = new Date(opts.signingTime.getTime() + 7 * 3600_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  const when = `${p(t.getUTCDate())}/${p(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())} (UTC+7)`;
  return [`Ký bởi: ${signerName}`, `Thời gian ký: ${when}`, `Lý do: ${opts.reason}`, ...(opts.location ? [`Nơi ký: ${opts.location}`] : [])];
}

let dejaVu: fontkit.Font | undefined;
function font(): fontkit.Font {
  if (!dejaVu) {
    const f = fontkit.create(readFileSync(FONT_PATH));
    dejaVu = 'fonts' in f ? f.fonts[0] : f;
  }
  return dejaVu;
}

/**
 * The appearance stream of the visible block: a framed box with the lines word-wrapped at the
 * largest size (9 pt down to 4 pt) that fits, in a DejaVu Serif subset embedded as a Type0 /
 * CIDFontType2 font (Identity-H) with a ToUnicode map, so the text can be copied and searched.
 */
function appearance(ctx: PDFContext, rect: [number, number, number, number], lines: string[], touch: (ref: PDFRef) => void): PDFObject {
  const f = font();
  const w = Math.abs(rect[2] - rect[0]);
  const h = Math.abs(rect[3] - rect[1]);
  const pad = 4;
  const scale = 1000 / f.unitsPerEm;
  // One glyph per code point (NFC: DejaVu has every precomposed Vietnamese letter), so each CID
  // maps back to exactly the character it shows; no shaping is needed for Vietnamese.
  const glyphs = (s: string) => [...s.normalize('NFC')].map((ch) => ({ ch, glyph: f.glyphForCodePoint(ch.codePointAt(0)!) }));
  const widthOf = (s: string, size: number): number => (glyphs(s).reduce((sum, g) => sum + g.glyph.advanceWidth, 0) * size) / f.unitsPerEm;
  const wrap = (line: string, size: number): string[] => {
    const out: string[] = [];
    let current = '';
    for (const word of line.split(/\s+/)) {
      const next = current ? `${current} ${word}` : word;
      if (current && widthOf(next, size) > w - 2 * pad) {
        out.push(current);
        current = word;
      } else current = next;
    }
    out.push(current);
    return out;
  };
  let size = 9;
  let wrapped = lines.flatMap((l) => wrap(l, size));
  while (size > 4 && (wrapped.length * size * 1.2 > h - 2 * pad || wrapped.some((l) => widthOf(l, size) > w - 2 * pad))) {
    size -= 0.5;
    wrapped = lines.flatMap((l) => wrap(l, size));
  }

  const subset = f.createSubset();
  const used = new Map<number, { width: number; text: string }>(); // subset glyph id (= CID) → width, text
  const encoded = wrapped.map((line) => {
    return glyphs(line)
      .map(({ ch, glyph }) => {
        // fontkit returns the glyph's id in the subset (its typings say boolean).
        const cid = subset.includeGlyph(glyph) as unknown as number;
        used.set(cid, { width: Math.round(glyph.advanceWidth * scale), text: ch });
        return cid.toString(16).padStart(4, '0');
      })
      .join('');
  });

  const ascent = f.ascent * scale;
  let content = `q 0.93 0.96 1 rg 0 0 ${w} ${h} re f 0.1 0.3 0.6 RG 1 w 0.5 0.5 ${w - 1} ${h - 1} re S Q\nBT 0.05 0.15 0.45 rg /F1 ${size} Tf ${size * 1.2} TL ${pad} ${(h + wrapped.length * size * 1.2) / 2 - (ascent * size) / 1000} Td\n`; // vertically centred
  content += encoded.map((hex, i) => `${i ? 'T* ' : ''}<${hex}> Tj`).join('\n');
  content += '\nET';

  const fontBytes = subset.encode();
  const tag = createHash('sha256')
    .update(fontBytes)
    .digest()
    .subarray(0, 6)
    .reduce((s, b) => s + String.fromCharCode(65 + (b % 26)), '');
  const baseFont = `${tag}+${f.postscriptName}`;
  const reg = (obj: PDFObject): PDFRef => {
    const ref = ctx.register(obj);
    touch(ref);
    return ref;
  };
  const fontFile = reg(ctx.flateStream(fontBytes, { Length1: fontBytes.length }));
  const descriptor = reg(
    ctx.obj({
      Type: 'FontDescriptor',
      FontName: baseFont,
      Flags: 4,
      FontBBox: [f.bbox.minX, f.bbox.minY, f.bbox.maxX, f.bbox.maxY].map((v) => Math.round(v * scale)),
      ItalicAngle: f.italicAngle,
      Ascent: Math.round(ascent),
      Descent: Math.round(f.descent * scale),
      CapHeight: Math.round((f.capHeight || f.ascent) * scale),
      StemV: 80,
      FontFile2: fontFile,
    }),
  );
  const cids = [...used.keys()].sort((a, b) => a - b);
  const widths: (number | number[])[] = [0, Array.from({ length: (cids.at(-1) ?? 0) + 1 }, (_, cid) => used.get(cid)?.width ?? 0)];
  const cidFont = reg(
    ctx.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: baseFont,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      W: widths,
      CIDToGIDMap: 'Identity',
    }),
  );
  const toUnicode = reg(ctx.flateStream(toUnicodeCMap(cids.map((cid) => [cid, used.get(cid)!.text]))));
  const type0 = reg(ctx.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: baseFont, Encoding: 'Identity-H', DescendantFonts: [cidFont], ToUnicode: toUnicode }));
  return ctx.flateStream(content, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, w, h], Resources: { Font: { F1: type0 } } });
}

function toUnicodeCMap(map: [number, string][]): string {
  const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
  const utf16 = (s: string): string => Buffer.from(s, 'utf16le').swap16().toString('hex');
  const blocks: string[] = [];
  const entries = map.filter(([, text]) => text.length > 0);
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([cid, text]) => `<${hex4(cid)}> <${utf16(text)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}
