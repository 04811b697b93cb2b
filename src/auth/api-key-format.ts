import { randomBytes } from 'node:crypto';

/**
 * An API key reads `mck_<uuid>_<secret>`: a recognisable prefix (so secret scanners and people
 * can tell what leaked), the key's id (so the lookup is by primary key and an admin can match a
 * key to its row), and 32 random bytes in base64url. The id has a fixed length, so the `_` that
 * base64url may contain in the secret does not make parsing ambiguous.
 */
const KEY_PATTERN = /^mck_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function newApiKeySecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatApiKey(id: string, secret: string): string {
  return `mck_${id}_${secret}`;
}

export function parseApiKey(presented: string): { id: string; secret: string } | null {
  const m = KEY_PATTERN.exec(presented);
  return m ? { id: m[1], secret: m[2] } : null;
}
