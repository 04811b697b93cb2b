import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { Role } from '../common/auth-context.js';
import { requestIdOf } from '../common/request-id.js';
import { AppConfig } from '../config/app-config.js';
import { BOARD_COOKIE, BoardSessions } from './queue-board-session.js';
import { DashboardQueues } from './dashboard-queues.js';
import { readCookie } from '../common/cookies.js';
import { CommonErrors } from '../common/common.errors.js';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, for admins only. A browser cannot send a bearer header on page
 * loads, and a token in the URL would land in logs and history, so an admin first calls
 * `POST /api/v1/admin/queues/session` with their bearer token, which sets a short-lived signed
 * session cookie for this path only; `Authorization: Bearer <admin token>` works too (scripts).
 * A `?token=` is never read.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const jwt = app.get(JwtService);
  const sessions = new BoardSessions(app.get(AppConfig).jwtSecret);
  const queues = app.get(DashboardQueues).all;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter });

  const isAdminBearer = (header: string | undefined) => {
    if (!header) return false;
    try {
      return jwt.verify<{ role: string }>(header.replace(/^Bearer /i, '')).role === Role.ADMIN;
    } catch {
      return false;
    }
  };
  const adminOnly = (req: Request, res: Response, next: NextFunction) => {
    if (sessions.verify(readCookie(req, BOARD_COOKIE)) || isAdminBearer(req.headers.authorization)) return next();
    // Outside Nest's exception filter (an Express router), so the one error shape is written here.
    const e = CommonErrors.UNAUTHENTICATED(
      'Cần đăng nhập quản trị: gọi POST /api/v1/admin/queues/session',
      'Admin session required: call POST /api/v1/admin/queues/session with your admin token first',
    );
    res.status(e.status).json({ statusCode: e.status, code: e.code, message: e.message, requestId: requestIdOf(req) });
  };
  app.use(DASHBOARD_PATH, adminOnly, serverAdapter.getRouter());
}
