import { describe, expect, it } from '@jest/globals';
import { standsFor, type StoredDocumentType } from './document-type.js';

const MARITAL = '1.004873';
const BIRTH = '1.001193';
const IDENTITY =
  'Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử dụng (sau đây gọi tắt là giấy tờ tùy thân) để chứng minh về nhân thân khi làm thủ tục trực tiếp tại cơ quan đăng ký hộ tịch.';
const doc = (code: string, name: string, procedureCode = MARITAL, kind: StoredDocumentType['kind'] = 'COMPONENT'): StoredDocumentType => ({
  kind,
  type: { code, name, procedureCode },
});

describe('which stored document stands for a component', () => {
  it('the same component of the same procedure', () => {
    expect(standsFor(doc('TP03', 'Giấy tờ tùy thân'), { code: 'TP03', name: 'Giấy tờ tùy thân (bản mới)' }, MARITAL)).toBe(true);
  });

  it('the same component text in another procedure, whatever its code there', () => {
    expect(standsFor(doc('TP03', IDENTITY), { code: 'TP06', name: `  ${IDENTITY.replace(/ /g, '  ')}` }, BIRTH)).toBe(true);
  });

  it('never another component, nor a result, nor the same code of another procedure', () => {
    expect(standsFor(doc('TP06', 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân'), { code: 'TP03', name: IDENTITY }, MARITAL)).toBe(false);
    expect(standsFor(doc('KQ', IDENTITY, MARITAL, 'RESULT'), { code: 'TP03', name: IDENTITY }, MARITAL)).toBe(false);
    expect(standsFor(doc('TP03', 'Giấy chứng sinh', BIRTH), { code: 'TP03', name: IDENTITY }, MARITAL)).toBe(false);
  });
});
