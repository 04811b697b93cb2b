import { isIPv6 } from 'node:net';
import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RedisClient } from '../common/redis.js';
import { AppConfig } from '../config/app-config.js';
import { hitCounter } from './redis-counters.js';
import { CommonErrors } from '../common/common.errors.js';

const WINDOW_MS = 60_000;
const WARN_EVERY_MS = 60_000;
/** Health probes (/health/live, /health/ready) are not counted. */
const HEALTH_PATH = /^\/health(\/|$)/;

/**
 * Whom a request is counted against: its IPv4 address, or the /64 network of an IPv6 address,
 * since one IPv6 subscriber usually holds a whole /64 and could otherwise rotate past any limit.
 */
export function clientBucket(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * One budget of RATE_LIMIT_PER_MINUTE requests per client across the whole API (fixed one-minute
 * windows counted in the shared Redis, so every replica draws on the same budget). Over it, 429
 * TOO_MANY_REQUESTS with Retry-After; every answer carries X-RateLimit-Limit/-Remaining/-Reset.
 * RATE_LIMIT_PER_MINUTE=0 turns it off, e.g. for a load test from one address. Clients behind one
 * NAT (a service centre's counters) share a budget, hence the generous default. The client is
 * `req.ip`: the peer address, or X-Forwarded-For only from a proxy TRUST_PROXY names. Health
 * probes are exempt.
 *
 * Our own guard rather than @nestjs/throttler: that package is CommonJS requiring the ESM-only
 * @nestjs/common, which Jest cannot load on Node 20, so no test could run the app with it.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(RedisClient) private readonly redis: RedisClient,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const limit = this.config.rateLimitPerMinute;
    if (limit === 0 || ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    // A load balancer probing a node must never be told it is unhealthy because clients behind
    // the same address were busy.
    if (HEALTH_PATH.test(req.path)) return true;
    const res = ctx.switchToHttp().getResponse<Response>();
    let count: number;
    let msLeft: number;
    try {
      ({ count, msLeft } = await hitCounter(this.redis, `${this.config.queuePrefix}:rate:${clientBucket(req.ip)}`, WINDOW_MS));
    } catch (e) {
      // Fail open: this limit protects capacity, not secrets (logins have their own throttle,
      // which fails closed), and a Redis outage should not take the whole API down with it.
      if (Date.now() - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limiting suspended, Redis unavailable: ${(e as Error).message}`);
      }
      return true;
    }
    const resetSeconds = Math.max(1, Math.ceil(msLeft / 1000));
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - count)));
    res.setHeader('X-RateLimit-Reset', String(resetSeconds));
    if (count > limit) {
      throw CommonErrors.TOO_MANY_REQUESTS(resetSeconds, 'Quá nhiều yêu cầu, vui lòng thử lại sau', `Too many requests (limit ${limit} per minute), retry in`, {
        limitPerMinute: limit,
        retryAfterSeconds: resetSeconds,
      });
    }
    return true;
  }
}
