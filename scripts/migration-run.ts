import { migrate } from '../src/database/data-source.js';
import { databaseForScripts } from './db-for-scripts.js';

/** `npm run migration:run`: apply pending migrations (the service also does this at start). */
const infra = await databaseForScripts();
try {
  const done = await migrate(infra.databaseUrl);
  process.stdout.write(done.length ? `applied: ${done.join(', ')}\n` : 'nothing to apply\n');
} finally {
  await infra.stop();
}
