import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AgenciesService } from '../../agencies/agencies.service.js';
import { FEE_KIND_LABEL_VI, type FeeKind, type OwedLine } from '../../catalog/fee-lines.js';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../common/clock.js';
import { requireTransaction } from '../../dossier-record/journal.js';
import { PaymentErrors } from '../payments.errors.js';
import { LocalPkcs12Signer } from '../../signatures/signing/local-pkcs12-provider.js';
import { RECEIPT_NUMBER_MAX, seriesOf, vietnamDay, vietnamDayBounds, vietnamYear } from './receipt-numbering.js';
import { CommonErrors } from '../../common/common.errors.js';
import { renderReceiptPdf } from './receipt-pdf.js';
import type { ReceiptLine, ReceiptView } from './receipt.entity.js';

export type { ReceiptView };
import { amountInWords } from './vietnamese-words.js';

/** A collecting agency's receipt settings (fee_collectors, or the defaults). */
export interface CollectorSettings {
  agencyCode: string;
  taxCode: string | null;
  formCode: string;
  seriesPrefix: string;
  beneficiaryAccount: string | null;
  treasuryCode: string | null;
  vietqrBankBin: string | null;
  vietqrAccountNo: string | null;
}

export const DEFAULT_FORM_CODE = '01BLP0-001';
export const DEFAULT_SERIES_PREFIX = 'BL';

export interface DailySeriesSummary {
  agencyCode: string;
  series: string;
  count: number;
  firstNumber: number;
  lastNumber: number;
  totalVnd: number;
  byMethod: Record<string, { count: number; totalVnd: number }>;
}

/**
 * E-receipts: the one owner of `receipts` and `receipt_counters` (and of `fee_collectors`, the
 * settings they are issued with). A receipt is issued inside the transaction that marks its request
 * paid; its number comes from the series' counter row, incremented under that row's lock, so
 * concurrent payments of one series queue on the row and a rolled-back payment gives its number
 * back: numbers ascend with no duplicate and no gap.
 */
@Injectable()
export class ReceiptsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async collector(agencyCode: string, em: EntityManager | DataSource = this.db): Promise<CollectorSettings> {
    const [r] = await em.query(`SELECT * FROM fee_collectors WHERE agency_code = $1`, [agencyCode]);
    if (!r)
      return {
        agencyCode,
        taxCode: null,
        formCode: DEFAULT_FORM_CODE,
        seriesPrefix: DEFAULT_SERIES_PREFIX,
        beneficiaryAccount: null,
        treasuryCode: null,
        vietqrBankBin: null,
        vietqrAccountNo: null,
      };
    return {
      agencyCode,
      taxCode: r.tax_code,
      formCode: r.form_code,
      seriesPrefix: r.series_prefix,
      beneficiaryAccount: r.beneficiary_account,
      treasuryCode: r.treasury_code,
      vietqrBankBin: r.vietqr_bank_bin,
      vietqrAccountNo: r.vietqr_account_no,
    };
  }

  async setCollector(s: CollectorSettings, now: Date): Promise<CollectorSettings> {
    await this.agencies.getByCode(s.agencyCode);
    await this.db.query(
      `INSERT INTO fee_collectors (agency_code, tax_code, form_code, series_prefix, beneficiary_account, treasury_code, vietqr_bank_bin, vietqr_account_no, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
       ON CONFLICT (agency_code) DO UPDATE SET tax_code = EXCLUDED.tax_code, form_code = EXCLUDED.form_code, series_prefix = EXCLUDED.series_prefix,
         beneficiary_account = EXCLUDED.beneficiary_account, treasury_code = EXCLUDED.treasury_code, vietqr_bank_bin = EXCLUDED.vietqr_bank_bin,
         vietqr_account_no = EXCLUDED.vietqr_account_no, updated_at = EXCLUDED.updated_at`,
      [s.agencyCode, s.taxCode, s.formCode, s.seriesPrefix, s.beneficiaryAccount, s.treasuryCode, s.vietqrBankBin, s.vietqrAccountNo, now],
    );
    return this.collector(s.agencyCode);
  }

  async agencyName(code: string): Promise<string> {
    return (await this.agencies.findByCode(code))?.name ?? code;
  }

  /** Issues the receipt of a paid request, in the caller's transaction (which holds the dossier's lock). */
  async issue(
    em: EntityManager,
    p: {
      paymentRequestId: string;
      dossierId: string;
      dossierCode: string;
      agencyCode: string;
      agencyName: string;
      procedureName: string;
      lines: OwedLine[];
      amountVnd: number;
      method: string;
      payerName: string | null;
      now: Date;
    },
  ): Promise<ReceiptView> {
    requireTransaction(em);
    const settings = await this.collector(p.agencyCode, em);
    const year = vietnamYear(p.now);
    const series = seriesOf(settings.seriesPrefix, year);
    const [{ last }] = await em.query(
      `INSERT INTO receipt_counters (agency_code, series, last) VALUES ($1, $2, 1)
       ON CONFLICT (agency_code, series) DO UPDATE SET last = receipt_counters.last + 1 RETURNING last`,
      [p.agencyCode, series],
    );
    // Stamped after the counter's lock is held: issue times ascend with the numbers.
    const issuedAt = this.clock.now();
    if (last > RECEIPT_NUMBER_MAX) throw new Error(`receipt series ${series} of ${p.agencyCode} is full (${RECEIPT_NUMBER_MAX})`);
    const lines: ReceiptLine[] = p.lines.map((l) => ({
      code: l.code,
      name: l.name,
      kind: l.kind,
      amountVnd: l.amountVnd,
      amountInWords: amountInWords(l.amountVnd),
    }));
    const view: ReceiptView = {
      id: randomUUID(),
      paymentRequestId: p.paymentRequestId,
      dossierId: p.dossierId,
      dossierCode: p.dossierCode,
      agencyCode: p.agencyCode,
      agencyName: p.agencyName,
      taxCode: settings.taxCode,
      formCode: settings.formCode,
      series,
      year,
      number: last,
      issuedAt: issuedAt.toISOString(),
      payerName: p.payerName,
      method: p.method,
      amountVnd: p.amountVnd,
      amountInWords: amountInWords(p.amountVnd),
      lines,
      procedureName: p.procedureName,
    };
    await em.query(
      `INSERT INTO receipts (id, payment_request_id, dossier_id, dossier_code, agency_code, agency_name, tax_code, form_code, series, year, number, issued_at, payer_name, method, amount_vnd, amount_in_words, lines, procedure_name)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)`,
      [
        view.id,
        view.paymentRequestId,
        view.dossierId,
        view.dossierCode,
        view.agencyCode,
        view.agencyName,
        view.taxCode,
        view.formCode,
        view.series,
        view.year,
        view.number,
        issuedAt,
        view.payerName,
        view.method,
        view.amountVnd,
        view.amountInWords,
        JSON.stringify(lines),
        view.procedureName,
      ],
    );
    return view;
  }

  async ofDossiers(dossierIds: string[]): Promise<Map<string, ReceiptView[]>> {
    const rows: Array<Record<string, unknown>> = await this.db.query(`SELECT * FROM receipts WHERE dossier_id = ANY($1::uuid[]) ORDER BY issued_at, id`, [
      dossierIds,
    ]);
    const out = new Map<string, ReceiptView[]>();
    for (const r of rows.map(toReceiptView)) out.set(r.dossierId, [...(out.get(r.dossierId) ?? []), r]);
    return out;
  }

  async byId(id: string): Promise<ReceiptView> {
    const [r] = await this.db.query(`SELECT * FROM receipts WHERE id = $1`, [id]);
    if (!r) throw PaymentErrors.RECEIPT_NOT_FOUND();
    return toReceiptView(r);
  }

  /** The tax authority's daily summary: per agency and series, the numbers used and the amounts, by method. */
  async daily(day: string, agencyCode?: string): Promise<DailySeriesSummary[]> {
    const { from, to } = vietnamDayBounds(day);
    if (Number.isNaN(from.getTime()) || vietnamDay(from) !== day)
      throw CommonErrors.VALIDATION_FAILED('Ngày không hợp lệ', 'Not a calendar day', [{ field: 'date', message: 'a day YYYY-MM-DD' }]);
    const rows: Array<{ agency_code: string; series: string; method: string; n: number; first: number; last: number; total: string }> = await this.db.query(
      `SELECT agency_code, series, method, count(*)::int AS n, min(number) AS first, max(number) AS last, sum(amount_vnd)::text AS total
         FROM receipts WHERE issued_at >= $1 AND issued_at < $2 AND ($3::varchar IS NULL OR agency_code = $3)
        GROUP BY agency_code, series, method ORDER BY agency_code, series, method`,
      [from, to, agencyCode ?? null],
    );
    const out = new Map<string, DailySeriesSummary>();
    for (const r of rows) {
      const key = `${r.agency_code}|${r.series}`;
      const s = out.get(key) ?? { agencyCode: r.agency_code, series: r.series, count: 0, firstNumber: r.first, lastNumber: r.last, totalVnd: 0, byMethod: {} };
      s.count += r.n;
      s.firstNumber = Math.min(s.firstNumber, r.first);
      s.lastNumber = Math.max(s.lastNumber, r.last);
      s.totalVnd += Number(r.total);
      s.byMethod[r.method] = { count: r.n, totalVnd: Number(r.total) };
      out.set(key, s);
    }
    return [...out.values()];
  }

  /**
   * The receipt as a PDF, signed with the collecting agency's key when it has one
   * (`agency-<code>.p12` in SIGNING_KEYS_DIR, the local signing capability's PKCS#12 signer).
   */
  async pdf(id: string): Promise<{ pdf: Buffer; signed: boolean; receipt: ReceiptView }> {
    const receipt = await this.byId(id);
    const unsigned = await renderReceiptPdf(receipt, FEE_KIND_LABEL_VI as Record<FeeKind | string, string>);
    const keyFile = path.join(this.config.signing.keysDir, `agency-${receipt.agencyCode.toLowerCase()}.p12`);
    const p12 = await readFile(keyFile).catch(() => null);
    if (!p12) return { pdf: unsigned, signed: false, receipt };
    const signer = new LocalPkcs12Signer(p12, this.config.signing.keysPassword);
    const pdf = await signer.signPdf(unsigned, {
      reason: `Biên lai ${receipt.series} số ${receipt.number}`,
      signingTime: new Date(receipt.issuedAt),
      signerName: receipt.agencyName,
    });
    return { pdf, signed: true, receipt };
  }
}

function toReceiptView(r: Record<string, unknown>): ReceiptView {
  return {
    id: r.id as string,
    paymentRequestId: r.payment_request_id as string,
    dossierId: r.dossier_id as string,
    dossierCode: r.dossier_code as string,
    agencyCode: r.agency_code as string,
    agencyName: r.agency_name as string,
    taxCode: (r.tax_code as string | null) ?? null,
    formCode: r.form_code as string,
    series: r.series as string,
    year: Number(r.year),
    number: Number(r.number),
    issuedAt: new Date(r.issued_at as string).toISOString(),
    payerName: (r.payer_name as string | null) ?? null,
    method: r.method as string,
    amountVnd: Number(r.amount_vnd),
    amountInWords: r.amount_in_words as string,
    lines: r.lines as ReceiptLine[],
    procedureName: r.procedure_name as string,
  };
}
