import { createInflate } from 'node:zlib';
import { DEFAULT_VERIFICATION_LIMITS, type DocumentReport, type LimitKind, type VerificationContext, type VerificationLimits } from '../report.js';

/**
 * The caps of verification (VerificationLimits) and the report of a file that exceeds one. Caps
 * are checked before the expensive work (parsing object streams, canonicalising and hashing
 * references), so a hostile file costs a bounded, small amount of time and memory.
 */

const WHAT: Record<LimitKind, [vi: string, en: string]> = {
  SIGNATURES: ['số chữ ký trong tệp', 'signatures in the file'],
  XML_REFERENCES: ['số tham chiếu (Reference) của một chữ ký XML', 'references of one XML signature'],
  PDF_REVISIONS: ['số phiên bản (cập nhật gia tăng) của PDF', 'revisions (incremental updates) of the PDF'],
  PDF_OBJECT_STREAMS: ['số luồng đối tượng (object stream) của PDF', 'object streams of the PDF'],
  INFLATED_BYTES: ['dung lượng giải nén cấu trúc PDF (byte)', 'bytes inflated from the PDF structure'],
  TIMEOUT: ['thời gian', 'time'],
  MEMORY: ['bộ nhớ', 'memory'],
};
const UNIT: Partial<Record<LimitKind, string>> = { TIMEOUT: ' ms', MEMORY: ' MB' };

/** Thrown by a verifier when a file goes beyond a cap; verifyXml/verifyPdf turn it into limitReport. */
export class LimitExceeded extends Error {
  constructor(
    readonly kind: LimitKind,
    readonly max: number,
  ) {
    super(`${kind} over ${max}`);
    this.name = 'LimitExceeded';
  }
}

export const limitsOf = (ctx: Pick<VerificationContext, 'limits'>): VerificationLimits => ctx.limits ?? DEFAULT_VERIFICATION_LIMITS;

/** Throws LimitExceeded when `found` is over `max`. */
export function cap(kind: LimitKind, found: number, max: number): void {
  if (found > max) throw new LimitExceeded(kind, max);
}

/**
 * The report of a file verification stopped at a limit. A cap on the file's structure makes it
 * TOTAL_FAILED / FORMAT_FAILURE (the file is beyond what the verifier processes, as with an
 * unsupported algorithm); running out of time or memory makes it INDETERMINATE (nothing was
 * decided about the signatures). Either way it is final: not retried.
 */
export function limitReport(format: DocumentReport['format'], validationTime: Date | string, kind: LimitKind, max: number): DocumentReport {
  const [vi, en] = WHAT[kind];
  const resource = kind === 'TIMEOUT' || kind === 'MEMORY';
  const message = resource
    ? `Việc kiểm tra tệp vượt giới hạn ${vi} (${max}${UNIT[kind]}) nên đã dừng, chữ ký chưa được kiểm tra / Verifying the file went over its ${en} limit (${max}${UNIT[kind]}) and was stopped; its signatures were not verified`
    : `Tệp vượt giới hạn ${vi} (tối đa ${max}), không kiểm tra chữ ký / The file exceeds the limit on ${en} (at most ${max}); its signatures were not verified`;
  return {
    indication: resource ? 'INDETERMINATE' : 'TOTAL_FAILED',
    subIndication: resource ? null : 'FORMAT_FAILURE',
    messages: [message],
    format,
    signatures: [],
    validationTime: typeof validationTime === 'string' ? validationTime : validationTime.toISOString(),
    limit: { kind, max },
  };
}

// ---------------------------------------------------------------------------------------------
// PDF: object streams and what inflating them costs, before pdf-lib parses them

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** A PDF name with its #xx escapes decoded (/Obj#53tm is /ObjStm). */
const decodeNames = (dict: string) => dict.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/**
 * The streams pdf-lib decodes while loading a file: object streams and cross-reference streams
 * (and, to be safe, any stream whose /Type is an indirect reference, which the loader may resolve
 * to either). Each with its dictionary and the offsets of its data.
 */
function* structuralStreams(text: string): Generator<{ objectStream: boolean; flate: boolean; start: number; end: number }> {
  const keyword = /\bstream(\r\n|\n|\r)/g;
  for (let m = keyword.exec(text); m; m = keyword.exec(text)) {
    const start = m.index + m[0].length;
    const dictStart = text.lastIndexOf('obj', m.index);
    if (dictStart < 0 || m.index - dictStart > 64 * 1024) continue;
    const dict = decodeNames(text.slice(dictStart, m.index));
    const type = /\/Type\s*(\/[A-Za-z]+|\d+\s+\d+\s+R)/.exec(dict)?.[1];
    const end = text.indexOf('endstream', start);
    const stop = end < 0 ? text.length : end;
    keyword.lastIndex = stop;
    if (type !== '/ObjStm' && type !== '/XRef' && !/R$/.test(type ?? '')) continue;
    yield { objectStream: type !== '/XRef', flate: /\/(FlateDecode|Fl)\b/.test(dict), start, end: stop };
  }
}

/** Bytes `data` inflates to, counted as they come out and stopped once over `budget` (returns budget + 1 then). */
function inflatedSize(data: Uint8Array, budget: number): Promise<number> {
  return new Promise((resolve) => {
    let size = 0;
    let done = false;
    const inflate = createInflate({ chunkSize: 64 * 1024 });
    const finish = () => {
      if (done) return;
      done = true;
      inflate.destroy();
      resolve(Math.min(size, budget + 1));
    };
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > budget) finish();
    });
    // A corrupt or truncated stream counts for what came out of it before the error.
    inflate.on('error', finish);
    inflate.on('end', finish);
    inflate.end(data);
  });
}

/**
 * Checks a PDF against the object-stream and inflated-bytes caps before it is parsed: counts its
 * object streams, and inflates its Flate-encoded object and cross-reference streams with a running
 * total that stops at the cap (never holding the output). Throws LimitExceeded.
 */
export async function checkPdfStreams(bytes: Uint8Array, limits: VerificationLimits): Promise<void> {
  const text = latin1(bytes);
  let objectStreams = 0;
  let inflated = 0;
  for (const s of structuralStreams(text)) {
    if (s.objectStream) cap('PDF_OBJECT_STREAMS', ++objectStreams, limits.maxPdfObjectStreams);
    if (!s.flate) continue;
    inflated += await inflatedSize(bytes.subarray(s.start, s.end), limits.maxInflatedBytes - inflated);
    cap('INFLATED_BYTES', inflated, limits.maxInflatedBytes);
  }
}
