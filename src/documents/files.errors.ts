import { HttpStatus } from '@nestjs/common';
import { CommonErrors } from '../common/common.errors.js';
import { defineErrors, type AppError } from '../common/errors.js';
import { describeBytes } from './file-names.js';

/** The multipart field that carries the file. */
export const UPLOAD_FIELD = 'file';

/** Files: uploads, reads, quotas. */
export const FileErrors = defineErrors('documents', {
  FILE_NOT_FOUND: [HttpStatus.NOT_FOUND, 'Không tìm thấy tệp / File not found'],
  /** A file id in a request body that is not among the caller's uploads. */
  UNKNOWN_FILE: [HttpStatus.UNPROCESSABLE_ENTITY, 'Tệp không tồn tại hoặc không phải của bạn / File not found among your uploads'],
  FILE_REQUIRED: [HttpStatus.BAD_REQUEST, `Chưa gửi tệp trong trường "${UPLOAD_FIELD}" / No file was sent in the "${UPLOAD_FIELD}" field`],
  FILE_TOO_LARGE: [HttpStatus.PAYLOAD_TOO_LARGE, (limit: string) => `Tệp vượt quá giới hạn ${limit} / File exceeds the ${limit} limit`],
  UNSUPPORTED_FILE_TYPE: [HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc XML / Only PDF, JPEG, PNG and XML files are accepted'],
  TOO_MANY_FILES: [HttpStatus.BAD_REQUEST, 'Mỗi lần chỉ gửi một tệp / Send one file per request'],
  INVALID_UPLOAD: [HttpStatus.BAD_REQUEST, 'Dữ liệu tải lên không hợp lệ / Malformed or interrupted multipart upload'],
  /** The stored bytes no longer match what was uploaded (or are gone): an operator must restore them. */
  FILE_CORRUPTED: [
    HttpStatus.INTERNAL_SERVER_ERROR,
    'Tệp lưu trữ bị hỏng, vui lòng liên hệ cơ quan tiếp nhận / The stored file is damaged; please contact the receiving agency',
  ],
  UPLOAD_QUOTA_EXCEEDED: [
    HttpStatus.TOO_MANY_REQUESTS,
    (seconds: number, vi: string, en: string) =>
      `Đã vượt hạn mức tải lên trong 24 giờ (${vi}), thử lại sau ${seconds} giây / Upload quota exceeded (${en} per 24 hours), retry in ${seconds} seconds`,
  ],
});

export const fileNotFound = () => FileErrors.FILE_NOT_FOUND();

export const fileRequired = () => FileErrors.FILE_REQUIRED([{ field: UPLOAD_FIELD, message: 'a file part is required (multipart/form-data)' }]);

export function fileTooLarge(limitBytes: number): AppError {
  const limit = describeBytes(limitBytes);
  return FileErrors.FILE_TOO_LARGE(limit, [{ field: UPLOAD_FIELD, message: `at most ${limit} (${limitBytes} bytes)`, limitBytes }]);
}

export function unsupportedFileType(detected: string | null): AppError {
  return FileErrors.UNSUPPORTED_FILE_TYPE([
    {
      field: UPLOAD_FIELD,
      message: `content is ${detected ?? 'of an unrecognised type'}; expected PDF, JPEG, PNG or XML (judged by content, not by name)`,
      detected,
    },
  ]);
}

export const tooManyFiles = () => FileErrors.TOO_MANY_FILES([{ field: UPLOAD_FIELD, message: 'only one file part is allowed' }]);

export const unknownUploadField = (field: string) => CommonErrors.UNKNOWN_FIELD(field, [{ field, message: `only "${UPLOAD_FIELD}" is accepted` }]);

export const invalidUpload = (reason: string, field?: string) => FileErrors.INVALID_UPLOAD([{ field: field ?? UPLOAD_FIELD, message: reason }]);

export const fileCorrupted = () => FileErrors.FILE_CORRUPTED();

/** Over a citizen's daily upload quota (UPLOAD_QUOTA_FILES_PER_DAY / UPLOAD_QUOTA_BYTES_PER_DAY). */
export function uploadQuotaExceeded(quota: 'FILES_PER_DAY' | 'BYTES_PER_DAY', limit: number, used: number, retryAfterSeconds: number): AppError {
  const [vi, en] = quota === 'FILES_PER_DAY' ? [`${limit} tệp`, `${limit} files`] : [describeBytes(limit), describeBytes(limit)];
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return FileErrors.UPLOAD_QUOTA_EXCEEDED(seconds, vi, en, [
    { field: UPLOAD_FIELD, message: `quota ${quota}: ${limit}, used ${used} in the last 24 hours`, quota, limit, used, retryAfterSeconds },
  ]);
}
