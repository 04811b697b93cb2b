import type { INestApplication } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import { seedNationalCalendar } from '../calendar/seed.js';
import { Role } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { seedDemoPki } from '../signatures/trust/demo-pki.js';
import { DEMO_LEADER_CCCD, DEMO_STAFF, seedDemoAccounts } from './demo-accounts.js';
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
    if (config.signing.demoPki) {
      const leaders = DEMO_STAFF.filter((s) => s.role === Role.LEADER).map((s) => ({ username: s.username, fullName: s.fullName, cccd: DEMO_LEADER_CCCD[s.username] }));
      await seedDemoPki(config, app.get(Clock).now(), leaders, say);
    }
  }
}
