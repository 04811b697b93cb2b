/** What a signing provider is asked to sign: a dossier's result PDF, by the approving leader. */
export interface SignRequest {
  /** The dossier id: the provider's reference for the request. */
  reference: string;
  dossierCode: string;
  signer: { userId: string; username: string; fullName: string };
  /** Shown in the signature ("Lý do"). */
  reason: string;
  pdf: Buffer;
  fileName: string;
  signingTime: Date;
}

export type SignStart = { status: 'SIGNED'; pdf: Buffer } | { status: 'PENDING'; requestId: string; expiresAt: Date };
export type SignPoll = { status: 'PENDING' } | { status: 'SIGNED'; pdf: Buffer } | { status: 'REJECTED'; message: string } | { status: 'EXPIRED' };

/**
 * Signs results. A local provider answers at once (SIGNED); a remote-signing service (ký số từ xa)
 * answers PENDING with its request id and is polled (or called back) until the signer confirmed
 * on their device, declined, or the request lapsed. Either way the signed PDF is verified by the
 * service's own verifier before anyone relies on it.
 */
export abstract class SigningProvider {
  abstract readonly name: 'local' | 'remote';
  abstract start(request: SignRequest): Promise<SignStart>;
  abstract poll(requestId: string): Promise<SignPoll>;
}

/** A provider that cannot sign this request (no key for the signer, refused by the service…): not worth retrying. */
export class SigningRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningRefused';
  }
}
