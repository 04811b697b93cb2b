import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';
import { DossierRecordErrors } from '../dossier-record/dossier-record.errors.js';

const { NOT_FOUND, BAD_REQUEST, UNPROCESSABLE_ENTITY, CONFLICT, FORBIDDEN } = HttpStatus;

/** The dossiers capability's errors: submission, reading, queues and the workflow (its guards too). */
export const DossierErrors = {
  ...DossierRecordErrors,
  ...defineErrors('dossiers', {
    UNKNOWN_QUEUE: [NOT_FOUND, (name: string) => `Không có hàng đợi "${name}" / No queue "${name}"`],
    UNKNOWN_ACTION: [NOT_FOUND, (action: string) => `Không có thao tác "${action}" / No such action "${action}"`],
    IDEMPOTENCY_KEY_REQUIRED: [
      BAD_REQUEST,
      'Thiếu hoặc sai định dạng Idempotency-Key / The Idempotency-Key header is required: 8–128 characters [A-Za-z0-9._:-]',
    ],
    IDEMPOTENCY_IN_PROGRESS: [CONFLICT, 'Yêu cầu cùng khoá đang được xử lý / A request with this Idempotency-Key is in progress; retry'],
    IDEMPOTENCY_KEY_REUSED: [
      UNPROCESSABLE_ENTITY,
      'Khoá Idempotency-Key đã được dùng cho một yêu cầu khác / This Idempotency-Key was already used with a different request body',
    ],
    AGENCY_NOT_ALLOWED: [FORBIDDEN, 'Khoá API không được nộp hồ sơ cho cơ quan này / The API key may not file dossiers at this agency'],
    AGENCY_NOT_RECEIVING: [UNPROCESSABLE_ENTITY, 'Cơ quan này không tiếp nhận hồ sơ / This agency does not receive dossiers (not a service centre)'],
    PROCEDURE_NOT_AVAILABLE: [
      UNPROCESSABLE_ENTITY,
      'Thủ tục không được cung cấp tại tỉnh của nơi tiếp nhận / No agency of this province resolves the procedure',
    ],
    COMPETENT_AGENCY_INVALID: [UNPROCESSABLE_ENTITY, 'Cơ quan này không giải quyết thủ tục / That agency does not resolve the procedure'],
    COMPETENT_AGENCY_REQUIRED: [UNPROCESSABLE_ENTITY, 'Cần chọn cơ quan giải quyết / Several agencies resolve this procedure: choose competentAgencyCode'],
    DELIVERY_NOT_ALLOWED: [
      UNPROCESSABLE_ENTITY,
      'Thủ tục toàn trình không trả kết quả tại quầy / A full-online procedure returns results online or by post, not at the counter',
    ],
    UNKNOWN_COMPONENT: [UNPROCESSABLE_ENTITY, 'Thành phần hồ sơ không thuộc thủ tục / Attachment for a component the procedure does not have'],
    MISSING_COMPONENT: [UNPROCESSABLE_ENTITY, (codes: string[]) => `Thiếu thành phần hồ sơ bắt buộc: ${codes.join(', ')} / Required components missing`],
    // Counter intake, digitisation and the data store (issue 12).
    CHANNEL_NOT_ALLOWED: [UNPROCESSABLE_ENTITY, 'Kênh nộp không hợp lệ với người nộp / This caller may not file on this channel'],
    NOT_YOUR_CENTRE: [FORBIDDEN, 'Cán bộ chỉ tiếp nhận hồ sơ tại trung tâm của mình / An officer files dossiers at their own centre only'],
    SOURCE_NOT_ALLOWED: [UNPROCESSABLE_ENTITY, 'Nguồn thành phần hồ sơ không hợp lệ / This provenance of a component is not allowed for this caller'],
    ATTACHMENT_FILE_OR_DOCUMENT: [
      UNPROCESSABLE_ENTITY,
      'Mỗi thành phần cần đúng một trong fileId hoặc documentId / Each attachment needs exactly one of fileId and documentId',
    ],
    SCAN_TYPE_NOT_ALLOWED: [UNPROCESSABLE_ENTITY, 'Bản quét phải là PDF, JPEG hoặc PNG / A scan must be a PDF, JPEG or PNG'],
    UNKNOWN_DOCUMENT: [UNPROCESSABLE_ENTITY, 'Không có giấy tờ này trong kho dữ liệu của người nộp / No such document in the applicant’s data store'],
    STORE_NOT_OPEN: [
      FORBIDDEN,
      'Hồ sơ đã kết thúc: kho dữ liệu của người nộp không còn mở cho cán bộ / The dossier is closed: its applicant’s data store is open to staff only while they handle an open dossier',
    ],
    DOCUMENT_EXPIRED: [
      UNPROCESSABLE_ENTITY,
      (until: string) => `Giấy tờ đã hết hiệu lực từ sau ngày ${until} / The document’s validity ended on ${until}: it cannot be reused`,
    ],
    DOCUMENT_ALREADY_EXPIRED: [
      UNPROCESSABLE_ENTITY,
      'Ngày hết hiệu lực đã qua: không tiếp nhận giấy tờ hết hiệu lực / validUntil is in the past: an expired paper is not accepted',
    ],
    // The workflow.
    DOSSIER_VERSION_CONFLICT: [CONFLICT, 'Hồ sơ đã được người khác cập nhật; tải lại và thử lại / The dossier changed since you read it: reload and retry'],
    ACTION_NOT_ALLOWED: [
      UNPROCESSABLE_ENTITY,
      (action: string, status: string) =>
        `Không thể thực hiện "${action}" với hồ sơ ở trạng thái này / "${action}" is not possible for you on a dossier in status ${status}`,
    ],
    INVALID_ASSIGNEE: [
      UNPROCESSABLE_ENTITY,
      (role: string, agencyCode: string) =>
        `Người được giao phải là ${role} đang làm việc tại ${agencyCode} / The assignee must be an active ${role} of ${agencyCode}`,
    ],
    RESULT_NOT_PDF: [UNPROCESSABLE_ENTITY, 'Kết quả phải là tệp PDF để ký số / The result must be a PDF to be signed'],
    // The workflow's guards (transitions.ts): why an action is not possible now.
    SIGNATURE_REQUIRED: [
      UNPROCESSABLE_ENTITY,
      (components: string[]) => `Thành phần cần chữ ký số hợp lệ: ${components.join(', ')} / Components need a valid signature: ${components.join(', ')}`,
    ],
    SUPPLEMENT_DEADLINE_NOT_PASSED: [UNPROCESSABLE_ENTITY, 'Chưa hết hạn bổ sung hồ sơ / The citizen’s supplement deadline has not passed'],
    ALREADY_RESCHEDULED: [UNPROCESSABLE_ENTITY, 'Hồ sơ đã được hẹn lại một lần / The one re-appointment was already made'],
    RESCHEDULE_TOO_LATE: [
      UNPROCESSABLE_ENTITY,
      'Phải hẹn lại chậm nhất 01 ngày làm việc trước hạn / A re-appointment must be made at least one working day before the due date',
    ],
    STEP_ALREADY_ASSIGNED: [UNPROCESSABLE_ENTITY, 'Bước xử lý đã có người nhận / Someone already holds this step'],
    LAST_STEP: [UNPROCESSABLE_ENTITY, 'Đây là bước cuối của quy trình / This is the last step of the process'],
    FIRST_STEP: [UNPROCESSABLE_ENTITY, 'Đây là bước đầu của quy trình / This is the first step of the process'],
    NOT_AT_LAST_STEP: [UNPROCESSABLE_ENTITY, 'Hồ sơ chưa đến bước phê duyệt / The dossier has not reached the approval step'],
    RESULT_NOT_SIGNED: [
      UNPROCESSABLE_ENTITY,
      (vi: string, en: string) => `Kết quả chưa được ký số hợp lệ: ${vi} / The result is not validly signed yet: ${en}`,
    ],
    NOTHING_TO_SIGN: [UNPROCESSABLE_ENTITY, 'Kết quả không có tài liệu cần ký / The result has no document to sign'],
    SIGNING_IN_PROGRESS: [UNPROCESSABLE_ENTITY, (status: string) => `Yêu cầu ký đang ở trạng thái ${status} / The signing request is ${status}`],
    SUBMISSION_FEE_UNPAID: [UNPROCESSABLE_ENTITY, 'Hồ sơ chưa nộp phí, lệ phí khi nộp hồ sơ / The fee due with the submission is not paid yet'],
    NOTHING_TO_PAY: [
      UNPROCESSABLE_ENTITY,
      'Không có khoản phí, lệ phí phải nộp / Nothing to charge: the procedure has no fee line for this stage (give amountVnd)',
    ],
    ORIGINALS_NOT_CHECKED: [UNPROCESSABLE_ENTITY, 'Cần xác nhận đã đối chiếu bản chính / Confirm the originals were checked (originalsChecked: true)'],
  }),
};
