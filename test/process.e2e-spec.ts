import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    expect(lines).toEqual([expect.stringMatching(/^\[motcua\] Invalid configuration: APP_ROLE="everything"; expected one of the following values: all, api, worker$/)]);
  });

  it('refuses NODE_ENV=production on the demo defaults with one line per problem, and no stack trace', async () => {
    const r = start({ DATA_DIR: tempDataDir(), NODE_ENV: 'production', SEED_DEMO: 'true', ADMIN_PASSWORD: 'MotCua@2026' }, await freePort());
    expect(await exited(r.child)).toBe(1);
    const lines = r.output().trim().split('\n');
    expect(lines.map((l) => /^\[motcua\] Invalid configuration for NODE_ENV=production: (\w+)/.exec(l)?.[1] ?? l)).toEqual([
      'ADMIN_PASSWORD', 'SEED_DEMO', 'JWT_SECRET', 'SECRETS_KEY', 'METRICS_TOKEN', 'PUBLIC_BASE_URL', 'SIGNING_KEYS_PASSWORD',
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

/** The service's processes whose parent is `pid` (by command line: Node 24 names its main thread "MainThread"), with the APP_ROLE each was given. */
function nodeChildren(pid: number): Array<{ pid: number; role: string | undefined }> {
  return processTable().filter((p) => p.ppid === pid && p.cmdline().includes(MAIN)).map((p) => ({ pid: p.pid, role: p.env('APP_ROLE') }));
}

describe('npm start with API_PROCESSES=2', () => {
  it('runs two API processes and a worker on one port, replaces a killed API process, and stops them all on SIGTERM', async () => {
    const dir = tempDataDir();
    const r = start({ DATA_DIR: dir, API_PROCESSES: '2' }, await freePort());
    try {
      await waitFor(r, 'ready: API', 120_000);
      expect(r.output()).toMatch(/\[motcua\] ready: API http:\/\/localhost:\d+\/api\/v1, docs .* \(2 API processes and 1 worker process\)/);
      const roles = () => nodeChildren(r.child.pid!).map((c) => c.role).sort();
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

  it('stops the whole start with the failing process\'s own message when an API process cannot start', async () => {
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
