import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PaymentMethod } from './payment.entity.js';

/** A dossier's fee lines, each paid or not, and whether any was paid online (what the national portal is told). */
export interface PortalFees {
  lines: Array<{ code: string | null; name: string; amountVnd: number; paid: boolean }>;
  paidOnline: boolean;
}

/** Methods by which the applicant paid through an online channel (Decision 766's 3.6 "paid online"). */
export const ONLINE_PAYMENT_METHODS: readonly PaymentMethod[] = ['PAYGOV', 'VIETQR'];

/**
 * What the national portal is told about a dossier's fees (issue 14: "fees and whether paid
 * online"): every line of its payment requests that were paid or still pending, each marked paid or
 * not, and whether any was paid online (cancelled, expired and refunded requests are left out; a
 * refund counts from its claim, REFUNDING, since the money is then on its way back).
 *
 * As of an instant when one is given (the change a push reports, so a push sent late never says
 * "paid" for a fee paid after its status change: the payment goes out with its own push), or as of
 * now. A request counts at instant T when it was created by T and was then paid, or not yet closed;
 * it was paid at T when paid by T and its refund not claimed by T (refund_requested_at).
 */
@Injectable()
export class PaymentPortalFees {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async feesOf(dossierIds: string[], asOf: Date | null = null): Promise<Map<string, PortalFees>> {
    const rows: Array<{
      dossier_id: string;
      paid: boolean;
      method: PaymentMethod | null;
      lines: Array<{ code: string | null; name: string; amountVnd: number }>;
    }> = asOf
      ? await this.db.query(
          `SELECT dossier_id, method, lines, (paid_at IS NOT NULL AND paid_at <= $2) AS paid FROM payment_requests
          WHERE dossier_id = ANY($1::uuid[]) AND created_at <= $2
            AND NOT (status IN ('REFUNDING', 'REFUNDED') AND refund_requested_at <= $2)
            AND ((paid_at IS NOT NULL AND paid_at <= $2) OR closed_at IS NULL OR closed_at > $2)
          ORDER BY created_at, id`,
          [dossierIds, asOf],
        )
      : await this.db.query(
          `SELECT dossier_id, method, lines, status = 'PAID' AS paid FROM payment_requests
          WHERE dossier_id = ANY($1::uuid[]) AND status IN ('PAID', 'PENDING') ORDER BY created_at, id`,
          [dossierIds],
        );
    // Every dossier asked gets an answer: none requested is "no fee lines, not paid online".
    const out = new Map<string, PortalFees>(dossierIds.map((id) => [id, { lines: [], paidOnline: false }]));
    for (const r of rows) {
      const fees = out.get(r.dossier_id)!;
      for (const l of r.lines) fees.lines.push({ code: l.code ?? null, name: l.name, amountVnd: Number(l.amountVnd), paid: r.paid });
      if (r.paid && r.method && ONLINE_PAYMENT_METHODS.includes(r.method)) fees.paidOnline = true;
    }
    return out;
  }
}
