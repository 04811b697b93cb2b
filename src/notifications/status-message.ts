import { STATUS_LABEL_VI, type DossierStatus } from '../dossier-record/dossier-status.js';

const STATUS_EN: Record<DossierStatus, string> = {
  SUBMITTED: 'submitted',
  RECEIVED: 'received',
  REFUSED: 'refused',
  IN_PROGRESS: 'in progress',
  SUPPLEMENT_REQUESTED: 'supplement requested',
  AWAITING_PAYMENT: 'awaiting payment',
  WITHDRAWN: 'withdrawn',
  STOPPED: 'stopped',
  RESOLVED: 'resolved',
  RETURNED: 'result returned',
};

/** What an applicant is told when their dossier changes status (Vietnamese, then English). */
export function statusMessage(m: { code: string; status: DossierStatus; procedureName: string; lookupUrl: string }): {
  subject: string;
  body: string;
  sms: string;
} {
  const vi = STATUS_LABEL_VI[m.status];
  return {
    subject: `Hồ sơ ${m.code}: ${vi}`,
    body:
      `Hồ sơ ${m.code} (${m.procedureName}) đã chuyển sang trạng thái: ${vi}.\n` +
      `Tra cứu: ${m.lookupUrl}\n\n` +
      `Your dossier ${m.code} is now: ${STATUS_EN[m.status]}.`,
    sms: `Ho so ${m.code}: ${vi}. Tra cuu: ${m.lookupUrl}`,
  };
}
