import { describe, expect, it } from '@jest/globals';
import { chargesAtSubmission, guessKind, normaliseFees, owedLines } from './fee-lines.js';

describe('fee lines', () => {
  const fees = normaliseFees([
    { name: 'Trực tuyến', amountVnd: 10000, text: 'Lệ phí đăng ký cư trú. Miễn lệ phí cho người thuộc hộ nghèo' },
    { name: 'Trực tiếp', amountVnd: 20000, text: null },
    { name: 'Trực tuyến, Dịch vụ bưu chính', amountVnd: 150000, text: 'Người nộp hồ sơ nộp lệ phí tại thời điểm nộp hồ sơ' },
    { name: 'Trực tuyến', amountVnd: null, text: 'Theo quy định của HĐND tỉnh' },
  ]);

  it('reads old lines with codes, kinds, channels, collection points and exemptions', () => {
    expect(fees.map((f) => [f.code, f.kind, f.channels.join('+'), f.collectAt, f.exemptCategories.join('+')])).toEqual([
      ['LP01', 'LE_PHI', 'ONLINE', 'AT_RESULT', 'HO_NGHEO'],
      ['LP02', 'LE_PHI', 'COUNTER', 'AT_RESULT', ''],
      ['LP03', 'LE_PHI', 'ONLINE+POSTAL', 'AT_SUBMISSION', ''],
      ['LP04', 'LE_PHI', 'ONLINE', 'AT_RESULT', ''],
    ]);
    expect(guessKind('Phí công bố nội dung đăng ký doanh nghiệp', 'FEE')).toBe('PHI');
    expect(guessKind('- Lệ phí đăng ký doanh nghiệp', 'SERVICE_FEE')).toBe('LE_PHI');
  });

  it("charges the lines of the channel and moment, zeroes an exempt applicant's, leaves variable ones to the officer", () => {
    expect(owedLines(fees, 'AT_RESULT', 'ONLINE')).toEqual([{ code: 'LP01', name: 'Trực tuyến', kind: 'LE_PHI', amountVnd: 10000 }]);
    expect(owedLines(fees, 'AT_RESULT', 'COUNTER').map((l) => l.amountVnd)).toEqual([20000]);
    expect(owedLines(fees, 'AT_RESULT', 'ONLINE', 'HO_NGHEO')).toEqual([
      { code: 'LP01', name: 'Trực tuyến', kind: 'LE_PHI', amountVnd: 0, exemptedAs: 'HO_NGHEO' },
    ]);
    expect(chargesAtSubmission(fees)).toBe(true);
    expect(chargesAtSubmission(fees.filter((f) => f.collectAt !== 'AT_SUBMISSION'))).toBe(false);
  });
});
