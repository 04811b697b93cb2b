import type { Fee } from '../catalog/catalog.types.js';
import type { ReceiptView } from './receipts/receipts.service.js';
import type { PaymentView } from './payment-requests.service.js';

/** A dossier's fees as it shows them: the lines, each request (what is paid, how), the receipts and the totals. */
export interface DossierPayments {
  dossierId: string;
  dossierCode: string;
  /** The procedure's fee lines (the version the dossier was filed under). */
  feeLines: Fee[];
  payments: PaymentView[];
  receipts: ReceiptView[];
  paidVnd: number;
  pendingVnd: number;
}

export function dossierPayments(dossier: { id: string; code: string }, feeLines: Fee[], payments: PaymentView[], receipts: ReceiptView[]): DossierPayments {
  const total = (status: string) => payments.filter((p) => p.status === status).reduce((s, p) => s + p.amountVnd, 0);
  return { dossierId: dossier.id, dossierCode: dossier.code, feeLines, payments, receipts, paidVnd: total('PAID'), pendingVnd: total('PENDING') };
}
