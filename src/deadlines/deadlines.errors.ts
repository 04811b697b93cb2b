import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

const { NOT_FOUND, UNPROCESSABLE_ENTITY, CONFLICT } = HttpStatus;

/** Dossier clocks. */
export const DeadlineErrors = defineErrors('deadlines', {
  CLOCK_NOT_FOUND: [NOT_FOUND, 'Hồ sơ chưa có thời hạn này / The dossier has no such clock'],
  CLOCK_NOT_RUNNING: [CONFLICT, 'Thời hạn không đang chạy / The clock is not running'],
  CLOCK_NOT_PAUSED: [CONFLICT, 'Thời hạn không đang tạm dừng / The clock is not paused'],
  CLOCK_STOPPED: [CONFLICT, 'Thời hạn đã dừng / The clock is stopped'],
  EXTENSION_ALREADY_USED: [UNPROCESSABLE_ENTITY, 'Hồ sơ đã được hẹn lại một lần / The one re-appointment was already used'],
  EXTENSION_NOT_LATER: [UNPROCESSABLE_ENTITY, 'Ngày hẹn mới phải sau ngày hẹn cũ / The new due date must be later than the current one'],
});
