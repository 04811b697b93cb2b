import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC, ROLES, type AuthUser, type Role } from '../common/auth-context.js';
import { AppError } from '../common/errors.js';

/** The strategies tried, in order, for a route that needs a caller. */
export const AUTH_STRATEGIES = ['jwt'];

const PassportGuard = AuthGuard(AUTH_STRATEGIES);

/**
 * Global guard: every route needs an authenticated caller unless marked @Public(); routes marked
 * @Roles(...) also need one of those roles (403 otherwise).
 */
@Injectable()
export class GlobalAuthGuard implements CanActivate {
  private readonly passport = new PassportGuard();

  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    try {
      await this.passport.canActivate(ctx);
    } catch {
      throw AppError.unauthorized('UNAUTHENTICATED', 'Chưa đăng nhập hoặc phiên đã hết hạn / Authentication required (missing, invalid or expired token)');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (roles?.length && (!user || !roles.includes(user.role))) {
      throw AppError.forbidden('FORBIDDEN', 'Không có quyền thực hiện thao tác này / Your role may not do this', { allowedRoles: roles });
    }
    return true;
  }
}
