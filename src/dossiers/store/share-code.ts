import { createHash, randomInt } from 'node:crypto';

/**
 * A citizen's share code (mã chia sẻ): ten characters of Crockford's base32 (no I, L, O, U), shown
 * as XXXXX-XXXXX so it can be read out or typed at the desk, or scanned from its QR code. 50 random
 * bits, only a hash stored; it opens one person's store, for one dossier, officer or agency, for
 * minutes and a few uses, so guessing it is hopeless.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SHARE_CODE_LENGTH = 10;
/** What the QR code of a share code holds: a versioned prefix, so a scanner knows what it read. */
export const SHARE_CODE_QR_PREFIX = 'MOTCUA-SHARE:1:';

export function newShareCode(): string {
  let raw = '';
  for (let i = 0; i < SHARE_CODE_LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/**
 * The code as it is matched, from what the officer typed or scanned: the QR payload or the code,
 * any case, with or without the dash or spaces; the letters people confuse with digits read as
 * Crockford says (O as 0, I and L as 1). Null when it cannot be a share code.
 */
export function normaliseShareCode(input: string): string | null {
  let s = input.trim().toUpperCase();
  if (s.startsWith(SHARE_CODE_QR_PREFIX)) s = s.slice(SHARE_CODE_QR_PREFIX.length);
  s = s.replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== SHARE_CODE_LENGTH) return null;
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return s;
}

export const shareCodeQrPayload = (code: string) => `${SHARE_CODE_QR_PREFIX}${code}`;

/** What is stored and looked up: the SHA-256 of the normalised code. */
export const shareCodeHash = (normalised: string) => createHash('sha256').update(normalised).digest('hex');

/** What a consent is given for: one dossier of the citizen, one staff member, or one agency's staff. */
export type ShareBinding = { kind: 'DOSSIER'; dossierId: string } | { kind: 'OFFICER'; officerId: string } | { kind: 'AGENCY'; agencyCode: string };

export interface ShareCodeState {
  holderIdNumber: string;
  binding: ShareBinding;
  expiresAt: Date;
  revokedAt: Date | null;
  uses: number;
  maxUses: number;
}

/** Who presents a code, for whose store, and (reading through an open dossier) for which dossier. */
export interface Presentation {
  /** The applicant of the dossier it is presented for; unset when the code itself says whose store. */
  holderIdNumber?: string;
  staff: { id: string; agencyCode: string | null };
  dossierId?: string;
  now: Date;
}

export type ShareCodeRefusal = 'SHARE_CODE_INVALID' | 'SHARE_CODE_REVOKED' | 'SHARE_CODE_EXPIRED' | 'SHARE_CODE_USED_UP' | 'SHARE_CODE_NOT_FOR_YOU';

/**
 * Why a presented code opens nothing, or null when it opens its holder's store to this staff
 * member. A code of another person reads as a wrong code: it says nothing about that person.
 */
export function shareCodeRefusal(code: ShareCodeState | undefined, p: Presentation): ShareCodeRefusal | null {
  if (!code || (p.holderIdNumber !== undefined && code.holderIdNumber !== p.holderIdNumber)) return 'SHARE_CODE_INVALID';
  if (code.revokedAt) return 'SHARE_CODE_REVOKED';
  if (p.now.getTime() >= code.expiresAt.getTime()) return 'SHARE_CODE_EXPIRED';
  if (code.uses >= code.maxUses) return 'SHARE_CODE_USED_UP';
  const b = code.binding;
  const forYou =
    b.kind === 'DOSSIER'
      ? b.dossierId === p.dossierId
      : b.kind === 'OFFICER'
        ? b.officerId === p.staff.id
        : !!p.staff.agencyCode && b.agencyCode === p.staff.agencyCode;
  return forYou ? null : 'SHARE_CODE_NOT_FOR_YOU';
}
