import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service.js';
import { UsersService } from '../auth/users.service.js';
import { seedNationalCalendar } from '../calendar/seed.js';
import { Role } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { seedDemoPki } from '../signatures/trust/demo-pki.js';
import { DEMO_LEADER_CCCD, DEMO_STAFF, seedDemoAccounts } from './demo-accounts.js';
import { seedDemoCatalog } from './demo-catalog.js';
import { applyFirstAdmin, closeDemoAccounts } from './production-accounts.js';

/**
 * Work done once per start, after migrations: in production, refuse (or, with
 * DISABLE_DEMO_ACCOUNTS, deactivate) the demo's accounts; the first admin (created when none
 * exists; with ADMIN_PASSWORD given, its password); the national holiday schedule (always: it is
 * not demo data), and the demo data when SEED_DEMO is on. Each step is idempotent, so replicas and
 * restarts may run it again. A refusal is a ConfigError: main.ts prints its line and exits.
 */
export async function runStartupTasks(app: INestApplication, config: AppConfig, say: (line: string) => void): Promise<void> {
  await oneProcessAtATime(app.get(DataSource), () => seed(app, config, say));
}

/** An arbitrary constant that names the start-up tasks' lock among PostgreSQL advisory locks. */
const STARTUP_LOCK_KEY = 4_021_776_002;

/**
 * Replicas starting together (two APIs and a worker in docker-compose.yml) take turns, so one of
 * them seeds and the others find everything in place. The rows would survive a race (unique keys,
 * ON CONFLICT) and the demo PKI's files on a shared DATA_DIR are written once (writeOnce), but
 * taking turns keeps the trust anchor in the database and the CA on disk from one process. The lock
 * is a session's: it goes with the connection if a process dies.
 */
async function oneProcessAtATime(ds: DataSource, work: () => Promise<void>): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    try {
      await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

async function seed(app: INestApplication, config: AppConfig, say: (line: string) => void): Promise<void> {
  const users = app.get(UsersService);
  // The demo's accounts first: the default admin among them is then no reason to create another.
  await closeDemoAccounts(users, config, say);
  await applyFirstAdmin(users, config, say);
  await seedNationalCalendar(app, say);
  if (config.seedDemo) {
    await seedDemoCatalog(app, say);
    await seedDemoAccounts(app, say);
    if (config.signing.demoPki) {
      const leaders = DEMO_STAFF.filter((s) => s.role === Role.LEADER).map((s) => ({
        username: s.username,
        fullName: s.fullName,
        cccd: DEMO_LEADER_CCCD[s.username],
      }));
      // The agencies whose leaders sign results also collect fees: each gets a seal for its e-receipts.
      const collecting = [...new Set(DEMO_STAFF.filter((s) => s.role === Role.LEADER && s.agencyCode).map((s) => s.agencyCode!))];
      const agencies = await Promise.all(collecting.map(async (code) => ({ code, name: (await app.get(AgenciesService).getByCode(code)).name })));
      await seedDemoPki(config, app.get(Clock).now(), leaders, say, agencies);
    }
  }
}
