/**
 * The vocabulary of signature verification, shared by the PDF and XML verifiers, the worker that
 * runs them after an upload, and the API that shows their results. Indications and
 * sub-indications are those of ETSI EN 319 102-1 (table 5), so an integrator can compare them with
 * any standards-following verifier (e.g. the EU DSS).
 */
import type { VerificationLimits } from '../config/verification-limits.js';

export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** Of a whole document: the indications above, or that it carries no signature at all. */
export type DocumentIndication = Indication | 'NO_SIGNATURE_FOUND';

export type SubIndication =
  // TOTAL_FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  // INDETERMINATE
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED_NO_POE'
  | 'REVOKED_CA_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'TRY_LATER'
  | 'SIGNED_DATA_NOT_FOUND';

/** A certificate as the report shows it (evidence, signer, chain). */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** Hex, lower case, no separators. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER, hex: identifies the certificate unambiguously. */
  sha256: string;
}

export interface CrlInfo {
  issuer: string;
  /** Where it was fetched from (the certificate's CRL distribution point). */
  url: string;
  thisUpdate: string;
  nextUpdate: string | null;
  sha256: string;
}

/** Who signed, as read from the signing certificate's subject. */
export interface SignerInfo {
  /** The subject's common name (CN). */
  name: string | null;
  /** The full subject DN, RFC 4514 style. */
  subject: string;
  /** Citizen identity number (CCCD, 12 digits) found in the subject (UID, serialNumber, or "CCCD:" / "CMND:" prefixes). */
  cccd: string | null;
  /** Tax code (MST, 10 or 10-3 digits) found in the subject ("MST:" prefix, UID or OID 0.9.2342.19200300.100.1.1). */
  taxCode: string | null;
  email: string | null;
}

/** For a PDF signature: which revision of the file it covers and what changed after it. */
export interface PdfCoverage {
  /** 1-based revision (incremental update) the signature's byte range ends at. */
  revision: number;
  /** How many revisions the file has. */
  revisions: number;
  /** The byte range covers the whole file (nothing was appended after signing). */
  coversWholeDocument: boolean;
  /**
   * What the later revisions changed, judged against the certification (DocMDP) permissions or,
   * without a certification signature, the usual rule (signatures, form fill-in, annotations):
   * NONE (nothing after), ALLOWED, or NOT_ALLOWED (e.g. page content changed).
   */
  laterChanges: 'NONE' | 'ALLOWED' | 'NOT_ALLOWED';
  /** The signature is a certification (DocMDP) signature, with its permission level P (1, 2 or 3). */
  certification: { permission: 1 | 2 | 3 } | null;
  /** The signature field's name, and whether it has a visible appearance on a page. */
  fieldName: string | null;
  visible: boolean;
}

export interface SignatureResult {
  /** Position in the document, 0-based, in signing order. */
  index: number;
  /**
   * PAdES (CMS in a PDF: ETSI.CAdES.detached), PKCS7 (adbe.pkcs7.detached), DocTimeStamp (a PDF
   * document timestamp, ETSI.RFC3161: the "signer" is the time-stamping authority and the signing
   * time the time it certifies) or XMLDSig.
   */
  format: 'PAdES' | 'PKCS7' | 'DocTimeStamp' | 'XMLDSig';
  indication: Indication;
  subIndication: SubIndication | null;
  /** Why, in a sentence each: Vietnamese / English, as the rest of the API. */
  messages: string[];
  signer: SignerInfo | null;
  /** Signing certificate's issuer DN, serial (hex) and validity. */
  certificate: CertificateInfo | null;
  /** The signing time the signer claims (CMS signingTime / PDF /M / XAdES SigningTime), if any. */
  signingTime: string | null;
  /** e.g. { digest: 'SHA-256', signature: 'RSA', keyBits: 2048 } */
  algorithms: { digest: string | null; signature: string | null; keyBits: number | null };
  /** What the verdict rests on: the chain up to the trust anchor, and the CRLs consulted. */
  evidence: { chain: CertificateInfo[]; crls: CrlInfo[] };
  /** PDF signatures only. */
  pdf: PdfCoverage | null;
  /**
   * A signature timestamp (RFC 3161 token over the signature value, CAdES/PAdES B-T), when the
   * signature carries one: when, by which TSA, and whether the token holds. A token that holds is
   * a proof that the signature existed at that time (used for expiry and revocation).
   */
  timestamp?: { time: string; tsa: string | null; indication: Indication; subIndication: SubIndication | null } | null;
}

export interface DocumentReport {
  /**
   * NO_SIGNATURE_FOUND when there is none; otherwise the worst of the signatures' indications
   * (TOTAL_FAILED over INDETERMINATE over TOTAL_PASSED).
   */
  indication: DocumentIndication;
  /**
   * Set when the document as a whole could not be read: FORMAT_FAILURE for a garbage, truncated or
   * random-bytes file that claims to be a PDF or XML (indication TOTAL_FAILED, no signatures).
   * Otherwise null, and each signature carries its own.
   */
  subIndication: SubIndication | null;
  /** Document-level explanations (Vietnamese / English), e.g. why the file could not be read. */
  messages: string[];
  format: 'PDF' | 'XML' | 'OTHER';
  signatures: SignatureResult[];
  /** When the verification ran. */
  validationTime: string;
  /**
   * Set when verification stopped at one of the service's limits (see VerificationLimits and the
   * worker's memory and time limits): which, and its value. The messages say why in words.
   */
  limit?: { kind: LimitKind; max: number } | null;
}

// The caps live with the configuration that sets them (config/verification-limits.ts).
export { DEFAULT_VERIFICATION_LIMITS, type VerificationLimits } from '../config/verification-limits.js';

/** The caps above, and the worker's own limits (TIMEOUT: VERIFY_TIMEOUT_MS, MEMORY: VERIFY_MEMORY_MB). */
export type LimitKind = 'SIGNATURES' | 'XML_REFERENCES' | 'PDF_REVISIONS' | 'PDF_OBJECT_STREAMS' | 'INFLATED_BYTES' | 'TIMEOUT' | 'MEMORY';

/**
 * What a verification needs from outside. Everything time- or network-dependent comes in here, so
 * verification is repeatable in tests.
 */
export interface VerificationContext {
  /** Trusted roots (and any intermediate an admin chose to trust directly), DER. */
  trustAnchors: Uint8Array[];
  /** The time the verification is made at ("now"). */
  validationTime: Date;
  /**
   * Proof of existence the service itself holds: the time it first received the document. A
   * signature that existed before its certificate expired or was revoked still holds (ETSI past
   * signature validation); without it, such signatures are INDETERMINATE (…_NO_POE).
   */
  proofOfExistence: Date | null;
  /** Fetches CRLs by URL (cached; see CrlSource). */
  crls: CrlSource;
  /** The caps of this verification; DEFAULT_VERIFICATION_LIMITS when not given. */
  limits?: VerificationLimits;
}

/** Where CRLs come from: the URL named in a certificate's CRL distribution points. */
export interface CrlSource {
  /**
   * The DER of the CRL at `url`, current at `at` (refetched once its nextUpdate has passed). Rejects
   * with CrlUnavailable when it cannot be fetched; the verifier turns that into
   * INDETERMINATE/TRY_LATER.
   */
  fetch(url: string, at: Date): Promise<Uint8Array>;
}

export class CrlUnavailable extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`CRL ${url} unavailable: ${reason}`);
    this.name = 'CrlUnavailable';
  }
}

const SEVERITY: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

/** The document's indication from its signatures' (see DocumentReport.indication). */
export function documentIndication(signatures: Pick<SignatureResult, 'indication'>[]): DocumentIndication {
  if (signatures.length === 0) return 'NO_SIGNATURE_FOUND';
  return signatures.map((s) => s.indication).reduce((worst, i) => (SEVERITY[i] > SEVERITY[worst] ? i : worst));
}
