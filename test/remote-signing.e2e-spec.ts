import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRemoteSigningTestServer, type RemoteSigningTestServer } from '../src/signing/testing/remote-signing-test-server.js';
import { login, registerCitizen } from './support/auth.js';
import { act, approveWithResult, BIRTH, fileDossier, HAC_THANH, waitFor } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
import { certificatePem as pem } from '../src/signing/certificate-authority.js';
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

  beforeAll(async () => {
    pki = await createTestPki();
    leaderKey = await pki.issue({ commonName: 'Lê Thị Lãnh Đạo', cccd: '038085000123' });
    // Requests lapse after 3 s unless the signer answers.
    remote = await startRemoteSigningTestServer({ token: TOKEN, ttlMs: 3000, keyOf: (u) => (u === 'lanhdao.hacthanh' ? leaderKey : undefined) });
    const trustDir = mkdtempSync(path.join(tmpdir(), 'motcua-trust-'));
    writeFileSync(path.join(trustDir, 'root.pem'), pem(pki.root));
    t = await createTestApp({
      env: {
        SEED_DEMO: 'true', OUTBOX_POLL_MS: '50', SIGNATURE_TRUST_DIR: trustDir, SIGNING_KEYS_DIR: mkdtempSync(path.join(tmpdir(), 'motcua-keys-')),
        SIGNING_PROVIDER: 'remote', REMOTE_SIGNING_URL: remote.url, REMOTE_SIGNING_TOKEN: TOKEN, SIGNING_POLL_MS: '200',
      },
    });
    citizen = await registerCitizen(t);
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh']) tok[name] = await login(t, name, DEMO);
  });
  afterAll(async () => {
    await t?.close();
    if (!closed) await remote?.close();
    await pki?.close();
  });

  const tokens = () => ({ reception: tok['tiepnhan.hacthanh'], specialist: tok['chuyenvien.hacthanh'], leader: tok['lanhdao.hacthanh'] });
  const detail = async (id: string) => (await t.http().get(`/api/v1/dossiers/${id}`).set('Authorization', `Bearer ${tok['lanhdao.hacthanh']}`).expect(200)).body;
  const signingState = (id: string, status: string) =>
    waitFor(async () => {
      const d = await detail(id);
      return d.result?.signature?.status === status && (status !== 'SIGNED' || d.result.signature.indication) ? d : null;
    }, `signing ${status}`);
  const requestFor = (dossierId: string) =>
    waitFor(async () => remote.requests().filter((r) => r.reference === dossierId && r.status === 'PENDING').at(-1), 'the request at the remote service');

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
    const types = (await t.http().get(`/api/v1/dossiers/${id}/events`).set('Authorization', `Bearer ${tok['lanhdao.hacthanh']}`).expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types.slice(-4)).toEqual(['APPROVE', 'RESULT_SIGNING_REJECTED', 'REQUEST_SIGNATURE', 'RESULT_SIGNING_EXPIRED']);
  });

  it('keeps polling while the remote service is unreachable, and lets the request lapse (never stuck pending)', async () => {
    const id = await approved();
    await requestFor(id);
    await remote.close(); // the service goes away with the request
    closed = true;
    const lapsed = await signingState(id, 'EXPIRED');
    expect(lapsed.allowedActions).toContainEqual({ action: 'request-signature', allowed: true });
  });

  it('treats the callback as a hint only', async () => {
    const res = await t.http().post('/api/v1/signing/callbacks').send({ requestId: 'no-such-request' }).expect(202);
    expect(res.body).toEqual({ polling: false });
    expect((await t.http().post('/api/v1/signing/callbacks').send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});
