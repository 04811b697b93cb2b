import { describe, expect, it } from '@jest/globals';
import { checkCccd } from './cccd.js';

describe('checkCccd', () => {
  it('accepts a well-formed number consistent with the birth year', () => {
    expect(checkCccd('001099012345', '1999-05-01')).toBeNull(); // Hà Nội, male, 1999
    expect(checkCccd('079305001234', '2005-12-31')).toBeNull(); // TP.HCM, female, 2005
    expect(checkCccd('001099012345')).toBeNull();
  });
  it('refuses anything but 12 digits', () => {
    for (const bad of ['', '00109901234', '0010990123456', '00109901234a', ' 001099012345', '001-99012345']) {
      expect(checkCccd(bad)).toBe('FORMAT');
    }
  });
  it('refuses an unknown province code', () => {
    expect(checkCccd('003099012345')).toBe('PROVINCE');
    expect(checkCccd('099099012345')).toBe('PROVINCE');
  });
  it('refuses a number whose century or year digits disagree with the date of birth', () => {
    expect(checkCccd('001099012345', '2099-01-01')).toBe('BIRTH_YEAR');
    expect(checkCccd('001298012345', '1998-01-01')).toBe('BIRTH_YEAR');
    expect(checkCccd('001099012345', '1998-01-01')).toBe('BIRTH_YEAR');
  });
});
