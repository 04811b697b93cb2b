import { describe, expect, it } from '@jest/globals';
import * as fontkit from 'fontkit';
import type { FormModel } from './form-model.js';
import { form01, form02, form03, form04, form05, form06, placeAndDate, vietnameseInstant, type DossierForForm } from './forms.js';
import { FORM_FONTS, renderFormPdf } from './pdf-renderer.js';

const SAMPLE: DossierForForm = {
  code: '000.00.20.H56-261122-0007',
  procedureCode: '1.001193',
  procedureName: 'Thủ tục đăng ký khai sinh',
  timeLimitText: '01 ngày làm việc',
  applicant: {
    fullName: 'Nguyễn Thị Hường',
    idNumber: '038190012345',
    phone: '0912345678',
    email: 'huong@example.vn',
    address: 'Số 12 Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa',
  },
  receiving: { parentName: 'UBND tỉnh Thanh Hóa', name: 'Ủy ban nhân dân phường Hạc Thành' },
  competentName: 'Ủy ban nhân dân phường Hạc Thành',
  place: 'Thanh Hóa',
  receivedAt: new Date('2026-11-22T02:05:00Z'),
  dueAt: new Date('2026-11-23T10:00:00Z'),
  attachments: [
    { componentCode: 'TP04', name: 'Giấy chứng sinh' },
    { componentCode: 'TP06', name: 'Hộ chiếu/Thẻ căn cước công dân của người đi đăng ký khai sinh' },
  ],
  resultDelivery: 'ONLINE',
  channel: 'COUNTER',
  lookupUrl: 'https://motcua.example.gov.vn/tra-cuu/000.00.20.H56-261122-0007',
};

const at = new Date('2026-11-24T03:00:00Z');
const ALL: FormModel[] = [
  form01(SAMPLE),
  form02(SAMPLE, {
    at,
    items: ['Bản sao giấy chứng nhận kết hôn của cha, mẹ trẻ', 'Tờ khai ghi đủ quê quán của người mẹ'],
    supplementDueAt: new Date('2026-12-24T10:00:00Z'),
    requestedBy: 'Người tiếp nhận hồ sơ',
  }),
  form03(SAMPLE, { at, reasons: ['Hồ sơ không thuộc thẩm quyền giải quyết của phường'], by: 'Người tiếp nhận hồ sơ' }),
  form04(SAMPLE, { at, reason: 'Cần xác minh thông tin cư trú của người mẹ', newDueAt: new Date('2026-11-26T10:00:00Z'), by: 'Chủ tịch UBND phường' }),
  form05(SAMPLE, { at, reason: 'Quá thời hạn bổ sung hồ sơ mà Ông/Bà chưa bổ sung', by: 'Người tiếp nhận hồ sơ' }),
  form06(
    SAMPLE,
    [
      {
        from: 'Một cửa: Lê Thị Thu',
        to: 'Chuyên viên: Trần Văn Minh',
        at: new Date('2026-11-22T02:30:00Z'),
        dueAt: new Date('2026-11-22T08:00:00Z'),
        result: 'ON_TIME',
      },
      {
        from: 'Chuyên viên: Trần Văn Minh',
        to: 'Lãnh đạo: Phạm Quốc Hùng',
        at: new Date('2026-11-22T09:30:00Z'),
        dueAt: new Date('2026-11-22T09:00:00Z'),
        result: 'LATE',
        note: 'Chờ xác minh',
      },
    ],
    at,
  ),
];

const textOf = (f: FormModel) => JSON.stringify(f);

describe('forms', () => {
  it('write instants and dates the Vietnamese way, in Vietnam time', () => {
    expect(vietnameseInstant(new Date('2026-11-22T16:30:00Z'))).toBe('23 giờ 30 phút, ngày 22/11/2026');
    expect(vietnameseInstant(new Date('2026-11-22T17:05:00Z'))).toBe('00 giờ 05 phút, ngày 23/11/2026');
    expect(placeAndDate('Thanh Hóa', new Date('2026-11-22T02:00:00Z'))).toBe('Thanh Hóa, ngày 22 tháng 11 năm 2026');
  });

  it('use a font that has a glyph for every character they print', () => {
    for (const file of Object.values(FORM_FONTS)) {
      const font = fontkit.openSync(file) as fontkit.Font;
      const missing = new Set<string>();
      for (const f of ALL) for (const ch of textOf(f)) if (!font.hasGlyphForCodePoint(ch.codePointAt(0)!)) missing.add(ch);
      // Every precomposed Vietnamese letter, lower and upper case.
      for (const ch of 'ạảãàáâậầấẩẫăắằặẳẵđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ'.split('')) {
        for (const c of [ch, ch.toUpperCase()]) if (!font.hasGlyphForCodePoint(c.codePointAt(0)!)) missing.add(c);
      }
      expect({ file, missing: [...missing] }).toEqual({ file, missing: [] });
    }
  });

  it('render each of the six as a PDF with the Vietnamese font embedded', async () => {
    for (const f of ALL) {
      const pdf = await renderFormPdf(f);
      const raw = pdf.toString('latin1');
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.subarray(-6).toString()).toContain('%%EOF');
      expect(raw.match(/\/Type \/Page\b/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
      // The text is drawn with the embedded (subsetted) DejaVu Serif, not a standard PDF font that
      // has no Vietnamese letters.
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSerif/);
      expect(raw).toContain('/FontFile2');
      expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times-Roman|Courier)/);
    }
  });
});
