import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { migrate, pendingSchemaChanges } from '../src/database/data-source.js';
import { createTestDatabase } from './support/test-app.js';

describe('migrations', () => {
  it('leave no difference between the migrated schema and the entities', async () => {
    const url = await createTestDatabase();
    expect(await pendingSchemaChanges(url)).toEqual([]);
  });

  it('apply once even when several replicas migrate at the same moment (advisory lock)', async () => {
    const url = await createTestDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // Start from an empty database so there is real work to race over.
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
      const applied = results.map((r) => r.length).sort();
      expect(applied[0]).toBe(0);
      expect(applied[1]).toBe(0);
      expect(applied[2]).toBeGreaterThan(0);
      const rows = await client.query('SELECT count(*)::int AS n FROM migrations');
      expect(rows.rows[0].n).toBe(applied[2]);
    } finally {
      await client.end();
    }
  });
});
