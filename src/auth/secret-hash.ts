import { createHash, timingSafeEqual } from 'node:crypto';

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
