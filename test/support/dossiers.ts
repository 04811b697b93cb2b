import { randomUUID } from 'node:crypto';
import { registerCitizen } from './auth.js';
import { uploadPdf } from './files.js';
import type { TestApp } from './test-app.js';

export const HAC_THANH = '000.00.20.H56'; // commune service centre of the demo data
export const BIRTH = '1.001193'; // birth registration, commune level

export interface Filed {
  id: string;
  code: string;
  version: number;
}

/**
 * Files a dossier as a citizen through the API, with a PDF (uploaded now, or `fileId`) attached to
 * every required component of the procedure; fails the test on anything but 201.
 */
export async function fileDossier(
  t: TestApp,
  citizen: { idNumber: string; token: string },
  opts: { procedureCode?: string; agencyCode?: string; applicant?: Record<string, unknown>; fileId?: string } = {},
): Promise<Filed> {
  const procedureCode = opts.procedureCode ?? BIRTH;
  const proc = (await t.http().get(`/api/v1/procedures/${procedureCode}`).expect(200)).body;
  const fileId = opts.fileId ?? (await uploadPdf(t, { token: citizen.token }));
  const attachments = proc.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => ({ componentCode: c.code, fileId }));
  const res = await t
    .http()
    .post('/api/v1/dossiers')
    .set('Authorization', `Bearer ${citizen.token}`)
    .set('Idempotency-Key', randomUUID())
    .send({
      procedureCode,
      agencyCode: opts.agencyCode ?? HAC_THANH,
      resultDelivery: 'ONLINE',
      attachments,
      applicant: {
        fullName: 'Nguyễn Văn An',
        idNumber: citizen.idNumber,
        dateOfBirth: '1990-03-15',
        phone: '0912345678',
        address: 'Số 5 Lê Lợi, Thanh Hóa',
        ...opts.applicant,
      },
      formData: { childName: 'Nguyễn Thị Mai', childDateOfBirth: '2026-11-01' },
    });
  if (res.status !== 201) throw new Error(`filing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Filed;
}

/**
 * Files `count` birth-registration dossiers at Hạc Thành as one new citizen and returns their ids.
 * Needs the demo data (SEED_DEMO=true).
 */
export async function fileDossiers(t: TestApp, count: number): Promise<{ ids: string[]; citizenId: string }> {
  const citizen = await registerCitizen(t);
  const fileId = await uploadPdf(t, { token: citizen.token });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await fileDossier(t, citizen, { fileId })).id);
  return { ids, citizenId: citizen.id };
}

/** Polls `probe` until it returns a truthy value (then returns it), or fails after `ms`. */
export async function waitFor<T>(probe: () => Promise<T>, what: string, ms = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Takes an action on a dossier as `token`, with the version it has now; returns the response (any status). */
export async function act(t: TestApp, token: string, id: string, action: string, body: Record<string, unknown> = {}) {
  const current = (await t.http().get(`/api/v1/dossiers/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
  return t
    .http()
    .post(`/api/v1/dossiers/${id}/actions/${action}`)
    .set('Authorization', `Bearer ${token}`)
    .send({ expectedVersion: current.version, ...body });
}

/**
 * Takes a filed commune dossier (demo data, Hạc Thành) through acceptance and processing to the
 * leader's approval with `resultFileId` (GRANTED). `tokens` of tiepnhan/chuyenvien/lanhdao.hacthanh.
 */
export async function approveWithResult(t: TestApp, tokens: { reception: string; specialist: string; leader: string }, id: string, resultFileId: string) {
  const must = async (token: string, action: string, body: Record<string, unknown> = {}) => {
    const res = await act(t, token, id, action, body);
    if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await must(tokens.reception, 'accept');
  await must(tokens.reception, 'assign');
  await must(tokens.specialist, 'claim');
  await must(tokens.specialist, 'forward');
  return must(tokens.leader, 'approve', { outcome: 'GRANTED', resultFileId });
}

/** Waits until every attachment of the dossier has had its signatures verified; returns the dossier as `token` sees it. */
export function attachmentsVerified(t: TestApp, token: string, id: string) {
  return waitFor(async () => {
    const d = (await t.http().get(`/api/v1/dossiers/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    return d.attachments.every((a: { signature: { state: string; retrying: boolean } }) => a.signature.state === 'VERIFIED' && !a.signature.retrying)
      ? d
      : null;
  }, `the signatures of dossier ${id}`);
}

/** Waits until the dossier's approved result is signed and its signature verified (any indication). */
export function resultSigned(t: TestApp, token: string, id: string) {
  return waitFor(async () => {
    const d = (await t.http().get(`/api/v1/dossiers/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    return d.result?.signature?.status === 'SIGNED' && d.result.signature.indication ? d : null;
  }, `the signed result of dossier ${id}`);
}
