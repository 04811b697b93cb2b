import { type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';

/** A problem setting up the embedded services, explained for a newcomer: printed as is, no stack. */
export class InfraError extends Error {}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/** Signals a process that is left over from an earlier run and waits for it to go. */
export async function stopStale(pid: number, signal: NodeJS.Signals, timeoutMs = 15000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  if (!(await waitUntil(() => !isAlive(pid), timeoutMs, 100))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await waitUntil(() => !isAlive(pid), 3000, 50);
  }
}

/** Stops a child we started: `signal`, then SIGKILL after `timeoutMs`. Resolves when it has exited. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port derived from the data folder (so one folder tends to get the same port every start, and
 * two folders different ones), moving on to the next free port when that one is taken.
 */
export async function choosePort(key: string, base: number, span = 10000): Promise<number> {
  const h = createHash('sha256').update(key).digest().readUInt32BE(0);
  const first = base + (h % span);
  for (let i = 0; i < 200; i++) {
    const port = base + ((first - base + i) % span);
    if (await portIsFree(port)) return port;
  }
  throw new InfraError(`No free TCP port found on 127.0.0.1 between ${base} and ${base + span}.`);
}
