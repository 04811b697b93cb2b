import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One line of a receipt: name, kind and amount in figures and words. */
export interface ReceiptLine {
  code: string;
  name: string;
  kind: string;
  amountVnd: number;
  amountInWords: string;
}

/**
 * An e-receipt (biên lai điện tử, Decree 254/2026 Art. 23), issued once per paid request: form
 * code, series and number (at most 8 digits, ascending per series, from 1 each year in Vietnam
 * time), the collecting agency's name and tax code, the lines in figures and words, the date.
 * Owned by the receipts capability; the PDF is rendered from it and signed with the agency's key.
 */
@Entity('receipts')
@Index('uq_receipts_series_number', ['agencyCode', 'series', 'number'], { unique: true })
@Index('idx_receipts_issued', ['issuedAt', 'agencyCode'])
export class Receipt {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index('uq_receipts_payment_request', { unique: true })
  @Column({ type: 'uuid' })
  paymentRequestId: string;

  @Index()
  @Column({ type: 'uuid' })
  dossierId: string;

  @Column({ type: 'varchar', length: 40 })
  dossierCode: string;

  @Column({ type: 'varchar', length: 40 })
  agencyCode: string;

  @Column({ type: 'text' })
  agencyName: string;

  @Column({ type: 'varchar', length: 14, nullable: true })
  taxCode: string | null;

  @Column({ type: 'varchar', length: 20 })
  formCode: string;

  @Column({ type: 'varchar', length: 12 })
  series: string;

  /** The year (Vietnam time) the number belongs to. */
  @Column({ type: 'smallint' })
  year: number;

  @Column({ type: 'int' })
  number: number;

  @Column({ type: 'timestamptz' })
  issuedAt: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  payerName: string | null;

  @Column({ type: 'varchar', length: 16 })
  method: string;

  @Column({ type: 'bigint' })
  amountVnd: string;

  @Column({ type: 'text' })
  amountInWords: string;

  @Column({ type: 'jsonb' })
  lines: ReceiptLine[];

  @Column({ type: 'text' })
  procedureName: string;
}

/** The last number issued in a series (per agency and year): one row, incremented under its lock. */
@Entity('receipt_counters')
export class ReceiptCounter {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  agencyCode: string;

  @PrimaryColumn({ type: 'varchar', length: 12 })
  series: string;

  @Column({ type: 'int' })
  last: number;
}

/** A receipt as the API shows it and its PDF prints it. */
export interface ReceiptView {
  id: string;
  paymentRequestId: string;
  dossierId: string;
  dossierCode: string;
  agencyCode: string;
  agencyName: string;
  taxCode: string | null;
  formCode: string;
  series: string;
  year: number;
  number: number;
  issuedAt: string;
  payerName: string | null;
  method: string;
  amountVnd: number;
  amountInWords: string;
  lines: ReceiptLine[];
  procedureName: string;
}
