import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

/** Forms 01–06. */
export const FormErrors = defineErrors('forms', {
  UNKNOWN_FORM: [HttpStatus.NOT_FOUND, (number: string) => `Không có mẫu số ${number} / No form ${number}`],
  FORM_NOT_AVAILABLE: [HttpStatus.CONFLICT, (number: string, why: string) => `Hồ sơ chưa có mẫu ${number}: ${why} / Form ${number} does not exist for this dossier yet`],
});
