import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

const { NOT_FOUND, UNPROCESSABLE_ENTITY, FORBIDDEN, CONFLICT, BAD_REQUEST } = HttpStatus;

/** Webhook endpoints, their deliveries and the allowances admins give owners for private destinations. */
export const WebhookErrors = defineErrors('webhooks', {
  WEBHOOK_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy webhook / Webhook endpoint not found'],
  WEBHOOK_URL_INVALID: [
    UNPROCESSABLE_ENTITY,
    'Địa chỉ webhook phải là URL http(s) đầy đủ, không chứa thông tin đăng nhập / The webhook URL must be an absolute http(s) URL without credentials',
  ],
  WEBHOOK_URL_NOT_ALLOWED: [
    UNPROCESSABLE_ENTITY,
    "Địa chỉ webhook trỏ tới mạng nội bộ hoặc loopback; quản trị viên phải cho phép đúng scheme://host:port này cho chủ sở hữu webhook / The webhook URL resolves to a private, loopback or link-local address: an admin must allow this scheme://host:port for the endpoint's owner",
  ],
  WEBHOOK_URL_UNRESOLVABLE: [UNPROCESSABLE_ENTITY, "Không phân giải được tên máy chủ của webhook / The webhook URL's host name does not resolve"],
  WEBHOOK_AGENCY_OUT_OF_SCOPE: [
    FORBIDDEN,
    (codes: string[]) => `Khóa API không được phép cho cơ quan ${codes.join(', ')} / The API key may not act for agency ${codes.join(', ')}`,
  ],
  WEBHOOK_DISABLED: [CONFLICT, 'Webhook đang bị tắt; hãy bật lại trước / The endpoint is disabled: enable it first'],
  WEBHOOK_INVALID_CURSOR: [
    BAD_REQUEST,
    'Con trỏ since phải là mã sự kiện (số) hoặc thời điểm ISO 8601 / since must be an event id (digits) or an ISO 8601 instant',
  ],
  WEBHOOK_TOPIC_OUT_OF_SCOPE: [
    FORBIDDEN,
    (topics: string[]) => `Khóa API không có quyền nhận sự kiện ${topics.join(', ')} / The API key lacks the scopes topic ${topics.join(', ')} needs`,
  ],
  WEBHOOK_ALLOWANCE_INVALID: [
    UNPROCESSABLE_ENTITY,
    'Phải là URL http(s) dạng scheme://host:port hoặc tiền tố URL, không chứa thông tin đăng nhập, truy vấn hay phân đoạn / Must be an http(s) scheme://host:port or URL prefix, without credentials, query or fragment',
  ],
  UNKNOWN_WEBHOOK_OWNER: [UNPROCESSABLE_ENTITY, 'Không có khóa API còn hiệu lực hay quản trị viên với mã này / No live API key or admin has this id'],
  WEBHOOK_ALLOWANCE_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy quyền cho phép này / Allowance not found'],
  WEBHOOK_LIMIT_REACHED: [UNPROCESSABLE_ENTITY, (max: number) => `Mỗi chủ sở hữu được tối đa ${max} webhook / At most ${max} endpoints per owner`],
});
