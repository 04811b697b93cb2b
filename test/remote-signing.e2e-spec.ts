import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedCallbackHeaders } from '../src/signatures/signing/callback-signature.js';
import { startRemoteSigningTestServer, type RemoteSigningTestServer } from '../src/signatures/testing/remote-signing-test-server.js';
import { login, registerCitizen } from './support/auth.js';
import { act, approveWithResult, BIRTH, fileDossier, HAC_THANH, waitFor } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
import { certificatePem as pem } from '../src/signatures/trust/certificate-authority.js';
import { createTestPki, type SigningKey, type TestPki } from './support/pki.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO = 'Demo@2026';
const TOKEN = 'remote-signing-test-token';

describe('remote signing (ký số từ xa) of results', () => {
  let pki: TestPki;
  let remote: RemoteSigningTestServer;
  let closed = false;
  let t: TestApp;
  let citizen: Awaited<ReturnType<typeof registerCitizen>>;
  let leaderKey: SigningKey;
  const tok: Record<string, string> = {};
  // Stands where motcua's PUBLIC_BASE_URL points: records the callbacks the remote service makes.
  const callbacks: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const inbox = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      callbacks.push({ headers: req.headers, body });
      res.writeHead(202).end();
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => inbox.listen(0, '127.0.0.1', resolve));
    pki = await createTestPki();
    leaderKey = await pki.issue({ commonName: 'Lê Thị Lãnh Đạo', cccd: '038085000123' });
    // Requests lapse after 3 s unless the signer answers.
    remote = await startRemoteSigningTestServer({ token: TOKEN, ttlMs: 3000, keyOf: (u) => (u === 'lanhdao.hacthanh' ? leaderKey : undefined) });
    const trustDir = mkdtempSync(path.join(tmpdir(), 'motcua-trust-'));
    writeFileSync(path.join(trustDir, 'root.pem'), pem(pki.root));
    t = await createTestApp({
      env: {
        SEED_DEMO: 'true',
        OUTBOX_POLL_MS: '50',
        SIGNATURE_TRUST_DIR: trustDir,
        SIGNING_KEYS_DIR: mkdtempSync(path.join(tmpdir(), 'motcua-keys-')),
        SIGNING_PROVIDER: 'remote',
        REMOTE_SIGNING_URL: remote.url,
        REMOTE_SIGNING_TOKEN: TOKEN,
        SIGNING_POLL_MS: '200',
        PUBLIC_BASE_URL: `http://127.0.0.1:${(inbox.address() as AddressInfo).port}`,
      },
    });
    citizen = await registerCitizen(t);
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh']) tok[name] = await login(t, name, DEMO);
  });
  afterAll(async () => {
    await t?.close();
    inbox.closeAllConnections();
    inbox.close();
    if (!closed) await remote?.close();
    await pki?.close();
  });

  const tokens = () => ({ reception: tok['tiepnhan.hacthanh'], specialist: tok['chuyenvien.hacthanh'], leader: tok['lanhdao.hacthanh'] });
  const detail = async (id: string) =>
    (await t.http().get(`/api/v1/dossiers/${id}`).set('Authorization', `Bearer ${tok['lanhdao.hacthanh']}`).expect(200)).body;
  const signingState = (id: string, status: string) =>
    waitFor(async () => {
      const d = await detail(id);
      return d.result?.signature?.status === status && (status !== 'SIGNED' || d.result.signature.indication) ? d : null;
    }, `signing ${status}`);
  const requestFor = (dossierId: string) =>
    waitFor(
      async () =>
        remote
          .requests()
          .filter((r) => r.reference === dossierId && r.status === 'PENDING')
          .at(-1),
      'the request at the remote service',
    );

  const callback = (headers: Record<string, string>, raw: string) =>
    t.http().post('/api/v1/signing/callbacks').set('Content-Type', 'application/json').set(headers).send(raw);

  async function approved(): Promise<string> {
    const d = await fileDossier(t, citizen, { procedureCode: BIRTH, agencyCode: HAC_THANH });
    await approveWithResult(t, tokens(), d.id, await uploadPdf(t, { token: tok['lanhdao.hacthanh'] }, 'giay-khai-sinh'));
    return d.id;
  }

  it('waits for the signer, then has the signed result verified and lets it be returned', async () => {
    const id = await approved();
    const request = await requestFor(id);
    expect(request.signer).toBe('lanhdao.hacthanh');
    const pending = await signingState(id, 'PENDING_SIGNATURE');
    expect(pending.result.signature).toMatchObject({ provider: 'remote', signedFileId: null, expiresAt: expect.any(String) });
    expect((await act(t, tok['tiepnhan.hacthanh'], id, 'return', { method: 'ONLINE', originalsChecked: true })).body.code).toBe('RESULT_NOT_SIGNED');

    await remote.confirm(request.id); // the leader confirms on their phone; the service calls back
    const signed = await signingState(id, 'SIGNED');
    expect(signed.result.signature).toMatchObject({ indication: 'TOTAL_PASSED', signer: 'Lê Thị Lãnh Đạo' });
    expect(signed.result.fileId).toBe(signed.result.signature.signedFileId);
    expect((await act(t, tok['tiepnhan.hacthanh'], id, 'return', { method: 'ONLINE', originalsChecked: true })).status).toBe(200);
  });

  it('records a refusal by the signer, lets the leader ask again, and lets an unanswered request lapse', async () => {
    const id = await approved();
    await remote.reject((await requestFor(id)).id, 'Nội dung chưa đúng');
    const rejected = await signingState(id, 'REJECTED');
    expect(rejected.result.signature.message).toBe('Nội dung chưa đúng');
    expect(rejected.allowedActions).toContainEqual({ action: 'request-signature', allowed: true });

    expect((await act(t, tok['lanhdao.hacthanh'], id, 'request-signature')).status).toBe(200);
    await requestFor(id); // a second request went out; nobody answers it
    const lapsed = await signingState(id, 'EXPIRED');
    expect(lapsed.allowedActions).toContainEqual({ action: 'request-signature', allowed: true });
    const types = (await t.http().get(`/api/v1/dossiers/${id}/events`).set('Authorization', `Bearer ${tok['lanhdao.hacthanh']}`).expect(200)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(types.slice(-4)).toEqual(['APPROVE', 'RESULT_SIGNING_REJECTED', 'REQUEST_SIGNATURE', 'RESULT_SIGNING_EXPIRED']);
  });

  it("receives the stand-in service's own signed callback once, and refuses it replayed", async () => {
    const id = await approved();
    const request = await requestFor(id);
    callbacks.length = 0;
    await remote.confirm(request.id);
    const sent = await waitFor(async () => callbacks.find((c) => c.body.includes(request.id)), 'the callback');
    const headers = { 'x-motcua-timestamp': String(sent.headers['x-motcua-timestamp']), 'x-motcua-signature': String(sent.headers['x-motcua-signature']) };
    expect((await callback(headers, sent.body)).status).toBe(202);
    expect((await callback(headers, sent.body)).body.code).toBe('CALLBACK_REPLAYED');
    await signingState(id, 'SIGNED');
  });

  it('keeps polling while the remote service is unreachable, and lets the request lapse (never stuck pending)', async () => {
    const id = await approved();
    await requestFor(id);
    await remote.close(); // the service goes away with the request
    closed = true;
    const lapsed = await signingState(id, 'EXPIRED');
    expect(lapsed.allowedActions).toContainEqual({ action: 'request-signature', allowed: true });
  });

  it('accepts a callback only when signed with the token, recent, and the first time; even then it is only a hint', async () => {
    const body = JSON.stringify({ requestId: 'no-such-request' });
    expect((await callback({}, body).expect(401)).body.code).toBe('CALLBACK_UNSIGNED');
    expect((await callback(signedCallbackHeaders('another-token-0123456789', body), body).expect(401)).body.code).toBe('CALLBACK_SIGNATURE_INVALID');
    expect((await callback(signedCallbackHeaders(TOKEN, body), JSON.stringify({ requestId: 'altered' })).expect(401)).body.code).toBe(
      'CALLBACK_SIGNATURE_INVALID',
    );
    expect((await callback(signedCallbackHeaders(TOKEN, body, new Date(Date.now() - 6 * 60_000)), body).expect(401)).body.code).toBe('CALLBACK_STALE');
    expect((await callback(signedCallbackHeaders(TOKEN, body, new Date(Date.now() + 6 * 60_000)), body).expect(401)).body.code).toBe('CALLBACK_STALE');
    const fresh = signedCallbackHeaders(TOKEN, body);
    expect((await callback(fresh, body).expect(202)).body).toEqual({ polling: false });
    const replayed = await callback(fresh, body).expect(409);
    expect(replayed.body).toMatchObject({ statusCode: 409, code: 'CALLBACK_REPLAYED', requestId: expect.any(String) });
    expect((await callback(signedCallbackHeaders(TOKEN, '{}'), '{}').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});
