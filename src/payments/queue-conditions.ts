import { chargesOnlineAtSubmissionSql } from '../catalog/catalog.sql.js';
/**
 * The one-stop's "to receive" queue leaves out a dossier whose procedure collects a fee with the
 * online submission until that fee is paid (a read of the payments capability's table, like the
 * queues' read of the clocks). The procedure version the dossier was filed under decides, through
 * its revision snapshot (the same lines the `accept` guard reads; snapshots written before fee
 * lines had a collection point charge nothing at submission). A dossier filed at the counter or by
 * post is not held: its fees are taken at the desk.
 */
export const SUBMISSION_FEE_SETTLED_SQL = `(d.channel <> 'ONLINE' OR NOT ${chargesOnlineAtSubmissionSql('d')}
  OR EXISTS (SELECT 1 FROM payment_requests pq WHERE pq.dossier_id = d.id AND pq.stage = 'AT_SUBMISSION' AND pq.status = 'PAID'))`;
