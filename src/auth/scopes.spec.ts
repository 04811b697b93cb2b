import { describe, expect, it } from '@jest/globals';
import { Role, type AuthUser } from '../common/auth-context.js';
import { AppError } from '../common/errors.js';
import { mayActForAgency, missingScopes, requireScope } from './scopes.js';

const key = (scopes: string[], agencyCodes: string[] = []): AuthUser => ({
  kind: 'api-key',
  id: 'k1',
  username: 'Cổng DVC quốc gia',
  role: Role.INTEGRATOR,
  scopes,
  agencyCodes,
});
const officer: AuthUser = { kind: 'user', id: 'u1', username: 'canbo', role: Role.RECEPTION_OFFICER, agencyCode: '000.00.20.H56' };

describe('requireScope', () => {
  it('lets a key with the scope through', () => {
    expect(() => requireScope(key(['dossiers:read', 'dossiers:write']), 'dossiers:write')).not.toThrow();
  });

  it('refuses a key without it with 403 MISSING_SCOPE naming what is missing', () => {
    let error: unknown;
    try {
      requireScope(key(['dossiers:read']), 'dossiers:read', 'dossiers:write');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 403, code: 'MISSING_SCOPE', details: { missingScopes: ['dossiers:write'] } });
    expect(missingScopes(key([]), ['catalog:write'])).toEqual(['catalog:write']);
  });

  it('does not constrain people, whose role the guard already checked', () => {
    expect(() => requireScope(officer, 'catalog:write')).not.toThrow();
    expect(missingScopes(undefined, ['dossiers:read'])).toEqual([]);
  });
});

describe('mayActForAgency', () => {
  it('allows every agency to a key that lists none, and only the listed ones otherwise', () => {
    expect(mayActForAgency(key(['dossiers:read']), '000.00.20.H56')).toBe(true);
    const limited = key(['dossiers:read'], ['000.00.20.H56']);
    expect(mayActForAgency(limited, '000.00.20.H56')).toBe(true);
    expect(mayActForAgency(limited, '000.00.21.H56')).toBe(false);
  });

  it('leaves people to the capability asking', () => {
    expect(mayActForAgency(officer, '000.00.21.H56')).toBe(true);
  });
});
