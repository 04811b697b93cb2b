/**
 * A form (biểu mẫu) of Circular 01/2018/TT-VPCP as renumbered by Circular 03/2025/TT-VPCP, as data:
 * the renderer lays out any of them; the builders in forms.ts fill them from a dossier.
 */
export const FORM_NUMBERS = ['01', '02', '03', '04', '05', '06'] as const;
/** Forms of a dossier (above) and of a centre: 07, the register of received dossiers (sổ theo dõi hồ sơ). */
export const ALL_FORM_NUMBERS = [...FORM_NUMBERS, '07'] as const;
export type FormNumber = (typeof FORM_NUMBERS)[number];

export type FormBlock =
  | { kind: 'field'; label: string; value: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; label: string; items: string[] }
  | { kind: 'table'; columns: Array<{ title: string; width: number }>; rows: string[][] };

export interface FormModel {
  number: (typeof ALL_FORM_NUMBERS)[number];
  /** e.g. "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" */
  title: string;
  /** The issuing body, upper line (the parent) and lower line (the unit). */
  issuer: { parent?: string; unit: string };
  /** The dossier's code, or for a centre's form the line under the issuer (e.g. the period). */
  dossierCode: string;
  /** The label before dossierCode (default "Mã hồ sơ"). */
  codeLabel?: string;
  /** Landscape A4, for wide registers. */
  landscape?: boolean;
  /** "Thanh Hóa, ngày 22 tháng 11 năm 2026" */
  placeAndDate: string;
  blocks: FormBlock[];
  /** Signature captions, left and right. */
  signatures: [string, string] | [string];
  /** Encoded as a QR code on the page: the public lookup of the dossier (none on a centre's register). */
  qrText?: string;
}
