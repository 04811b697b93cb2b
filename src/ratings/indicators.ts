/**
 * The 9 indicators a citizen scores a dossier on (Circular 01/2018/TT-VPCP, 0–2 points each), in
 * one place: the API, the validation and the figures read this list and nothing else.
 *
 * NOT THE OFFICIAL TEXTS. The Circular's annex is not in this repository. ../shared/DOMAIN.md
 * names four of the indicators only by a word ("time, contacts, agencies visited, staff
 * attitude, …"): those four carry that word as their label (`labelSource: 'DOMAIN_MD'`), and the
 * order and codes they are given here are this list's, not confirmed against the annex. The other
 * five are placeholders (`labelSource: 'PLACEHOLDER'`). Replace every label (and the order, if the
 * annex numbers them otherwise) from the Circular's annex; the codes "1".."9" are what is stored
 * in `dossier_ratings.scores`, so keep them.
 */
export interface SatisfactionIndicator {
  /** "1".."9": the key of the score in a rating's `scores`. */
  code: string;
  labelVi: string;
  labelEn: string;
  /** Where the label comes from: DOMAIN.md's one-word name, or a placeholder to replace. */
  labelSource: 'DOMAIN_MD' | 'PLACEHOLDER';
}

const placeholder = (code: string): SatisfactionIndicator => ({
  code,
  labelVi: `Chỉ tiêu ${code} (nhãn tạm, thay bằng nội dung Phụ lục Thông tư 01/2018/TT-VPCP)`,
  labelEn: `Indicator ${code} (placeholder label: replace with the text of Circular 01/2018/TT-VPCP's annex)`,
  labelSource: 'PLACEHOLDER',
});

export const SATISFACTION_INDICATORS: readonly SatisfactionIndicator[] = [
  { code: '1', labelVi: 'Thời gian', labelEn: 'Time', labelSource: 'DOMAIN_MD' },
  { code: '2', labelVi: 'Số lần liên hệ', labelEn: 'Contacts', labelSource: 'DOMAIN_MD' },
  { code: '3', labelVi: 'Số cơ quan phải đến', labelEn: 'Agencies visited', labelSource: 'DOMAIN_MD' },
  { code: '4', labelVi: 'Thái độ của cán bộ', labelEn: 'Staff attitude', labelSource: 'DOMAIN_MD' },
  placeholder('5'),
  placeholder('6'),
  placeholder('7'),
  placeholder('8'),
  placeholder('9'),
];

export const INDICATOR_CODES: readonly string[] = SATISFACTION_INDICATORS.map((i) => i.code);

/** Points per indicator: 0, 1 or 2. */
export const MIN_SCORE = 0;
export const MAX_SCORE = 2;
