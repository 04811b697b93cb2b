import { UsersService, type FirstAdminOutcome } from '../auth/users.service.js';
import { DEFAULT_ADMIN_USERNAME, type AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/env.js';
import { DEFAULT_ADMIN_PASSWORD } from '../config/production.js';
import { DEMO_CITIZEN, DEMO_PASSWORD, DEMO_STAFF } from './demo-accounts.js';

/**
 * The accounts whose credentials the README publishes: the demo's staff and citizen, and the
 * default first admin unless it is ADMIN_USERNAME itself (whose password ADMIN_PASSWORD sets right
 * after, see ensureAdmin). A short fixed list: checking it costs one password hash per account.
 */
export function publishedCredentials(config: Pick<AppConfig, 'adminUsername' | 'adminPasswordGiven'>): Array<{ username: string; password: string }> {
  const adminGetsItsOwn = config.adminPasswordGiven && config.adminUsername === DEFAULT_ADMIN_USERNAME;
  return [
    ...(adminGetsItsOwn ? [] : [{ username: DEFAULT_ADMIN_USERNAME, password: DEFAULT_ADMIN_PASSWORD }]),
    ...DEMO_STAFF.map((s) => ({ username: s.username, password: DEMO_PASSWORD })),
    { username: DEMO_CITIZEN.idNumber, password: DEMO_PASSWORD },
  ];
}

/** The start-up line's prefix, as the environment checks print it (src/config/production.ts). */
const prefix = (config: Pick<AppConfig, 'nodeEnv'>) =>
  config.nodeEnv === 'production' ? 'Invalid configuration for NODE_ENV=production: ' : 'Invalid configuration: ';

/**
 * A production start never serves while the demo's accounts can log in: it refuses, with one line
 * naming them and the remedy, unless DISABLE_DEMO_ACCOUNTS=true, which deactivates them (and
 * says so). Refusing rather than deactivating on its own: a province that piloted on the demo
 * database may have officers working under those accounts, and should learn it at the start, not
 * from a desk that can no longer log in. Outside production only DISABLE_DEMO_ACCOUNTS acts.
 */
export async function closeDemoAccounts(users: UsersService, config: AppConfig, say: (line: string) => void): Promise<void> {
  if (config.nodeEnv !== 'production' && !config.disableDemoAccounts) return;
  const open = await users.openDemoAccounts(publishedCredentials(config));
  const names = open.map((a) => a.username).join(', ');
  if (open.length === 0) {
    if (config.disableDemoAccounts) say('DISABLE_DEMO_ACCOUNTS=true: no demo account can log in (nothing to deactivate; the variable may go)');
    return;
  }
  if (!config.disableDemoAccounts) {
    throw new ConfigError(
      `${prefix(config)}the database holds ${open.length} of the demo's accounts (${names}), which log in with the passwords the README publishes; ` +
        'expected a database of your own: start once with DISABLE_DEMO_ACCOUNTS=true to deactivate them (their dossiers and history stay), or start on a fresh database',
    );
  }
  await users.deactivateAccounts(open.map((a) => a.id));
  say(`DISABLE_DEMO_ACCOUNTS=true: deactivated ${open.length} demo account(s), which can no longer log in: ${names}`);
}

/** ADMIN_USERNAME / ADMIN_PASSWORD at start-up (ensureAdmin): created, applied, or a refusal naming what to set. */
export async function applyFirstAdmin(users: UsersService, config: AppConfig, say: (line: string) => void): Promise<void> {
  const name = config.adminUsername;
  const outcome = await users.ensureAdmin(name, config.adminPassword, config.adminPasswordGiven);
  if (outcome.kind === 'created') say(`created the first admin account "${name}"`);
  else if (outcome.kind === 'password-applied') say(`ADMIN_PASSWORD applied to the admin "${name}" (its password was another one); its sessions were ended`);
  else if (outcome.kind === 'refused') throw new ConfigError(`${prefix(config)}ADMIN_USERNAME=${name} ${refusal(outcome)}`);
}

function refusal(outcome: Extract<FirstAdminOutcome, { kind: 'refused' }>): string {
  const then = '(ADMIN_PASSWORD then becomes its password)';
  switch (outcome.reason) {
    case 'absent':
      return `is no account in the database, whose admins include ${outcome.admins.join(', ')}, so ADMIN_PASSWORD would apply to nobody; expected the username of one of them ${then}`;
    case 'not-admin':
      return `is a ${outcome.role} account, not an admin; expected the username of an admin ${then}`;
    case 'inactive':
      return `is a deactivated admin; expected the username of an active admin ${then}`;
  }
}
