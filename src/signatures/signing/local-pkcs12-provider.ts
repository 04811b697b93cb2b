import type { SigningKey } from '../trust/signing-key.js';
import { loadPkcs12 } from './cms-signer.js';
import { signPdf } from './pdf-signer.js';

/**
 * Signs PDFs locally with a leader's key held in a PKCS#12 file (.p12/.pfx, as exported from a
 * Vietnamese CA token): every signature gets the visible block (signer, signing time in UTC+7,
 * reason) on the last page. The signer's name is the certificate's CN unless given.
 */
export class LocalPkcs12Signer {
  private readonly key: SigningKey;

  /** Throws AppError PKCS12_WRONG_PASSWORD / PKCS12_INVALID (400) when the file cannot be opened. */
  constructor(p12: Uint8Array, password: string) {
    this.key = loadPkcs12(p12, password);
  }

  /** The signer's certificate, DER. */
  get certificate(): Uint8Array {
    return this.key.certificate;
  }

  signPdf(pdf: Uint8Array, opts: { reason: string; signingTime: Date; signerName?: string; location?: string }): Promise<Buffer> {
    return signPdf(pdf, this.key, { ...opts, visible: {} });
  }
}
