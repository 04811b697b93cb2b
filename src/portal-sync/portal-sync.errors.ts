import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

const { NOT_FOUND, CONFLICT } = HttpStatus;

/** The national portal sync's admin routes. */
export const PortalSyncErrors = defineErrors('portal-sync', {
  PORTAL_SYNC_DISABLED: [CONFLICT, 'Đồng bộ Cổng DVC quốc gia đang tắt (PORTAL_SYNC_ENABLED) / The national portal sync is off (PORTAL_SYNC_ENABLED)'],
  PORTAL_SYNC_DOSSIER_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy hồ sơ / Dossier not found'],
});
