/** How a target's failed deliveries are retried. */
export interface RetryPolicy {
  /** First delay; each further attempt doubles it (full jitter below the doubled value). */
  baseMs: number;
  /** Longest delay between two attempts. */
  maxMs: number;
  /** A delivery older than this is not tried again: it is DEAD. */
  windowMs: number;
}

/**
 * The delay before attempt `failures + 1` after `failures` failed ones: exponential with "equal
 * jitter" (half fixed, half random), so retries of many endpoints that failed together spread out
 * but none comes back sooner than half its step. A server's Retry-After is honoured (never earlier
 * than it asks), capped at maxMs.
 */
export function retryDelayMs(policy: RetryPolicy, failures: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  const jittered = step / 2 + random() * (step / 2);
  return Math.round(retryAfterMs === undefined ? jittered : Math.min(policy.maxMs, Math.max(retryAfterMs, jittered)));
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
