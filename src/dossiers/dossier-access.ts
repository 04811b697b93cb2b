import { mayActForAgency } from '../auth/scopes.js';
import { Role, STAFF_ROLES, type AuthUser } from '../common/auth-context.js';

/** What visibility depends on. */
export interface DossierParties {
  ownerUserId: string | null;
  receivingAgencyCode: string;
  competentAgencyCode: string;
}

export const SCOPE_READ = 'dossiers:read';

const isStaff = (u: AuthUser) => (STAFF_ROLES as readonly Role[]).includes(u.role);

/**
 * Who may see a dossier: its owner; staff of the receiving centre or of the competent agency;
 * integrators whose key has `dossiers:read` and covers one of those agencies (a key with no agency
 * list covers all). Nobody else, admins included: callers who may not see a dossier are told it
 * does not exist.
 */
export function canSeeDossier(user: AuthUser, d: DossierParties): boolean {
  if (user.kind === 'api-key') {
    if (!user.scopes?.includes(SCOPE_READ)) return false;
    return mayActForAgency(user, d.receivingAgencyCode) || mayActForAgency(user, d.competentAgencyCode);
  }
  if (user.role === Role.CITIZEN) return d.ownerUserId !== null && d.ownerUserId === user.id;
  if (isStaff(user)) return !!user.agencyCode && (user.agencyCode === d.receivingAgencyCode || user.agencyCode === d.competentAgencyCode);
  return false;
}

/**
 * The same rule as a SQL condition for lists, with its parameters numbered from `firstParam`.
 * Returns null when the caller may list nothing.
 */
export function visibilityCondition(user: AuthUser, firstParam: number): { sql: string; params: unknown[] } | null {
  const p = (i: number) => `$${firstParam + i}`;
  if (user.kind === 'api-key') {
    if (!user.scopes?.includes(SCOPE_READ)) return null;
    const allowed = user.agencyCodes ?? [];
    if (allowed.length === 0) return { sql: 'TRUE', params: [] };
    return { sql: `(d.receiving_agency_code = ANY(${p(0)}) OR d.competent_agency_code = ANY(${p(0)}))`, params: [allowed] };
  }
  if (user.role === Role.CITIZEN) return { sql: `d.owner_user_id = ${p(0)}`, params: [user.id] };
  if (isStaff(user) && user.agencyCode) {
    return { sql: `(d.receiving_agency_code = ${p(0)} OR d.competent_agency_code = ${p(0)})`, params: [user.agencyCode] };
  }
  return null;
}
