/**
 * Province codes that open a CCCD (citizen identity card) number, per Circular 07/2016/TT-BCA
 * (the 63 provinces before the 2025 mergers; numbers already issued keep them).
 */
const PROVINCE_CODES = new Set([
  '001',
  '002',
  '004',
  '006',
  '008',
  '010',
  '011',
  '012',
  '014',
  '015',
  '017',
  '019',
  '020',
  '022',
  '024',
  '025',
  '026',
  '027',
  '030',
  '031',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '040',
  '042',
  '044',
  '045',
  '046',
  '048',
  '049',
  '051',
  '052',
  '054',
  '056',
  '058',
  '060',
  '062',
  '064',
  '066',
  '067',
  '068',
  '070',
  '072',
  '074',
  '075',
  '077',
  '079',
  '080',
  '082',
  '083',
  '084',
  '086',
  '087',
  '089',
  '091',
  '092',
  '093',
  '094',
  '095',
  '096',
]);

export type CccdProblem = 'FORMAT' | 'PROVINCE' | 'BIRTH_YEAR';

/**
 * Checks a CCCD number's form: 12 digits; a province code; a gender/century digit and the last two
 * digits of the birth year, which must agree with the date of birth when one is given (digit 4:
 * 0/1 born 1900–1999, 2/3 2000–2099, 4/5 2100–2199, …, even = male, odd = female).
 */
export function checkCccd(idNumber: string, dateOfBirth?: string): CccdProblem | null {
  if (!/^\d{12}$/.test(idNumber)) return 'FORMAT';
  if (!PROVINCE_CODES.has(idNumber.slice(0, 3))) return 'PROVINCE';
  if (dateOfBirth) {
    const year = Number(dateOfBirth.slice(0, 4));
    const centuryDigit = Number(idNumber[3]);
    const century = 1900 + Math.floor(centuryDigit / 2) * 100;
    if (century !== Math.floor(year / 100) * 100 || idNumber.slice(4, 6) !== dateOfBirth.slice(2, 4)) return 'BIRTH_YEAR';
  }
  return null;
}

export const CCCD_MESSAGES: Record<CccdProblem, string> = {
  FORMAT: 'Số CCCD phải gồm đúng 12 chữ số / The CCCD number must be exactly 12 digits',
  PROVINCE: 'Ba chữ số đầu của CCCD không phải mã tỉnh hợp lệ / The first three digits are not a valid province code',
  BIRTH_YEAR: 'Số CCCD không khớp với năm sinh / The CCCD number does not match the date of birth',
};
