import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

const { BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, UNPROCESSABLE_ENTITY, CONFLICT, SERVICE_UNAVAILABLE, BAD_GATEWAY } = HttpStatus;

/** The payments and receipts capability's errors. */
export const PaymentErrors = defineErrors('payments', {
  PAYMENT_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy yêu cầu thanh toán / Payment request not found'],
  RECEIPT_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy biên lai / Receipt not found'],
  PAYMENT_NOT_PENDING: [CONFLICT, (status: string) => `Yêu cầu thanh toán đang ở trạng thái ${status} / The payment request is ${status}, not PENDING`],
  PAYMENT_ALREADY_PENDING: [CONFLICT, 'Đã có yêu cầu thanh toán đang chờ cho bước này / A payment request for this stage is already pending'],
  NOT_PAID: [CONFLICT, (status: string) => `Chỉ hoàn tiền khoản đã nộp (đang ${status}) / Only a PAID request can be refunded (it is ${status})`],
  REFUND_IN_PROGRESS: [
    CONFLICT,
    'Khoản này đang được hoàn tiền / A refund of this request is already under way (REFUNDING): it is sent once, and retried by the reconciliation job',
  ],
  AMOUNT_MISMATCH: [
    UNPROCESSABLE_ENTITY,
    (asked: number, given: number) => `Số tiền ${given} khác số phải nộp ${asked} / The amount ${given} differs from the ${asked} VND asked`,
  ],
  NOT_COLLECTED_HERE: [
    UNPROCESSABLE_ENTITY,
    'Cán bộ không thuộc cơ quan tiếp nhận hoặc giải quyết hồ sơ / Only staff of the receiving or competent agency record payments',
  ],
  NO_ONLINE_PAYMENT: [SERVICE_UNAVAILABLE, 'Chưa cấu hình cổng thanh toán trực tuyến / No online payment platform is configured (PAYGOV_URL)'],
  CALLBACKS_NOT_ENABLED: [
    NOT_FOUND,
    'Không nhận kết quả thanh toán trực tuyến: chưa cấu hình cổng thanh toán / No payment platform is configured here (PAYGOV_URL), so no callback is taken',
  ],
  NO_VIETQR: [UNPROCESSABLE_ENTITY, 'Cơ quan thu chưa đăng ký tài khoản nhận chuyển khoản VietQR / The collecting agency takes no VietQR transfers'],
  PLATFORM_UNAVAILABLE: [BAD_GATEWAY, (why: string) => `Cổng thanh toán không phản hồi / The payment platform failed: ${why}`],
  NOT_AT_SUBMISSION: [
    UNPROCESSABLE_ENTITY,
    'Thủ tục không thu phí khi nộp hồ sơ, hoặc hồ sơ đã qua bước nộp / The procedure collects nothing at submission, or the dossier is past it',
  ],

  // A refused platform callback is answered HTTP 200 with the platform's own errorCode, as the
  // platform expects; these codes ride beside it (`code`) and stay when a real contract changes the
  // platform's codes. The statuses are what the refusal would be anywhere else.
  PAYMENT_CALLBACK_MALFORMED: [
    BAD_REQUEST,
    'Thông điệp kết quả thanh toán không hợp lệ / The payment callback is malformed (a required signed field is missing or invalid)',
  ],
  PAYMENT_CALLBACK_BAD_SIGNATURE: [UNAUTHORIZED, "Chữ ký (checksum) của thông điệp không đúng / The payment callback's checksum does not match"],
  PAYMENT_CALLBACK_STALE: [
    UNAUTHORIZED,
    "Thời điểm gửi của thông điệp nằm ngoài khoảng cho phép / The payment callback's signed time is outside the accepted window (PAYGOV_CALLBACK_WINDOW_MINUTES)",
  ],
  PAYMENT_CALLBACK_UNKNOWN_REFERENCE: [UNPROCESSABLE_ENTITY, 'Không có yêu cầu thanh toán với mã tham chiếu này / No payment request has this reference'],
  PAYMENT_CALLBACK_AMOUNT_MISMATCH: [UNPROCESSABLE_ENTITY, 'Số tiền đã nộp khác số phải nộp / The amount paid differs from the amount asked'],
});
