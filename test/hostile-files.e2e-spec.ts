import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { manyReferencesXml, pdfBomb } from '../src/signatures/testing/hostile-files.js';
import { certificatePem } from '../src/signatures/trust/certificate-authority.js';
import { signPdf } from '../src/signatures/signing/pdf-signer.js';
import { onePagePdf } from '../src/signatures/testing/sample-pdf.js';
import { asAdmin, registerCitizen } from './support/auth.js';
import { waitFor } from './support/dossiers.js';
import { pdfBytes } from './support/files.js';
import { createTestPki, type TestPki } from './support/pki.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const MB = 1024 * 1024;

function upload(t: TestApp, token: string, content: Buffer, filename: string, contentType: string) {
  return t.http().post('/api/v1/files').set('Authorization', `Bearer ${token}`).attach('file', content, { filename, contentType });
}

const reportOf = (t: TestApp, token: string, fileId: string) =>
  waitFor(
    async () => {
      const r = (await t.http().get(`/api/v1/files/${fileId}/signatures`).set('Authorization', `Bearer ${token}`).expect(200)).body;
      return r.state === 'VERIFIED' ? r : null;
    },
    `verification of ${fileId}`,
    60_000,
  );

/** /health/live's answer times (ms), sampled one after another until `done` settles. */
async function healthWhile(t: TestApp, done: Promise<unknown>): Promise<number[]> {
  let settled = false;
  void done.finally(() => (settled = true)).catch(() => undefined);
  const times: number[] = [];
  while (!settled) {
    const started = performance.now();
    await t.http().get('/health/live').expect(200);
    times.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}

describe('hostile files', () => {
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await pdfBomb(200 * MB); // about 200 KB on the wire
  });

  describe('with the default caps', () => {
    let t: TestApp;
    let citizen: { token: string };
    beforeAll(async () => {
      t = await createTestApp({ env: { OUTBOX_POLL_MS: '50', SIGNATURE_RETRY_DELAY_MS: '200' } });
      citizen = await registerCitizen(t);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('refuses the 2,000-reference XML and the PDF bomb with final reports naming the limit', async () => {
      const xml = (await upload(t, citizen.token, manyReferencesXml(2000), 'to-khai.xml', 'application/xml').expect(201)).body.id;
      const pdf = (await upload(t, citizen.token, bomb, 'bom.pdf', 'application/pdf').expect(201)).body.id;
      const [x, p] = await Promise.all([reportOf(t, citizen.token, xml), reportOf(t, citizen.token, pdf)]);
      expect(x).toMatchObject({
        indication: 'TOTAL_FAILED',
        subIndication: 'FORMAT_FAILURE',
        retrying: false,
        attempts: 1,
        report: { format: 'XML', limit: { kind: 'XML_REFERENCES', max: 64 }, signatures: [] },
      });
      expect(x.report.messages[0]).toMatch(/references of one XML signature \(at most 64\)/);
      expect(p).toMatchObject({
        indication: 'TOTAL_FAILED',
        subIndication: 'FORMAT_FAILURE',
        retrying: false,
        attempts: 1,
        report: { format: 'PDF', limit: { kind: 'INFLATED_BYTES' } },
      });
    });
  });

  describe('with the caps lifted, so only the time limit stops them', () => {
    let t: TestApp;
    let citizen: { token: string };
    beforeAll(async () => {
      t = await createTestApp({
        env: {
          OUTBOX_POLL_MS: '50',
          SIGNATURE_RETRY_DELAY_MS: '200',
          VERIFY_MAX_XML_REFERENCES: '10000',
          VERIFY_MAX_INFLATED_BYTES: String(4096 * MB),
          VERIFY_TIMEOUT_MS: '1500',
          VERIFY_WORKERS: '2',
        },
      });
      citizen = await registerCitizen(t);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('stops both files at the time limit, once each, while /health/live keeps answering', async () => {
      // In-process, 8,000 references would hold xml-crypto (and the event loop) for well over 10 s on
      // this machine (4,000 take about 4 s, and it grows faster than linearly); inflating 400 MB in
      // pdf-lib takes about 6 s, or runs into the memory limit first.
      const xml = (await upload(t, citizen.token, manyReferencesXml(8000), 'to-khai.xml', 'application/xml').expect(201)).body.id;
      const pdf = (await upload(t, citizen.token, await pdfBomb(400 * MB), 'bom.pdf', 'application/pdf').expect(201)).body.id;
      const both = Promise.all([reportOf(t, citizen.token, xml), reportOf(t, citizen.token, pdf)]);
      const health = await healthWhile(t, both);
      const [x, p] = await both;
      expect(x).toMatchObject({
        indication: 'INDETERMINATE',
        subIndication: null,
        retrying: false,
        attempts: 1,
        report: { signatures: [], limit: { kind: 'TIMEOUT', max: 1500 } },
      });
      // Which limit stops the bomb first depends on the machine's speed: either way it is stopped, for good.
      expect(p).toMatchObject({ indication: 'INDETERMINATE', subIndication: null, retrying: false, attempts: 1, report: { signatures: [] } });
      expect(['TIMEOUT', 'MEMORY']).toContain(p.report.limit.kind);
      expect(x.report.messages[0]).toMatch(/went over its time limit \(1500 ms\) and was stopped/);
      // The event loop was free all along (in-process, the XML alone blocked it for seconds). The
      // bound here only tells "never blocked" from "blocked for seconds" on a loaded CI machine; the
      // 100 ms target is measured by npm run bench:hostile (docs/BENCHMARKS.md).
      expect(health.length).toBeGreaterThan(5);
      expect(Math.max(...health)).toBeLessThan(5000);
      // Final: the job completed, nothing runs it again.
      await new Promise((r) => setTimeout(r, 1500));
      const again = (await t.http().get(`/api/v1/files/${xml}/signatures`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body;
      expect(again).toMatchObject({ attempts: 1, verifiedAt: x.verifiedAt });
    });
  });

  describe('CRL fetches from a production-like configuration', () => {
    let t: TestApp;
    let pki: TestPki;
    let citizen: { token: string; idNumber: string };
    beforeAll(async () => {
      pki = await createTestPki({ label: 'SSRF' }); // its CRLs are served on 127.0.0.1
      const trustDir = mkdtempSync(path.join(tmpdir(), 'motcua-trust-'));
      writeFileSync(path.join(trustDir, 'root.pem'), certificatePem(pki.root));
      t = await createTestApp({
        env: { OUTBOX_POLL_MS: '50', SIGNATURE_TRUST_DIR: trustDir, SIGNATURE_VERIFY_ATTEMPTS: '1', CRL_ALLOW_PRIVATE_NETWORKS: 'false' },
      });
      citizen = await registerCitizen(t);
    });
    afterAll(async () => {
      await t?.close();
      await pki?.close();
    });

    it('never fetches a CRL from a loopback address a certificate names, and says only that it is not allowed', async () => {
      const key = await pki.issue({ commonName: 'Nguyễn Văn An', cccd: citizen.idNumber });
      const before = pki.crlRequests();
      const signed = await signPdf(pdfBytes('ssrf'), key, { signingTime: new Date(), reason: 'Ký đơn' });
      const fileId = (await upload(t, citizen.token, signed, 'don.pdf', 'application/pdf').expect(201)).body.id;
      const r = await reportOf(t, citizen.token, fileId);
      expect(r.report.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
      const text = r.report.signatures[0].messages.join(' ');
      expect(text).toContain('unavailable: destination not allowed');
      expect(text).not.toMatch(/ECONNREFUSED|EHOSTUNREACH|socket|connect/);
      expect(pki.crlRequests()).toBe(before);
    });
  });

  describe('upload quotas and re-verification limit', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { OUTBOX_POLL_MS: '50', UPLOAD_QUOTA_FILES_PER_DAY: '3', UPLOAD_QUOTA_BYTES_PER_DAY: '4000', REVERIFY_PER_HOUR: '2' } });
    });
    afterAll(async () => {
      await t?.close();
    });
    const filesOf = async (ownerId: string) => (await t.db.query(`SELECT count(*)::int AS n FROM stored_files WHERE owner_id = $1`, [ownerId])).rows[0].n;

    it('refuses a citizen’s fourth file of the day with 429 UPLOAD_QUOTA_EXCEEDED and Retry-After, storing nothing', async () => {
      const citizen = await registerCitizen(t);
      for (let i = 0; i < 3; i++) await upload(t, citizen.token, pdfBytes(`q${i}`), 'giay-to.pdf', 'application/pdf').expect(201);
      const refused = await upload(t, citizen.token, pdfBytes('q4'), 'giay-to.pdf', 'application/pdf').expect(429);
      expect(refused.body).toMatchObject({ code: 'UPLOAD_QUOTA_EXCEEDED', details: [{ field: 'file', quota: 'FILES_PER_DAY', limit: 3, used: 3 }] });
      expect(refused.body.message).toMatch(/hạn mức tải lên .* \/ Upload quota exceeded \(3 files per 24 hours\)/);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(86_000);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
      expect(await filesOf(citizen.id)).toBe(3);
    });

    it('refuses the upload that would pass the byte quota, once its size is known, and keeps nothing of it', async () => {
      const citizen = await registerCitizen(t);
      const big = onePagePdf(`BT /F1 9 Tf 40 800 Td (${'x'.repeat(2600)}) Tj ET`);
      expect(big.length).toBeGreaterThan(2500);
      await upload(t, citizen.token, big, 'to-khai.pdf', 'application/pdf').expect(201);
      const refused = await upload(t, citizen.token, big, 'to-khai.pdf', 'application/pdf').expect(429);
      expect(refused.body).toMatchObject({ code: 'UPLOAD_QUOTA_EXCEEDED', details: [{ quota: 'BYTES_PER_DAY', limit: 4000 }] });
      expect(await filesOf(citizen.id)).toBe(1);
      // A small file still fits.
      await upload(t, citizen.token, pdfBytes('nho'), 'giay-to.pdf', 'application/pdf').expect(201);
    });

    it('sets no quota for staff', async () => {
      const admin = await asAdmin(t);
      for (let i = 0; i < 5; i++) {
        await t
          .http()
          .post('/api/v1/files')
          .set(admin)
          .attach('file', pdfBytes(`admin${i}`), { filename: 'a.pdf', contentType: 'application/pdf' })
          .expect(201);
      }
    });

    it('limits re-verifications per account with 429 TOO_MANY_VERIFICATIONS', async () => {
      const citizen = await registerCitizen(t);
      const fileId = (await upload(t, citizen.token, pdfBytes('lai'), 'giay-to.pdf', 'application/pdf').expect(201)).body.id;
      const again = () => t.http().post(`/api/v1/files/${fileId}/signatures/verify`).set('Authorization', `Bearer ${citizen.token}`);
      await again().expect(202);
      await again().expect(202);
      const refused = await again().expect(429);
      expect(refused.body).toMatchObject({ code: 'TOO_MANY_VERIFICATIONS', details: { limitPerHour: 2 } });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
      // The budget is the account's, not the file's: another file of the same account is refused too,
      // while another account has its own.
      const second = (await upload(t, citizen.token, pdfBytes('lai-2'), 'giay-to.pdf', 'application/pdf').expect(201)).body.id;
      await t.http().post(`/api/v1/files/${second}/signatures/verify`).set('Authorization', `Bearer ${citizen.token}`).expect(429);
      const other = await registerCitizen(t);
      const theirs = (await upload(t, other.token, pdfBytes('lai-3'), 'giay-to.pdf', 'application/pdf').expect(201)).body.id;
      await t.http().post(`/api/v1/files/${theirs}/signatures/verify`).set('Authorization', `Bearer ${other.token}`).expect(202);
    });
  });
});
