import { Catalog1795348602587 } from './1795348602587-Catalog.js';

/**
 * Every migration, oldest first. `npm run migration:generate -- <Name>` writes a new file and adds
 * it here; the runner applies them in this order under a PostgreSQL advisory lock.
 */
export const MIGRATIONS: Function[] = [
  Catalog1795348602587,
];
