import { randomUUID } from 'node:crypto';
import { registerCitizen } from './auth.js';
import { uploadPdf } from './files.js';
import type { TestApp } from './test-app.js';

export const HAC_THANH = '000.00.20.H56'; // commune service centre of the demo data
export const BIRTH = '1.001193'; // birth registration, commune level

/**
 * Files `count` birth-registration dossiers at Hạc Thành through the API, as one citizen, and
 * returns their ids. Needs the demo data (SEED_DEMO=true).
 */
export async function fileDossiers(t: TestApp, count: number): Promise<{ ids: string[]; citizenId: string }> {
  const citizen = await registerCitizen(t);
  const fileId = await uploadPdf(t, { token: citizen.token });
  const proc = await t.http().get(`/api/v1/procedures/${BIRTH}`).expect(200);
  const attachments = proc.body.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => ({ componentCode: c.code, fileId }));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await t.http().post('/api/v1/dossiers').set('Authorization', `Bearer ${citizen.token}`).set('Idempotency-Key', randomUUID()).send({
      procedureCode: BIRTH, agencyCode: HAC_THANH, resultDelivery: 'ONLINE', attachments,
      applicant: { fullName: 'Nguyễn Văn An', idNumber: citizen.idNumber, dateOfBirth: '1990-03-15', phone: '0912345678', address: 'Số 5 Lê Lợi, Thanh Hóa' },
      formData: { childName: 'Nguyễn Thị Mai', childDateOfBirth: '2026-11-01' },
    });
    if (res.status !== 201) throw new Error(`filing failed: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
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
