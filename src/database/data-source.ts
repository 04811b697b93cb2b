import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';
import { SnakeNamingStrategy } from './naming.js';

export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: 20, application_name: 'motcua' },
    ...extra,
  } as DataSourceOptions;
}

/** An arbitrary constant that names our migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK_KEY = 4_021_776_001;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so replicas starting at
 * once take turns instead of racing: the second finds nothing left to do. Returns the names run.
 */
export async function migrate(url: string): Promise<string[]> {
  // One connection only: the advisory lock belongs to a session, and migrations must run in it.
  const ds = new DataSource(dataSourceOptions(url, { extra: { max: 1, application_name: 'motcua-migrate' } }));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const done = await ds.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await ds.destroy();
  }
}

/** The SQL TypeORM would still run to make the schema match the entities (empty when in step). */
export async function pendingSchemaChanges(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { extra: { max: 1 } }));
  await ds.initialize();
  try {
    const sql = await ds.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
  }
}
