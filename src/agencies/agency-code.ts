/**
 * An agency's electronic id under QCVN 102:2016/BTTTT: `V1V2V3.Z1Z2.Y1Y2.MX1X2`, read right to
 * left from the top of the hierarchy. `MX1X2` is the level-1 unit (a letter and two digits, e.g.
 * H56 for a province), `Y1Y2` the level-2 unit under it, `Z1Z2` level 3, `V1V2V3` level 4; a level
 * the unit does not reach is all zeros (`000.00.00.H56` is the level-1 unit itself).
 * The id prefixes every dossier code, so a malformed one would spread into receipts and QR codes.
 */
const FORM = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z])(\d{2})$/;

export const AGENCY_CODE_EXAMPLE = '000.00.20.H56';
export const AGENCY_CODE_RULE =
  'Mã định danh theo QCVN 102:2016 có dạng V1V2V3.Z1Z2.Y1Y2.MX1X2, ví dụ 000.00.20.H56 / ' +
  'must have the QCVN 102:2016 form V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.20.H56';

export interface AgencyCodeParts {
  /** MX1X2, e.g. H56. */
  level1: string;
  level2: string;
  level3: string;
  level4: string;
  /** How deep in the hierarchy the unit sits: 1 (level-1 unit) to 4. */
  depth: 1 | 2 | 3 | 4;
}

/** The parts of a well-formed id, or null when the id breaks the form. */
export function parseAgencyCode(code: string): AgencyCodeParts | null {
  const m = FORM.exec(code);
  if (!m) return null;
  const [, level4, level3, level2, letter, digits] = m;
  if (digits === '00') return null;
  // A lower level can only be numbered under an existing higher one: 000.05.00.H56 would name a
  // level-3 unit hanging from no level-2 unit.
  const levels = [level2, level3, level4];
  const depth = levels.filter((l) => !/^0+$/.test(l)).length;
  if (levels.slice(0, depth).some((l) => /^0+$/.test(l))) return null;
  return { level1: `${letter}${digits}`, level2, level3, level4, depth: (depth + 1) as AgencyCodeParts['depth'] };
}

export function isValidAgencyCode(code: unknown): code is string {
  return typeof code === 'string' && parseAgencyCode(code) !== null;
}
