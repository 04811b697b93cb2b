import { describe, expect, it } from '@jest/globals';
import { Role, type AuthUser } from '../common/auth-context.js';
import { canSeeDossier, visibilityCondition } from './dossier-access.js';

const d = { ownerUserId: 'citizen-1', holderIdNumber: null, receivingAgencyCode: 'CENTRE', competentAgencyCode: 'DEPT' };
const user = (over: Partial<AuthUser>): AuthUser => ({ kind: 'user', id: 'x', username: 'x', role: Role.CITIZEN, ...over });

describe('who sees a dossier', () => {
  it('the owner, and no other citizen', () => {
    expect(canSeeDossier(user({ id: 'citizen-1' }), d)).toBe(true);
    expect(canSeeDossier(user({ id: 'citizen-2' }), d)).toBe(false);
    expect(canSeeDossier(user({ id: 'citizen-2' }), { ...d, ownerUserId: null })).toBe(false);
  });
  it('filed by someone else for a CCCD: the verified account for that CCCD, never an unverified one', () => {
    const filedForHolder = { ...d, ownerUserId: null, holderIdNumber: '001090000001' };
    expect(canSeeDossier(user({ id: 'real', idNumber: '001090000001', identityVerified: true }), filedForHolder)).toBe(true);
    expect(canSeeDossier(user({ id: 'squatter', idNumber: '001090000001', identityVerified: false }), filedForHolder)).toBe(false);
    expect(canSeeDossier(user({ id: 'squatter', idNumber: '001090000001' }), filedForHolder)).toBe(false);
    expect(canSeeDossier(user({ id: 'other', idNumber: '001090000002', identityVerified: true }), filedForHolder)).toBe(false);
    // A citizen's own filing stays theirs even when they filed it for another person's CCCD.
    expect(canSeeDossier(user({ id: 'real', idNumber: '001090000001', identityVerified: true }), { ...d, holderIdNumber: null })).toBe(false);
  });
  it('lists with the same rule', () => {
    expect(visibilityCondition(user({ id: 'u1', idNumber: '001090000001' }), 1)).toEqual({ sql: 'd.owner_user_id = $1', params: ['u1'] });
    expect(visibilityCondition(user({ id: 'u1', idNumber: '001090000001', identityVerified: true }), 3)).toEqual({
      sql: '(d.owner_user_id = $3 OR (d.owner_user_id IS NULL AND d.holder_id_number = $4))',
      params: ['u1', '001090000001'],
    });
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
    const key = (scopes: string[], agencyCodes: string[]): AuthUser => ({
      kind: 'api-key',
      id: 'k',
      username: 'portal',
      role: Role.INTEGRATOR,
      scopes,
      agencyCodes,
    });
    expect(canSeeDossier(key(['dossiers:read'], []), d)).toBe(true);
    expect(canSeeDossier(key(['dossiers:read'], ['DEPT']), d)).toBe(true);
    expect(canSeeDossier(key(['dossiers:read'], ['OTHER']), d)).toBe(false);
    expect(canSeeDossier(key(['dossiers:write'], []), d)).toBe(false);
  });
});
