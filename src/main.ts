import 'reflect-metadata';
import cluster from 'node:cluster';
import { AppConfig, buildAppConfig } from './config/app-config.js';
import { ConfigError } from './config/env.js';
import { validateServiceEnv } from './config/production.js';
import { migrate } from './database/data-source.js';
import { provideInfrastructure } from './infra/infrastructure.js';
import { InfraError } from './infra/processes.js';
import { CHILD_ENV, superviseChildren, type ReadyMessage, type Supervisor } from './supervisor.js';

const SHUTDOWN_DEADLINE_MS = 18_000;
/** A supervised child (src/supervisor.ts): infrastructure and migrations are its supervisor's. */
const supervised = cluster.isWorker && process.env[CHILD_ENV.supervised] === '1';
const tag = supervised ? `motcua ${process.env[CHILD_ENV.label] ?? 'child'}` : 'motcua';
const say = (line: string) => process.stderr.write(`[${tag}] ${line}\n`);

/**
 * `npm start`: validate the configuration, bring up PostgreSQL and Redis when no URL is given,
 * migrate under an advisory lock, seed, then serve. With API_PROCESSES ≥ 2 this process becomes
 * the supervisor of API and worker processes instead of serving itself (src/supervisor.ts).
 * SIGINT/SIGTERM close HTTP, workers and the pools first, then the servers we started, within
 * the deadline.
 */
async function main(): Promise<void> {
  const env = validateServiceEnv(process.env);
  const infra = await provideInfrastructure(env, say);
  let stopping = false;
  let app: { close(): Promise<void> } | undefined;
  let children: Supervisor | undefined;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: shutting down`);
    const killer = setTimeout(() => {
      say('shutdown took too long: forcing exit');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    killer.unref();
    try {
      await app?.close();
      await children?.stop(SHUTDOWN_DEADLINE_MS - 2000);
    } catch (e) {
      say(`error while closing the app: ${(e as Error).message}`);
    }
    await infra.stop();
    clearTimeout(killer);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A child whose supervisor is gone (even by SIGKILL) sees its IPC channel close.
  if (supervised) process.on('disconnect', () => void shutdown('supervisor gone'));

  try {
    const config: AppConfig = buildAppConfig(env, infra);
    if (!supervised) {
      const applied = await migrate(config.databaseUrl);
      if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
    }
    if (!supervised && config.apiProcesses > 1 && config.runsApi) {
      const started = await superviseChildren(config, infra, say);
      children = started.supervisor;
      const base = `http://localhost:${started.port ?? config.port}`;
      const workers = config.runsWorkers ? ' and 1 worker process' : '';
      say(`ready: API ${base}/api/v1, docs ${base}/docs (${config.apiProcesses} API processes${workers})`);
      return;
    }
    const { createApp } = await import('./app.factory.js');
    const { runStartupTasks } = await import('./seed/startup.js');
    const nest = await createApp(config);
    app = nest;
    await nest.init();
    if (!supervised || process.env[CHILD_ENV.startupTasks] === '1') await runStartupTasks(nest, config, say);
    const ready: ReadyMessage = { motcua: 'ready' };
    if (config.runsApi) {
      await nest.listen(config.port, config.host);
      ready.port = (nest.getHttpServer().address() as { port: number }).port;
      const base = `http://localhost:${ready.port}`;
      say(supervised ? `serving (pid ${process.pid})` : `ready: API ${base}/api/v1, docs ${base}/docs (role ${config.role})`);
    } else {
      say(supervised ? `consuming queues (pid ${process.pid})` : `ready: worker (role ${config.role})`);
    }
    if (supervised) process.send?.(ready);
  } catch (e) {
    // A start refused after the app was built (start-up tasks): its workers and pools go first.
    await app?.close().catch(() => undefined);
    await infra.stop();
    throw e;
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof InfraError) {
    for (const line of e.message.split('\n')) say(line);
  } else if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    say(`Port already in use: set PORT to a free port (e.g. PORT=3001 npm start). ${(e as Error).message}`);
  } else {
    say(`failed to start: ${(e as Error)?.message ?? String(e)}`);
    if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(e as Error)?.stack}\n`);
  }
  process.exit(1);
});
