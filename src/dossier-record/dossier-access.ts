import { mayActForAgency } from '../auth/scopes.js';
import { Role, STAFF_ROLES, type AuthUser } from '../common/auth-context.js';

/** Who a dossier belongs to and where it is handled: what visibility and actors depend on. */
export interface DossierParties {
  /** The citizen account that filed it itself, if one did. */
  ownerUserId: string | null;
  /** The applicant's CCCD when an integrator or an officer filed it (ownerUserId null). */
  holderIdNumber: string | null;
  receivingAgencyCode: string;
  competentAgencyCode: string;
}

export const SCOPE_READ = 'dossiers:read';

const isStaff = (u: AuthUser) => (STAFF_ROLES as readonly Role[]).includes(u.role);

/**
 * The one ownership rule. A dossier a citizen account filed itself belongs to that account. A
 * dossier someone else filed for a CCCD (an integrator, the one-stop counter) belongs to the
 * *verified* account for that CCCD, and to no unverified one: typing a number at registration
 * proves nothing (see ../shared/DOMAIN.md, "who may own a dossier").
 */
export function isDossierOwner(user: AuthUser, d: Pick<DossierParties, 'ownerUserId' | 'holderIdNumber'>): boolean {
  if (user.kind !== 'user' || user.role !== Role.CITIZEN) return false;
  if (d.ownerUserId !== null) return d.ownerUserId === user.id;
  return user.identityVerified === true && !!user.idNumber && d.holderIdNumber === user.idNumber;
}

/**
 * Who may see a dossier: its owner (isDossierOwner); staff of the receiving centre or of the competent agency;
 * integrators whose key has `dossiers:read` and covers one of those agencies (a key with no agency
 * list covers all). Nobody else, admins included: callers who may not see a dossier are told it
 * does not exist.
 */
export function canSeeDossier(user: AuthUser, d: DossierParties): boolean {
  if (user.kind === 'api-key') {
    if (!user.scopes?.includes(SCOPE_READ)) return false;
    return mayActForAgency(user, d.receivingAgencyCode) || mayActForAgency(user, d.competentAgencyCode);
  }
  if (user.role === Role.CITIZEN) return isDossierOwner(user, d);
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
  if (user.role === Role.CITIZEN) {
    if (!user.identityVerified || !user.idNumber) return { sql: `d.owner_user_id = ${p(0)}`, params: [user.id] };
    return { sql: `(d.owner_user_id = ${p(0)} OR (d.owner_user_id IS NULL AND d.holder_id_number = ${p(1)}))`, params: [user.id, user.idNumber] };
  }
  if (isStaff(user) && user.agencyCode) {
    return { sql: `(d.receiving_agency_code = ${p(0)} OR d.competent_agency_code = ${p(0)})`, params: [user.agencyCode] };
  }
  return null;
}
