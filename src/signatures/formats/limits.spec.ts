import { describe, expect, it } from '@jest/globals';
import { onePagePdf } from '../testing/sample-pdf.js';
import { checkPdfStreams, LimitExceeded } from './limits.js';
import { verifyPdf } from './pdf.js';
import { DEFAULT_VERIFICATION_LIMITS, type VerificationContext, type VerificationLimits } from '../report.js';
import { deflatedZeros, manyReferencesXml, pdfBomb } from '../testing/hostile-files.js';
import { verifyXml } from './xml.js';

const NOW = new Date('2026-01-05T03:00:00Z');
const ctx = (limits: Partial<VerificationLimits> = {}): VerificationContext => ({
  trustAnchors: [],
  validationTime: NOW,
  proofOfExistence: null,
  crls: { fetch: () => Promise.reject(new Error('no network in this test')) },
  limits: { ...DEFAULT_VERIFICATION_LIMITS, ...limits },
});
const MB = 1024 * 1024;

/** `revisions` revisions: a one-page PDF and empty incremental updates chained by /Prev. */
function manyRevisions(revisions: number): Buffer {
  let pdf = onePagePdf('BT ET').toString('latin1');
  let prev = Number(/startxref\s+(\d+)/.exec(pdf)![1]);
  for (let i = 1; i < revisions; i++) {
    const at = pdf.length;
    pdf += `xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`;
    prev = at;
  }
  return Buffer.from(pdf, 'latin1');
}

describe('verification caps', () => {
  it('refuses an XML signature with 2,000 references at once, naming the limit', async () => {
    // Refused before any reference is digested; how fast that is on this machine is bench:hostile's to say.
    const report = await verifyXml(manyReferencesXml(2000), ctx());
    expect(report).toMatchObject({
      format: 'XML',
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      signatures: [],
      limit: { kind: 'XML_REFERENCES', max: 64 },
    });
    expect(report.messages[0]).toMatch(/vượt giới hạn .* \/ The file exceeds the limit on references of one XML signature \(at most 64\)/);
  });

  it('verifies references up to the cap (here lifted) instead of refusing them', async () => {
    const report = await verifyXml(manyReferencesXml(200), ctx({ maxXmlReferences: 500 }));
    expect(report.limit).toBeUndefined();
    expect(report.signatures).toHaveLength(1);
  });

  it('refuses more XML signatures than the cap', async () => {
    const report = await verifyXml(manyReferencesXml(2, 6), ctx({ maxSignatures: 5 }));
    expect(report.limit).toEqual({ kind: 'SIGNATURES', max: 5 });
  });

  it('stops inflating a PDF bomb at the cap, without holding its output', async () => {
    const bomb = await pdfBomb(200 * MB);
    expect(bomb.length).toBeLessThan(1 * MB);
    const before = process.memoryUsage().rss;
    // Stopped at the cap (the limit names it) and its output is not held (rss); speed is bench:hostile's.
    const report = await verifyPdf(bomb, ctx({ maxInflatedBytes: 16 * MB }));
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
    expect(report).toMatchObject({
      format: 'PDF',
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      limit: { kind: 'INFLATED_BYTES', max: 16 * MB },
    });
  });

  it('reads a PDF whose object streams stay under the caps', async () => {
    const report = await verifyPdf(await pdfBomb(1 * MB, 2), ctx({ maxInflatedBytes: 4 * MB }));
    expect(report.limit).toBeUndefined();
  });

  it('counts the inflated bytes across streams, and the object streams themselves', async () => {
    await expect(checkPdfStreams(await pdfBomb(6 * MB, 3), { ...DEFAULT_VERIFICATION_LIMITS, maxInflatedBytes: 5 * MB })).rejects.toMatchObject({
      kind: 'INFLATED_BYTES',
    });
    const report = await verifyPdf(await pdfBomb(1 * MB, 4), ctx({ maxPdfObjectStreams: 3 }));
    expect(report.limit).toEqual({ kind: 'PDF_OBJECT_STREAMS', max: 3 });
  });

  it('sees an object stream whose type is written with name escapes', async () => {
    const data = await deflatedZeros(2 * MB);
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n7 0 obj\n<< /Type /Obj#53tm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n'),
      data,
      Buffer.from('\nendstream\nendobj\n'),
    ]);
    await expect(checkPdfStreams(pdf, { ...DEFAULT_VERIFICATION_LIMITS, maxInflatedBytes: 1 * MB })).rejects.toBeInstanceOf(LimitExceeded);
  });

  it('refuses a PDF with more revisions than the cap', async () => {
    expect((await verifyPdf(manyRevisions(4), ctx({ maxPdfRevisions: 5 }))).limit).toBeUndefined();
    expect((await verifyPdf(manyRevisions(8), ctx({ maxPdfRevisions: 5 }))).limit).toEqual({ kind: 'PDF_REVISIONS', max: 5 });
  });
});
