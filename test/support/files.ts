import type { TestApp } from './test-app.js';

/**
 * A small but well-formed one-page PDF (catalog, page tree, content stream, exact xref), distinct
 * per call so hashes differ: real enough to be signed and verified.
 */
export function pdfBytes(label = 'motcua'): Buffer {
  const text = `${label} ${Math.random()}`.replace(/[()\\]/g, '');
  const content = `BT /F1 12 Tf 72 770 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
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
