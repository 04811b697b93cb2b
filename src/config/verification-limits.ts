/**
 * What verification refuses to go beyond, so no file can make it run for long or fill the memory.
 * A file over a cap gets a document-level report (see limitReport) instead of a verdict on its
 * signatures.
 */
export interface VerificationLimits {
  /** Signatures in one file (PDF signature dictionaries, XML ds:Signature elements). */
  maxSignatures: number;
  /** ds:Reference elements of one XML signature's SignedInfo. */
  maxXmlReferences: number;
  /** Revisions (incremental updates) of a PDF. */
  maxPdfRevisions: number;
  /** Object streams (/Type /ObjStm) of a PDF. */
  maxPdfObjectStreams: number;
  /** Bytes inflated while reading a PDF's structure (its object and cross-reference streams), in all. */
  maxInflatedBytes: number;
}

export const DEFAULT_VERIFICATION_LIMITS: VerificationLimits = {
  maxSignatures: 50,
  maxXmlReferences: 64,
  maxPdfRevisions: 100,
  maxPdfObjectStreams: 2000,
  maxInflatedBytes: 128 * 1024 * 1024,
};
