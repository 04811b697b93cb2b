import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { Role } from '../common/auth-context.js';
import { DashboardQueues } from './dashboard-queues.js';

export const DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'motcua_queues';

/**
 * Bull Board at /admin/queues, for admins only. A browser cannot send a bearer header on page
 * loads, so the first visit passes the admin's access token once as `?token=` and gets it back as
 * an HttpOnly cookie limited to this path (valid as long as the token); the header works too.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const jwt = app.get(JwtService);
  const queues = app.get(DashboardQueues).all;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter });

  const adminOnly = (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
    const fromCookie = /(?:^|;\s*)motcua_queues=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const token = req.headers.authorization?.replace(/^Bearer /i, '') ?? fromQuery ?? fromCookie;
    try {
      const claims = jwt.verify<{ role: string; exp: number }>(token ?? '');
      if (claims.role !== Role.ADMIN) throw new Error('not an admin');
      if (fromQuery) {
        res.cookie(COOKIE, fromQuery, { httpOnly: true, sameSite: 'strict', path: DASHBOARD_PATH, expires: new Date(claims.exp * 1000) });
      }
      next();
    } catch {
      res.status(401).json({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'Cần đăng nhập quản trị / Admin access token required (Authorization header or ?token=)', requestId: (req as { id?: string }).id ?? 'unknown' });
    }
  };
  app.use(DASHBOARD_PATH, adminOnly, serverAdapter.getRouter());
}
