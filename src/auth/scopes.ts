import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-context.js';
import { AuthErrors } from './auth.errors.js';

/**
 * What an integrator's API key may be allowed to do. Scopes only narrow API-key callers: people
 * logged in with a JWT are governed by their role alone. Add a scope here before a capability
 * checks it, so admins can grant it.
 */
export const API_SCOPES = ['dossiers:read', 'dossiers:write', 'catalog:write', 'webhooks:manage'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && (API_SCOPES as readonly string[]).includes(value);
}

/** True for a caller that is an integrator's API key (not a person). */
export function isApiKeyCaller(user: AuthUser | undefined): boolean {
  return user?.kind === 'api-key';
}

/** The scopes among `scopes` that the caller's API key lacks (always none for a person). */
export function missingScopes(user: AuthUser | undefined, scopes: readonly ApiScope[]): ApiScope[] {
  if (!isApiKeyCaller(user)) return [];
  const held = new Set(user?.scopes ?? []);
  return scopes.filter((s) => !held.has(s));
}

/**
 * Throws 403 MISSING_SCOPE when an API-key caller lacks a scope; a no-op for people (their role
 * was checked by the guard). For checks that depend on the request (e.g. which action a body
 * asks for); a route that always needs a scope declares it with @Scopes instead.
 */
export function requireScope(user: AuthUser | undefined, ...scopes: ApiScope[]): void {
  const missing = missingScopes(user, scopes);
  if (missing.length) {
    throw AuthErrors.MISSING_SCOPE(missing, { requiredScopes: scopes, missingScopes: missing });
  }
}

/**
 * Whether an API-key caller may act for an agency: its key lists the agency, or lists none (all
 * agencies). People answer true: staff's own agency rules belong to the capability asking. Use it
 * to filter, or to answer "not found" for a dossier the key may not see, so existence does not leak.
 */
export function mayActForAgency(user: AuthUser | undefined, agencyCode: string): boolean {
  if (!isApiKeyCaller(user)) return true;
  const allowed = user?.agencyCodes ?? [];
  return allowed.length === 0 || allowed.includes(agencyCode);
}

export const SCOPES = 'motcua:scopes';

/**
 * An API-key caller must hold every one of these scopes (403 MISSING_SCOPE otherwise, checked by
 * GlobalAuthGuard). The route must also admit Role.INTEGRATOR if it declares @Roles.
 */
export const Scopes = (...scopes: ApiScope[]) => applyDecorators(SetMetadata(SCOPES, scopes), ApiExtension('x-scopes', scopes));
