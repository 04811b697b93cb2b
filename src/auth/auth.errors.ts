import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';
import { CCCD_MESSAGES, type CccdProblem } from './cccd.js';

const { NOT_FOUND, BAD_REQUEST, UNPROCESSABLE_ENTITY, CONFLICT, FORBIDDEN, UNAUTHORIZED, TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE } = HttpStatus;

/** Accounts, logins, tokens, VNeID, API keys and identity checks. */
export const AuthErrors = defineErrors('auth', {
  INVALID_CREDENTIALS: [UNAUTHORIZED, 'Sai tên đăng nhập hoặc mật khẩu / Wrong username or password'],
  INVALID_REFRESH_TOKEN: [UNAUTHORIZED, 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn / Refresh token invalid or expired'],
  REFRESH_TOKEN_REUSED: [UNAUTHORIZED, 'Phiên đăng nhập đã bị thu hồi do token được dùng lại / Refresh token reused: all sessions of this login were revoked'],
  ACCOUNT_DISABLED: [UNAUTHORIZED, 'Tài khoản đã bị khóa / This account is disabled'],
  ACCOUNT_EXISTS: [CONFLICT, 'Tài khoản đã tồn tại / An account with this username or id number already exists'],
  ACCOUNT_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy tài khoản công dân / No such citizen account'],
  NO_PASSWORD_ACCOUNT: [NOT_FOUND, 'Không có tài khoản mật khẩu chưa xác thực nào mang số CCCD này / No unverified password account carries this CCCD'],
  INVALID_ID_NUMBER: [BAD_REQUEST, (problem: CccdProblem) => CCCD_MESSAGES[problem]],
  INVALID_ROLE: [BAD_REQUEST, 'Vai trò không hợp lệ cho cán bộ / Role not allowed for staff accounts (citizens self-register; integrators use API keys)'],
  AGENCY_REQUIRED: [BAD_REQUEST, 'Cán bộ phải thuộc một cơ quan / Staff must belong to an agency'],
  RESERVED_USERNAME: [BAD_REQUEST, 'Tên đăng nhập dành riêng cho hệ thống / Usernames starting with vneid. or linked. are reserved'],
  IDENTITY_NOT_VERIFIED: [
    FORBIDDEN,
    "Tài khoản chưa được xác thực định danh (VNeID hoặc tại Bộ phận Một cửa) / This account's identity is not verified (VNeID or a desk check)",
  ],
  ID_NUMBER_MISMATCH: [UNPROCESSABLE_ENTITY, "Số CCCD trên thẻ không khớp với tài khoản / The CCCD on the card is not the account's"],
  IDENTITY_ALREADY_VERIFIED: [
    CONFLICT,
    'Số CCCD này đã có tài khoản được xác thực (VNeID); công dân dùng tài khoản đó / This CCCD already has a verified account: the citizen should use it',
  ],
  // Card checks that prove the applicant of one filing (issue 20).
  CARD_ISSUE_DATE_INVALID: [
    BAD_REQUEST,
    "Ngày cấp thẻ căn cước không hợp lệ / The card's issue date is not possible (after today, or before 12-digit cards were issued in 2016)",
  ],
  UNKNOWN_IDENTITY_CHECK: [UNPROCESSABLE_ENTITY, 'Không có lượt kiểm tra thẻ này của cán bộ / No such card check recorded by you (POST /auth/identity-checks)'],
  IDENTITY_CHECK_MISMATCH: [UNPROCESSABLE_ENTITY, "Thẻ đã kiểm tra không phải của người nộp / The card checked is not the applicant's: its number differs"],
  IDENTITY_CHECK_EXPIRED: [
    UNPROCESSABLE_ENTITY,
    (minutes: number) => `Lượt kiểm tra thẻ đã quá ${minutes} phút: kiểm tra lại thẻ / The card check is older than ${minutes} minutes: check the card again`,
  ],
  IDENTITY_CHECK_USED: [CONFLICT, 'Lượt kiểm tra thẻ đã dùng cho một hồ sơ khác / The card check already proved another filing: check the card again'],
  TOO_MANY_REGISTRATIONS: [
    TOO_MANY_REQUESTS,
    (seconds: number) =>
      `Quá nhiều lượt đăng ký từ địa chỉ này, vui lòng thử lại sau ${seconds} giây / Too many registrations from this address, retry in ${seconds} seconds`,
  ],
  MISSING_SCOPE: [FORBIDDEN, (missing: string[]) => `Khóa API thiếu quyền ${missing.join(', ')} / The API key lacks scope ${missing.join(', ')}`],
  API_KEY_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy khóa API / API key not found'],
  OIDC_NOT_CONFIGURED: [NOT_FOUND, 'Chưa cấu hình đăng nhập VNeID / OpenID Connect login is not configured (OIDC_ISSUER)'],
  OIDC_INVALID_STATE: [
    BAD_REQUEST,
    'Phiên đăng nhập VNeID không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại / Unknown, expired or already used login state: start again',
  ],
  OIDC_STATE_NOT_BOUND: [
    BAD_REQUEST,
    'Phiên đăng nhập VNeID không được bắt đầu từ trình duyệt này, vui lòng đăng nhập lại / This login was not started in this browser: start again',
  ],
  OIDC_LOGIN_FAILED: [UNAUTHORIZED, 'Đăng nhập qua VNeID không thành công / Login with the identity provider failed'],
  OIDC_INVALID_IDENTITY: [UNAUTHORIZED, 'Tài khoản định danh không có số CCCD hợp lệ / The identity provider gave no valid CCCD number'],
  OIDC_PROVIDER_UNAVAILABLE: [
    SERVICE_UNAVAILABLE,
    'Không kết nối được hệ thống định danh, vui lòng thử lại sau / The identity provider is unreachable, please retry later',
  ],
});
