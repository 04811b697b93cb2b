import { Auth1795348064262 } from './1795348064262-Auth.js';
import { Files1795348400966 } from './1795348400966-Files.js';

/**
 * Every migration, oldest first. `npm run migration:generate -- <Name>` writes a new file and adds
 * it here; the runner applies them in this order under a PostgreSQL advisory lock.
 */
export const MIGRATIONS: Function[] = [
  Auth1795348064262,
  Files1795348400966,
];
