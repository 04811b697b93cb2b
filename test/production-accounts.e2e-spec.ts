import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../src/config/env.js';
import { DEMO_CITIZEN, DEMO_PASSWORD, DEMO_STAFF } from '../src/seed/demo-accounts.js';
import { runStartupTasks } from '../src/seed/startup.js';
import { ADMIN, loginAs } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * What a production start does with the accounts a database already holds: the demo's (published
 * passwords) and the first admin's. Each start is the real start-up tasks on the real app; the
 * database is one the demo seeded through them, as `npm start` does.
 */
const ADMIN_PASSWORD = 'Tinh-ThanhHoa-2026!';
const PRODUCTION = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'false',
  CRL_ALLOW_PRIVATE_NETWORKS: 'false',
  LOGIN_MAX_PER_CLIENT: '1000',
  ADMIN_PASSWORD,
  JWT_SECRET: 'q7Vd2mXo9Lr4TzK1bWf8NcYs3Gh6Ep0Ju5Ai',
  SECRETS_KEY: 'Rb3uW9kZt1Hq6Ma8Cx4Ln0Fe7Ys2Dg5Vj-Po',
  PUBLIC_BASE_URL: 'https://dichvucong.thanhhoa.gov.vn',
};
const DEMO_USERNAMES = [...DEMO_STAFF.map((s) => s.username), DEMO_CITIZEN.idNumber];
const running: TestApp[] = [];

afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
});

/** A database as a development `npm start` leaves it: the demo seeded, the first admin with the published password. */
async function demoDatabase(): Promise<string> {
  const t = await createTestApp({ env: { SEED_DEMO: 'true', SIGNATURE_TRUST_DIR: mkdtempSync(path.join(os.tmpdir(), 'motcua-trust-')) } });
  await t.close();
  return t.config.databaseUrl;
}

/** A start on `databaseUrl` with `env`: the app when the start-up tasks went through, else the error; and the lines they said. */
async function start(databaseUrl: string, env: Record<string, string> = {}): Promise<{ t?: TestApp; lines: string[]; refused?: Error }> {
  const t = await createTestApp({ databaseUrl, startup: false, env: { ...PRODUCTION, ...env } });
  const lines: string[] = [];
  try {
    await runStartupTasks(t.app, t.config, (line) => lines.push(line));
    running.push(t);
    return { t, lines };
  } catch (e) {
    await t.close();
    return { lines, refused: e as Error };
  }
}

const loginStatus = async (t: TestApp, username: string, password: string) => (await t.http().post('/api/v1/auth/login').send({ username, password })).status;

describe('a production start on a database the demo seeded', () => {
  it('refuses with one line naming the demo accounts and the remedy, and changes nothing', async () => {
    const url = await demoDatabase();
    const { refused, lines } = await start(url);
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused!.message).toMatch(
      /^Invalid configuration for NODE_ENV=production: the database holds 7 of the demo's accounts \(001090000001, chuyenvien\.congan, chuyenvien\.hacthanh, lanhdao\.congan, lanhdao\.hacthanh, tiepnhan\.hacthanh, tiepnhan\.tinh\), which log in with the passwords the README publishes; expected a database of your own: start once with DISABLE_DEMO_ACCOUNTS=true to deactivate them \(their dossiers and history stay\), or start on a fresh database$/,
    );
    expect(refused!.message).not.toContain('\n');
    expect(lines).toEqual([]);
    // Nothing was changed: the admin keeps the published password until a start goes through.
    const dev = await createTestApp({ databaseUrl: url, startup: false });
    running.push(dev);
    expect(await loginStatus(dev, ADMIN.username, ADMIN.password)).toBe(200);
    expect(await loginStatus(dev, 'tiepnhan.hacthanh', DEMO_PASSWORD)).toBe(200);
  });

  it('with DISABLE_DEMO_ACCOUNTS=true deactivates them and says so, applies ADMIN_PASSWORD, and no published password logs in any more', async () => {
    const url = await demoDatabase();
    const dev = await createTestApp({ databaseUrl: url, startup: false });
    running.push(dev);
    const session = await loginAs(dev, 'tiepnhan.hacthanh', DEMO_PASSWORD);
    const adminSession = await loginAs(dev, ADMIN.username, ADMIN.password);

    const { t, lines, refused } = await start(url, { DISABLE_DEMO_ACCOUNTS: 'true' });
    expect(refused).toBeUndefined();
    expect(lines).toEqual([
      'DISABLE_DEMO_ACCOUNTS=true: deactivated 7 demo account(s), which can no longer log in: 001090000001, chuyenvien.congan, chuyenvien.hacthanh, lanhdao.congan, lanhdao.hacthanh, tiepnhan.hacthanh, tiepnhan.tinh',
      'ADMIN_PASSWORD applied to the admin "admin" (its password was another one); its sessions were ended',
    ]);
    for (const username of DEMO_USERNAMES) expect([username, await loginStatus(t!, username, DEMO_PASSWORD)]).toEqual([username, 401]);
    expect(await loginStatus(t!, ADMIN.username, ADMIN.password)).toBe(401);
    expect(await loginStatus(t!, ADMIN.username, ADMIN_PASSWORD)).toBe(200);
    // Sessions opened before end with them.
    await t!.http().post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    await t!.http().post('/api/v1/auth/refresh').send({ refreshToken: adminSession.refreshToken }).expect(401);
    const rows = await t!.db.query('SELECT username, active, password_hash FROM users WHERE username = ANY($1)', [DEMO_USERNAMES]);
    expect(rows.rows).toHaveLength(7);
    expect(rows.rows.every((r) => r.active === false && r.password_hash === null)).toBe(true);

    // The next start goes on without the variable; with it, it says there is nothing left to do.
    expect((await start(url)).refused).toBeUndefined();
    expect((await start(url, { DISABLE_DEMO_ACCOUNTS: 'true' })).lines).toEqual([
      'DISABLE_DEMO_ACCOUNTS=true: no demo account can log in (nothing to deactivate; the variable may go)',
    ]);
  });

  it('finds the demo accounts by their published passwords when they carry no mark (seeded before the mark existed), and by the mark when the password changed', async () => {
    const url = await demoDatabase();
    const dev = await createTestApp({ databaseUrl: url, startup: false });
    running.push(dev);
    const otherHash = (await dev.db.query(`SELECT password_hash FROM users WHERE username = 'admin'`)).rows[0].password_hash;
    await dev.db.query(`UPDATE users SET demo_account = false WHERE username <> 'tiepnhan.tinh'`);
    await dev.db.query(`UPDATE users SET password_hash = $1 WHERE username = 'tiepnhan.tinh'`, [otherHash]);
    // A real officer who happens to have a demo username, with a password of their own and no mark, is none of the demo's.
    await dev.db.query(`UPDATE users SET password_hash = $1 WHERE username = 'lanhdao.congan'`, [otherHash]);
    const { refused } = await start(url);
    expect(refused!.message).toMatch(
      /the database holds 6 of the demo's accounts \(001090000001, chuyenvien\.congan, chuyenvien\.hacthanh, lanhdao\.hacthanh, tiepnhan\.hacthanh, tiepnhan\.tinh\)/,
    );
  });

  it('counts the published admin among them when ADMIN_USERNAME names another account, and then creates that one', async () => {
    const url = await demoDatabase();
    const { refused } = await start(url, { ADMIN_USERNAME: 'quantri' });
    expect(refused!.message).toMatch(/the database holds 8 of the demo's accounts \(001090000001, admin, chuyenvien\.congan,/);
    const { t, lines } = await start(url, { ADMIN_USERNAME: 'quantri', DISABLE_DEMO_ACCOUNTS: 'true' });
    expect(lines).toEqual([
      expect.stringMatching(/^DISABLE_DEMO_ACCOUNTS=true: deactivated 8 demo account\(s\), which can no longer log in: 001090000001, admin, /),
      'created the first admin account "quantri"',
    ]);
    expect(await loginStatus(t!, ADMIN.username, ADMIN.password)).toBe(401);
    expect(await loginStatus(t!, 'quantri', ADMIN_PASSWORD)).toBe(200);
  });
});

describe('ADMIN_PASSWORD on a database that has its admin', () => {
  it("becomes the admin's password, said at the start that sets it, and silent when it already is", async () => {
    const first = await createTestApp({ startup: false, env: { ...PRODUCTION, ADMIN_PASSWORD: 'First-Password-2026' } });
    const lines: string[] = [];
    await runStartupTasks(first.app, first.config, (l) => lines.push(l));
    await first.close();
    expect(lines).toContain('created the first admin account "admin"');
    const url = first.config.databaseUrl;

    const again = await start(url, { ADMIN_PASSWORD: 'First-Password-2026' });
    expect(again.lines).toEqual([]);
    const session = await loginAs(again.t!, 'admin', 'First-Password-2026');

    const rotated = await start(url, { ADMIN_PASSWORD: 'Second-Password-2027' });
    expect(rotated.lines).toEqual(['ADMIN_PASSWORD applied to the admin "admin" (its password was another one); its sessions were ended']);
    expect(await loginStatus(rotated.t!, 'admin', 'First-Password-2026')).toBe(401);
    expect(await loginStatus(rotated.t!, 'admin', 'Second-Password-2027')).toBe(200);
    await rotated.t!.http().post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
  });

  it('is refused, never ignored, when ADMIN_USERNAME names no active admin while admins exist', async () => {
    const url = await demoDatabase();
    await start(url, { DISABLE_DEMO_ACCOUNTS: 'true' }); // the admin now has ADMIN_PASSWORD
    const absent = await start(url, { ADMIN_USERNAME: 'quantri' });
    expect(absent.refused!.message).toBe(
      'Invalid configuration for NODE_ENV=production: ADMIN_USERNAME=quantri is no account in the database, whose admins include admin, so ADMIN_PASSWORD would apply to nobody; expected the username of one of them (ADMIN_PASSWORD then becomes its password)',
    );
    const staff = await start(url, { ADMIN_USERNAME: 'chuyenvien.congan' });
    expect(staff.refused!.message).toBe(
      'Invalid configuration for NODE_ENV=production: ADMIN_USERNAME=chuyenvien.congan is a SPECIALIST account, not an admin; expected the username of an admin (ADMIN_PASSWORD then becomes its password)',
    );
    // Neither refusal changed a password.
    const ok = await start(url);
    expect(ok.lines).toEqual([]);
    expect(await loginStatus(ok.t!, 'admin', ADMIN_PASSWORD)).toBe(200);
  });
});
