import type { PDFDocument } from 'pdf-lib';
import { verifyCmsDetached, verifyTimestampToken } from './cms.js';
import { cap, checkPdfStreams, LimitExceeded, limitReport, limitsOf } from './limits.js';
import { analyseLaterChanges, type ChangeLevel } from './pdf-changes.js';
import { byteRangeOf, docMdpPermission, findSignatures, type PdfSignatureEntry } from './pdf-fields.js';
import {
  catalogOf,
  derLength,
  envelopeProblem,
  getBytes,
  getDict,
  getName,
  getText,
  loadPdf,
  parsePdfDate,
  revisionEnds,
  trimmedLength,
} from './pdf-structure.js';
import { documentIndication, type DocumentReport, type PdfCoverage, type SignatureResult, type VerificationContext } from '../report.js';

/**
 * Verifies every signature of a PDF (PAdES / PKCS#7 detached CMS in signature dictionaries),
 * tells which revision each one covers and whether the revisions after it changed only what the
 * signer allowed. Never throws: a file that is not a readable PDF is a document-level
 * FORMAT_FAILURE, a signature whose own dictionary, byte range or CMS is broken is that
 * signature's FORMAT_FAILURE.
 */
export async function verifyPdf(bytes: Uint8Array, ctx: VerificationContext): Promise<DocumentReport> {
  const validationTime = ctx.validationTime.toISOString();
  const unreadable = (why: string): DocumentReport => ({
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    messages: [why],
    format: 'PDF',
    signatures: [],
    validationTime,
  });
  try {
    const problem = envelopeProblem(bytes);
    if (problem) return unreadable(problem);
    const limits = limitsOf(ctx);
    const revisions = revisionEnds(bytes);
    cap('PDF_REVISIONS', revisions.length, limits.maxPdfRevisions);
    await checkPdfStreams(bytes, limits);
    let final: PDFDocument;
    try {
      final = await loadPdf(bytes);
    } catch (e) {
      return unreadable(`Không đọc được cấu trúc PDF / Cannot read the PDF structure: ${(e as Error).message}`);
    }
    const catalog = catalogOf(final).dict;
    if (!catalog || !getDict(final.context, catalog, 'Pages'))
      return unreadable('PDF không có danh mục trang hợp lệ / The PDF has no valid catalog with pages');

    const fileEnd = trimmedLength(bytes);
    const entries = findSignatures(final);
    cap('SIGNATURES', entries.length, limits.maxSignatures);
    const found = entries
      .map((entry) => ({ entry, range: byteRangeOf(final, entry.sig) }))
      .sort((a, b) => (a.range ? a.range[2] + a.range[3] : Infinity) - (b.range ? b.range[2] + b.range[3] : Infinity));
    const revisionDocs = new Map<number, Promise<PDFDocument>>();
    const loadRevision = (rev: number): Promise<PDFDocument> => {
      if (!revisionDocs.has(rev)) revisionDocs.set(rev, loadPdf(bytes.subarray(0, revisions[rev - 1])));
      return revisionDocs.get(rev)!;
    };

    // Certification signatures first: their permission governs the changes after every later signature.
    const certifications = found
      .map(({ entry, range }) => ({ permission: docMdpPermission(final, entry.sig), revision: range ? revisionOf(revisions, range) : Infinity }))
      .filter((c): c is { permission: 1 | 2 | 3; revision: number } => c.permission !== null);

    const signatures: SignatureResult[] = [];
    for (const [index, { entry, range }] of found.entries()) {
      signatures.push(await verifyOne(bytes, final, entry, range, index, { revisions, fileEnd, certifications, loadRevision }, ctx));
    }
    return { indication: documentIndication(signatures), subIndication: null, messages: [], format: 'PDF', signatures, validationTime };
  } catch (e) {
    if (e instanceof LimitExceeded) return limitReport('PDF', validationTime, e.kind, e.max);
    return unreadable(`Không đọc được cấu trúc PDF / Cannot read the PDF structure: ${(e as Error).message}`);
  }
}

/** 1-based revision a byte range ends in: the number of revisions that end at or before it. */
function revisionOf(revisions: number[], range: [number, number, number, number]): number {
  const end = range[2] + range[3];
  const before = revisions.filter((r) => r <= end + 2).length; // an EOL after %%EOF may be outside the range
  return Math.max(1, Math.min(before, revisions.length));
}

interface FileFacts {
  revisions: number[];
  fileEnd: number;
  certifications: { permission: 1 | 2 | 3; revision: number }[];
  loadRevision(rev: number): Promise<PDFDocument>;
}

/**
 * The sub-filters this verifier checks: detached CMS signatures, and RFC 3161 document timestamps
 * (the token's TSTInfo carries the byte ranges' digest). adbe.x509.rsa_sha1 (a bare PKCS#1 value)
 * is reported as unsupported (FORMAT_FAILURE) rather than mis-verified.
 */
const FORMATS: Record<string, 'PAdES' | 'PKCS7' | 'DocTimeStamp'> = {
  'ETSI.CAdES.detached': 'PAdES',
  'adbe.pkcs7.detached': 'PKCS7',
  'ETSI.RFC3161': 'DocTimeStamp',
};

async function verifyOne(
  bytes: Uint8Array,
  final: PDFDocument,
  entry: PdfSignatureEntry,
  range: [number, number, number, number] | null,
  index: number,
  file: FileFacts,
  ctx: VerificationContext,
): Promise<SignatureResult> {
  const fctx = final.context;
  const subFilter = getName(fctx, entry.sig, 'SubFilter');
  const format = (subFilter && FORMATS[subFilter]) || 'PKCS7';
  const claimed = parsePdfDate(getText(fctx, entry.sig, 'M'));
  const permission = docMdpPermission(final, entry.sig);
  const revision = range ? revisionOf(file.revisions, range) : file.revisions.length;
  const coversWholeDocument = !!range && range[2] + range[3] >= file.fileEnd;
  const pdf: PdfCoverage = {
    revision,
    revisions: file.revisions.length,
    coversWholeDocument,
    laterChanges: 'NONE',
    certification: permission ? { permission } : null,
    fieldName: entry.fieldName,
    visible: entry.visible,
  };
  const broken = (why: string): SignatureResult => ({
    index,
    format,
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    messages: [why],
    signer: null,
    certificate: null,
    signingTime: claimed ? claimed.toISOString() : null,
    algorithms: { digest: null, signature: null, keyBits: null },
    evidence: { chain: [], crls: [] },
    pdf,
  });

  if (!subFilter || !FORMATS[subFilter]) {
    return broken(`Kiểu chữ ký /SubFilter ${subFilter ?? '(không có / none)'} không được hỗ trợ / Unsupported signature /SubFilter ${subFilter ?? '(none)'}`);
  }
  if (!range) return broken('/ByteRange không hợp lệ (cần 4 số nguyên không âm) / Invalid /ByteRange (four non-negative integers expected)');
  const [start, len1, gapEnd, len2] = range;
  const gapStart = start + len1;
  if (start !== 0 || gapEnd <= gapStart || gapEnd + len2 > bytes.length) {
    return broken('/ByteRange không bắt đầu từ 0, chồng lấn hoặc vượt quá tệp / /ByteRange does not start at 0, overlaps, or runs past the end of the file');
  }
  const gap = Buffer.from(bytes.subarray(gapStart, gapEnd)).toString('latin1');
  if (!/^<[0-9A-Fa-f]*>$/.test(gap) || (gap.length - 2) % 2 !== 0) {
    return broken('Khoảng trống của /ByteRange không đúng là chuỗi /Contents / The /ByteRange gap is not exactly the /Contents hex string');
  }
  const contents = Buffer.from(gap.slice(1, -1), 'hex');
  const declared = getBytes(fctx, entry.sig, 'Contents');
  if (!declared || !Buffer.from(declared).equals(contents)) {
    return broken("Khoảng trống của /ByteRange không phải /Contents của chữ ký này / The /ByteRange gap is not this signature's /Contents");
  }
  const cmsLength = derLength(contents);
  if (cmsLength === null) return broken('/Contents không chứa CMS (DER) hợp lệ / /Contents holds no valid CMS (DER)');
  const cms = contents.subarray(0, cmsLength);

  const problems: string[] = [];
  if (!coversWholeDocument) {
    // The strictest certification at or before this signature's revision sets the rules.
    const level = file.certifications.filter((c) => c.revision <= revision).reduce<ChangeLevel>((l, c) => (c.permission < l ? c.permission : l), 3);
    const analysis = analyseLaterChanges(await file.loadRevision(revision), final, level);
    pdf.laterChanges = analysis.verdict;
    problems.push(...analysis.problems);
  }

  const ranges = [bytes.subarray(0, len1), bytes.subarray(gapEnd, gapEnd + len2)];
  const result =
    format === 'DocTimeStamp'
      ? await verifyTimestampToken(cms, ranges, ctx, { index, format })
      : await verifyCmsDetached(cms, ranges, ctx, { index, format, claimedSigningTime: claimed });
  result.pdf = pdf;
  if (pdf.laterChanges === 'NOT_ALLOWED') {
    const certified = file.certifications.some((c) => c.revision <= revision);
    result.messages.push(
      certified
        ? 'Tài liệu đã bị thay đổi sau khi ký theo cách chữ ký chứng thực không cho phép / The document was changed after signing in a way the certification signature does not allow'
        : 'Tài liệu đã bị thay đổi sau khi ký (không chỉ thêm chữ ký, điền biểu mẫu hay chú thích) / The document was changed after signing (beyond signatures, form fill-in and annotations)',
      ...problems,
    );
    if (result.indication === 'TOTAL_PASSED') {
      result.indication = 'INDETERMINATE';
      result.subIndication = 'SIG_CONSTRAINTS_FAILURE';
    }
  }
  return result;
}
