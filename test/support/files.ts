import type { TestApp } from './test-app.js';

/** A minimal PDF: enough for content sniffing, distinct per call so hashes differ. */
export function pdfBytes(label = 'motcua'): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label} ${Math.random()}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);
}

/** Uploads a PDF with the given credentials and returns its file id. */
export async function uploadPdf(t: TestApp, auth: { token?: string; apiKey?: string }, label?: string): Promise<string> {
  const req = t.http().post('/api/v1/files');
  if (auth.token) req.set('Authorization', `Bearer ${auth.token}`);
  if (auth.apiKey) req.set('X-API-Key', auth.apiKey);
  const res = await req.attach('file', pdfBytes(label), { filename: 'giay-to.pdf', contentType: 'application/pdf' });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
