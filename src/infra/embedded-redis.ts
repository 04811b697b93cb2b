import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { InfraError, choosePort, readPid, stopChild, stopStale, waitUntil } from './processes.js';

export interface EmbeddedRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const HOW_TO_GET_REDIS =
  'Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis),\n' +
  'or point the service at an existing Redis: REDIS_URL=redis://localhost:6379 npm start';

/**
 * Runs a `redis-server` from PATH. When none is installed and we are root on a Debian/Ubuntu
 * machine, installs Debian's package (what `.ci/run` and a fresh container need); otherwise says
 * exactly how to get one. Redis only holds what PostgreSQL can rebuild (queued jobs, counters), but
 * the service keeps its append-only file so delayed jobs survive a restart.
 */
export async function startEmbeddedRedis(opts: { dir: string; persistent: boolean; log?: (line: string) => void }): Promise<EmbeddedRedis> {
  const bin = findRedisServer() ?? installRedisServer(opts.log);
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  const stale = readPid(pidFile);
  if (stale) await stopStale(stale, 'SIGTERM');

  const port = await choosePort(dir, 30000);
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--pidfile',
    pidFile,
    '--daemonize',
    'no',
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    // BullMQ job hashes hold values over Redis' default 64-byte listpack limit (options, data):
    // allowing 512 keeps them compact, about 0.7 KB per delayed job instead of 1.1 KB.
    '--hash-max-listpack-value',
    '512',
    '--appendonly',
    opts.persistent ? 'yes' : 'no',
  ];
  const logFile = path.join(dir, 'redis.log');
  const logFd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', logFd, logFd], detached: true });
  closeSync(logFd);
  let exited = false;
  child.once('exit', () => (exited = true));

  const url = `redis://127.0.0.1:${port}`;
  const ready = await waitUntil(
    async () => {
      if (exited) return true;
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        r.disconnect();
      }
    },
    15000,
    50,
  );
  if (exited || !ready) {
    await stopChild(child, 'SIGKILL', 1000);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-10).join('\n');
    throw new InfraError(`redis-server did not start (log: ${logFile}):\n${tail}`);
  }
  opts.log?.(`embedded Redis on 127.0.0.1:${port}, data in ${dir}`);
  return { url, port, stop: () => stopChild(child, 'SIGTERM', 10000) };
}

function findRedisServer(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin', '/usr/local/bin']);
  for (const d of dirs) {
    const candidate = path.join(d, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

function installRedisServer(log?: (line: string) => void): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!root || !hasApt) throw new InfraError(`redis-server is not installed (REDIS_URL is not set, so motcua starts its own Redis).\n${HOW_TO_GET_REDIS}`);
  log?.('redis-server not found: installing Debian package redis-server (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    r = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore', env });
  }
  // The package starts a system service; we run our own instance, so stop that one.
  spawnSync('sh', ['-c', 'service redis-server stop || systemctl stop redis-server'], { stdio: 'ignore' });
  const bin = findRedisServer();
  if (r.status !== 0 || !bin) throw new InfraError(`redis-server is not installed and apt-get could not install it.\n${HOW_TO_GET_REDIS}`);
  return bin;
}
