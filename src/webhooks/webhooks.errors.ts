import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

const { NOT_FOUND, UNPROCESSABLE_ENTITY, FORBIDDEN, CONFLICT, BAD_REQUEST } = HttpStatus;

/** Webhook endpoints, their deliveries and the admins' host allow-list. */
export const WebhookErrors = defineErrors('webhooks', {
  WEBHOOK_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy webhook / Webhook endpoint not found'],
  WEBHOOK_URL_INVALID: [UNPROCESSABLE_ENTITY, 'Địa chỉ webhook phải là URL http(s) đầy đủ, không chứa thông tin đăng nhập / The webhook URL must be an absolute http(s) URL without credentials'],
  WEBHOOK_URL_NOT_ALLOWED: [UNPROCESSABLE_ENTITY, 'Địa chỉ webhook trỏ tới mạng nội bộ hoặc loopback; quản trị viên phải cho phép máy chủ này / The webhook URL resolves to a private, loopback or link-local address: an admin must allow this host'],
  WEBHOOK_URL_UNRESOLVABLE: [UNPROCESSABLE_ENTITY, 'Không phân giải được tên máy chủ của webhook / The webhook URL\'s host name does not resolve'],
  WEBHOOK_AGENCY_OUT_OF_SCOPE: [FORBIDDEN, (codes: string[]) => `Khóa API không được phép cho cơ quan ${codes.join(', ')} / The API key may not act for agency ${codes.join(', ')}`],
  WEBHOOK_DISABLED: [CONFLICT, 'Webhook đang bị tắt; hãy bật lại trước / The endpoint is disabled: enable it first'],
  WEBHOOK_INVALID_CURSOR: [BAD_REQUEST, 'Con trỏ since phải là mã sự kiện (số) hoặc thời điểm ISO 8601 / since must be an event id (digits) or an ISO 8601 instant'],
  WEBHOOK_LIMIT_REACHED: [UNPROCESSABLE_ENTITY, (max: number) => `Mỗi chủ sở hữu được tối đa ${max} webhook / At most ${max} endpoints per owner`],
});
