import { SigningProvider, SigningRefused, type SignPoll, type SignRequest, type SignStart } from './signing-provider.js';

const TIMEOUT_MS = 15_000;

/**
 * A remote-signing service (ký số từ xa): the signer's key stays with the service (e.g. a CA's
 * cloud HSM) and the signer confirms on their phone. The protocol motcua speaks is small and
 * documented in docs/SIGNING.md:
 *   POST {url}/sign-requests  {reference, signer, reason, callbackUrl, document:{fileName, contentType, base64}}
 *        → 201 {requestId, expiresAt}
 *   GET  {url}/sign-requests/{requestId} → {status: PENDING|SIGNED|REJECTED|EXPIRED, document?:{base64}, message?}
 * and the service may POST {requestId} to our callback to have the request polled at once.
 * An adapter for a given CA's API implements the same two calls.
 */
export class RemoteSigningProvider extends SigningProvider {
  readonly name = 'remote' as const;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly callbackUrl: string,
  ) {
    super();
  }

  async start(request: SignRequest): Promise<SignStart> {
    const res = await this.call('POST', '/sign-requests', {
      reference: request.reference,
      signer: { username: request.signer.username, fullName: request.signer.fullName },
      reason: request.reason,
      callbackUrl: this.callbackUrl,
      document: { fileName: request.fileName, contentType: 'application/pdf', base64: request.pdf.toString('base64') },
    });
    if (res.status === 400 || res.status === 404 || res.status === 422)
      throw new SigningRefused(`remote signing refused the request (${res.status}): ${await res.text()}`);
    if (res.status !== 201 && res.status !== 200) throw new Error(`remote signing answered ${res.status}`);
    const body = (await res.json()) as { requestId?: unknown; expiresAt?: unknown };
    if (typeof body.requestId !== 'string' || typeof body.expiresAt !== 'string' || Number.isNaN(Date.parse(body.expiresAt))) {
      throw new Error('remote signing answered without requestId/expiresAt');
    }
    return { status: 'PENDING', requestId: body.requestId, expiresAt: new Date(body.expiresAt) };
  }

  async poll(requestId: string): Promise<SignPoll> {
    const res = await this.call('GET', `/sign-requests/${encodeURIComponent(requestId)}`);
    if (res.status === 404) return { status: 'EXPIRED' };
    if (res.status !== 200) throw new Error(`remote signing answered ${res.status}`);
    const body = (await res.json()) as { status?: string; document?: { base64?: string }; message?: string };
    switch (body.status) {
      case 'PENDING':
        return { status: 'PENDING' };
      case 'SIGNED':
        if (typeof body.document?.base64 !== 'string') throw new Error('remote signing said SIGNED without a document');
        return { status: 'SIGNED', pdf: Buffer.from(body.document.base64, 'base64') };
      case 'REJECTED':
        return { status: 'REJECTED', message: String(body.message ?? 'rejected by the signer') };
      case 'EXPIRED':
        return { status: 'EXPIRED' };
      default:
        throw new Error(`remote signing answered an unknown status ${JSON.stringify(body.status)}`);
    }
  }

  private call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }
}
