import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

const { NOT_FOUND, UNPROCESSABLE_ENTITY, CONFLICT } = HttpStatus;
const duplicate = (field: string) => `Mã bị trùng: ${field} / Duplicate code at ${field}`;

/** The procedure catalogue. */
export const CatalogErrors = defineErrors('catalog', {
  PROCEDURE_NOT_FOUND: [NOT_FOUND, (code: string) => `Không tìm thấy thủ tục ${code} / Procedure ${code} not found`],
  /** A procedure code in a request body that names no procedure. */
  UNKNOWN_PROCEDURE: [UNPROCESSABLE_ENTITY, (code: string) => `Không có thủ tục mã ${code} / Unknown procedure ${code}`],
  PROCEDURE_VERSION_NOT_FOUND: [
    NOT_FOUND,
    (code: string, version: number) => `Thủ tục ${code} không có phiên bản ${version} / Procedure ${code} has no version ${version}`,
  ],
  PROCEDURE_ALREADY_EXISTS: [CONFLICT, (code: string) => `Thủ tục ${code} đã có / Procedure ${code} already exists`],
  PROCEDURE_VERSION_CONFLICT: [
    CONFLICT,
    (version: number) => `Thủ tục đã được sửa (phiên bản ${version}) / The procedure has changed: it is at version ${version}`,
  ],
  DUPLICATE_COMPONENT_CODE: [UNPROCESSABLE_ENTITY, duplicate],
  DUPLICATE_STEP_CODE: [UNPROCESSABLE_ENTITY, duplicate],
  PROCESS_EXCEEDS_TIME_LIMIT: [UNPROCESSABLE_ENTITY, (vi: string, en: string) => `${vi} / The internal process is longer than the legal time limit: ${en}`],
});
