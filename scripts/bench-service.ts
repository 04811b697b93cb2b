import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The project's root (scripts run from dist/scripts). */
export const PROJECT_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export interface BenchService {
  base: string;
  child: ChildProcess;
  dataDir: string;
  stderr(): string;
  /** Waits for "ready: API" on the service's stderr (fails if it exits or takes over 2 minutes). */
  ready(): Promise<void>;
  /** A JSON request; anything but 2xx throws with the answer. */
  json(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<any>;
  /** Stops the service (SIGTERM, waits for its exit) and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * The service as `npm start` runs it, on embedded defaults (its own PostgreSQL and Redis under a
 * fresh `.data/<name>-<time>` folder, demo seed, rate limits off), for a benchmark to measure.
 * `env` gets the service's base URL, for settings that must name it.
 */
export async function startBenchService(
  name: string,
  env: (base: string) => Record<string, string> = () => ({}),
  nodeArgs: string[] = [],
): Promise<BenchService> {
  const dataDir = path.join(PROJECT_ROOT, '.data', `${name}-${Date.now()}`);
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeArgs, path.join(PROJECT_ROOT, 'dist/src/main.js')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'error',
      SEED_DEMO: 'true',
      DATABASE_URL: '',
      REDIS_URL: '',
      RATE_LIMIT_PER_MINUTE: '0',
      REGISTER_MAX_PER_CLIENT_PER_HOUR: '100000',
      ...env(base),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return {
    base,
    child,
    dataDir,
    stderr: () => stderr,
    ready: async () => {
      const t0 = Date.now();
      while (!stderr.includes('ready: API')) {
        if (child.exitCode !== null || Date.now() - t0 > 120_000) throw new Error(`service did not start:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    json: async (method, url, body, headers = {}) => {
      const res = await fetch(base + url, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
      return JSON.parse(text);
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
