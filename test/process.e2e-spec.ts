import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processTable } from '../src/infra/process-table.js';
import { isAlive } from '../src/infra/processes.js';

/**
 * `npm start` as a newcomer runs it: the compiled service (npm test builds dist/ first) with
 * embedded PostgreSQL and Redis under DATA_DIR, stopped with SIGTERM.
 */
const MAIN = path.resolve('dist/src/main.js');
const dirs: string[] = [];

function tempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-proc-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as "postgres", who must reach it
  dirs.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  port: number;
}

function start(env: Record<string, string>, port: number): Running {
  let out = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, port, output: () => out };
}

async function waitFor(r: Running, text: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (r.output().includes(text)) return;
    if (r.child.exitCode !== null) throw new Error(`exited early:\n${r.output()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`timed out waiting for "${text}":\n${r.output()}`);
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const pidsOf = (dataDir: string) => {
  const read = (f: string) => (existsSync(f) ? Number(readFileSync(f, 'utf8').split('\n')[0]) : undefined);
  return { postgres: read(path.join(dataDir, 'postgres/pgdata/postmaster.pid')), redis: read(path.join(dataDir, 'redis/redis.pid')) };
};

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm start with embedded defaults', () => {
  it('serves on two data folders at once, stops cleanly on SIGTERM, and keeps the data on restart', async () => {
    const [a, b] = [tempDataDir(), tempDataDir()];
    const [pa, pb] = [await freePort(), await freePort()];
    const first = start({ DATA_DIR: a }, pa);
    const second = start({ DATA_DIR: b }, pb);
    await Promise.all([waitFor(first, 'ready: API', 60_000), waitFor(second, 'ready: API', 60_000)]);

    for (const r of [first, second]) {
      const ready = await fetch(`http://127.0.0.1:${r.port}/health/ready`);
      expect(ready.status).toBe(200);
    }
    // Two folders, two separate PostgreSQL and Redis servers.
    const [ia, ib] = [pidsOf(a), pidsOf(b)];
    expect(ia.postgres).toBeDefined();
    expect(ia.postgres).not.toBe(ib.postgres);
    expect(ia.redis).not.toBe(ib.redis);

    // Something to find after the restart.
    const reg = await fetch(`http://127.0.0.1:${pa}/api/v1/auth/citizens/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: '001090777777', fullName: 'Phạm Minh Châu', dateOfBirth: '1990-01-01', phone: '0987654321', password: 'MatKhau123' }),
    });
    expect(reg.status).toBe(202);

    first.child.kill('SIGTERM');
    second.child.kill('SIGINT');
    expect(await exited(first.child)).toBe(0);
    expect(await exited(second.child)).toBe(0);
    for (const pid of [ia.postgres, ia.redis, ib.postgres, ib.redis]) expect(isAlive(pid!)).toBe(false);

    const again = start({ DATA_DIR: a }, pa);
    await waitFor(again, 'ready: API', 60_000);
    const login = await fetch(`http://127.0.0.1:${pa}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: '001090777777', password: 'MatKhau123' }),
    });
    expect(login.status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
  }, 120_000);

  it('refuses a malformed variable with one line naming it, and no stack trace', async () => {
    const r = start({ DATA_DIR: tempDataDir(), APP_ROLE: 'everything' }, await freePort());
    expect(await exited(r.child)).toBe(1);
    const lines = r.output().trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^\[motcua\] Invalid configuration: APP_ROLE="everything"; expected one of the following values: all, api, worker$/),
    ]);
  });

  it('refuses NODE_ENV=production on the demo defaults with one line per problem, and no stack trace', async () => {
    const r = start({ DATA_DIR: tempDataDir(), NODE_ENV: 'production', SEED_DEMO: 'true', ADMIN_PASSWORD: 'MotCua@2026' }, await freePort());
    expect(await exited(r.child)).toBe(1);
    const lines = r.output().trim().split('\n');
    expect(lines.map((l) => /^\[motcua\] Invalid configuration for NODE_ENV=production: (\w+)/.exec(l)?.[1] ?? l)).toEqual([
      'ADMIN_PASSWORD',
      'SEED_DEMO',
      'JWT_SECRET',
      'SECRETS_KEY',
      'METRICS_TOKEN',
      'PUBLIC_BASE_URL',
      'SIGNING_KEYS_PASSWORD',
    ]);
    expect(lines[0]).toMatch(/ADMIN_PASSWORD is the demo password published in the README/);
  });

  it('says what is wrong when the data folder cannot be used, instead of a stack trace', async () => {
    const r = start({ DATA_DIR: '/dev/null/motcua' }, await freePort());
    expect(await exited(r.child)).toBe(1);
    expect(r.output().trim()).toMatch(/^\[motcua\] DATA_DIR \/dev\/null\/motcua cannot be used \(ENOTDIR\): set DATA_DIR to a folder you can write to/);
    expect(r.output()).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });
});

describe('npm start with NODE_ENV=production on a database the demo seeded', () => {
  const ADMIN_PASSWORD = 'Tinh-ThanhHoa-2026!';
  const production = (dataDir: string, trustDir: string) => ({
    DATA_DIR: dataDir,
    SIGNATURE_TRUST_DIR: trustDir,
    NODE_ENV: 'production',
    ADMIN_PASSWORD,
    JWT_SECRET: 'q7Vd2mXo9Lr4TzK1bWf8NcYs3Gh6Ep0Ju5Ai',
    SECRETS_KEY: 'Rb3uW9kZt1Hq6Ma8Cx4Ln0Fe7Ys2Dg5Vj-Po',
    METRICS_TOKEN: '4e1f9a07c3b85d26e0f7a19c4b3d8e52a6f0',
    PUBLIC_BASE_URL: 'https://dichvucong.thanhhoa.gov.vn',
    SIGNING_KEYS_PASSWORD: 'p12-Lanh-Dao-Tinh-Thanh-Hoa-2026-khoa',
  });
  const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);
  const loginStatus = async (port: number, username: string, password: string) =>
    (
      await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      })
    ).status;

  it('refuses with one line saying what to do, and with DISABLE_DEMO_ACCOUNTS=true starts and no published password logs in', async () => {
    const dir = tempDataDir();
    const trust = tempDataDir(); // a trust folder of its own: the demo then makes no CA, which production would refuse first
    const port = await freePort();
    const starts: Running[] = [];
    const run = (env: Record<string, string>) => {
      const r = start(env, port);
      starts.push(r);
      return r;
    };
    // initdb once read the password from a 0644 copy in the shared temp folder (motcua-pw-<pid>-…).
    const tempFiles: string[] = [];
    const watcher = watch(os.tmpdir(), (_, name) => name && tempFiles.push(String(name)));
    try {
      const demo = run({ DATA_DIR: dir, SIGNATURE_TRUST_DIR: trust, SEED_DEMO: 'true' });
      await waitFor(demo, 'ready: API', 120_000);
      watcher.close();
      expect(tempFiles.filter((f) => f.startsWith(`motcua-pw-${demo.child.pid}-`))).toEqual([]);
      expect(await loginStatus(port, 'tiepnhan.hacthanh', 'Demo@2026')).toBe(200);
      // What the first start wrote that holds a secret is its owner's alone.
      for (const file of ['postgres/password', 'jwt-secret', 'secrets-key']) expect([file, modeOf(path.join(dir, file))]).toEqual([file, '600']);
      demo.child.kill('SIGTERM');
      expect(await exited(demo.child)).toBe(0);
      chmodSync(path.join(dir, 'postgres/password'), 0o644); // as a copy or an older version may leave it

      const refused = run(production(dir, trust));
      expect(await exited(refused.child)).toBe(1);
      // The start's own lines (the logs are JSON lines beside them), after the servers it started and the migrations.
      const lines = refused
        .output()
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('[motcua]'));
      expect(refused.output()).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      expect(lines.filter((l) => !/^\[motcua\] (embedded (PostgreSQL|Redis) |migrations applied)/.test(l))).toEqual([
        "[motcua] Invalid configuration for NODE_ENV=production: the database holds 7 of the demo's accounts (001090000001, chuyenvien.congan, chuyenvien.hacthanh, lanhdao.congan, lanhdao.hacthanh, tiepnhan.hacthanh, tiepnhan.tinh), which log in with the passwords the README publishes; expected a database of your own: start once with DISABLE_DEMO_ACCOUNTS=true to deactivate them (their dossiers and history stay), or start on a fresh database",
      ]);
      expect(modeOf(path.join(dir, 'postgres/password'))).toBe('600');

      const fixed = run({ ...production(dir, trust), DISABLE_DEMO_ACCOUNTS: 'true' });
      await waitFor(fixed, 'ready: API', 120_000);
      expect(fixed.output()).toContain(
        '[motcua] DISABLE_DEMO_ACCOUNTS=true: deactivated 7 demo account(s), which can no longer log in: 001090000001, chuyenvien.congan,',
      );
      expect(fixed.output()).toContain('[motcua] ADMIN_PASSWORD applied to the admin "admin" (its password was another one); its sessions were ended');
      for (const username of ['001090000001', 'tiepnhan.hacthanh', 'lanhdao.congan'])
        expect([username, await loginStatus(port, username, 'Demo@2026')]).toEqual([username, 401]);
      expect(await loginStatus(port, 'admin', 'MotCua@2026')).toBe(401);
      expect(await loginStatus(port, 'admin', ADMIN_PASSWORD)).toBe(200);
      fixed.child.kill('SIGTERM');
      expect(await exited(fixed.child)).toBe(0);
    } finally {
      // On a failure, nothing of these starts may outlive the test: the service, then its own servers.
      watcher.close();
      for (const r of starts) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
      for (const pid of Object.values(pidsOf(dir))) if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 300_000);
});

/** The service's processes whose parent is `pid` (by command line: Node 24 names its main thread "MainThread"), with the APP_ROLE each was given. */
function nodeChildren(pid: number): Array<{ pid: number; role: string | undefined }> {
  return processTable()
    .filter((p) => p.ppid === pid && p.cmdline().includes(MAIN))
    .map((p) => ({ pid: p.pid, role: p.env('APP_ROLE') }));
}

describe('npm start with API_PROCESSES=2', () => {
  it('runs two API processes and a worker on one port, replaces a killed API process, and stops them all on SIGTERM', async () => {
    const dir = tempDataDir();
    const r = start({ DATA_DIR: dir, API_PROCESSES: '2' }, await freePort());
    try {
      await waitFor(r, 'ready: API', 120_000);
      expect(r.output()).toMatch(/\[motcua\] ready: API http:\/\/localhost:\d+\/api\/v1, docs .* \(2 API processes and 1 worker process\)/);
      const roles = () =>
        nodeChildren(r.child.pid!)
          .map((c) => c.role)
          .sort();
      expect(roles()).toEqual(['api', 'api', 'worker']);

      // Both API processes answer on the one port (each connection goes to the next process).
      const served = async () => {
        const res = await fetch(`http://127.0.0.1:${r.port}/health/ready`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(20_000) });
        return res.status;
      };
      expect(await Promise.all(Array.from({ length: 6 }, served))).toEqual([200, 200, 200, 200, 200, 200]);

      // SIGKILL one API process: the other keeps serving and the supervisor starts a new one.
      const victim = nodeChildren(r.child.pid!).find((c) => c.role === 'api')!;
      process.kill(victim.pid, 'SIGKILL');
      for (let i = 0; i < 10; i++) expect(await served()).toBe(200);
      await waitFor(r, `process ${victim.pid} exited (signal SIGKILL): starting it again`, 10_000);
      const deadline = Date.now() + 60_000;
      while (!(roles().join() === 'api,api,worker' && !nodeChildren(r.child.pid!).some((c) => c.pid === victim.pid)) && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 200));
      }
      expect(roles()).toEqual(['api', 'api', 'worker']);

      const children = nodeChildren(r.child.pid!).map((c) => c.pid);
      const { postgres, redis } = pidsOf(dir);
      r.child.kill('SIGTERM');
      expect(await exited(r.child)).toBe(0);
      for (const pid of [...children, postgres!, redis!]) expect(isAlive(pid)).toBe(false);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- service output ---\n${r.output()}`);
    } finally {
      // On a failure, nothing of this start may outlive the test: children, then its own servers.
      for (const c of nodeChildren(r.child.pid!)) process.kill(c.pid, 'SIGKILL');
      if (r.child.exitCode === null) r.child.kill('SIGKILL');
      for (const pid of Object.values(pidsOf(dir))) if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 300_000);

  it("stops the whole start with the failing process's own message when an API process cannot start", async () => {
    const busy = net.createServer();
    const port = await new Promise<number>((resolve) => busy.listen(0, '0.0.0.0', () => resolve((busy.address() as net.AddressInfo).port)));
    try {
      const r = start({ DATA_DIR: tempDataDir(), API_PROCESSES: '2' }, port);
      expect(await exited(r.child)).toBe(1);
      expect(r.output()).toMatch(/\[motcua api \d\] Port already in use: set PORT to a free port/);
      expect(r.output()).toMatch(/\[motcua\] failed to start: the api \d process stopped before it was ready \(code 1\)/);
      expect(r.output()).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    } finally {
      busy.close();
    }
  }, 120_000);
});
