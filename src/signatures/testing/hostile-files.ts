// Test support: never imported by production code, only by specs, test/ and scripts/ (benchmarks,
// the remote-signer dev server); src/signatures/structure.spec.ts checks it.
import { createDeflate } from 'node:zlib';

/**
 * Files built to stall a verifier, for tests and `npm run bench:hostile`: the two of the issue's
 * reproductions (an XML signature with thousands of references, a PDF whose object stream
 * inflates to hundreds of megabytes) and variants of them.
 */

const DS = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * An XML document of `references` signed elements and one ds:Signature whose SignedInfo has a
 * Reference to each (the digests are made up, so it would fail, after hashing them all). The
 * issue's file had 2,000 (326 KB).
 */
export function manyReferencesXml(references: number, signatures = 1): Buffer {
  const items = Array.from({ length: references }, (_, i) => `<Muc Id="m${i}">Mục ${i} của tờ khai</Muc>`).join('\n');
  const refs = Array.from(
    { length: references },
    (_, i) =>
      `<ds:Reference URI="#m${i}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
      `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>${Buffer.alloc(32, i % 256).toString('base64')}</ds:DigestValue></ds:Reference>`,
  ).join('\n');
  const signature = (n: number) =>
    `<ds:Signature xmlns:ds="${DS}" Id="sig${n}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>${refs}</ds:SignedInfo>` +
    `<ds:SignatureValue>${Buffer.alloc(256, 7).toString('base64')}</ds:SignatureValue></ds:Signature>`;
  const sigs = Array.from({ length: signatures }, (_, n) => signature(n)).join('\n');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<ToKhai>\n${items}\n${sigs}\n</ToKhai>\n`, 'utf8');
}

/** `size` zero bytes deflated (zlib), fed in 1 MB chunks so the zeros are never held at once. */
export function deflatedZeros(size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const deflate = createDeflate({ level: 9 });
    const out: Buffer[] = [];
    deflate.on('data', (c: Buffer) => out.push(c));
    deflate.on('end', () => resolve(Buffer.concat(out)));
    deflate.on('error', reject);
    const chunk = Buffer.alloc(1024 * 1024);
    let left = size;
    const write = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!deflate.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void deflate.once('drain', write);
      }
      deflate.end();
    };
    write();
  });
}

/**
 * A well-formed PDF (catalog, empty page tree, exact cross-reference table) with `objectStreams`
 * object streams, each inflating to `inflatedBytes` / `objectStreams` zero bytes. The issue's was
 * 1 MB inflating to 1 GB.
 */
export async function pdfBomb(inflatedBytes: number, objectStreams = 1): Promise<Buffer> {
  const data = await deflatedZeros(Math.ceil(inflatedBytes / objectStreams));
  const parts: Buffer[] = [];
  let length = 0;
  const push = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
  };
  const offsets: number[] = [];
  push('%PDF-1.7\n');
  offsets.push(length);
  push('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  offsets.push(length);
  push('2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n');
  for (let i = 0; i < objectStreams; i++) {
    offsets.push(length);
    push(`${3 + i} 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`);
    push(data);
    push('\nendstream\nendobj\n');
  }
  const xref = length;
  push(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`);
  push(`trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts, length);
}
