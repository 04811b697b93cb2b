import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalPkcs12Signer } from './local-pkcs12-provider.js';
import { SigningProvider, SigningRefused, type SignPoll, type SignRequest, type SignStart } from './signing-provider.js';

const USERNAME = /^[a-z0-9._-]{3,64}$/;

/**
 * For agencies that sign on the server: each leader's PKCS#12 (`<username>.p12`) sits in
 * SIGNING_KEYS_DIR, protected by SIGNING_KEYS_PASSWORD; the result is signed at once with a visible
 * signature block. Keep that folder readable by the service's user only (or use remote signing).
 */
export class LocalSigningProvider extends SigningProvider {
  readonly name = 'local' as const;

  constructor(
    private readonly keysDir: string,
    private readonly password: string,
  ) {
    super();
  }

  async start(request: SignRequest): Promise<SignStart> {
    if (!USERNAME.test(request.signer.username)) throw new SigningRefused(`unusable signer name ${request.signer.username}`);
    const file = path.join(this.keysDir, `${request.signer.username}.p12`);
    let p12: Buffer;
    try {
      p12 = await readFile(file);
    } catch {
      throw new SigningRefused(
        `Không có khóa ký của ${request.signer.username} (${file}) / No signing key for ${request.signer.username}: put ${request.signer.username}.p12 in SIGNING_KEYS_DIR`,
      );
    }
    let signer: LocalPkcs12Signer;
    try {
      signer = new LocalPkcs12Signer(p12, this.password);
    } catch (e) {
      throw new SigningRefused(`Không mở được khóa ký / The signing key of ${request.signer.username} cannot be opened: ${(e as Error).message}`);
    }
    const pdf = await signer.signPdf(request.pdf, { reason: request.reason, signingTime: request.signingTime, signerName: request.signer.fullName });
    return { status: 'SIGNED', pdf };
  }

  async poll(): Promise<SignPoll> {
    throw new Error('local signing completes at once; there is nothing to poll');
  }
}
