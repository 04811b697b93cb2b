import { describe, expect, it } from '@jest/globals';
import { newShareCode, normaliseShareCode, shareCodeHash, shareCodeQrPayload, shareCodeRefusal, type Presentation, type ShareCodeState } from './share-code.js';

const NOW = new Date('2026-12-03T02:00:00Z');
const HOLDER = '001090864201';
const code = (over: Partial<ShareCodeState> = {}): ShareCodeState => ({
  holderIdNumber: HOLDER,
  binding: { kind: 'AGENCY', agencyCode: '000.00.21.H56' },
  expiresAt: new Date(NOW.getTime() + 60_000),
  revokedAt: null,
  uses: 0,
  maxUses: 3,
  ...over,
});
const at = (over: Partial<Presentation> = {}): Presentation => ({
  holderIdNumber: HOLDER,
  staff: { id: 'officer-1', agencyCode: '000.00.21.H56' },
  now: NOW,
  ...over,
});

describe('share codes', () => {
  it('are ten Crockford base32 characters in two groups, read back the way they are shown or scanned', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const c = newShareCode();
      expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      const n = normaliseShareCode(c)!;
      expect(n).toBe(c.replace('-', ''));
      expect(normaliseShareCode(shareCodeQrPayload(c))).toBe(n);
      expect(normaliseShareCode(` ${c.toLowerCase().replace('-', ' ')} `)).toBe(n);
      seen.add(n);
    }
    expect(seen.size).toBe(500);
  });

  it('read the letters people confuse with digits as Crockford does, and refuse what cannot be a code', () => {
    expect(normaliseShareCode('OIL23-45678')).toBe('01123' + '45678');
    expect(normaliseShareCode('ABCDE-FGHJ')).toBeNull(); // nine characters
    expect(normaliseShareCode('ABCDE-FGHJU')).toBeNull(); // U is not in the alphabet
    expect(normaliseShareCode('MOTCUA-SHARE:2:ABCDEFGHJK')).toBeNull(); // another version of the payload
    expect(normaliseShareCode('')).toBeNull();
  });

  it('are stored as a hash of the normalised code only', () => {
    expect(shareCodeHash('ABCDEFGHJK')).toMatch(/^[0-9a-f]{64}$/);
    expect(shareCodeHash('ABCDEFGHJK')).not.toBe(shareCodeHash('ABCDEFGHJM'));
  });
});

describe('a presented share code', () => {
  it('opens its holder’s store to the agency, the officer or the dossier it was given for', () => {
    expect(shareCodeRefusal(code(), at())).toBeNull();
    expect(shareCodeRefusal(code({ binding: { kind: 'OFFICER', officerId: 'officer-1' } }), at({ staff: { id: 'officer-1', agencyCode: null } }))).toBeNull();
    expect(shareCodeRefusal(code({ binding: { kind: 'DOSSIER', dossierId: 'd1' } }), at({ dossierId: 'd1' }))).toBeNull();
    // Read without a dossier (the desk scanning the QR code), the code says whose store it is.
    expect(shareCodeRefusal(code(), at({ holderIdNumber: undefined }))).toBeNull();
  });

  it('of another person reads as a wrong code, like an unknown one', () => {
    expect(shareCodeRefusal(undefined, at())).toBe('SHARE_CODE_INVALID');
    expect(shareCodeRefusal(code({ holderIdNumber: '038079000101' }), at())).toBe('SHARE_CODE_INVALID');
  });

  it('opens nothing once revoked, expired (at the instant itself) or used up', () => {
    expect(shareCodeRefusal(code({ revokedAt: NOW }), at())).toBe('SHARE_CODE_REVOKED');
    expect(shareCodeRefusal(code({ expiresAt: NOW }), at())).toBe('SHARE_CODE_EXPIRED');
    expect(shareCodeRefusal(code({ expiresAt: new Date(NOW.getTime() + 1) }), at())).toBeNull();
    expect(shareCodeRefusal(code({ uses: 3 }), at())).toBe('SHARE_CODE_USED_UP');
    expect(shareCodeRefusal(code({ uses: 2 }), at())).toBeNull();
  });

  it('opens nothing for another agency, officer or dossier, nor a dossier-bound code for a new filing', () => {
    expect(shareCodeRefusal(code(), at({ staff: { id: 'officer-1', agencyCode: '000.00.20.H56' } }))).toBe('SHARE_CODE_NOT_FOR_YOU');
    expect(shareCodeRefusal(code(), at({ staff: { id: 'admin', agencyCode: null } }))).toBe('SHARE_CODE_NOT_FOR_YOU');
    expect(shareCodeRefusal(code({ binding: { kind: 'OFFICER', officerId: 'officer-2' } }), at())).toBe('SHARE_CODE_NOT_FOR_YOU');
    expect(shareCodeRefusal(code({ binding: { kind: 'DOSSIER', dossierId: 'd1' } }), at({ dossierId: 'd2' }))).toBe('SHARE_CODE_NOT_FOR_YOU');
    expect(shareCodeRefusal(code({ binding: { kind: 'DOSSIER', dossierId: 'd1' } }), at())).toBe('SHARE_CODE_NOT_FOR_YOU');
  });
});
