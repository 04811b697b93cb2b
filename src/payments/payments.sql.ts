/** SQL fragments over the payments' tables (payment.entity.ts) for the figures (3.6 online payment). */

/** Whether the dossier `d` bears a fee: a payment request of an amount, or a fee line of its procedure `p` above 0. */
export const FEE_BEARING_SQL = `(EXISTS (SELECT 1 FROM payment_requests pr WHERE pr.dossier_id = d.id AND pr.amount_vnd > 0)
  OR EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(p.fees, '[]'::jsonb)) fl WHERE (fl->>'amountVnd')::numeric > 0))`;

/** Whether a fee of the dossier `d` was paid through an online channel (PayGov or a VietQR transfer). */
export const PAID_ONLINE_SQL = `EXISTS (SELECT 1 FROM payment_requests pr WHERE pr.dossier_id = d.id AND pr.status = 'PAID' AND pr.method IN ('PAYGOV', 'VIETQR'))`;
