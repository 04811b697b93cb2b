import { verifyPdf } from '../formats/pdf.js';
import type { DocumentReport, VerificationContext } from '../report.js';
import { verifyXml } from '../formats/xml.js';

/**
 * Verifies the signatures a stored file carries, by its type (judged from content at upload):
 * PDF (PAdES / PKCS#7) and XML (XML Signature). Other types carry none. Never throws for what the
 * file contains: a malformed file is a FORMAT_FAILURE in the report.
 */
export async function verifyDocument(bytes: Uint8Array, contentType: string, ctx: VerificationContext): Promise<DocumentReport> {
  switch (contentType) {
    case 'application/pdf':
      return verifyPdf(bytes, ctx);
    case 'application/xml':
      return verifyXml(bytes, ctx);
    default:
      return unsignedTypeReport(ctx.validationTime);
  }
}

/** The types that can carry an embedded signature; others are reported unsigned without reading them. */
export const SIGNABLE_TYPES: ReadonlySet<string> = new Set(['application/pdf', 'application/xml']);

/** The report of a file whose type carries no embedded signature (an image). */
export function unsignedTypeReport(at: Date): DocumentReport {
  return {
    indication: 'NO_SIGNATURE_FOUND',
    subIndication: null,
    messages: ['Loại tệp này không mang chữ ký số / This file type carries no embedded signature'],
    format: 'OTHER',
    signatures: [],
    validationTime: at.toISOString(),
  };
}

/** An INDETERMINATE result worth another attempt later: some revocation data could not be had now. */
export function worthRetrying(report: DocumentReport): boolean {
  return report.signatures.some((s) => s.subIndication === 'TRY_LATER');
}
