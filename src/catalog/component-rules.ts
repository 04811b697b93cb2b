import { foldVietnamese } from '../common/text-search.js';

/*
 * The national portal marks no dossier component as required (its flag is false on all 28,064
 * components), so the catalogue decides from the wording, which follows a few steady patterns.
 * An item is OPTIONAL when it only applies in some case:
 *   1. it sits under a heading that states a case, or itself opens with one
 *      ("Trường hợp…", "Trong trường hợp…", "Nếu…", "Đối với…", "Khi…"). A heading over every
 *      component of the procedure is the procedure's own case, not one among others (1.013225
 *      keeps only "Đối với công trình nhà ở riêng lẻ");
 *   2. it is an authorisation paper, or a form meant for filing through a representative
 *      ("Văn bản ủy quyền…", "… trường hợp ủy quyền …");
 *   3. it is meant only for paper filing (in person or by post): "(nếu … nộp hồ sơ theo hình thức
 *      trực tiếp …)". Its online twin ("…, nếu … theo hình thức trực tuyến") is REQUIRED, since
 *      dossiers here are filed online;
 *   4. after the application form is set aside (see below), its first clause (up to the first
 *      full stop, semicolon or colon: later sentences explain alternatives) carries a condition:
 *      "(nếu …", ", nếu …", "nếu có", "trong trường hợp", "đối với trường hợp", "(đối với …",
 *      "đối với người …", "tùy từng trường hợp".
 * The application form itself (Tờ khai, Đơn, Giấy/Phiếu/Văn bản đề nghị, the portal's interactive
 * e-form) is REQUIRED even when its text mentions cases (they change what to fill in, not whether
 * to file it), and so is every other item: the core documents.
 * Known limit: scenario headings that do not open with a condition word (e.g. 1.004222's "Đăng ký
 * thường trú vào chỗ ở hợp pháp do thuê, mượn…") are not recognised; an administrator corrects
 * such procedures with PATCH.
 */

// Leading list markers the portal keeps: "- ", "+ ", "(i) ", "(2) ", "a) ", "01 " (a quantity).
const LIST_MARKER = /^(?:[-+*•]\s*|\(?[ivx]+\)\s*|\(?\d+[.)]\s*|[a-z]\)\s*|\d+\s+)+/;
const OPENS_WITH_CASE = /^(trong truong hop|truong hop|neu|doi voi|khi)\b/;
const AUTHORISATION = /^(ban sao )?(van ban|giay|hop dong) uy quyen\b|truong hop uy quyen/;
const CHANNEL_CONDITION = /neu [^()]*hinh thuc (truc tiep|truc tuyen)/;
const APPLICATION_FORM = /^(to khai|don|giay de nghi|phieu de nghi|van ban de nghi|de nghi|mau (ho tich )?dien tu tuong tac)\b/;
const CONDITION_IN_TEXT = /\(neu|, neu\b|\bneu co\b|trong truong hop|doi voi truong hop|\(doi voi|doi voi nguoi|tuy (tung )?truong hop/;
const INTERACTIVE_FORM = /dien tu tuong tac/;

const plain = (text: string | null | undefined) => foldVietnamese(text ?? '').replace(LIST_MARKER, '');

export interface PortalComponent {
  name: string;
  group: string | null;
}

/** Whether a dossier must contain each component of one procedure, in order (see the rule above). */
export function componentRequirements(components: PortalComponent[]): boolean[] {
  const headings = new Set(components.map((c) => c.group || null));
  return components.map((c) => isComponentRequired(c.name, headings.size > 1 ? c.group : null));
}

/** Whether an item must be in the dossier, under `group` when that heading may state a case. */
export function isComponentRequired(name: string, group: string | null): boolean {
  const item = plain(name);
  const firstClause = item.split(/[.;:](?:\s|$)/)[0];
  if (OPENS_WITH_CASE.test(plain(group)) || OPENS_WITH_CASE.test(item)) return false;
  if (AUTHORISATION.test(firstClause)) return false;
  const channel = CHANNEL_CONDITION.exec(item);
  if (channel) return channel[1] === 'truc tuyen';
  if (APPLICATION_FORM.test(item)) return true;
  return !CONDITION_IN_TEXT.test(firstClause);
}

/**
 * Whether the uploaded file must carry the applicant's digital signature: their application form
 * when they upload it as a document. The portal's interactive e-form is filled in while logged in
 * with VNeID, which stands for the signature.
 */
export function isSignatureRequired(name: string): boolean {
  const item = plain(name);
  return APPLICATION_FORM.test(item) && !INTERACTIVE_FORM.test(item);
}

/**
 * Whether a component must be in a dossier filed on this channel. The catalogue's `required` is
 * judged for an online filing; the portal's own text makes some items depend on how the dossier is
 * filed ("Tờ khai … nếu … theo hình thức trực tiếp hoặc gửi qua bưu chính" for a paper filing,
 * "Mẫu điện tử tương tác … nếu … trực tuyến" for an online one), and a counter or postal filing
 * turns those around.
 */
export function isRequiredOnChannel(c: { name: string; required: boolean }, channel: 'ONLINE' | 'COUNTER' | 'POSTAL'): boolean {
  const condition = CHANNEL_CONDITION.exec(plain(c.name));
  if (!condition) return c.required;
  return (condition[1] === 'truc tuyen') === (channel === 'ONLINE');
}

/** Stable component codes in the order the procedure lists them: TP01, TP02, … */
export function componentCode(index: number): string {
  return `TP${String(index + 1).padStart(2, '0')}`;
}
