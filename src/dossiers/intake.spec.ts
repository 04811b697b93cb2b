import { describe, expect, it } from '@jest/globals';
import { Role } from '../common/auth-context.js';
import { isRequiredOnChannel } from '../catalog/component-rules.js';
import { channelFor, documentTypeKey, sourceFor } from './intake.js';

const citizen = { kind: 'user' as const, role: Role.CITIZEN };
const officer = { kind: 'user' as const, role: Role.RECEPTION_OFFICER };
const integrator = { kind: 'api-key' as const, role: Role.INTEGRATOR };
const specialist = { kind: 'user' as const, role: Role.SPECIALIST };

describe('the channel of a filing', () => {
  it('is ONLINE for citizens and integrators, by default or when they say so', () => {
    expect(channelFor(citizen, undefined)).toBe('ONLINE');
    expect(channelFor(citizen, 'ONLINE')).toBe('ONLINE');
    expect(channelFor(integrator, undefined)).toBe('ONLINE');
  });

  it('refuses COUNTER or POSTAL from a citizen or an integrator, naming the field', () => {
    expect(channelFor(citizen, 'COUNTER')).toMatchObject({ code: 'CHANNEL_NOT_ALLOWED', field: 'channel' });
    expect(channelFor(integrator, 'POSTAL')).toMatchObject({ code: 'CHANNEL_NOT_ALLOWED', field: 'channel' });
  });

  it('is what the reception officer says, COUNTER or POSTAL, never ONLINE nor left out', () => {
    expect(channelFor(officer, 'COUNTER')).toBe('COUNTER');
    expect(channelFor(officer, 'POSTAL')).toBe('POSTAL');
    expect(channelFor(officer, 'ONLINE')).toMatchObject({ code: 'CHANNEL_NOT_ALLOWED' });
    expect(channelFor(officer, undefined)).toMatchObject({ code: 'CHANNEL_NOT_ALLOWED' });
  });

  it('is nobody else’s to file', () => {
    expect(channelFor(specialist, 'COUNTER')).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the provenance of a component given as a file', () => {
  it('is a desk scan for an officer unless it came from state data', () => {
    expect(sourceFor(officer, undefined, 'f')).toBe('SCANNED');
    expect(sourceFor(officer, 'STATE_DATA', 'f')).toBe('STATE_DATA');
    expect(sourceFor(officer, 'UPLOADED', 'f')).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', field: 'f' });
  });

  it('is an upload for a citizen, who cannot claim a scan or state data', () => {
    expect(sourceFor(citizen, undefined, 'f')).toBe('UPLOADED');
    expect(sourceFor(citizen, 'SCANNED', 'f')).toMatchObject({ code: 'SOURCE_NOT_ALLOWED' });
    expect(sourceFor(citizen, 'STATE_DATA', 'f')).toMatchObject({ code: 'SOURCE_NOT_ALLOWED' });
  });

  it('is an upload or state data for an integrator, and never REUSED by claim', () => {
    expect(sourceFor(integrator, undefined, 'f')).toBe('UPLOADED');
    expect(sourceFor(integrator, 'STATE_DATA', 'f')).toBe('STATE_DATA');
    expect(sourceFor(integrator, 'SCANNED', 'f')).toMatchObject({ code: 'SOURCE_NOT_ALLOWED' });
    expect(sourceFor(officer, 'REUSED', 'f')).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', message: expect.stringMatching(/documentId/) });
  });
});

describe('document types across procedures', () => {
  it('match the same component text of two procedures, whatever the spacing and the closing punctuation', () => {
    const a = 'Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước   còn giá trị sử dụng.';
    const b = 'hộ chiếu/thẻ căn cước công dân/thẻ căn cước còn giá trị sử dụng';
    expect(documentTypeKey(a)).toBe(documentTypeKey(b));
    expect(documentTypeKey(a)).not.toBe(documentTypeKey('Giấy chứng sinh'));
  });
});

describe('components whose need depends on the channel', () => {
  const paperForm = {
    name: 'Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);',
    required: false,
  };
  const eForm = {
    name: 'Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến)',
    required: true,
  };
  const plain = { name: 'Giấy chứng sinh', required: true };

  it('asks the paper form at the counter and by post, the interactive e-form online', () => {
    expect([isRequiredOnChannel(paperForm, 'ONLINE'), isRequiredOnChannel(paperForm, 'COUNTER'), isRequiredOnChannel(paperForm, 'POSTAL')]).toEqual([
      false,
      true,
      true,
    ]);
    expect([isRequiredOnChannel(eForm, 'ONLINE'), isRequiredOnChannel(eForm, 'COUNTER'), isRequiredOnChannel(eForm, 'POSTAL')]).toEqual([true, false, false]);
  });

  it('keeps the catalogue’s answer for every other component', () => {
    expect(isRequiredOnChannel(plain, 'COUNTER')).toBe(true);
    expect(isRequiredOnChannel({ ...plain, required: false }, 'ONLINE')).toBe(false);
  });
});
