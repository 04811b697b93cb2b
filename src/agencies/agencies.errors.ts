import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

const { NOT_FOUND, UNPROCESSABLE_ENTITY, CONFLICT } = HttpStatus;

/** Agencies: the directory, its tree and office hours. */
export const AgencyErrors = defineErrors('agencies', {
  AGENCY_NOT_FOUND: [NOT_FOUND, (code: string) => `Không tìm thấy cơ quan ${code} / Agency ${code} not found`],
  /** An agency code in a request body that names no agency (every capability that takes one). */
  UNKNOWN_AGENCY: [UNPROCESSABLE_ENTITY, (code: string) => `Không có cơ quan ${code} / Unknown agency ${code}`],
  AGENCY_ALREADY_EXISTS: [CONFLICT, (code: string) => `Cơ quan ${code} đã có / Agency ${code} already exists`],
  UNKNOWN_PROCEDURE_CODES: [UNPROCESSABLE_ENTITY, (codes: string[]) => `Không có thủ tục: ${codes.join(', ')} / Unknown procedure codes: ${codes.join(', ')}`],
  DISTRICT_LEVEL_ABOLISHED: [
    UNPROCESSABLE_ENTITY,
    'Cấp huyện đã bỏ từ 01/7/2025: cơ quan cấp huyện chỉ lưu để tra cứu (active=false) / The district level was abolished on 1/7/2025: a DISTRICT agency can only be recorded as inactive',
  ],
  INVALID_OFFICE_HOURS: [UNPROCESSABLE_ENTITY, (problem: string) => `Giờ làm việc không hợp lệ / Invalid office hours: ${problem}`],
  PARENT_AGENCY_NOT_FOUND: [UNPROCESSABLE_ENTITY, (code: string) => `Không có cơ quan cấp trên ${code} / Parent agency ${code} not found`],
  INVALID_AGENCY_PARENT: [UNPROCESSABLE_ENTITY, (message: string) => message],
});
