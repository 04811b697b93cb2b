import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { APPLICANT_CATEGORIES, type ApplicantCategory } from '../../catalog/fee-lines.js';
import { FeeDto } from '../../catalog/dto/procedure.dto.js';
import { PAYMENT_METHODS, PAYMENT_STAGES, PAYMENT_STATUSES } from '../payment.entity.js';

export class OpenSubmissionPaymentDto {
  @ApiPropertyOptional({
    enum: APPLICANT_CATEGORIES,
    description: "The applicant's category, for the fee lines' exemptions (checked by the one-stop at reception)",
  })
  @IsOptional()
  @IsIn(APPLICANT_CATEGORIES)
  applicantCategory?: ApplicantCategory;
}

export class CounterPaymentDto {
  @ApiProperty({ enum: ['COUNTER_CASH', 'COUNTER_CARD'] })
  @IsIn(['COUNTER_CASH', 'COUNTER_CARD'])
  method: 'COUNTER_CASH' | 'COUNTER_CARD';

  @ApiProperty({ example: 150000, description: "What was taken; must equal the request's amount" })
  @IsInt()
  @Min(1)
  @Max(10_000_000_000)
  amountVnd: number;

  @ApiPropertyOptional({ example: 'Nguyễn Văn An', description: 'Default: the applicant' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  payerName?: string;
}

export class BankTransferDto {
  @ApiProperty({ example: 'FT26337123456789', description: "The bank statement's transaction reference (one transfer settles one request once)" })
  @Matches(/^[A-Za-z0-9._-]{4,64}$/)
  bankReference: string;

  @ApiProperty({ example: 150000 })
  @IsInt()
  @Min(1)
  @Max(10_000_000_000)
  amountVnd: number;

  @ApiPropertyOptional({ example: 'NGUYEN VAN AN' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  payerName?: string;
}

export class StatementLineDto extends BankTransferDto {
  @ApiProperty({
    example: 'NOP LE PHI 00000020H56 2612030001 1',
    description: "The transfer's content as the bank printed it (it must carry the request's reference)",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  content: string;
}

export class BankStatementDto {
  @ApiProperty({ type: [StatementLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => StatementLineDto)
  lines: StatementLineDto[];
}

export class StatementResultView {
  @ApiProperty() bankReference: string;
  @ApiProperty({
    enum: ['PAID', 'NO_MATCH', 'AMOUNT_MISMATCH', 'ALREADY_RECORDED', 'ERROR'],
    description:
      "NO_MATCH: no request the officer collects for carries the reference (another agency's reference is answered the same); ERROR: this line could not be recorded (see code), the others were",
  })
  outcome: string;
  @ApiPropertyOptional({ format: 'uuid' }) paymentRequestId?: string;
  @ApiPropertyOptional() receiptNumber?: number;
  @ApiPropertyOptional({ description: "ERROR: the error's code" }) code?: string;
}

export class PaymentReasonDto {
  @ApiProperty({ example: 'Công dân nộp nhầm hai lần' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class FeeCollectorDto {
  @ApiPropertyOptional({ example: '2801234567', nullable: true, type: String })
  @IsOptional()
  @Matches(/^\d{10}(-\d{3})?$/, { message: 'a 10-digit tax code, or 10-3' })
  taxCode?: string | null;

  @ApiPropertyOptional({ example: '01BLP0-001', default: '01BLP0-001' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{3,20}$/)
  formCode?: string;

  @ApiPropertyOptional({ example: 'HT', default: 'BL', description: "The series' letters: the series is <letters>-<yy>E, a new one each year" })
  @IsOptional()
  @Matches(/^[A-Z]{2,6}$/)
  seriesPrefix?: string;

  @ApiPropertyOptional({ example: '3511.0.1234567', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  beneficiaryAccount?: string | null;

  @ApiPropertyOptional({ example: '1211', nullable: true, type: String, description: 'State Treasury (Kho bạc) code' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  treasuryCode?: string | null;

  @ApiPropertyOptional({ example: '970415', nullable: true, type: String, description: "The bank's BIN (NAPAS), to take VietQR transfers" })
  @IsOptional()
  @Matches(/^\d{6}$/)
  vietqrBankBin?: string | null;

  @ApiPropertyOptional({ example: '113366668888', nullable: true, type: String })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{4,19}$/)
  vietqrAccountNo?: string | null;
}

export class DailyQueryDto {
  @ApiProperty({ example: '2026-12-03', description: 'A day in Vietnam time' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date: string;

  @ApiPropertyOptional({ example: '000.00.20.H56' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  agencyCode?: string;
}

export class OwedLineView {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['PHI', 'LE_PHI'] }) kind: string;
  @ApiProperty() amountVnd: number;
  @ApiPropertyOptional({ enum: APPLICANT_CATEGORIES }) exemptedAs?: string;
}

export class PaymentViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '000.00.20.H56-261203-0001-1' }) reference: string;
  @ApiProperty({ format: 'uuid' }) dossierId: string;
  @ApiProperty() dossierCode: string;
  @ApiProperty() procedureCode: string;
  @ApiProperty() collectingAgencyCode: string;
  @ApiProperty({ enum: PAYMENT_STAGES }) stage: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status: string;
  @ApiProperty() amountVnd: number;
  @ApiProperty({ example: 'VND' }) currency: string;
  @ApiProperty({ type: [OwedLineView] }) lines: OwedLineView[];
  @ApiProperty() description: string;
  @ApiProperty({ enum: PAYMENT_METHODS, nullable: true, type: String }) method: string | null;
  @ApiProperty({ nullable: true, type: String }) providerTransactionId: string | null;
  @ApiProperty({ nullable: true, type: String }) paymentUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) payerName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'AMOUNT_MISMATCH, PAID_TWICE, LATE_PAYMENT, REFUND_REFUSED: for an officer to look at' }) flag:
    string | null;
  @ApiProperty({ nullable: true, type: String }) flagDetail: string | null;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) paidAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closeReason: string | null;
  @ApiProperty({ nullable: true, type: String, description: "Our refund id, the platform's idempotency key (set when the refund is claimed)" }) refundId:
    string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) refundRequestedAt: string | null;
  @ApiProperty({ description: 'How often the refund was sent to the platform' }) refundAttempts: number;
  @ApiProperty({ nullable: true, type: String, description: 'REFUNDING: why the last attempt did not settle it' }) refundError: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The platform's id of the refund it made" }) providerRefundId: string | null;
  @ApiProperty() createdAt: string;
}

export class ReceiptLineView {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty() amountVnd: number;
  @ApiProperty({ example: 'Một trăm năm mươi nghìn đồng' }) amountInWords: string;
}

export class ReceiptViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) paymentRequestId: string;
  @ApiProperty({ format: 'uuid' }) dossierId: string;
  @ApiProperty() dossierCode: string;
  @ApiProperty() agencyCode: string;
  @ApiProperty() agencyName: string;
  @ApiProperty({ nullable: true, type: String }) taxCode: string | null;
  @ApiProperty({ example: '01BLP0-001' }) formCode: string;
  @ApiProperty({ example: 'BL-26E' }) series: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: 1, description: 'At most 8 digits, ascending per series, from 1 each year (Vietnam time)' }) number: number;
  @ApiProperty() issuedAt: string;
  @ApiProperty({ nullable: true, type: String }) payerName: string | null;
  @ApiProperty({ enum: PAYMENT_METHODS }) method: string;
  @ApiProperty() amountVnd: number;
  @ApiProperty() amountInWords: string;
  @ApiProperty({ type: [ReceiptLineView] }) lines: ReceiptLineView[];
  @ApiProperty() procedureName: string;
}

export class DossierPaymentsDto {
  @ApiProperty({ format: 'uuid' }) dossierId: string;
  @ApiProperty() dossierCode: string;
  @ApiProperty({ type: [FeeDto], description: "The procedure's fee lines (the version the dossier was filed under)" }) feeLines: FeeDto[];
  @ApiProperty({ type: [PaymentViewDto] }) payments: PaymentViewDto[];
  @ApiProperty({ type: [ReceiptViewDto] }) receipts: ReceiptViewDto[];
  @ApiProperty() paidVnd: number;
  @ApiProperty() pendingVnd: number;
}

export class PayOnlineView {
  @ApiProperty({ example: 'https://paygov.example/pay/…' }) paymentUrl: string;
  @ApiProperty() reference: string;
}

export class VietQrView {
  @ApiProperty({ description: 'EMVCo VietQR payload' }) payload: string;
  @ApiProperty({ description: 'PNG as a data: URL' }) imageDataUrl: string;
  @ApiProperty() bankBin: string;
  @ApiProperty() accountNo: string;
  @ApiProperty() amountVnd: number;
  @ApiProperty({ description: "The transfer's content: the request's reference" }) purpose: string;
}

export class PaidView {
  @ApiProperty({ type: PaymentViewDto }) payment: PaymentViewDto;
  @ApiProperty({ type: ReceiptViewDto }) receipt: ReceiptViewDto;
}

export class ReconcileView {
  @ApiProperty() queried: number;
  @ApiProperty() settled: number;
  @ApiProperty() expired: number;
  @ApiProperty({ description: 'Claimed refunds settled (found made at the platform, or sent again with the same refund id)' }) refunded: number;
  @ApiProperty() errors: number;
}

export class DailySummaryView {
  @ApiProperty() agencyCode: string;
  @ApiProperty() series: string;
  @ApiProperty() count: number;
  @ApiProperty() firstNumber: number;
  @ApiProperty() lastNumber: number;
  @ApiProperty() totalVnd: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', properties: { count: { type: 'number' }, totalVnd: { type: 'number' } } } })
  byMethod: Record<string, { count: number; totalVnd: number }>;
}
