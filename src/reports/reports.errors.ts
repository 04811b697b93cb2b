import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

const { FORBIDDEN, NOT_FOUND, UNPROCESSABLE_ENTITY } = HttpStatus;

/** The figures' routes (issue 15). */
export const ReportErrors = defineErrors('reports', {
  REPORT_PERIOD_INVALID: [UNPROCESSABLE_ENTITY, (vi: string, en: string) => `${vi} / ${en}`],
  REPORT_AGENCY_REQUIRED: [UNPROCESSABLE_ENTITY, 'Cần mã cơ quan (agencyCode) / agencyCode is required'],
  REPORT_AGENCY_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy cơ quan / Agency not found'],
  REPORT_FORBIDDEN: [FORBIDDEN, 'Không có quyền xem số liệu của cơ quan này (cán bộ: cơ quan mình; lãnh đạo: cơ quan mình và cấp dưới) / You may not read this agency’s figures (officers: their own agency; leaders: their subtree)'],
});
