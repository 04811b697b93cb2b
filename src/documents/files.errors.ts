import { HttpStatus } from '@nestjs/common';
import { AppError } from '../common/errors.js';
import { describeBytes } from './file-names.js';

/** The multipart field that carries the file. */
export const UPLOAD_FIELD = 'file';

export const fileNotFound = () => AppError.notFound('FILE_NOT_FOUND', 'Không tìm thấy tệp / File not found');

export const fileRequired = () =>
  AppError.badRequest('FILE_REQUIRED', `Chưa gửi tệp trong trường "${UPLOAD_FIELD}" / No file was sent in the "${UPLOAD_FIELD}" field`, [
    { field: UPLOAD_FIELD, message: 'a file part is required (multipart/form-data)' },
  ]);

export function fileTooLarge(limitBytes: number): AppError {
  const limit = describeBytes(limitBytes);
  return new AppError(HttpStatus.PAYLOAD_TOO_LARGE, 'FILE_TOO_LARGE', `Tệp vượt quá giới hạn ${limit} / File exceeds the ${limit} limit`, [
    { field: UPLOAD_FIELD, message: `at most ${limit} (${limitBytes} bytes)`, limitBytes },
  ]);
}

export function unsupportedFileType(detected: string | null): AppError {
  return new AppError(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'UNSUPPORTED_FILE_TYPE',
    'Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc XML / Only PDF, JPEG, PNG and XML files are accepted',
    [{ field: UPLOAD_FIELD, message: `content is ${detected ?? 'of an unrecognised type'}; expected PDF, JPEG, PNG or XML (judged by content, not by name)`, detected }],
  );
}

export const tooManyFiles = () =>
  AppError.badRequest('TOO_MANY_FILES', 'Mỗi lần chỉ gửi một tệp / Send one file per request', [{ field: UPLOAD_FIELD, message: 'only one file part is allowed' }]);

export const unknownUploadField = (field: string) =>
  AppError.badRequest('UNKNOWN_FIELD', `Trường không được phép: ${field} / Unknown field: ${field}`, [{ field, message: `only "${UPLOAD_FIELD}" is accepted` }]);

export const invalidUpload = (reason: string, field?: string) =>
  AppError.badRequest('INVALID_UPLOAD', 'Dữ liệu tải lên không hợp lệ / Malformed or interrupted multipart upload', [{ field: field ?? UPLOAD_FIELD, message: reason }]);

/** The stored bytes no longer match what was uploaded (or are gone): an operator must restore them. */
export const fileCorrupted = () =>
  new AppError(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'FILE_CORRUPTED',
    'Tệp lưu trữ bị hỏng, vui lòng liên hệ cơ quan tiếp nhận / The stored file is damaged; please contact the receiving agency',
  );

/** Over a citizen's daily upload quota (UPLOAD_QUOTA_FILES_PER_DAY / UPLOAD_QUOTA_BYTES_PER_DAY). */
export function uploadQuotaExceeded(quota: 'FILES_PER_DAY' | 'BYTES_PER_DAY', limit: number, used: number, retryAfterSeconds: number): AppError {
  const [vi, en] = quota === 'FILES_PER_DAY' ? [`${limit} tệp`, `${limit} files`] : [describeBytes(limit), describeBytes(limit)];
  return AppError.tooManyRequests(
    'UPLOAD_QUOTA_EXCEEDED',
    `Đã vượt hạn mức tải lên trong 24 giờ (${vi}), thử lại sau ${retryAfterSeconds} giây / Upload quota exceeded (${en} per 24 hours), retry in ${retryAfterSeconds} seconds`,
    retryAfterSeconds,
    [{ field: UPLOAD_FIELD, message: `quota ${quota}: ${limit}, used ${used} in the last 24 hours`, quota, limit, used, retryAfterSeconds }],
  );
}
