import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPkcs12 } from '../src/signatures/signing/cms-signer.js';
import { startRemoteSigningTestServer } from '../src/signatures/testing/remote-signing-test-server.js';

/**
 * `npm run remote-signer:dev`: a remote-signing service (ký số từ xa) for trying the remote flow
 * locally. It signs with the PKCS#12 keys of SIGNING_KEYS_DIR (default .data/signing-keys, where
 * the demo puts its leaders' keys) and plays the signer's phone: each request is confirmed after
 * REMOTE_SIGNER_CONFIRM_MS (default 5000), unless you confirm or reject it first:
 *   curl -X POST http://127.0.0.1:4010/sign-requests/<id>/confirm
 *   curl -X POST http://127.0.0.1:4010/sign-requests/<id>/reject -d '{"message":"Sai nội dung"}' -H 'content-type: application/json'
 * Then start motcua with SIGNING_PROVIDER=remote REMOTE_SIGNING_URL=http://127.0.0.1:4010.
 */
const keysDir = path.resolve(process.env.SIGNING_KEYS_DIR ?? '.data/signing-keys');
const password = process.env.SIGNING_KEYS_PASSWORD ?? '';
const port = Number(process.env.REMOTE_SIGNER_PORT ?? 4010);
const confirmMs = Number(process.env.REMOTE_SIGNER_CONFIRM_MS ?? 5000);

const server = await startRemoteSigningTestServer({
  port,
  token: process.env.REMOTE_SIGNING_TOKEN || undefined,
  autoConfirmMs: confirmMs,
  keyOf: async (username) => {
    if (!/^[a-z0-9._-]{3,64}$/.test(username)) return undefined;
    try {
      return loadPkcs12(await readFile(path.join(keysDir, `${username}.p12`)), password);
    } catch {
      return undefined;
    }
  },
});
process.stdout.write(`remote-signing test service at ${server.url} (keys from ${keysDir}; confirming each request after ${confirmMs} ms)\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
