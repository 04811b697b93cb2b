/** The vocabulary of fee lines (phí, lệ phí), shared by the catalogue's types and the fee rules (fee-lines.ts). */

export const FEE_KINDS = ['PHI', 'LE_PHI'] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/** When a line is collected: with the online submission, when the one-stop accepts, or when the result is handed over. */
export const FEE_COLLECTION_POINTS = ['AT_SUBMISSION', 'AT_RECEPTION', 'AT_RESULT'] as const;
export type FeeCollectionPoint = (typeof FEE_COLLECTION_POINTS)[number];

/** The submission channels a line applies to (the portal lists fees per channel: online is often cheaper). */
export const FEE_CHANNELS = ['ONLINE', 'POSTAL', 'COUNTER'] as const;
export type FeeChannel = (typeof FEE_CHANNELS)[number];

/**
 * Applicant categories a line may exempt (the portal's texts: "Miễn lệ phí cho người thuộc gia đình
 * có công với cách mạng; người thuộc hộ nghèo; người khuyết tật"; children under 6 for ID cards).
 */
export const APPLICANT_CATEGORIES = ['NGUOI_CO_CONG', 'HO_NGHEO', 'NGUOI_KHUYET_TAT', 'TRE_EM_DUOI_6'] as const;
export type ApplicantCategory = (typeof APPLICANT_CATEGORIES)[number];
