import { describe, expect, it } from '@jest/globals';
import multer from 'multer';
import { AppError } from '../common/errors.js';
import { toUploadError } from './upload.interceptor.js';

describe('toUploadError', () => {
  it("turns multer's own size limit into FILE_TOO_LARGE naming the limit", () => {
    expect(toUploadError(new multer.MulterError('LIMIT_FILE_SIZE', 'file'), 2048)).toMatchObject({
      status: 413,
      code: 'FILE_TOO_LARGE',
      details: [{ field: 'file', limitBytes: 2048 }],
    });
  });

  it('names an unexpected file field, and tells a second file apart', () => {
    expect(toUploadError(new multer.MulterError('LIMIT_UNEXPECTED_FILE', 'giay_to'), 1)).toMatchObject({
      status: 400,
      code: 'UNKNOWN_FIELD',
      details: [{ field: 'giay_to' }],
    });
    expect(toUploadError(new multer.MulterError('LIMIT_UNEXPECTED_FILE', 'file'), 1)).toMatchObject({ status: 400, code: 'TOO_MANY_FILES' });
    expect(toUploadError(new multer.MulterError('LIMIT_FILE_COUNT'), 1)).toMatchObject({ status: 400, code: 'TOO_MANY_FILES' });
  });

  it('answers 400 for a malformed or interrupted body', () => {
    for (const message of ['Unexpected end of form', 'Malformed part header', 'Multipart: Boundary not found', 'Request aborted']) {
      expect(toUploadError(new Error(message), 1)).toMatchObject({ status: 400, code: 'INVALID_UPLOAD' });
    }
    expect(toUploadError(new multer.MulterError('LIMIT_FIELD_COUNT'), 1)).toMatchObject({ status: 400, code: 'INVALID_UPLOAD' });
  });

  it('leaves our own errors and storage failures as they are', () => {
    const ours = AppError.badRequest('X', 'x');
    expect(toUploadError(ours, 1)).toBe(ours);
    const diskFull = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    expect(toUploadError(diskFull, 1)).toBe(diskFull);
  });
});
