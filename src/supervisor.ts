import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from './config/app-config.js';

/**
 * Several processes from one `npm start` (API_PROCESSES ≥ 2). The supervisor is the process the
 * user started: it owns the embedded PostgreSQL and Redis (when no URLs were given) and the
 * migrations, serves nothing itself, and forks with `node:cluster`:
 * - one worker process (`APP_ROLE=worker`: queues, outbox relay, reconciliation) when the role is
 *   `all`; it runs the start-up tasks (first admin, calendar, demo seed) before any API process
 *   starts, so the demo accounts exist when the API answers;
 * - API_PROCESSES API processes (`APP_ROLE=api`) sharing the one listening socket. Each process
 *   accepts its own connections (`SCHED_NONE`), not Node's default round-robin through the
 *   primary: that one hands a new connection to a process that has just died (SIGKILL, OOM)
 *   before it notices, and that client then hangs until its own timeout (seen in
 *   test/process.e2e-spec.ts). Sharing the socket, a connection is only ever taken by a live
 *   process. NODE_CLUSTER_SCHED_POLICY=rr brings round-robin back (for comparison).
 * A child that dies after it was ready is started again (1 s, doubling to 30 s while it keeps
 * dying); a child that fails before it was ever ready stops the whole start with its own message.
 * SIGINT/SIGTERM reach every child, which shuts down as a single process does; the supervisor
 * stops the servers it started once all children are gone. A child whose supervisor disappears
 * (SIGKILL) sees its IPC channel close and shuts itself down.
 */

/** Set by the supervisor in each child's environment; read by src/main.ts. */
export const CHILD_ENV = {
  /** `1`: migrations and infrastructure are the supervisor's. */
  supervised: 'MOTCUA_SUPERVISED',
  /** `1`: this child runs the start-up tasks (only one child does). */
  startupTasks: 'MOTCUA_STARTUP_TASKS',
  /** A label for the child's log lines, e.g. `api 2`. */
  label: 'MOTCUA_PROCESS_LABEL',
} as const;

/** The message a child sends its supervisor once it serves (API) or consumes (worker). */
export interface ReadyMessage {
  motcua: 'ready';
  port?: number;
}

export function isReadyMessage(m: unknown): m is ReadyMessage {
  return typeof m === 'object' && m !== null && (m as ReadyMessage).motcua === 'ready';
}

interface ChildSpec {
  label: string;
  env: Record<string, string>;
}

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
/** A child that ran this long before dying starts again after the shortest pause. */
const STABLE_AFTER_MS = 60_000;

export interface Supervisor {
  /** SIGTERM to every child; resolves when all have exited (or the deadline passed). */
  stop(deadlineMs: number): Promise<void>;
}

/**
 * Forks the children for `config` with the database and Redis URLs of `urls`. Resolves with the
 * port the API listens on once every child is ready; rejects when a child dies before it is.
 */
export async function superviseChildren(
  config: AppConfig,
  urls: { databaseUrl: string; redisUrl: string },
  say: (line: string) => void,
): Promise<{ supervisor: Supervisor; port: number | undefined }> {
  const base: Record<string, string> = {
    [CHILD_ENV.supervised]: '1',
    DATABASE_URL: urls.databaseUrl,
    REDIS_URL: urls.redisUrl,
    // Decided once here: the children see URLs, so they could not tell the servers are embedded.
    SEED_DEMO: String(config.seedDemo),
  };
  if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;
  const specs: ChildSpec[] = [];
  if (config.runsWorkers) specs.push({ label: 'worker', env: { ...base, APP_ROLE: 'worker' } });
  for (let i = 1; i <= config.apiProcesses; i++) specs.push({ label: `api ${i}`, env: { ...base, APP_ROLE: 'api' } });
  specs[0].env[CHILD_ENV.startupTasks] = '1';
  for (const s of specs) s.env[CHILD_ENV.label] = s.label;

  let stopping = false;
  const live = new Set<Worker>();
  /** Children that said they were ready: they get SIGTERM and drain; the others have taken no work. */
  const serving = new WeakSet<Worker>();
  const exited = new Set<() => void>();

  /** `initial`: part of the first start, whose failure stops everything; restarts just retry. */
  const start = (spec: ChildSpec, initial: boolean, restartDelay = RESTART_MIN_MS): Promise<ReadyMessage> =>
    new Promise((resolve, reject) => {
      const child = cluster.fork(spec.env);
      live.add(child);
      const startedAt = Date.now();
      let ready = false;
      child.on('message', (m: unknown) => {
        if (!ready && isReadyMessage(m)) {
          ready = true;
          serving.add(child);
          resolve(m);
        }
      });
      child.on('exit', (code, signal) => {
        live.delete(child);
        for (const f of exited) f();
        if (stopping) return;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (!ready && initial) {
          reject(new Error(`the ${spec.label} process stopped before it was ready (${how})`));
          return;
        }
        const delay = Date.now() - startedAt > STABLE_AFTER_MS ? RESTART_MIN_MS : restartDelay;
        say(`${spec.label} process ${child.process.pid} exited (${how}): starting it again in ${delay / 1000} s`);
        setTimeout(() => {
          if (!stopping) void start(spec, false, Math.min(delay * 2, RESTART_MAX_MS));
        }, delay);
      });
    });

  const supervisor: Supervisor = {
    async stop(deadlineMs) {
      stopping = true;
      // A child still starting is killed outright: it has taken no work, and closing a cluster
      // server whose listen is still pending throws inside Node.
      for (const c of live) c.process.kill(serving.has(c) ? 'SIGTERM' : 'SIGKILL');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const c of live) c.process.kill('SIGKILL');
          resolve();
        }, deadlineMs);
        timer.unref();
        const check = () => {
          if (live.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        };
        exited.add(check);
        check();
      });
    },
  };

  try {
    // The start-up tasks first, alone; then the others together.
    const [first, ...rest] = specs;
    const firstReady = await start(first, true);
    const others = await Promise.all(rest.map((s) => start(s, true)));
    const port = [firstReady, ...others].find((m) => m.port !== undefined)?.port;
    return { supervisor, port };
  } catch (e) {
    await supervisor.stop(5000);
    throw e;
  }
}
