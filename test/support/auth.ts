import type { TestApp } from './test-app.js';

export const ADMIN = { username: 'admin', password: 'MotCua@2026' };

/** Logs in and returns the access token (fails the test on anything but 200). */
export async function login(t: TestApp, username: string, password: string): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

let seq = 0;
/** A valid CCCD for a person born in 1990 (Hà Nội, male), distinct per call within a file. */
export function nextCccd(): string {
  seq += 1;
  return `001090${String(100000 + ((process.pid * 97 + seq) % 900000)).padStart(6, '0')}`;
}

/** Logs in and returns the whole answer: tokens and the account. */
export async function loginAs(
  t: TestApp,
  username: string,
  password: string,
): Promise<{ accessToken: string; refreshToken: string; user: Record<string, unknown> & { id: string } }> {
  const res = await t.http().post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Registers a citizen (an UNVERIFIED password account) and returns their id number, account id and access token. */
export async function registerCitizen(t: TestApp, overrides: Record<string, unknown> = {}): Promise<{ idNumber: string; token: string; id: string }> {
  const idNumber = (overrides.idNumber as string) ?? nextCccd();
  const body = { idNumber, fullName: 'Nguyễn Văn An', dateOfBirth: '1990-03-15', phone: '0912345678', password: 'MatKhau123', ...overrides };
  const res = await t.http().post('/api/v1/auth/citizens/register').send(body);
  if (res.status !== 202) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const session = await loginAs(t, idNumber, body.password as string);
  return { idNumber, id: session.user.id, token: session.accessToken };
}

/** The issue date of the cards tests check at the desk (POST /auth/identity-checks). */
export const CARD_ISSUED_ON = '2021-06-01';

/**
 * A citizen whose CCCD a one-stop officer checked at the desk (identity VERIFIED), so dossiers
 * integrators or the counter file for that CCCD are theirs. `officer` defaults to the admin.
 */
export async function registerVerifiedCitizen(
  t: TestApp,
  overrides: Record<string, unknown> = {},
  officer?: Record<string, string>,
): Promise<{ idNumber: string; token: string; id: string }> {
  const c = await registerCitizen(t, overrides);
  const res = await t
    .http()
    .post('/api/v1/auth/identity-checks')
    .set(officer ?? (await asAdmin(t)))
    .send({ username: c.idNumber, idNumber: c.idNumber, issuedOn: CARD_ISSUED_ON });
  if (res.status !== 201) throw new Error(`identity check failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...c, token: await login(t, c.idNumber, (overrides.password as string) ?? 'MatKhau123') };
}

/** Headers that make a request the administrator's: the admin the startup tasks create. */
export async function asAdmin(t: TestApp): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await login(t, ADMIN.username, ADMIN.password)}` };
}
