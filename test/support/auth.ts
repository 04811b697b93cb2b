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

/** Registers a citizen and returns their id number and access token. */
export async function registerCitizen(t: TestApp, overrides: Record<string, unknown> = {}): Promise<{ idNumber: string; token: string; id: string }> {
  const idNumber = (overrides.idNumber as string) ?? nextCccd();
  const body = { idNumber, fullName: 'Nguyễn Văn An', dateOfBirth: '1990-03-15', phone: '0912345678', password: 'MatKhau123', ...overrides };
  const res = await t.http().post('/api/v1/auth/citizens/register').send(body);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { idNumber, id: res.body.id, token: await login(t, idNumber, body.password as string) };
}

/** Headers that make a request the administrator's: the admin the startup tasks create. */
export async function asAdmin(t: TestApp): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await login(t, ADMIN.username, ADMIN.password)}` };
}
