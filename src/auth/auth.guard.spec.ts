import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { AppError } from '../common/errors.js';
import { GlobalAuthGuard } from './auth.guard.js';
import { Scopes } from './scopes.js';

class Routes {
  @Public() open() {}
  anyCaller() {}
  @Roles(Role.ADMIN) adminOnly() {}
  @Roles(Role.RECEPTION_OFFICER, Role.INTEGRATOR) @Scopes('dossiers:write') submitForCitizen() {}
}

/** The guard's decision for the caller the strategies found (none, or the error one raised). */
async function decide(handler: keyof Routes, user: AuthUser | undefined | Error): Promise<{ allowed: true } | { status: number; code: string }> {
  const guard = new GlobalAuthGuard(new Reflector());
  // Stand in for passport: the strategies themselves are exercised by the e2e tests.
  (guard as unknown as { passport: { canActivate: () => Promise<boolean> } }).passport = {
    canActivate: async () => {
      if (user instanceof Error) throw user;
      if (!user) throw new Error('no credentials');
      return true;
    },
  };
  const ctx = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
  try {
    await guard.canActivate(ctx);
    return { allowed: true };
  } catch (e) {
    return { status: (e as { status: number }).status, code: (e as { code: string }).code };
  }
}

const officer: AuthUser = { kind: 'user', id: 'u1', username: 'canbo', role: Role.RECEPTION_OFFICER, agencyCode: '000.00.20.H56' };
const key = (scopes: string[]): AuthUser => ({ kind: 'api-key', id: 'k1', username: 'DVCQG', role: Role.INTEGRATOR, scopes, agencyCodes: [] });

describe('GlobalAuthGuard', () => {
  it('lets anyone reach a public route and needs a caller elsewhere', async () => {
    expect(await decide('open', undefined)).toEqual({ allowed: true });
    expect(await decide('anyCaller', undefined)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await decide('anyCaller', key([]))).toEqual({ allowed: true });
  });

  it('passes on a strategy that could not decide (database down) instead of calling it a bad credential', async () => {
    expect(await decide('anyCaller', AppError.unavailable('SERVICE_UNAVAILABLE', 'down'))).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('checks roles for people and API keys alike', async () => {
    expect(await decide('adminOnly', officer)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await decide('adminOnly', key(['dossiers:write']))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('asks API keys, and only them, for the scopes a route declares', async () => {
    expect(await decide('submitForCitizen', key(['dossiers:write']))).toEqual({ allowed: true });
    expect(await decide('submitForCitizen', key(['dossiers:read']))).toEqual({ status: 403, code: 'MISSING_SCOPE' });
    expect(await decide('submitForCitizen', officer)).toEqual({ allowed: true });
  });
});
