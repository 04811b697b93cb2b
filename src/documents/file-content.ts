import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { fileTooLarge, unsupportedFileType } from './files.errors.js';

/** The types the service accepts, judged by content, with the extensions their names may carry (first = preferred). */
export const ACCEPTED_TYPES = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  // file-type recognises XML by its declaration "<?xml " (UTF-8, with or without a BOM, or UTF-16
  // with a BOM): XML without a declaration is refused. Any XML vocabulary passes (an SVG or XHTML
  // with a declaration too); it is only ever served back as an attachment, with nosniff.
  'application/xml': ['xml'],
} as const satisfies Record<string, readonly string[]>;
export type AcceptedType = keyof typeof ACCEPTED_TYPES;

/** How many leading bytes file-type needs to recognise what it knows (its own "reasonable" sample size). */
export const SNIFF_BYTES = 4100;

/**
 * The accepted type of content beginning with `head`, judged by its magic bytes alone; anything
 * else fails with UNSUPPORTED_FILE_TYPE naming what was detected. This checks what a file is, not
 * that it is well formed: a text file that starts with "%PDF" passes.
 */
export async function detectAcceptedType(head: Uint8Array): Promise<AcceptedType> {
  const detected = await fileTypeFromBuffer(head.subarray(0, SNIFF_BYTES));
  if (detected && Object.hasOwn(ACCEPTED_TYPES, detected.mime)) return detected.mime as AcceptedType;
  throw unsupportedFileType(detected?.mime ?? null);
}

export interface InspectedContent {
  sha256: string;
  size: number;
  contentType: AcceptedType;
}

/**
 * Lets an upload through to storage while hashing, counting and identifying it. The first bytes are
 * held back until the type is known, so content of a refused type never reaches storage; a byte
 * beyond `maxBytes` fails the stream, so storage never commits an oversized file. Either failure
 * is the AppError the client gets.
 */
export class UploadInspector extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;
  private head: Buffer[] = [];
  private headSize = 0;
  private contentType?: AcceptedType;
  private digest?: string;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(fileTooLarge(this.maxBytes));
    this.hash.update(chunk);
    if (this.contentType) return done(null, chunk);
    this.head.push(chunk);
    this.headSize += chunk.length;
    if (this.headSize < SNIFF_BYTES) return done();
    this.identify().then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    if (this.contentType) return done();
    this.identify().then(() => done(), done);
  }

  /** What passed through; only once the stream has ended. */
  result(): InspectedContent {
    if (!this.contentType || !this.writableFinished) throw new Error('UploadInspector.result() before the content was read');
    this.digest ??= this.hash.digest('hex');
    return { sha256: this.digest, size: this.size, contentType: this.contentType };
  }

  private async identify(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.contentType = await detectAcceptedType(head);
    this.head = [];
    this.push(head);
  }
}

/** Stored content differs from what was recorded at upload. */
export class ContentMismatchError extends Error {
  constructor(
    readonly reason: 'size' | 'sha256',
    readonly expected: string | number,
    readonly actual: string | number,
  ) {
    super(`stored content ${reason} mismatch: expected ${expected}, found ${actual}`);
    this.name = 'ContentMismatchError';
  }
}

/**
 * Lets stored content through while checking it against its recorded size and sha256. The last
 * chunk is held back until the whole has been hashed, so content that differs fails the stream
 * before its end is delivered: a reader never receives a damaged file as if it were complete.
 */
export class ContentVerifier extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;
  private held?: Buffer;

  constructor(private readonly expected: { sha256: string; size: number }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.expected.size) return done(new ContentMismatchError('size', this.expected.size, `more than ${this.expected.size}`));
    this.hash.update(chunk);
    const previous = this.held;
    this.held = chunk;
    done(null, previous);
  }

  override _flush(done: TransformCallback): void {
    if (this.size !== this.expected.size) return done(new ContentMismatchError('size', this.expected.size, this.size));
    const actual = this.hash.digest('hex');
    if (actual !== this.expected.sha256) return done(new ContentMismatchError('sha256', this.expected.sha256, actual));
    done(null, this.held);
  }
}
