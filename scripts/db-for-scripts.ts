import { validateEnv } from '../src/config/env.js';
import { provideInfrastructure, type Infrastructure } from '../src/infra/infrastructure.js';

/** The database a developer script works on: DATABASE_URL, or the embedded one under DATA_DIR. */
export async function databaseForScripts(): Promise<Infrastructure> {
  const env = validateEnv(process.env);
  return provideInfrastructure({ ...env, REDIS_URL: env.REDIS_URL ?? 'redis://unused' }, (l) => process.stderr.write(`[db] ${l}\n`));
}
