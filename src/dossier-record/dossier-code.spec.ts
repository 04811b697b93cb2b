import { describe, expect, it } from '@jest/globals';
import { formatDossierCode, parseDossierCode } from './dossier-code.js';

describe('dossier code', () => {
  it('uses the reception date in Vietnam time, not UTC', () => {
    // 22/11/2026 23:30 UTC is already 23/11 in Vietnam (UTC+7).
    expect(formatDossierCode('000.00.20.H56', new Date('2026-11-22T23:30:00Z'), 7)).toBe('000.00.20.H56-261123-0007');
    expect(formatDossierCode('000.00.20.H56', new Date('2026-11-22T16:59:59Z'), 7)).toBe('000.00.20.H56-261122-0007');
  });
  it('pads the daily sequence to four digits and keeps growing past 9999', () => {
    expect(formatDossierCode('X', new Date('2026-01-01T03:00:00Z'), 1)).toBe('X-260101-0001');
    expect(formatDossierCode('X', new Date('2026-01-01T03:00:00Z'), 12345)).toBe('X-260101-12345');
    expect(() => formatDossierCode('X', new Date(), 0)).toThrow(RangeError);
  });
  it('parses what it formats', () => {
    expect(parseDossierCode('000.00.20.H56-261122-0007')).toEqual({ agencyCode: '000.00.20.H56', date: '2026-11-22', sequence: 7 });
    expect(parseDossierCode('000.00.20.H56-2611-0007')).toBeNull();
    expect(parseDossierCode('f7c2a9c4-2f0e-4a5b-9d1e-0b7e1c2d3e4f')).toBeNull();
  });
});
