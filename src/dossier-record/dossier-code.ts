import { vietnamDate } from '../common/clock.js';

/**
 * The dossier code of Circular 01/2018 Art. 19: `<agency id>-<YYMMDD>-<NNNN>`, the receiving
 * agency's electronic id, the reception date in Vietnam time and a per-agency daily sequence of at
 * least four digits (a busy day past 9999 simply gets more digits: codes stay unique).
 */
export function formatDossierCode(agencyCode: string, receivedAt: Date, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  const [y, m, d] = vietnamDate(receivedAt).split('-');
  return `${agencyCode}-${y.slice(2)}${m}${d}-${String(sequence).padStart(4, '0')}`;
}

const CODE = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4,})$/;

export function parseDossierCode(code: string): { agencyCode: string; date: string; sequence: number } | null {
  const m = CODE.exec(code);
  if (!m) return null;
  return { agencyCode: m[1], date: `20${m[2]}-${m[3]}-${m[4]}`, sequence: Number(m[5]) };
}

export function looksLikeDossierCode(value: string): boolean {
  return CODE.test(value);
}
