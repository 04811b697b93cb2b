import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { AppError } from '../common/errors.js';
import { ContentMismatchError, ContentVerifier, SNIFF_BYTES, UploadInspector } from './file-content.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10_000, 0x41)]);

/** Feeds `chunks` through `transform` and collects what comes out, and how it ended. */
async function run(transform: NodeJS.ReadWriteStream, chunks: Buffer[]): Promise<{ out: Buffer; error?: unknown }> {
  const received: Buffer[] = [];
  transform.on('data', (c: Buffer) => received.push(c));
  const ended = new Promise<unknown>((resolve) => {
    transform.on('end', () => resolve(undefined));
    transform.on('error', resolve);
  });
  Readable.from(chunks).pipe(transform as unknown as PassThrough);
  const error = await ended;
  return { out: Buffer.concat(received), error };
}

const chunked = (b: Buffer, size: number) => Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size));

describe('UploadInspector', () => {
  it('passes the content through unchanged and reports its hash, size and type', async () => {
    for (const size of [7, SNIFF_BYTES, 100_000]) {
      const inspector = new UploadInspector(1_000_000);
      const { out, error } = await run(inspector, chunked(PDF, size));
      expect(error).toBeUndefined();
      expect(Buffer.compare(out, PDF)).toBe(0);
      expect(inspector.result()).toEqual({ sha256: sha256(PDF), size: PDF.length, contentType: 'application/pdf' });
    }
  });

  it('refuses content of another type before letting a byte through', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(20_000)]);
    const { out, error } = await run(new UploadInspector(1_000_000), chunked(zip, 1000));
    expect(out.length).toBe(0);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 415, code: 'UNSUPPORTED_FILE_TYPE', details: [{ field: 'file', detected: 'application/zip' }] });
  });

  it('accepts XML by its declaration, in UTF-8 with or without a BOM and in UTF-16, and refuses XML without one', async () => {
    const form = '<?xml version="1.0" encoding="UTF-8"?>\n<ToKhai><HoTen>Nguyễn Thị Hoà</HoTen></ToKhai>\n';
    const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s.replace('UTF-8', 'UTF-16'), 'utf16le')]);
    for (const bytes of [Buffer.from(form), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(form)]), utf16(form)]) {
      const inspector = new UploadInspector(1_000_000);
      const { out, error } = await run(inspector, chunked(bytes, 16));
      expect(error).toBeUndefined();
      expect(Buffer.compare(out, bytes)).toBe(0);
      expect(inspector.result().contentType).toBe('application/xml');
    }
    const bare = await run(new UploadInspector(1_000_000), [Buffer.from('<ToKhai><HoTen>Nguyễn Thị Hoà</HoTen></ToKhai>')]);
    expect(bare.out.length).toBe(0);
    expect(bare.error).toMatchObject({ status: 415, code: 'UNSUPPORTED_FILE_TYPE', details: [{ field: 'file', detected: null }] });
  });

  it('refuses content beyond the limit, whatever the chunking', async () => {
    const { error } = await run(new UploadInspector(PDF.length - 1), chunked(PDF, 3000));
    expect(error).toMatchObject({ status: 413, code: 'FILE_TOO_LARGE', details: [{ limitBytes: PDF.length - 1 }] });
    const exact = await run(new UploadInspector(PDF.length), chunked(PDF, 3000));
    expect(exact.error).toBeUndefined();
  });
});

describe('ContentVerifier', () => {
  const expected = { sha256: sha256(PDF), size: PDF.length };

  it('passes content that matches', async () => {
    const { out, error } = await run(new ContentVerifier(expected), chunked(PDF, 4096));
    expect(error).toBeUndefined();
    expect(Buffer.compare(out, PDF)).toBe(0);
  });

  it('fails changed content before delivering its last chunk', async () => {
    const damaged = Buffer.from(PDF);
    damaged[20] ^= 1;
    const { out, error } = await run(new ContentVerifier(expected), chunked(damaged, 4096));
    expect(error).toBeInstanceOf(ContentMismatchError);
    expect((error as ContentMismatchError).reason).toBe('sha256');
    expect(out.length).toBeLessThan(PDF.length);
  });

  it('fails content that is shorter or longer than recorded', async () => {
    const short = await run(new ContentVerifier(expected), chunked(PDF.subarray(0, 5000), 4096));
    expect(short.error).toMatchObject({ reason: 'size' });
    const long = await run(new ContentVerifier(expected), chunked(Buffer.concat([PDF, Buffer.from('x')]), 4096));
    expect(long.error).toMatchObject({ reason: 'size' });
    expect(long.out.length).toBeLessThan(PDF.length);
  });
});
