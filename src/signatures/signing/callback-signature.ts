import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '../../common/clock.js';
import { AppError } from '../../common/errors.js';
import { RedisClient } from '../../common/redis.js';
import { AppConfig } from '../../config/app-config.js';

export const CALLBACK_TIMESTAMP_HEADER = 'x-motcua-timestamp';
export const CALLBACK_SIGNATURE_HEADER = 'x-motcua-signature';
/** How far a callback's timestamp may be from our clock, either way. */
export const CALLBACK_MAX_AGE_SECONDS = 300;

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

const unauthenticated = (code: string, message: string) => AppError.unauthorized(code, message);

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
      throw unauthenticated('CALLBACK_UNSIGNED', `Thiếu chữ ký của lời gọi lại / The callback must carry the ${CALLBACK_TIMESTAMP_HEADER} and ${CALLBACK_SIGNATURE_HEADER} headers (HMAC-SHA256 with the remote-signing token)`);
    }
    const expected = token && /^\d{1,12}$/.test(timestamp) ? Buffer.from(callbackSignature(token, timestamp, req.rawBody ?? '')) : undefined;
    const actual = Buffer.from(given);
    if (!expected || actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw unauthenticated('CALLBACK_SIGNATURE_INVALID', 'Chữ ký của lời gọi lại không hợp lệ / The callback signature does not match the body and the remote-signing token');
    }
    const age = Math.abs(this.clock.now().getTime() / 1000 - Number(timestamp));
    if (age > CALLBACK_MAX_AGE_SECONDS) {
      throw unauthenticated('CALLBACK_STALE', `Lời gọi lại đã quá hạn / The callback timestamp is more than ${CALLBACK_MAX_AGE_SECONDS} seconds from the server's time`);
    }
    const first = await this.redis.set(`${this.config.queuePrefix}:signing-callback:${given}`, '1', 'EX', CALLBACK_MAX_AGE_SECONDS * 2, 'NX');
    if (first !== 'OK') throw AppError.conflict('CALLBACK_REPLAYED', 'Lời gọi lại đã được nhận trước đó / This callback was already received');
    return true;
  }
}
