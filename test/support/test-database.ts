import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh database cloned from the migrated template, for one test file. */
export async function createTestDatabase(): Promise<string> {
  const server = process.env.MOTCUA_TEST_PG_SERVER;
  const template = process.env.MOTCUA_TEST_TEMPLATE_DB;
  if (!server || !template) throw new Error('test/setup/global-setup.ts did not run');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return `${server}/${name}`;
}
