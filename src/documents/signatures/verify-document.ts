import { verifyPdf } from './pdf.js';
import type { DocumentReport, VerificationContext } from './report.js';
import { verifyXml } from './xml.js';

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
      return { indication: 'NO_SIGNATURE_FOUND', subIndication: null, messages: [], format: 'OTHER', signatures: [], validationTime: ctx.validationTime.toISOString() };
  }
}

/** An INDETERMINATE result worth another attempt later: some revocation data could not be had now. */
export function worthRetrying(report: DocumentReport): boolean {
  return report.signatures.some((s) => s.subIndication === 'TRY_LATER');
}
