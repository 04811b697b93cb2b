import { createHmac } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '../../common/clock.js';
import { RedisClient } from '../../common/redis.js';
import { AppConfig } from '../../config/app-config.js';

import { CALLBACK_MAX_AGE_SECONDS, CALLBACK_SIGNATURE_HEADER, CALLBACK_TIMESTAMP_HEADER } from './callback-headers.js';
import { SignatureErrors } from '../signatures.errors.js';
import { safeEqual } from '../../auth/secret-hash.js';

export { CALLBACK_MAX_AGE_SECONDS, CALLBACK_SIGNATURE_HEADER, CALLBACK_TIMESTAMP_HEADER };

/**
 * The signature of a remote-signing callback: `sha256=` and the hex HMAC-SHA256, keyed with
 * REMOTE_SIGNING_TOKEN, of `<unix seconds>.<raw body>`. The remote service (and our stand-in,
 * src/signatures/testing/remote-signing-test-server.ts) sends it with the timestamp in two headers.
 */
export function callbackSignature(token: string, timestamp: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', token).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** Headers that authenticate a callback body. */
export function signedCallbackHeaders(token: string, rawBody: string, now = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { [CALLBACK_TIMESTAMP_HEADER]: timestamp, [CALLBACK_SIGNATURE_HEADER]: callbackSignature(token, timestamp, rawBody) };
}

/**
 * Lets a callback through only when it is signed with the configured token (401
 * CALLBACK_SIGNATURE_INVALID otherwise; without REMOTE_SIGNING_TOKEN no callback can be, and
 * pending requests are simply polled), recent (401 CALLBACK_STALE beyond 5 minutes) and not seen
 * before (409 CALLBACK_REPLAYED: each signature is remembered in Redis for the window).
 */
@Injectable()
export class SignedCallbackGuard implements CanActivate {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request & { rawBody?: Buffer }>();
    const token = this.config.signing.remoteToken;
    const timestamp = req.header(CALLBACK_TIMESTAMP_HEADER);
    const given = req.header(CALLBACK_SIGNATURE_HEADER);
    if (!timestamp || !given) {
      throw SignatureErrors.CALLBACK_UNSIGNED();
    }
    const expected = token && /^\d{1,12}$/.test(timestamp) ? callbackSignature(token, timestamp, req.rawBody ?? '') : undefined;
    if (!expected || !safeEqual(given, expected)) {
      throw SignatureErrors.CALLBACK_SIGNATURE_INVALID();
    }
    const age = Math.abs(this.clock.now().getTime() / 1000 - Number(timestamp));
    if (age > CALLBACK_MAX_AGE_SECONDS) {
      throw SignatureErrors.CALLBACK_STALE();
    }
    const first = await this.redis.set(`${this.config.queuePrefix}:signing-callback:${given}`, '1', 'EX', CALLBACK_MAX_AGE_SECONDS * 2, 'NX');
    if (first !== 'OK') throw SignatureErrors.CALLBACK_REPLAYED();
    return true;
  }
}
