import { outboxTopic } from '../outbox/outbox.js';
/**
 * The dossier statuses the national portal synchronises (codes 1–10, DOMAIN.md). The API always
 * returns both the name and the code.
 */
export enum DossierStatus {
  SUBMITTED = 'SUBMITTED',
  RECEIVED = 'RECEIVED',
  REFUSED = 'REFUSED',
  IN_PROGRESS = 'IN_PROGRESS',
  SUPPLEMENT_REQUESTED = 'SUPPLEMENT_REQUESTED',
  AWAITING_PAYMENT = 'AWAITING_PAYMENT',
  WITHDRAWN = 'WITHDRAWN',
  STOPPED = 'STOPPED',
  RESOLVED = 'RESOLVED',
  RETURNED = 'RETURNED',
}

export const STATUS_CODE: Record<DossierStatus, number> = {
  SUBMITTED: 1,
  RECEIVED: 2,
  REFUSED: 3,
  IN_PROGRESS: 4,
  SUPPLEMENT_REQUESTED: 5,
  AWAITING_PAYMENT: 6,
  WITHDRAWN: 7,
  STOPPED: 8,
  RESOLVED: 9,
  RETURNED: 10,
};

export const STATUS_LABEL_VI: Record<DossierStatus, string> = {
  SUBMITTED: 'Mới đăng ký',
  RECEIVED: 'Được tiếp nhận',
  REFUSED: 'Không được tiếp nhận',
  IN_PROGRESS: 'Đang xử lý',
  SUPPLEMENT_REQUESTED: 'Yêu cầu bổ sung',
  AWAITING_PAYMENT: 'Yêu cầu nghĩa vụ tài chính',
  WITHDRAWN: 'Công dân yêu cầu rút hồ sơ',
  STOPPED: 'Dừng xử lý',
  RESOLVED: 'Đã xử lý xong',
  RETURNED: 'Đã trả kết quả',
};

/** The statuses of a dossier being worked on (accepted, not yet resolved), as an SQL list. */
export const OPEN_STATUSES_SQL = [DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.AWAITING_PAYMENT]
  .map((s) => `'${s}'`)
  .join(', ');

/** The statuses nothing follows (refused, withdrawn, stopped, returned). */
export const FINAL_STATUSES: readonly DossierStatus[] = [DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RETURNED];

/** The outbox topic every status change writes (submission and workflow); notifications consume it. */
export const STATUS_CHANGED_TOPIC = outboxTopic<StatusChangedPayload>('dossier.status-changed');

/**
 * The outbox topic of a workflow action that keeps the status (a re-appointment, a step claimed or
 * forwarded…), with the same payload: the national-portal sync handles it (the portal hears of
 * every change it can see), where the status topic feeds the applicant's notices.
 */
export const DOSSIER_UPDATED_TOPIC = outboxTopic<StatusChangedPayload>('dossier.updated');

/** What a status change tells its subscribers (the notifier; later the national portal and webhooks). */
export interface StatusChangedPayload {
  dossierId: string;
  code: string;
  status: DossierStatus;
  statusCode: number;
  action?: string;
  at: string;
}

export enum ResultDelivery {
  ONLINE = 'ONLINE',
  POSTAL = 'POSTAL',
  COUNTER = 'COUNTER',
}
