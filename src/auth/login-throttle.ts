import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../common/redis.js';
import { AppConfig } from '../config/app-config.js';
import { clientBucket } from './rate-limit.js';
import { claimAttempt, hitCounter, releaseAttempt } from './redis-counters.js';
import { sha256Hex } from './secret-hash.js';
import { CommonErrors } from '../common/common.errors.js';
import { AuthErrors } from './auth.errors.js';

const REGISTRATION_WINDOW_MS = 3600_000;
/** Extra wait per failure beyond LOGIN_SLOWDOWN_AFTER, and its ceiling. */
const SLOWDOWN_STEP_MS = 250;
const SLOWDOWN_MAX_MS = 5000;

/** A counted login attempt: call `succeeded` when the password was right, `failed` when not. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

const unavailable = () =>
  CommonErrors.SERVICE_UNAVAILABLE('Đăng nhập tạm thời không khả dụng, vui lòng thử lại sau', 'Login is temporarily unavailable, please retry later');

/**
 * Limits password guessing without letting a stranger lock anyone out.
 *
 * - Per (account, client): at most LOGIN_MAX_PER_ACCOUNT failed logins within LOGIN_WINDOW_SECONDS;
 *   then that client is refused for that account (429) until the window ends, even with the right
 *   password. Other clients are not affected, so whoever knows a staff username or a CCCD cannot
 *   lock its owner out by failing on purpose.
 * - Per client: at most LOGIN_MAX_PER_CLIENT failures across accounts (one address spraying).
 * - Per account from all clients together: past LOGIN_SLOWDOWN_AFTER failures in the window every
 *   further login of that account is answered only after a growing delay (250 ms per extra
 *   failure, at most 5 s). A distributed guesser is slowed down to a few guesses per second per
 *   connection; the owner still gets in, a little later. We chose delay over lock for that reason.
 *
 * Attempts are counted before the password is checked (in one atomic step with the limit check),
 * so a burst of parallel guesses cannot slip past a limit. A success takes its attempt back: it
 * clears the pair's counter and gives the client's back one, so an office behind one IP is not
 * limited by its own successful logins.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Counts an attempt, or throws 429 TOO_MANY_REQUESTS (with Retry-After) when a limit is reached. */
  async begin(username: string, clientIp: string | undefined): Promise<LoginAttempt> {
    const { maxPerAccount, maxPerClient, windowSeconds, slowdownAfter } = this.config.login;
    // Usernames of citizens are CCCD numbers: only their hash goes into Redis. One hash tag keeps
    // the keys of one attempt in one Redis Cluster slot.
    const account = sha256Hex(username);
    const client = clientBucket(clientIp);
    const prefix = this.config.queuePrefix;
    const pairKey = `${prefix}:login:pair:${sha256Hex(`${account}|${client}`)}`;
    const clientKey = `${prefix}:login:client:${client}`;
    const accountKey = `${prefix}:login:account:${account}`;
    let waitMs: number;
    let accountFailures: number;
    try {
      // One round trip's wait: the claim and the account-wide failure count go out together.
      const [wait, failures] = await Promise.all([
        claimAttempt(
          this.redis,
          [
            { key: pairKey, limit: maxPerAccount },
            { key: clientKey, limit: maxPerClient },
          ],
          windowSeconds * 1000,
        ),
        this.redis.get(accountKey),
      ]);
      waitMs = wait;
      accountFailures = Number(failures ?? 0);
    } catch {
      // Fail closed: without the counters, password guessing would be unlimited.
      throw unavailable();
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw CommonErrors.TOO_MANY_REQUESTS(seconds, 'Đăng nhập sai quá nhiều lần, vui lòng thử lại sau', 'Too many failed logins, try again in', {
        retryAfterSeconds: seconds,
      });
    }
    const delay = slowdownDelayMs(accountFailures, slowdownAfter);
    if (delay > 0) await sleep(delay);
    return {
      // A correct password must not fail because the clean-up did; the counters expire anyway.
      succeeded: () => releaseAttempt(this.redis, pairKey, clientKey).catch(() => undefined),
      failed: () =>
        hitCounter(this.redis, accountKey, windowSeconds * 1000).then(
          () => undefined,
          () => undefined,
        ),
    };
  }

  /**
   * Citizen self-registration: REGISTER_MAX_PER_CLIENT_PER_HOUR per client address, counted apart
   * from the API-wide rate limit, since each registration costs a password hash.
   */
  async beginRegistration(clientIp: string | undefined): Promise<void> {
    const limit = this.config.login.registrationsPerClientPerHour;
    let hit: { count: number; msLeft: number };
    try {
      hit = await hitCounter(this.redis, `${this.config.queuePrefix}:register:client:${clientBucket(clientIp)}`, REGISTRATION_WINDOW_MS);
    } catch {
      throw unavailable();
    }
    if (hit.count > limit) {
      const seconds = Math.max(1, Math.ceil(hit.msLeft / 1000));
      throw AuthErrors.TOO_MANY_REGISTRATIONS(seconds, { retryAfterSeconds: seconds });
    }
  }
}

/** How long to hold a login of an account that has failed `failures` times in the window. */
export function slowdownDelayMs(failures: number, after: number): number {
  if (failures <= after) return 0;
  return Math.min(SLOWDOWN_MAX_MS, (failures - after) * SLOWDOWN_STEP_MS);
}
