import { describe, expect, it } from '@jest/globals';
import { componentCode, componentRequirements, isComponentRequired, isSignatureRequired } from './component-rules.js';

// Names as the national portal publishes them (data/procedures.json).
const BIRTH_CERTIFICATE =
  'Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.';
const PAPER_FORM =
  'Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);';
const E_FORM =
  'Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến)';

describe('which dossier components are required', () => {
  it('requires the core documents and the application form', () => {
    expect(isComponentRequired(BIRTH_CERTIFICATE, 'Giấy tờ phải nộp')).toBe(true);
    expect(isComponentRequired('Giấy đề nghị đăng ký hộ kinh doanh;', null)).toBe(true);
    expect(isComponentRequired('Ảnh mới chụp không quá 06 tháng, cỡ 4cm x 6cm', null)).toBe(true);
    // The form stays required although its text mentions a case that changes what to fill in.
    expect(
      isComponentRequired(
        'Tờ khai thay đổi thông tin cư trú (Mẫu CT01); đối với người đăng ký tạm trú là người chưa thành niên thì trong Tờ khai phải ghi rõ ý kiến đồng ý của cha, mẹ',
        'Hồ sơ đăng ký tạm trú gồm',
      ),
    ).toBe(true);
  });

  it('leaves items that open with a case optional', () => {
    expect(
      isComponentRequired('Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.', 'Giấy tờ phải nộp'),
    ).toBe(false);
    expect(isComponentRequired('Nếu là người nước ngoài thì nộp bản sao hộ chiếu', null)).toBe(false);
    expect(isComponentRequired('Đối với Quân đội nhân dân: Giấy giới thiệu đăng ký tạm trú của đơn vị cấp trung đoàn', null)).toBe(false);
    // List markers do not hide the case.
    expect(isComponentRequired('(i) Trường hợp ủy quyền cho cá nhân thực hiện thủ tục đăng ký hộ kinh doanh', null)).toBe(false);
  });

  it('leaves items under a case heading optional, even the form of that case', () => {
    expect(isComponentRequired('Giấy đề nghị đăng ký doanh nghiệp', 'Trường hợp đăng ký doanh nghiệp xã hội')).toBe(false);
    expect(isComponentRequired('Đề nghị khai báo tạm vắng;', '- Trường hợp công dân thuộc quy định tại điểm a, điểm b khoản 1 Điều 31')).toBe(false);
    expect(isComponentRequired('Giấy đề nghị đăng ký doanh nghiệp', 'Đăng ký thành lập doanh nghiệp tư nhân')).toBe(true);
  });

  it('treats a lone heading as the procedure’s own case', () => {
    const house = '(1.7) Đối với công trình nhà ở riêng lẻ';
    expect(
      componentRequirements([
        { name: 'Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công trình theo Mẫu số 1', group: house },
        { name: 'Hồ sơ thiết kế xây dựng', group: house },
      ]),
    ).toEqual([true, true]);
    expect(
      componentRequirements([
        { name: 'Giấy đề nghị đăng ký doanh nghiệp', group: 'Đăng ký thành lập doanh nghiệp tư nhân' },
        { name: 'Giấy đề nghị đăng ký doanh nghiệp', group: 'Trường hợp đăng ký doanh nghiệp xã hội' },
      ]),
    ).toEqual([true, false]);
    // A case heading over some items, others under none: still one case among others.
    expect(
      componentRequirements([
        {
          name: '(v) Người ủy quyền và người được ủy quyền chịu trách nhiệm trước pháp luật',
          group: 'Trường hợp ủy quyền thực hiện thủ tục thì hồ sơ phải kèm theo',
        },
        { name: 'Giấy đề nghị đăng ký hộ kinh doanh;', group: null },
      ]),
    ).toEqual([false, true]);
  });

  it('reads conditions in the first clause only: later sentences explain alternatives', () => {
    expect(isComponentRequired('Hồ sơ thiết kế xây dựng: + Đối với nhà ở riêng lẻ của hộ gia đình, cá nhân: 02 bộ bản vẽ (nếu có)', null)).toBe(true);
    expect(
      isComponentRequired('Giấy báo tử hoặc giấy tờ thay Giấy báo tử. Trường hợp người yêu cầu đã nộp bản điện tử Giấy báo tử trong trường hợp …', null),
    ).toBe(true);
  });

  it('leaves authorisation papers optional', () => {
    expect(
      isComponentRequired('Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh.', null),
    ).toBe(false);
    expect(isComponentRequired('Văn bản uỷ quyền yêu cầu cấp Phiếu Lý lịch tư pháp số 1 (người được ủy quyền phải xuất trình Thẻ Căn cước)', null)).toBe(false);
    expect(
      isComponentRequired(
        'Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp (Dùng cho cá nhân trong trường hợp ủy quyền yêu cầu cấp Phiếu Lý lịch tư pháp số 1)',
        null,
      ),
    ).toBe(false);
  });

  it('requires the online e-form and not its paper twin', () => {
    expect(isComponentRequired(PAPER_FORM, null)).toBe(false);
    expect(isComponentRequired(E_FORM, null)).toBe(true);
    expect(isComponentRequired('Tờ khai đăng ký khai tử theo mẫu (nếu nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính).', null)).toBe(
      false,
    );
  });

  it('leaves items with a condition in their text optional', () => {
    expect(isComponentRequired('Các giấy tờ để chứng minh đối tượng miễn, hoặc giảm phí (nếu có).', null)).toBe(false);
    expect(
      isComponentRequired(
        'Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký hộ tịch không thể khai thác được thông tin',
        'Giấy tờ phải xuất trình',
      ),
    ).toBe(false);
    expect(isComponentRequired('Hộ chiếu còn thời hạn sử dụng (đối với người nước ngoài, người Việt Nam định cư ở nước ngoài)', null)).toBe(false);
    expect(isComponentRequired('Bản sao giấy khai sinh hoặc trích lục giấy khai sinh đối với người chưa đủ 14 tuổi', null)).toBe(false);
    expect(isComponentRequired('Ngoài giấy tờ nêu trên, tùy từng trường hợp, bên nam, bên nữ phải nộp giấy tờ tương ứng sau đây:', null)).toBe(false);
    // "đối với" naming whose document it is, not a case
    expect(isComponentRequired('Bản sao giấy tờ pháp lý của cá nhân đối với chủ doanh nghiệp tư nhân', null)).toBe(true);
  });

  it('applies to birth registration 1.001193 as published', () => {
    const items = [
      { name: 'Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.', group: 'Giấy tờ phải nộp' },
      {
        name: 'Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh.',
        group: 'Giấy tờ phải nộp',
      },
      { name: BIRTH_CERTIFICATE, group: 'Giấy tờ phải nộp' },
      {
        name: 'Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử … để chứng minh về nhân thân khi làm thủ tục trực tiếp tại cơ quan đăng ký hộ tịch.',
        group: 'Giấy tờ phải xuất trình',
      },
      { name: PAPER_FORM, group: null },
      { name: E_FORM, group: null },
    ];
    expect(componentRequirements(items)).toEqual([false, false, true, true, false, true]);
  });
});

describe('which components must be digitally signed', () => {
  it('asks a signature on an uploaded application form only', () => {
    expect(isSignatureRequired('Giấy đề nghị đăng ký hộ kinh doanh;')).toBe(true);
    expect(isSignatureRequired('01 đơn trình báo mất hộ chiếu phổ thông (mẫu TK05)')).toBe(true);
    expect(isSignatureRequired(E_FORM)).toBe(false);
    expect(isSignatureRequired(BIRTH_CERTIFICATE)).toBe(false);
  });
});

describe('component codes', () => {
  it('numbers components in file order', () => {
    expect([0, 1, 9, 36].map(componentCode)).toEqual(['TP01', 'TP02', 'TP10', 'TP37']);
  });
});
