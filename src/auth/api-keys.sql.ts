import type { DataSource, EntityManager } from 'typeorm';
import { Role } from '../common/auth-context.js';

/** SQL over the API keys' table (api-key.entity.ts) for capabilities that act for a key (webhooks). */

/** The API keys as `k` (id, agency_codes, scopes, revoked_at, created_by…), for a join. */
export const API_KEYS_AS_K = 'api_keys k';

/** The account that created an API key (its notices' recipient), null when unknown. */
export async function apiKeyCreator(db: DataSource | EntityManager, keyId: string): Promise<string | null> {
  const [r] = await db.query(`SELECT created_by FROM api_keys WHERE id = $1`, [keyId]);
  return r?.created_by ?? null;
}

/** Whether a live (not revoked) API key has this id. */
export async function isLiveApiKey(db: DataSource | EntityManager, keyId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM api_keys WHERE id = $1 AND revoked_at IS NULL`, [keyId])).length > 0;
}

/** An API key's scopes (none for an unknown key). */
export async function apiKeyScopes(db: DataSource | EntityManager, keyId: string): Promise<string[]> {
  const [r] = await db.query(`SELECT scopes FROM api_keys WHERE id = $1`, [keyId]);
  return r?.scopes ?? [];
}

/** Whether an active admin account has this id. */
export async function isActiveAdmin(db: DataSource | EntityManager, userId: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM users WHERE id = $1 AND role = $2 AND active`, [userId, Role.ADMIN])).length > 0;
}
