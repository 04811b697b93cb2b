import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DossierStatus, ResultDelivery } from '../../dossier-record/dossier-status.js';
import { DossierPaymentsDto } from '../../payments/dto/payment.dto.js';
import { ATTACHMENT_SOURCES, CHANNELS, RESULT_FORMS, type AttachmentSource, type Channel, type ResultForm } from '../intake.js';

export class ApplicantDto {
  @ApiProperty({ example: 'Nguyễn Văn An' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ example: '001090123456', description: 'Số CCCD (12 chữ số)' })
  @IsString()
  idNumber: string;

  @ApiPropertyOptional({ example: '1990-03-15' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'applicant.dateOfBirth must be a date YYYY-MM-DD' })
  dateOfBirth?: string;

  @ApiProperty({ example: '0912345678' })
  @Matches(/^(\+84|0)\d{9,10}$/, { message: 'applicant.phone must be a Vietnamese phone number' })
  phone: string;

  @ApiPropertyOptional({ example: 'an.nguyen@example.vn' })
  @IsOptional()
  @IsEmail({}, { message: 'applicant.email must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiProperty({ example: 'Số 1 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh' })
  @IsString()
  @MinLength(5)
  @MaxLength(500)
  address: string;
}

export class AttachmentDto {
  @ApiProperty({ example: 'TP01', description: 'Mã thành phần hồ sơ của thủ tục / component code of the procedure' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  componentCode: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Id returned by POST /api/v1/files (give fileId or documentId)' })
  @IsOptional()
  @IsUUID('all', { message: 'fileId must be a file id (UUID)' })
  fileId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Tái sử dụng / a document of the applicant’s data store (GET /api/v1/me/documents) instead of a new upload: recorded as REUSED',
  })
  @IsOptional()
  @IsUUID('all', { message: 'documentId must be a document id (UUID)' })
  documentId?: string;

  @ApiPropertyOptional({
    enum: ['UPLOADED', 'SCANNED', 'STATE_DATA'],
    description:
      'Provenance of a file: an officer’s file is SCANNED (default) or STATE_DATA; a citizen’s UPLOADED; an integrator’s UPLOADED (default) or STATE_DATA',
  })
  @IsOptional()
  @IsIn(['UPLOADED', 'SCANNED', 'STATE_DATA'], { message: 'source must be UPLOADED, SCANNED or STATE_DATA (REUSED is given by documentId)' })
  source?: Exclude<AttachmentSource, 'REUSED'>;

  @ApiPropertyOptional({ example: 'CSDLQGDC:001090123456', description: 'STATE_DATA: the state database record it came from' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  stateDataRef?: string;

  @ApiPropertyOptional({ example: '2021-06-01', description: 'Ngày cấp of the paper, as read off it (kept in the data store)' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'issuedOn must be a date YYYY-MM-DD' })
  issuedOn?: string;

  @ApiPropertyOptional({
    example: '2036-06-01',
    description: 'Có giá trị đến / last day the paper is valid (kept in the data store; an ended one cannot be reused)',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'validUntil must be a date YYYY-MM-DD' })
  validUntil?: string;
}

export class SubmitDossierDto {
  @ApiProperty({ example: '1.001193', description: 'Mã thủ tục hành chính / national procedure code' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  procedureCode: string;

  @ApiProperty({ example: '000.00.20.H56', description: 'Receiving centre (nơi tiếp nhận)' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  agencyCode: string;

  @ApiPropertyOptional({ example: '000.00.20.H56', description: 'Competent agency, when several could resolve the procedure' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  competentAgencyCode?: string;

  @ApiProperty({ type: ApplicantDto })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant: ApplicantDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Procedure-specific form fields (tờ khai)' })
  @IsOptional()
  @IsObject()
  formData?: Record<string, unknown>;

  @ApiProperty({ type: [AttachmentDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments: AttachmentDto[];

  @ApiProperty({ enum: ResultDelivery })
  @IsEnum(ResultDelivery, { message: 'resultDelivery must be one of ONLINE, POSTAL, COUNTER' })
  resultDelivery: ResultDelivery;

  @ApiPropertyOptional({
    enum: CHANNELS,
    description:
      'Kênh nộp (ONLINE when left out): citizens and integrators file ONLINE; a reception officer files COUNTER (walk-in) or POSTAL for the applicant, at their own centre',
  })
  @IsOptional()
  @IsIn(CHANNELS, { message: 'channel must be one of ONLINE, COUNTER, POSTAL' })
  channel?: Channel;

  @ApiPropertyOptional({ description: 'COUNTER/POSTAL: accept in the same step (receipt form 01 at once); otherwise it waits in the to-receive queue' })
  @IsOptional()
  @IsBoolean()
  accept?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "COUNTER: the card check (POST /auth/identity-checks) by this officer of this applicant's card, recent and unused: it proves the applicant's identity for this filing, so its scans enter their data store at acceptance (without it they do not)",
  })
  @IsOptional()
  @IsUUID('all', { message: 'identityCheckId must be an identity check id (UUID)' })
  identityCheckId?: string;
}

export class ListDossiersQuery {
  @ApiPropertyOptional({ enum: DossierStatus })
  @IsOptional()
  @IsEnum(DossierStatus)
  status?: DossierStatus;

  @ApiPropertyOptional({ example: '1.001193' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  procedureCode?: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'Submitted on or after this Vietnam date' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Submitted on or before this Vietnam date' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: 'channel must be one of ONLINE, COUNTER, POSTAL' })
  channel?: Channel;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class DossierApplicantView extends ApplicantDto {}

export class DossierAttachmentView {
  @ApiProperty() componentCode: string;
  @ApiProperty({ format: 'uuid' }) fileId: string;
  @ApiProperty({
    enum: ATTACHMENT_SOURCES,
    description: 'Nguồn: UPLOADED by the applicant, SCANNED at the desk, REUSED from the data store, STATE_DATA from a state database',
  })
  source: AttachmentSource;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'SCANNED: the officer who scanned it' }) scannedBy: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'SCANNED: when' }) scannedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'REUSED: the data-store document' }) documentId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'STATE_DATA: the state database record' }) stateDataRef: string | null;
}

export class DossierFlagsView {
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty({ description: 'Some component was scanned at the desk (số hóa thành phần)' }) digitised: boolean;
  @ApiProperty({ description: 'Some component was reused from the data store' }) reused: boolean;
  @ApiProperty({ description: 'It has an electronic result file (a signed result, or the scan of a paper-only one); set at return' }) electronicResult: boolean;
  @ApiProperty({ nullable: true, type: String, enum: RESULT_FORMS, description: 'ELECTRONIC (signed file) or SCANNED (paper-only result, scanned in)' })
  resultForm: ResultForm | null;
  @ApiProperty({ description: 'The applicant’s identity was proven through VNeID when it was filed' }) applicantVneid: boolean;
}

export class DossierFilerView {
  @ApiProperty({ enum: ['user', 'api-key'] }) kind: 'user' | 'api-key';
  @ApiProperty({ format: 'uuid', description: 'The citizen, the integrator’s key, or the reception officer who filed it' }) id: string;
}

export class SupplementRequestItemView {
  @ApiPropertyOptional({ example: 'TP04' }) componentCode?: string;
  @ApiProperty() description: string;
}

export class DossierSupplementView {
  @ApiProperty({ type: [SupplementRequestItemView] }) items: SupplementRequestItemView[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The citizen’s deadline to supplement' }) dueAt: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Status code (2 or 4) the request was made at' }) requestedAtStatusCode: number | null;
}

export class DossierResultView {
  @ApiProperty({ enum: ['GRANTED', 'DENIED'] }) outcome: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) fileId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['EARLY', 'ON_TIME', 'LATE'] }) timeliness: string | null;
}

export class DossierReturnView {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) at: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['ONLINE', 'POSTAL', 'COUNTER'] }) method: string | null;
  @ApiProperty({ type: String, nullable: true }) trackingNumber: string | null;
}

export class DossierView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '000.00.20.H56-261122-0007' }) code: string;
  @ApiProperty({ enum: DossierStatus }) status: DossierStatus;
  @ApiProperty({ example: 1, description: 'Status code 1–10 as synchronised with the national portal' }) statusCode: number;
  @ApiProperty({ example: 'Mới đăng ký' }) statusLabel: string;
  @ApiProperty({ enum: ['FULL_ONLINE', 'PARTIAL_ONLINE'] }) serviceLevel: string;
  @ApiProperty() procedureCode: string;
  @ApiProperty({ description: 'Version of the procedure that applied when filed' }) procedureVersion: number;
  @ApiProperty({ description: 'Receiving centre' }) agencyCode: string;
  @ApiProperty() competentAgencyCode: string;
  @ApiProperty({ type: DossierApplicantView }) applicant: DossierApplicantView;
  @ApiProperty({ type: 'object', additionalProperties: true }) formData: Record<string, unknown>;
  @ApiProperty({ type: [DossierAttachmentView] }) attachments: DossierAttachmentView[];
  @ApiProperty({ enum: ResultDelivery }) resultDelivery: ResultDelivery;
  @ApiProperty({ enum: CHANNELS, description: 'Kênh nộp hồ sơ' }) channel: Channel;
  @ApiProperty({ type: DossierFlagsView, description: 'What the national portal and the Decision 766 figures read' }) flags: DossierFlagsView;
  @ApiProperty({ type: DossierFilerView }) filedBy: DossierFilerView;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the one-stop accepted it' }) receivedAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Current step of the internal process (index into the procedure steps)' }) stepIndex: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) stepAssigneeId: string | null;
  @ApiProperty({ nullable: true, type: DossierSupplementView, description: 'The pending supplement request (mẫu 02)' }) supplement: {
    items: Array<{ componentCode?: string; description: string }>;
    dueAt: string | null;
    requestedAtStatusCode: number | null;
  } | null;
  @ApiProperty({ description: 'The one re-appointment (mẫu 04) was made' }) rescheduled: boolean;
  @ApiProperty({
    nullable: true,
    type: DossierResultView,
    description: 'Outcome, result file, resolution time and timeliness (EARLY/ON_TIME/LATE), fixed at status 9',
  })
  result: { outcome: string; fileId: string | null; resolvedAt: string | null; timeliness: string | null } | null;
  @ApiProperty({ nullable: true, type: DossierReturnView }) returned: { at: string | null; method: string | null; trackingNumber: string | null } | null;
}

export class GuardFailureView {
  @ApiProperty({ example: 'SIGNATURE_REQUIRED' }) code: string;
  @ApiProperty() message: string;
}

export class AllowedActionView {
  @ApiProperty({ example: 'accept' }) action: string;
  @ApiProperty() allowed: boolean;
  @ApiPropertyOptional({ type: GuardFailureView, description: 'Why a guard blocks it' }) blockedBy?: { code: string; message: string };
}

export class DossierDeadlineView {
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) dueAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When it warns (due soon); also the last moment for a re-appointment' })
  dueSoonAt: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['RUNNING', 'PAUSED', 'STOPPED'] }) state: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['ON_TRACK', 'DUE_SOON', 'OVERDUE'] }) status: string | null;
  @ApiProperty({ nullable: true, type: String }) stepCode: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) stepDueAt: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['RUNNING', 'PAUSED', 'STOPPED'] }) stepState: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['ON_TRACK', 'DUE_SOON', 'OVERDUE'] }) stepStatus: string | null;
}

export class SignerSummaryView {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ enum: ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'] }) indication: string;
  @ApiProperty({ type: String, nullable: true }) subIndication: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) signingTime: string | null;
}

export class SignatureSummaryView {
  @ApiProperty({ enum: ['PENDING', 'VERIFIED', 'UNVERIFIED'] }) state: string;
  @ApiProperty({ nullable: true, type: String, enum: ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE', 'NO_SIGNATURE_FOUND'] }) indication: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'NO_CERTIFICATE_CHAIN_FOUND' }) subIndication: string | null;
  @ApiProperty({ description: 'Verified again later (a CRL was unavailable)' }) retrying: boolean;
  @ApiProperty({ description: 'Each signature: signer name, indication, signing time; details at GET /files/{id}/signatures', type: [SignerSummaryView] })
  signers: Array<{ name: string | null; indication: string; subIndication: string | null; signingTime: string | null }>;
}

export class DossierAttachmentDetailView extends DossierAttachmentView {
  @ApiProperty({ type: SignatureSummaryView }) signature: SignatureSummaryView;
}

export class ResultSignatureViewDto {
  @ApiProperty({ enum: ['PENDING_SIGNATURE', 'SIGNED', 'REJECTED', 'EXPIRED', 'FAILED'] }) status: string;
  @ApiProperty({ enum: ['local', 'remote'] }) provider: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) signedFileId: string | null;
  @ApiProperty({ nullable: true, type: String }) signer: string | null;
  @ApiProperty({ nullable: true, type: String }) signedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The verifier’s indication for the signed result; return needs TOTAL_PASSED' }) indication:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Remote signing: when the request lapses' }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
}

export class DossierResultDetailView extends DossierResultView {
  @ApiProperty({ type: ResultSignatureViewDto, nullable: true, description: 'The signing of a GRANTED result (null for DENIED)' })
  signature: ResultSignatureViewDto | null;
}

export class DossierDetailView extends DossierView {
  @ApiProperty({ type: [DossierAttachmentDetailView], description: 'With each file’s signature verification' })
  declare attachments: DossierAttachmentDetailView[];
  @ApiProperty({
    nullable: true,
    type: DossierResultDetailView,
    description: 'As in the list, plus `signature` (GRANTED results are signed before return); fileId is the signed document once signed',
  })
  declare result: {
    outcome: string;
    fileId: string | null;
    resolvedAt: string | null;
    timeliness: string | null;
    signature?: ResultSignatureViewDto | null;
  } | null;
  @ApiProperty({ type: DossierDeadlineView, nullable: true }) deadline: DossierDeadlineView | null;
  @ApiProperty({ type: [AllowedActionView], description: 'What the caller may do now; blocked ones say why' }) allowedActions: AllowedActionView[];
  @ApiProperty({
    type: DossierPaymentsDto,
    description:
      'Phí, lệ phí: the fee lines, each payment request (what is paid, how: PAYGOV, VIETQR, COUNTER_CASH/CARD, …) and the e-receipts (as GET /dossiers/{id}/payments)',
  })
  fees: DossierPaymentsDto;
}

export class DossierPage {
  @ApiProperty({ type: [DossierView] }) items: DossierView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class DossierEventView {
  @ApiProperty() seq: number;
  @ApiProperty({ example: 'SUBMITTED' }) type: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['user', 'api-key', 'system'] }) actorKind: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class DossierHistory {
  @ApiProperty({ type: [DossierEventView] }) events: DossierEventView[];
  @ApiProperty({ enum: ['VALID', 'BROKEN'], description: 'Result of re-computing the hash chain' }) integrity: 'VALID' | 'BROKEN';
  @ApiPropertyOptional({ description: 'First event whose hash does not hold' }) brokenAtSeq?: number;
}

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;
