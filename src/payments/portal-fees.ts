import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PortalFees, PortalFeesProvider } from '../portal-sync/portal-mapping.js';
import type { PaymentMethod } from './payment.entity.js';

/** Methods by which the applicant paid through an online channel (Decision 766's 3.6 "paid online"). */
export const ONLINE_PAYMENT_METHODS: readonly PaymentMethod[] = ['PAYGOV', 'VIETQR'];

/**
 * What the national portal is told about a dossier's fees (issue 14: "fees and whether paid
 * online"): every line of its payment requests that were paid or are still pending (closed or
 * expired requests are left out), each marked paid or not, and whether any was paid online. As of
 * the push's building, not as of the change it reports: a fee paid after that change goes out with
 * the next push.
 */
@Injectable()
export class PaymentPortalFees implements PortalFeesProvider {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async feesOf(dossierIds: string[]): Promise<Map<string, PortalFees>> {
    const rows: Array<{ dossier_id: string; status: string; method: PaymentMethod | null; lines: Array<{ code: string | null; name: string; amountVnd: number }> }> = await this.db.query(
      `SELECT dossier_id, status, method, lines FROM payment_requests WHERE dossier_id = ANY($1::uuid[]) AND status IN ('PAID', 'PENDING') ORDER BY created_at, id`, [dossierIds]);
    // Every dossier asked gets an answer: none requested is "no fee lines, not paid online".
    const out = new Map<string, PortalFees>(dossierIds.map((id) => [id, { lines: [], paidOnline: false }]));
    for (const r of rows) {
      const fees = out.get(r.dossier_id)!;
      const paid = r.status === 'PAID';
      for (const l of r.lines) fees.lines.push({ code: l.code ?? null, name: l.name, amountVnd: Number(l.amountVnd), paid });
      if (paid && r.method && ONLINE_PAYMENT_METHODS.includes(r.method)) fees.paidOnline = true;
    }
    return out;
  }
}
