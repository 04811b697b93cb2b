import { HttpStatus } from '@nestjs/common';
import { bilingual, defineErrors } from './errors.js';

/**
 * The generic errors every capability may raise. VALIDATION_FAILED and FORBIDDEN carry the rule
 * that was broken in their message; the codes of a capability's own rules live in its catalogue.
 * (The codes of errors Nest and Express raise themselves, e.g. MALFORMED_JSON, PAYLOAD_TOO_LARGE,
 * INVALID_VALUE, INTERNAL_ERROR, are set by the exception filter.)
 */
export const CommonErrors = defineErrors('common', {
  VALIDATION_FAILED: [HttpStatus.BAD_REQUEST, bilingual],
  UNKNOWN_FIELD: [HttpStatus.BAD_REQUEST, (field: string) => `Trường không được phép: ${field} / Unknown field: ${field}`],
  INVALID_CURSOR: [HttpStatus.BAD_REQUEST, 'Con trỏ phân trang không hợp lệ / Invalid pagination cursor'],
  /** U+0000 or a lone UTF-16 surrogate (or, in a URL, bytes that are not UTF-8): text PostgreSQL cannot store. */
  INVALID_TEXT: [
    HttpStatus.BAD_REQUEST,
    'Văn bản chứa ký tự không lưu được (NUL hoặc nửa cặp thay thế UTF-16 đứng lẻ) / Text contains a character that cannot be stored (NUL or a lone UTF-16 surrogate)',
  ],
  BODY_TOO_DEEP: [
    HttpStatus.BAD_REQUEST,
    (limit: number) => `Dữ liệu lồng nhau quá sâu (tối đa ${limit} cấp) / Request body nests deeper than ${limit} levels`,
  ],
  UNAUTHENTICATED: [HttpStatus.UNAUTHORIZED, bilingual],
  FORBIDDEN: [HttpStatus.FORBIDDEN, bilingual],
  TOO_MANY_REQUESTS: [HttpStatus.TOO_MANY_REQUESTS, (seconds: number, vi: string, en: string) => `${vi} ${seconds} giây / ${en} ${seconds} seconds`],
  SERVICE_UNAVAILABLE: [HttpStatus.SERVICE_UNAVAILABLE, bilingual],
});
