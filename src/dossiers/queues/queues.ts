import { DossierStatus as S, OPEN_STATUSES_SQL } from '../../dossier-record/dossier-status.js';
import { SUBMISSION_FEE_SETTLED_SQL } from '../../payments/queue-conditions.js';

export { OPEN_STATUSES_SQL };

/** The officers' work lists. */
export const QUEUE_NAMES = ['to-receive', 'mine', 'unit', 'due-soon', 'overdue', 'to-return'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

const OPEN = OPEN_STATUSES_SQL;

export interface QueueDefinition {
  /** SQL condition on `d` (dossiers) and `c` (the OVERALL clock), with :agency (the officer’s agency) and :me (the officer’s id). */
  where: string;
  /**
   * Alternatives AND-ed to `where` that no dossier meets twice (e.g. "my agency resolves it" and
   * "my agency received it, another resolves it"): each is read through its own index and the
   * pages are merged (UNION ALL), where an OR would make PostgreSQL read every open dossier's row.
   */
  anyOf?: string[];
  /** The sort key: oldest filing first for reception, earliest due date first for the rest. */
  sortBy: 'submitted' | 'due';
  summary: string;
}

/** The dossiers my agency resolves, or received for another agency to resolve. */
const MY_AGENCY = ['d.competent_agency_code = :agency', 'd.receiving_agency_code = :agency AND d.competent_agency_code <> :agency'];

/**
 * Each queue as a condition. The dossiers' partial indexes (dossier.entity.ts, migration
 * QueueIndexes) follow these conditions, so a page reads index entries of the agency's waiting or
 * open dossiers only (whatever the table's size), then the rows of the page itself
 * (`npm run bench:queues` shows the plans):
 * - to-receive: idx_dossiers_to_receive, already in the page's order;
 * - due-soon, overdue: idx_dossiers_open_competent and idx_dossiers_open_receiving (one per
 *   alternative), then idx_dossier_clocks_overall_flagged, all index-only;
 * - unit: idx_dossiers_open_competent; mine: idx_dossiers_open_assignee; to-return:
 *   idx_dossiers_resolved_receiving.
 * The partial indexes' conditions must stay implied by the queues' (same status lists).
 */
export const QUEUES: Record<QueueName, QueueDefinition> = {
  'to-receive': {
    where: `d.status = '${S.SUBMITTED}' AND d.receiving_agency_code = :agency AND ${SUBMISSION_FEE_SETTLED_SQL}`,
    sortBy: 'submitted',
    summary: 'Hồ sơ mới chờ tiếp nhận tại trung tâm của tôi (cũ nhất trước; chưa nộp lệ phí khi nộp hồ sơ thì chưa hiện)',
  },
  mine: { where: `d.status IN (${OPEN}) AND d.step_assignee_id = :me`, sortBy: 'due', summary: 'Hồ sơ đang giao cho tôi' },
  unit: {
    where: `d.status = '${S.IN_PROGRESS}' AND d.competent_agency_code = :agency AND d.step_assignee_id IS NULL`,
    sortBy: 'due',
    summary: 'Hồ sơ của đơn vị chưa có người nhận',
  },
  'due-soon': { where: `d.status IN (${OPEN}) AND c.status = 'DUE_SOON'`, anyOf: MY_AGENCY, sortBy: 'due', summary: 'Sắp đến hạn (trong 01 ngày làm việc)' },
  overdue: { where: `d.status IN (${OPEN}) AND c.status = 'OVERDUE'`, anyOf: MY_AGENCY, sortBy: 'due', summary: 'Quá hạn' },
  'to-return': { where: `d.status = '${S.RESOLVED}' AND d.receiving_agency_code = :agency`, sortBy: 'due', summary: 'Có kết quả, chờ trả' },
};
