import type { Fee } from './catalog.types.js';

/**
 * Fee lines (phí, lệ phí) of a procedure: what is charged, how much, through which channels, when
 * it is collected and who is exempt. Pure functions: the catalogue stores the lines, the payments
 * capability asks which lines a dossier owes at a given moment.
 */
export {
  APPLICANT_CATEGORIES,
  FEE_CHANNELS,
  FEE_COLLECTION_POINTS,
  FEE_KINDS,
  type ApplicantCategory,
  type FeeChannel,
  type FeeCollectionPoint,
  type FeeKind,
} from './fee-kinds.js';
import { FEE_CHANNELS, type ApplicantCategory, type FeeChannel, type FeeCollectionPoint, type FeeKind } from './fee-kinds.js';

export const FEE_KIND_LABEL_VI: Record<FeeKind, string> = { PHI: 'Phí', LE_PHI: 'Lệ phí' };

/** A stored line as read back, whatever version of the catalogue wrote it (older rows had only name, amount, text). */
export function normaliseFees(fees: Array<Partial<Fee> & { name: string }>): Fee[] {
  return fees.map((f, i) => ({
    code: f.code ?? feeCode(i),
    name: f.name,
    kind: f.kind ?? guessKind(f.text ?? null, null),
    amountVnd: f.amountVnd ?? null,
    collectAt: f.collectAt ?? guessCollectAt(f.text ?? null),
    channels: f.channels?.length ? [...f.channels] : guessChannels(f.name),
    exemptCategories: f.exemptCategories ? [...f.exemptCategories] : guessExemptions(f.text ?? null),
    text: f.text ?? null,
  }));
}

export const feeCode = (i: number) => `LP${String(i + 1).padStart(2, '0')}`;

/** The portal's fee type and text: "Phí …" is a fee for a service, "Lệ phí …" (and the portal's SERVICE_FEE) a charge of the State. */
export function guessKind(text: string | null, portalType: string | null): FeeKind {
  const t = (text ?? '').replace(/^[\s+-]+/, '').toLowerCase();
  if (t.startsWith('lệ phí')) return 'LE_PHI';
  if (t.startsWith('phí')) return 'PHI';
  return portalType === 'FEE' && /(^|\s)phí(?!\s*,?\s*lệ)/i.test(t) && !t.includes('lệ phí') ? 'PHI' : 'LE_PHI';
}

/** "… nộp lệ phí … tại thời điểm nộp hồ sơ" (household business): collected with the submission; otherwise with the result. */
export function guessCollectAt(text: string | null): FeeCollectionPoint {
  return /tại thời điểm nộp hồ sơ|khi nộp hồ sơ/i.test(text ?? '') ? 'AT_SUBMISSION' : 'AT_RESULT';
}

/** The portal names a line after its channels: "Trực tuyến, Dịch vụ bưu chính, Trực tiếp". */
export function guessChannels(name: string): FeeChannel[] {
  const n = name.toLowerCase();
  const out: FeeChannel[] = [];
  if (n.includes('trực tuyến')) out.push('ONLINE');
  if (n.includes('bưu chính')) out.push('POSTAL');
  if (n.includes('trực tiếp')) out.push('COUNTER');
  return out.length ? out : [...FEE_CHANNELS];
}

export function guessExemptions(text: string | null): ApplicantCategory[] {
  const t = (text ?? '').toLowerCase();
  if (!t.includes('miễn')) return [];
  const out: ApplicantCategory[] = [];
  if (t.includes('có công với cách mạng')) out.push('NGUOI_CO_CONG');
  if (t.includes('hộ nghèo')) out.push('HO_NGHEO');
  if (t.includes('khuyết tật')) out.push('NGUOI_KHUYET_TAT');
  return out;
}

/** One line a dossier owes: the catalogue's line with the amount after exemptions. */
export interface OwedLine {
  code: string;
  name: string;
  kind: FeeKind;
  amountVnd: number;
  /** Set when the applicant's category exempts the line (its amount is then 0). */
  exemptedAs?: ApplicantCategory;
}

/**
 * The lines a dossier owes at one collection point, through its channel: lines with a fixed amount
 * (a variable fee, amount null, is set by an officer), each zeroed when the applicant is exempt.
 */
export function owedLines(fees: Fee[], at: FeeCollectionPoint, channel: FeeChannel, category?: ApplicantCategory | null): OwedLine[] {
  return fees
    .filter((f) => f.collectAt === at && f.channels.includes(channel) && f.amountVnd !== null && f.amountVnd > 0)
    .map((f) => {
      const exempt = category && f.exemptCategories.includes(category) ? category : undefined;
      return { code: f.code, name: f.name, kind: f.kind, amountVnd: exempt ? 0 : f.amountVnd!, ...(exempt ? { exemptedAs: exempt } : {}) };
    });
}

/** Whether a procedure charges anything with an online submission (its dossiers then wait for payment before reception). */
export function chargesAtSubmission(fees: Fee[]): boolean {
  return owedLines(fees, 'AT_SUBMISSION', 'ONLINE').length > 0;
}
