import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

/** The dossier record's own errors (the application's are in src/dossiers/dossiers.errors.ts). */
export const DossierRecordErrors = defineErrors('dossier-record', {
  DOSSIER_NOT_FOUND: [HttpStatus.NOT_FOUND, 'Không tìm thấy hồ sơ / Dossier not found'],
});
