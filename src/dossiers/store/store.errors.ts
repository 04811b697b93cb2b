import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../../common/errors.js';

const { NOT_FOUND, BAD_REQUEST, UNPROCESSABLE_ENTITY, FORBIDDEN } = HttpStatus;

/** The person's data store: consents (share codes), reuse by document type, alerts (issue 20). */
export const StoreErrors = defineErrors('store', {
  SHARE_CODE_NOT_FOUND: [NOT_FOUND, 'Không tìm thấy mã chia sẻ / No such share code of yours'],
  SHARE_CODE_REQUIRED: [BAD_REQUEST, "Cần mã chia sẻ của công dân (header X-Share-Code) / The citizen's share code is required (header X-Share-Code)"],
  SHARE_CODE_INVALID: [FORBIDDEN, "Mã chia sẻ không đúng hoặc không phải của người nộp / Wrong share code, or not the applicant's"],
  SHARE_CODE_EXPIRED: [FORBIDDEN, 'Mã chia sẻ đã hết hạn: công dân tạo mã mới / The share code has expired: the citizen makes a new one'],
  SHARE_CODE_REVOKED: [FORBIDDEN, 'Công dân đã thu hồi mã chia sẻ / The citizen revoked this share code'],
  SHARE_CODE_USED_UP: [FORBIDDEN, 'Mã chia sẻ đã dùng hết số lần cho phép / The share code has been used as many times as it allows'],
  SHARE_CODE_NOT_FOR_YOU: [
    FORBIDDEN,
    'Mã chia sẻ được cấp cho hồ sơ, cán bộ hoặc cơ quan khác / The share code was given for another dossier, officer or agency',
  ],
  SHARE_BINDING_INVALID: [
    UNPROCESSABLE_ENTITY,
    'Mã chia sẻ cấp cho đúng một trong: hồ sơ, cán bộ, cơ quan / A share code is given for exactly one of: a dossier, an officer, an agency',
  ],
  UNKNOWN_DOSSIER: [UNPROCESSABLE_ENTITY, 'Không có hồ sơ đang mở này của bạn / No such open dossier of yours'],
  UNKNOWN_OFFICER: [UNPROCESSABLE_ENTITY, 'Không có cán bộ đang làm việc với tên đăng nhập này / No active staff member with this username'],
  DOCUMENT_TYPE_MISMATCH: [UNPROCESSABLE_ENTITY, 'Giấy tờ không phải loại thành phần hồ sơ yêu cầu / The document is not of the type this component asks for'],
});
