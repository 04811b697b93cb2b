import type { DataSource, EntityManager } from 'typeorm';

/** SQL over the API keys' table (api-key.entity.ts) for capabilities that act for a key (webhooks). */

/** The API keys as `k` (id, agency_codes, scopes, revoked_at, created_by…), for a join. */
export const API_KEYS_AS_K = 'api_keys k';

/** The account that created an API key (its notices' recipient), null when unknown. */
export async function apiKeyCreator(db: DataSource | EntityManager, keyId: string): Promise<string | null> {
  const [r] = await db.query(`SELECT created_by FROM api_keys WHERE id = $1`, [keyId]);
  return r?.created_by ?? null;
}
