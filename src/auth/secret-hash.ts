import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Hashing for high-entropy secrets we issue (refresh tokens, API keys): a plain SHA-256 suffices
 * because guessing 256 random bits is hopeless, unlike a password, which needs argon2id.
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Compares two hex digests in constant time (false when their lengths differ). */
export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Compares two strings in constant time for equal lengths (false when their lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * An HMAC-SHA256 (base64url) of `value` under a key derived from `secret` for one `purpose`, so
 * one configured secret (JWT_SECRET) can sign several kinds of value without one standing in for
 * another (an OIDC state binding is never a valid queue-board session).
 */
export function purposeHmac(secret: string, purpose: string, value: string): string {
  const key = createHmac('sha256', secret).update(purpose).digest();
  return createHmac('sha256', key).update(value).digest('base64url');
}
