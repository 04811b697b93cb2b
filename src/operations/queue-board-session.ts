import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { AppConfig } from '../config/app-config.js';
import { purposeHmac, safeEqual } from '../auth/secret-hash.js';

export const BOARD_COOKIE = 'motcua_queues';
export const BOARD_SESSION_SECONDS = 15 * 60;

/**
 * A queue-board session: `<userId>.<expiry>.<HMAC>` under a key derived from JWT_SECRET, so the
 * cookie is neither the admin's access token (useless anywhere else) nor forgeable, and it ends
 * by itself after BOARD_SESSION_SECONDS.
 */
export class BoardSessions {
  constructor(private readonly jwtSecret: string) {}

  issue(userId: string, nowMs = Date.now()): string {
    const body = `${userId}.${Math.floor(nowMs / 1000) + BOARD_SESSION_SECONDS}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The admin's id when the value is a session this service issued and it has not expired. */
  verify(value: string | undefined, nowMs = Date.now()): string | undefined {
    const m = /^([0-9a-f-]{1,64})\.(\d{1,12})\.([\w-]{43})$/.exec(value ?? '');
    if (!m) return undefined;
    if (!safeEqual(m[3], this.sign(`${m[1]}.${m[2]}`))) return undefined;
    return Number(m[2]) * 1000 > nowMs ? m[1] : undefined;
  }

  private sign(body: string): string {
    return purposeHmac(this.jwtSecret, 'motcua queue board session', body);
  }
}

@ApiTags('operations')
@Controller('admin/queues')
export class QueueBoardSessionController {
  private readonly sessions: BoardSessions;
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.sessions = new BoardSessions(config.jwtSecret);
  }

  @Post('session')
  @Roles(Role.ADMIN)
  @HttpCode(204)
  @ApiOperation({
    operationId: 'openQueueDashboardSession',
    summary: 'Mở bảng hàng đợi / Open the queue board (/admin/queues) in this browser',
    description: `Sets the cookie \`${BOARD_COOKIE}\` (HttpOnly, SameSite=Strict, Path=/admin/queues, ${BOARD_SESSION_SECONDS / 60} minutes; Secure over https and always in production): an opaque signed session, not the access token, which therefore never appears in a URL.`,
  })
  @ApiNoContentResponse({ description: 'The board session cookie is set' })
  open(@CurrentUser() user: AuthUser, @Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    res.cookie(BOARD_COOKIE, this.sessions.issue(user.id), {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure || this.config.nodeEnv === 'production',
      path: '/admin/queues',
      maxAge: BOARD_SESSION_SECONDS * 1000,
    });
  }
}
