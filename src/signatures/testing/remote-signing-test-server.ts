// Test support: never imported by production code, only by specs, test/ and scripts/ (benchmarks,
// the remote-signer dev server); src/signatures/structure.spec.ts checks it.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SigningKey } from '../trust/signing-key.js';
import { signedCallbackHeaders } from '../signing/callback-signature.js';
import { signPdf } from '../signing/pdf-signer.js';

type Status = 'PENDING' | 'SIGNED' | 'REJECTED' | 'EXPIRED';

interface StoredRequest {
  id: string;
  reference: string;
  signer: { username: string; fullName: string };
  reason: string;
  pdf: Buffer;
  callbackUrl: string | null;
  status: Status;
  expiresAt: Date;
  signed?: Buffer;
  message?: string;
}

export interface RemoteSigningTestServer {
  url: string;
  /** The signer confirms on their phone: the document is signed with their key. */
  confirm(requestId: string): Promise<void>;
  /** The signer declines. */
  reject(requestId: string, message: string): Promise<void>;
  /** Requests received so far, newest last. */
  requests(): Array<{ id: string; reference: string; signer: string; status: Status }>;
  close(): Promise<void>;
}

export interface RemoteSigningTestServerOptions {
  /** The signer's key, by username (undefined: the service does not know the signer → 422). */
  keyOf: (username: string) => SigningKey | undefined | Promise<SigningKey | undefined>;
  /** Bearer token the client must send (none: anything goes); it also signs the callbacks. */
  token?: string;
  /** How long a request waits for the signer. */
  ttlMs?: number;
  /** Confirm every request by itself after this many ms (a demo without a phone). */
  autoConfirmMs?: number;
  port?: number;
}

/**
 * A remote-signing service (ký số từ xa) that runs locally, speaking the protocol of
 * RemoteSigningProvider (docs/SIGNING.md): it keeps requests in memory, lets a test (or a person,
 * through POST /sign-requests/{id}/confirm|reject) play the signer's phone, signs the PDF with the
 * signer's key when confirmed, and calls the service back. For tests and demonstrations only.
 */
export async function startRemoteSigningTestServer(options: RemoteSigningTestServerOptions): Promise<RemoteSigningTestServer> {
  const store = new Map<string, StoredRequest>();
  const ttl = options.ttlMs ?? 5 * 60_000;

  const current = (r: StoredRequest) => {
    if (r.status === 'PENDING' && Date.now() >= r.expiresAt.getTime()) r.status = 'EXPIRED';
    return r;
  };
  const callBack = (r: StoredRequest) => {
    if (!r.callbackUrl) return;
    const body = JSON.stringify({ requestId: r.id });
    // Signed with the shared token, as motcua requires (src/signatures/signing/callback-signature.ts).
    const signature = options.token ? signedCallbackHeaders(options.token, body) : {};
    void fetch(r.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...signature }, body, signal: AbortSignal.timeout(5000) }).catch(
      () => undefined,
    );
  };
  const confirm = async (id: string) => {
    const r = store.get(id);
    if (!r || current(r).status !== 'PENDING') throw new Error(`request ${id} is not pending`);
    const key = await options.keyOf(r.signer.username);
    if (!key) throw new Error(`no key for ${r.signer.username}`);
    r.signed = await signPdf(r.pdf, key, { signingTime: new Date(), reason: r.reason, signerName: r.signer.fullName, visible: {} });
    r.status = 'SIGNED';
    callBack(r);
  };
  const reject = async (id: string, message: string) => {
    const r = store.get(id);
    if (!r || current(r).status !== 'PENDING') throw new Error(`request ${id} is not pending`);
    r.status = 'REJECTED';
    r.message = message;
    callBack(r);
  };

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (options.token && req.headers.authorization !== `Bearer ${options.token}`) return send(401, { error: 'unauthorized' });
        const url = new URL(req.url ?? '/', 'http://localhost');
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        const m = /^\/sign-requests(?:\/([^/]+))?(?:\/(confirm|reject))?$/.exec(url.pathname);
        if (!m) return send(404, { error: 'not found' });
        const [, id, verb] = m;
        if (req.method === 'POST' && !id) {
          if (!body?.document?.base64 || !body?.signer?.username) return send(400, { error: 'document.base64 and signer.username are required' });
          if (!(await options.keyOf(body.signer.username))) return send(422, { error: `unknown signer ${body.signer.username}` });
          const r: StoredRequest = {
            id: randomUUID(),
            reference: String(body.reference ?? ''),
            signer: body.signer,
            reason: String(body.reason ?? ''),
            pdf: Buffer.from(body.document.base64, 'base64'),
            callbackUrl: body.callbackUrl ?? null,
            status: 'PENDING',
            expiresAt: new Date(Date.now() + ttl),
          };
          store.set(r.id, r);
          if (options.autoConfirmMs !== undefined) setTimeout(() => void confirm(r.id).catch(() => undefined), options.autoConfirmMs);
          return send(201, { requestId: r.id, expiresAt: r.expiresAt.toISOString() });
        }
        const r = id ? store.get(id) : undefined;
        if (!r) return send(404, { error: 'no such request' });
        if (req.method === 'GET' && !verb) {
          current(r);
          return send(200, {
            requestId: r.id,
            status: r.status,
            message: r.message ?? null,
            ...(r.signed ? { document: { base64: r.signed.toString('base64') } } : {}),
          });
        }
        if (req.method === 'POST' && verb === 'confirm') return confirm(r.id).then(() => send(200, { status: r.status }));
        if (req.method === 'POST' && verb === 'reject')
          return reject(r.id, String(body?.message ?? 'Người ký từ chối / declined')).then(() => send(200, { status: r.status }));
        return send(405, { error: 'method not allowed' });
      })().catch((e: Error) => send(409, { error: e.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    confirm,
    reject,
    requests: () => [...store.values()].map((r) => ({ id: r.id, reference: r.reference, signer: r.signer.username, status: current(r).status })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
