import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors.js';
import { RedisClient } from '../common/redis.js';
import { AppConfig } from '../config/app-config.js';
import { clientBucket } from './rate-limit.js';
import { claimAttempt, releaseAttempt } from './redis-counters.js';
import { sha256Hex } from './secret-hash.js';

/** A counted login attempt: call `succeeded` when the password was right. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/**
 * Limits password guessing: at most LOGIN_MAX_PER_ACCOUNT failed logins per username and
 * LOGIN_MAX_PER_CLIENT per client IP within LOGIN_WINDOW_SECONDS. Each attempt is counted before
 * the password is checked (in one atomic step with the limit check), so a burst of parallel
 * guesses cannot slip past the limit, and a locked account is refused even with the right
 * password. A success takes its attempt back: it clears the account's counter and gives the
 * client's back one, so an office behind one IP is not locked out by its own successful logins.
 *
 * The per-account limit lets anyone who knows a CCCD lock that citizen's password login for a
 * window; VNeID login is not affected, and the window is short.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Counts an attempt, or throws 429 TOO_MANY_REQUESTS (with Retry-After) when a limit is reached. */
  async begin(username: string, clientIp: string | undefined): Promise<LoginAttempt> {
    const { maxPerAccount, maxPerClient, windowSeconds } = this.config.login;
    // Usernames of citizens are CCCD numbers: only their hash goes into Redis.
    const accountKey = `${this.config.queuePrefix}:login:account:${sha256Hex(username)}`;
    const clientKey = `${this.config.queuePrefix}:login:client:${clientBucket(clientIp)}`;
    let waitMs: number;
    try {
      waitMs = await claimAttempt(this.redis, [{ key: accountKey, limit: maxPerAccount }, { key: clientKey, limit: maxPerClient }], windowSeconds * 1000);
    } catch {
      // Fail closed: without the counters, password guessing would be unlimited.
      throw AppError.unavailable('SERVICE_UNAVAILABLE', 'Đăng nhập tạm thời không khả dụng, vui lòng thử lại sau / Login is temporarily unavailable, please retry later');
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw AppError.tooManyRequests(
        'TOO_MANY_REQUESTS',
        `Đăng nhập sai quá nhiều lần, vui lòng thử lại sau ${seconds} giây / Too many failed logins, try again in ${seconds} seconds`,
        seconds,
        { retryAfterSeconds: seconds },
      );
    }
    // A correct password must not fail because the clean-up did; the counters expire anyway.
    return { succeeded: () => releaseAttempt(this.redis, accountKey, clientKey).catch(() => undefined) };
  }
}
