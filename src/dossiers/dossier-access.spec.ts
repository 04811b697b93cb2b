import { describe, expect, it } from '@jest/globals';
import { Role, type AuthUser } from '../common/auth-context.js';
import { canSeeDossier } from './dossier-access.js';

const d = { ownerUserId: 'citizen-1', receivingAgencyCode: 'CENTRE', competentAgencyCode: 'DEPT' };
const user = (over: Partial<AuthUser>): AuthUser => ({ kind: 'user', id: 'x', username: 'x', role: Role.CITIZEN, ...over });

describe('who sees a dossier', () => {
  it('the owner, and no other citizen', () => {
    expect(canSeeDossier(user({ id: 'citizen-1' }), d)).toBe(true);
    expect(canSeeDossier(user({ id: 'citizen-2' }), d)).toBe(false);
    expect(canSeeDossier(user({ id: 'citizen-2' }), { ...d, ownerUserId: null })).toBe(false);
  });
  it('staff of the receiving centre or the competent agency, not of another agency', () => {
    for (const role of [Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER]) {
      expect(canSeeDossier(user({ role, agencyCode: 'CENTRE' }), d)).toBe(true);
      expect(canSeeDossier(user({ role, agencyCode: 'DEPT' }), d)).toBe(true);
      expect(canSeeDossier(user({ role, agencyCode: 'OTHER' }), d)).toBe(false);
    }
  });
  it('not admins', () => {
    expect(canSeeDossier(user({ role: Role.ADMIN }), d)).toBe(false);
  });
  it('integrators with the read scope covering one of its agencies', () => {
    const key = (scopes: string[], agencyCodes: string[]): AuthUser => ({ kind: 'api-key', id: 'k', username: 'portal', role: Role.INTEGRATOR, scopes, agencyCodes });
    expect(canSeeDossier(key(['dossiers:read'], []), d)).toBe(true);
    expect(canSeeDossier(key(['dossiers:read'], ['DEPT']), d)).toBe(true);
    expect(canSeeDossier(key(['dossiers:read'], ['OTHER']), d)).toBe(false);
    expect(canSeeDossier(key(['dossiers:write'], []), d)).toBe(false);
  });
});
