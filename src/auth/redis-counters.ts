import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script run by its SHA (loaded on first NOSCRIPT), so each call sends only the hash. */
class LuaScript {
  private readonly sha: string;
  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e as Error).message?.startsWith('NOSCRIPT')) throw e;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

// Counters are fixed windows that start with their first hit: INCR, and PEXPIRE when INCR created
// the key. Each script runs atomically, so concurrent requests cannot slip past a limit.

/** KEYS[1] counter; ARGV[1] window ms. Returns {count, ms until the window ends}. */
const HIT = new LuaScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`);

/**
 * KEYS counters; ARGV[1] window ms, ARGV[1 + i] the limit of KEYS[i]. When any counter is at its
 * limit nothing is counted and the ms until the latest such window ends is returned; otherwise
 * every counter is incremented and 0 returned.
 */
const CLAIM = new LuaScript(`
local wait = 0
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then redis.call('PEXPIRE', key, ARGV[1]); ttl = tonumber(ARGV[1]) end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 0
`);

/** KEYS[1] counter to delete; KEYS[2] counter to take one back from (keeping its expiry). */
const RELEASE = new LuaScript(`
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0
`);

/** Counts one hit in a window; returns the count so far and the ms left in the window. */
export async function hitCounter(redis: Redis, key: string, windowMs: number): Promise<{ count: number; msLeft: number }> {
  const [count, msLeft] = (await HIT.run(redis, [key], [windowMs])) as [number, number];
  return { count, msLeft };
}

/**
 * Counts one attempt on every counter unless one of them has reached its limit, in which case it
 * returns the ms to wait. In Redis Cluster the keys must share a hash tag (e.g. `{motcua}`).
 */
export async function claimAttempt(redis: Redis, counters: Array<{ key: string; limit: number }>, windowMs: number): Promise<number> {
  return (await CLAIM.run(
    redis,
    counters.map((c) => c.key),
    [windowMs, ...counters.map((c) => c.limit)],
  )) as number;
}

/** Clears `resetKey` and takes back the attempt counted on `decrementKey`. */
export async function releaseAttempt(redis: Redis, resetKey: string, decrementKey: string): Promise<void> {
  await RELEASE.run(redis, [resetKey, decrementKey], []);
}
