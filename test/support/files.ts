import { onePagePdf } from '../../src/signatures/testing/sample-pdf.js';
import type { TestApp } from './test-app.js';

/** A well-formed one-page PDF, distinct per call so hashes differ: real enough to be signed and verified. */
export function pdfBytes(label = 'motcua'): Buffer {
  const text = `${label} ${Math.random()}`.replace(/[()\\]/g, '');
  return onePagePdf(`BT /F1 12 Tf 72 770 Td (${text}) Tj ET`);
}

/** Uploads a PDF (by default a fresh `pdfBytes`) with the given credentials and returns its file id. */
export async function uploadPdf(t: TestApp, auth: { token?: string; apiKey?: string }, label?: string, content?: Buffer): Promise<string> {
  const req = t.http().post('/api/v1/files');
  if (auth.token) req.set('Authorization', `Bearer ${auth.token}`);
  if (auth.apiKey) req.set('X-API-Key', auth.apiKey);
  const res = await req.attach('file', content ?? pdfBytes(label), { filename: 'giay-to.pdf', contentType: 'application/pdf' });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** A supertest parser that keeps a binary body (a PDF) as a Buffer: `.buffer(true).parse(binaryBody)`. */
export function binaryBody(res: { on(event: string, listener: (chunk: Buffer) => void): unknown }, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
