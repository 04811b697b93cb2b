import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';
import { CALLBACK_MAX_AGE_SECONDS, CALLBACK_SIGNATURE_HEADER, CALLBACK_TIMESTAMP_HEADER } from './signing/callback-headers.js';

const { NOT_FOUND, BAD_REQUEST, UNPROCESSABLE_ENTITY, CONFLICT, UNAUTHORIZED, TOO_MANY_REQUESTS } = HttpStatus;

/** Signatures: trust anchors, CRLs, re-verification, result signing and its remote callbacks. */
export const SignatureErrors = defineErrors('signatures', {
  INVALID_CERTIFICATE: [BAD_REQUEST, (vi: string, en: string) => `${vi} / ${en}`],
  NOT_A_CA_CERTIFICATE: [
    UNPROCESSABLE_ENTITY,
    'Chỉ tin cậy chứng thư của tổ chức cung cấp dịch vụ chứng thực (CA) / Only CA certificates can be trust anchors',
  ],
  TRUST_ANCHOR_EXISTS: [CONFLICT, 'Chứng thư này đã được tin cậy / This certificate is already a trust anchor'],
  TRUST_ANCHOR_NOT_FOUND: [
    NOT_FOUND,
    'Không tìm thấy chứng thư tin cậy (những chứng thư trong thư mục SIGNATURE_TRUST_DIR chỉ gỡ được bằng cách xóa tệp) / No such trust anchor (those from SIGNATURE_TRUST_DIR are removed by deleting their file)',
  ],
  CRL_NOT_FOUND: [NOT_FOUND, 'Không có danh sách thu hồi này / No such CRL'],
  TOO_MANY_VERIFICATIONS: [
    TOO_MANY_REQUESTS,
    (seconds: number, limit: number) =>
      `Đã yêu cầu kiểm tra lại chữ ký quá ${limit} lần trong một giờ, thử lại sau ${seconds} giây / More than ${limit} re-verifications in an hour, retry in ${seconds} seconds`,
  ],
  PDF_SIGN_INVALID: [UNPROCESSABLE_ENTITY, (why: string) => `Không ký được tệp PDF / Cannot sign the PDF: ${why}`],
  PKCS12_WRONG_PASSWORD: [BAD_REQUEST, 'Mật khẩu tệp PKCS#12 không đúng / Wrong password for the PKCS#12 file'],
  PKCS12_INVALID: [BAD_REQUEST, (vi: string, en: string) => `${vi} / ${en}`],
  CALLBACK_UNSIGNED: [
    UNAUTHORIZED,
    `Thiếu chữ ký của lời gọi lại / The callback must carry the ${CALLBACK_TIMESTAMP_HEADER} and ${CALLBACK_SIGNATURE_HEADER} headers (HMAC-SHA256 with the remote-signing token)`,
  ],
  CALLBACK_SIGNATURE_INVALID: [
    UNAUTHORIZED,
    'Chữ ký của lời gọi lại không hợp lệ / The callback signature does not match the body and the remote-signing token',
  ],
  CALLBACK_STALE: [UNAUTHORIZED, `Lời gọi lại đã quá hạn / The callback timestamp is more than ${CALLBACK_MAX_AGE_SECONDS} seconds from the server's time`],
  CALLBACK_REPLAYED: [CONFLICT, 'Lời gọi lại đã được nhận trước đó / This callback was already received'],
});
