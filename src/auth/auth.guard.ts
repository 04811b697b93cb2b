import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC, ROLES, type AuthUser, type Role } from '../common/auth-context.js';
import { requireScope, SCOPES, type ApiScope } from './scopes.js';
import { CommonErrors } from '../common/common.errors.js';
import { AppError } from '../common/errors.js';

/**
 * The strategies tried, in order, for a route that needs a caller: a bearer JWT (people), then an
 * `X-API-Key` header (integrators). The first that succeeds decides who the caller is.
 */
export const AUTH_STRATEGIES = ['jwt', 'api-key'];

const PassportGuard = AuthGuard(AUTH_STRATEGIES);

/**
 * Global guard: every route needs an authenticated caller unless marked @Public(); routes marked
 * @Roles(...) also need one of those roles (403 otherwise), and routes marked @Scopes(...) need
 * those scopes when the caller is an API key (403 MISSING_SCOPE).
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
    } catch (e) {
      if (e instanceof AppError) throw e; // a strategy could not decide (e.g. 503), as opposed to "no"
      throw CommonErrors.UNAUTHENTICATED('Chưa đăng nhập hoặc phiên đã hết hạn', 'Authentication required (missing, invalid or expired token)');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (roles?.length && (!user || !roles.includes(user.role))) {
      throw CommonErrors.FORBIDDEN('Không có quyền thực hiện thao tác này', 'Your role may not do this', { allowedRoles: roles });
    }
    const scopes = this.reflector.getAllAndOverride<ApiScope[] | undefined>(SCOPES, targets);
    if (scopes?.length) requireScope(user, ...scopes);
    return true;
  }
}
