import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/** Who may do what. Staff (every role but CITIZEN and INTEGRATOR) belong to one agency. */
export enum Role {
  CITIZEN = 'CITIZEN',
  RECEPTION_OFFICER = 'RECEPTION_OFFICER',
  SPECIALIST = 'SPECIALIST',
  LEADER = 'LEADER',
  ADMIN = 'ADMIN',
  INTEGRATOR = 'INTEGRATOR',
}
export const STAFF_ROLES = [Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER] as const;

/**
 * The authenticated caller, attached to the request by the auth guard. A user logged in with a
 * JWT has `kind: 'user'`; an integrator calling with `X-API-Key` has `kind: 'api-key'`, its scopes
 * and the agencies it may act for (empty = all).
 */
export interface AuthUser {
  kind: 'user' | 'api-key';
  id: string;
  username: string;
  role: Role;
  fullName?: string;
  /** Staff: the agency they belong to. */
  agencyCode?: string | null;
  /** Citizens: their 12-digit CCCD. */
  idNumber?: string | null;
  /** Citizens: the CCCD is proven (VNeID or a desk check), so dossiers others filed for it are theirs. */
  identityVerified?: boolean;
  /** Integrators: what the key may do, e.g. `dossiers:read`, `dossiers:write`. */
  scopes?: string[];
  /** Integrators: the agencies the key may act for; empty means every agency. */
  agencyCodes?: string[];
}

export const IS_PUBLIC = 'motcua:public';
export const ROLES = 'motcua:roles';

/** The route needs no authentication. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));

/** Only these roles may call the route (authentication is always required unless @Public). */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES, roles), ApiExtension('x-roles', roles));

/** The caller, in a controller method: `@CurrentUser() user: AuthUser`. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});
