import type { KeyObject } from 'node:crypto';

/** A private key with its certificate and the intermediates up to (not including) the root. */
export interface SigningKey {
  privateKey: KeyObject;
  /** The signer's certificate, DER. */
  certificate: Uint8Array;
  /** Intermediate certificates, DER, the leaf's issuer first. */
  chain: Uint8Array[];
}
