import 'reflect-metadata';
import { AppConfig, buildAppConfig } from './config/app-config.js';
import { ConfigError, validateServiceEnv } from './config/env.js';
import { migrate } from './database/data-source.js';
import { provideInfrastructure } from './infra/infrastructure.js';
import { InfraError } from './infra/processes.js';

const SHUTDOWN_DEADLINE_MS = 18_000;
const say = (line: string) => process.stderr.write(`[motcua] ${line}\n`);

/**
 * `npm start`: validate the configuration, bring up PostgreSQL and Redis when no URL is given,
 * migrate under an advisory lock, seed, then serve. SIGINT/SIGTERM close HTTP, workers and the
 * pools first, then the servers we started, within the deadline.
 */
async function main(): Promise<void> {
  const env = validateServiceEnv(process.env);
  const infra = await provideInfrastructure(env, say);
  let stopping = false;
  let app: { close(): Promise<void> } | undefined;
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
    } catch (e) {
      say(`error while closing the app: ${(e as Error).message}`);
    }
    await infra.stop();
    clearTimeout(killer);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const config: AppConfig = buildAppConfig(env, infra);
    const applied = await migrate(config.databaseUrl);
    if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
    const { createApp } = await import('./app.factory.js');
    const { runStartupTasks } = await import('./seed/startup.js');
    const nest = await createApp(config);
    app = nest;
    await nest.init();
    await runStartupTasks(nest, config, say);
    if (config.runsApi) {
      await nest.listen(config.port, config.host);
      const base = `http://localhost:${config.port}`;
      say(`ready: API ${base}/api/v1, docs ${base}/docs (role ${config.role})`);
    } else {
      say(`ready: worker (role ${config.role})`);
    }
  } catch (e) {
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
