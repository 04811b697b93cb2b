import { HttpStatus } from '@nestjs/common';
import { defineErrors, type AppError } from '../common/errors.js';

const { BAD_REQUEST, FORBIDDEN, NOT_FOUND, SERVICE_UNAVAILABLE, UNPROCESSABLE_ENTITY } = HttpStatus;

/** The figures' routes (issue 15); their pool, time limits and the public figures' bounds (issue 20). */
export const ReportErrors = defineErrors('reports', {
  REPORT_PERIOD_INVALID: [UNPROCESSABLE_ENTITY, (vi: string, en: string) => `${vi} / ${en}`],
  REPORT_AGENCY_REQUIRED: [UNPROCESSABLE_ENTITY, 'Cần mã cơ quan (agencyCode) / agencyCode is required'],
  REPORT_AGENCY_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy cơ quan / Agency not found'],
  REPORT_FORBIDDEN: [
    FORBIDDEN,
    'Không có quyền xem số liệu của cơ quan này (cán bộ: cơ quan mình; lãnh đạo: cơ quan mình và cấp dưới) / You may not read this agency’s figures (officers: their own agency; leaders: their subtree)',
  ],
  PUBLIC_REPORT_PERIOD_TOO_LONG: [
    BAD_REQUEST,
    (max: number) => `Số liệu công khai chỉ tra cứu tối đa ${max} tháng một lần / Public figures cover at most ${max} months at a time`,
  ],
  PUBLIC_REPORT_PERIOD_NOT_MONTHS: [
    BAD_REQUEST,
    'Số liệu công khai tính theo tháng trọn vẹn: from là ngày đầu tháng, to là ngày cuối tháng (hoặc dùng period và date) / Public figures are kept per whole month: from must be a month’s first day and to a month’s last day (or give period and date)',
  ],
  PUBLIC_REPORT_PERIOD_IN_FUTURE: [BAD_REQUEST, 'Số liệu công khai chỉ đến hết tháng hiện tại / Public figures end with the current month at the latest'],
  PUBLIC_REPORT_NOT_READY: [
    SERVICE_UNAVAILABLE,
    (seconds: number) =>
      `Số liệu công khai của kỳ này đang được tổng hợp, thử lại sau ${seconds} giây / The public figures of this period are still being compiled, retry in ${seconds} seconds`,
  ],
  REPORT_TIMEOUT: [
    SERVICE_UNAVAILABLE,
    (seconds: number) =>
      `Báo cáo chạy quá thời gian cho phép: thu hẹp kỳ hoặc phạm vi, hoặc thử lại sau ${seconds} giây / The report took longer than allowed: narrow the period or the scope, or retry in ${seconds} seconds`,
  ],
  REPORTS_BUSY: [
    SERVICE_UNAVAILABLE,
    (seconds: number) => `Hệ thống báo cáo đang bận, thử lại sau ${seconds} giây / The reports are busy, retry in ${seconds} seconds`,
  ],
});

/** One of the catalogue's 503s with its Retry-After header (whole seconds, at least 1), also given in the details. */
export function retryLater(
  code: 'PUBLIC_REPORT_NOT_READY' | 'REPORT_TIMEOUT' | 'REPORTS_BUSY',
  seconds: number,
  details: Record<string, unknown> = {},
): AppError {
  const s = Math.max(1, Math.ceil(seconds));
  const e = ReportErrors[code](s, { ...details, retryAfterSeconds: s });
  e.headers = { 'Retry-After': String(s) };
  return e;
}
