import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

/** Forms 01–06 of a dossier and 07, a centre's register. */
export const FormErrors = defineErrors('forms', {
  UNKNOWN_FORM: [HttpStatus.NOT_FOUND, (number: string) => `Không có mẫu số ${number} / No form ${number}`],
  REGISTER_TOO_LONG: [
    HttpStatus.UNPROCESSABLE_ENTITY,
    (max: number) => `Sổ theo dõi quá dài (hơn ${max} hồ sơ): chọn kỳ ngắn hơn / The register would have more than ${max} lines: choose a shorter period`,
  ],
  FORM_NOT_AVAILABLE: [
    HttpStatus.CONFLICT,
    (number: string, why: string) => `Hồ sơ chưa có mẫu ${number}: ${why} / Form ${number} does not exist for this dossier yet`,
  ],
});
