import { CrlUnavailable, type CrlSource } from '../report.js';
import type { ChildMessage, ParentMessage } from './verify-pool.js';
import { verifyDocument } from './verify-document.js';

/**
 * The entry of a verification child process (forked by VerifyPool): verifies one file at a time
 * as the parent sends them, with no network and no database of its own. CRLs are asked of the
 * parent over IPC, so the network policy (cache, address checks) stays there.
 */

const send = (message: ChildMessage) => process.send!(message);

let nextCrlRequest = 0;
const pendingCrls = new Map<number, { resolve: (der: Uint8Array) => void; reject: (e: Error) => void }>();
/**
 * The last CRL per URL: handing back the very same array for the same bytes lets the verifier's
 * cache of parsed CRLs (keyed by the array) serve every file of this child.
 */
const lastCrl = new Map<string, Uint8Array>();

const crls: CrlSource = {
  fetch(url, at) {
    const requestId = ++nextCrlRequest;
    return new Promise<Uint8Array>((resolve, reject) => {
      pendingCrls.set(requestId, { resolve, reject });
      send({ type: 'crl', requestId, url, at: at.toISOString() });
    }).then((der) => {
      const last = lastCrl.get(url);
      if (last && Buffer.from(last).equals(Buffer.from(der))) return last;
      lastCrl.set(url, der);
      return der;
    });
  },
};

process.on('message', (message: ParentMessage) => {
  if (message.type === 'crl-result') {
    const pending = pendingCrls.get(message.requestId);
    pendingCrls.delete(message.requestId);
    if (!pending) return;
    if (message.der) pending.resolve(message.der);
    else pending.reject(new CrlUnavailable(message.url, message.reason ?? 'unavailable'));
    return;
  }
  const { jobId, bytes, contentType, ctx } = message;
  verifyDocument(bytes, contentType, {
    trustAnchors: ctx.trustAnchors,
    validationTime: new Date(ctx.validationTime),
    proofOfExistence: ctx.proofOfExistence ? new Date(ctx.proofOfExistence) : null,
    limits: ctx.limits,
    crls,
  }).then(
    (report) => send({ type: 'done', jobId, report }),
    (e: unknown) => send({ type: 'failed', jobId, message: e instanceof Error ? e.message : String(e) }),
  );
});

// The parent gone, nothing is left to do.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
