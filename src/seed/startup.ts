import type { INestApplication } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import { seedNationalCalendar } from '../calendar/seed.js';
import type { AppConfig } from '../config/app-config.js';
import { seedDemoAccounts } from './demo-accounts.js';
import { seedDemoCatalog } from './demo-catalog.js';

/**
 * Work done once per start, after migrations: the first admin when none exists, the national
 * holiday schedule (always: it is not demo data), and the demo data
 * when SEED_DEMO is on. Each step is idempotent, so replicas and restarts may run it again.
 */
export async function runStartupTasks(app: INestApplication, config: AppConfig, say: (line: string) => void): Promise<void> {
  const users = app.get(UsersService);
  if (await users.ensureAdmin(config.adminUsername, config.adminPassword)) {
    say(`created the first admin account "${config.adminUsername}"`);
  }
  await seedNationalCalendar(app, say);
  if (config.seedDemo) {
    await seedDemoCatalog(app, say);
    await seedDemoAccounts(app, say);
  }
}
