/**
 * A form (biểu mẫu) of Circular 01/2018/TT-VPCP as renumbered by Circular 03/2025/TT-VPCP, as data:
 * the renderer lays out any of them; the builders in forms.ts fill them from a dossier.
 */
export const FORM_NUMBERS = ['01', '02', '03', '04', '05', '06'] as const;
export type FormNumber = (typeof FORM_NUMBERS)[number];

export type FormBlock =
  | { kind: 'field'; label: string; value: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; label: string; items: string[] }
  | { kind: 'table'; columns: Array<{ title: string; width: number }>; rows: string[][] };

export interface FormModel {
  number: FormNumber;
  /** e.g. "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" */
  title: string;
  /** The issuing body, upper line (the parent) and lower line (the unit). */
  issuer: { parent?: string; unit: string };
  dossierCode: string;
  /** "Thanh Hóa, ngày 22 tháng 11 năm 2026" */
  placeAndDate: string;
  blocks: FormBlock[];
  /** Signature captions, left and right. */
  signatures: [string, string] | [string];
  /** Encoded as a QR code on the page: the public lookup of the dossier. */
  qrText: string;
}
