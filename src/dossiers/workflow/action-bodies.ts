import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AttachmentDto } from '../dto/dossier.dto.js';
import { RESULT_FORMS, type ResultForm } from '../intake.js';
import { APPLICANT_CATEGORIES, type ApplicantCategory } from '../../catalog/fee-lines.js';
import type { WorkflowAction as Action } from '../../dossier-record/event-types.js';

/** Every action carries the version the caller saw (optimistic locking) and may carry a note. */
export class ActionBody {
  @ApiProperty({ example: 1, description: 'The dossier version the caller last read; a stale one gets 409 DOSSIER_VERSION_CONFLICT' })
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @ApiPropertyOptional({ example: 'Đã kiểm tra đủ thành phần hồ sơ' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class SupplementItemDto {
  @ApiPropertyOptional({ example: 'TP04' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  componentCode?: string;

  @ApiProperty({ example: 'Bản sao giấy chứng nhận kết hôn của cha, mẹ trẻ' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  description: string;
}

export class RequestSupplementBody extends ActionBody {
  @ApiProperty({ type: [SupplementItemDto], description: 'One complete list of what is missing (một lần, đầy đủ)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SupplementItemDto)
  items: SupplementItemDto[];
}

export class SupplementBody extends ActionBody {
  @ApiProperty({ type: [AttachmentDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments: AttachmentDto[];
}

export class ReasonsBody extends ActionBody {
  @ApiProperty({ type: [String], example: ['Hồ sơ không thuộc thẩm quyền giải quyết'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(3, { each: true })
  @MaxLength(1000, { each: true })
  reasons: string[];
}

export class AssignBody extends ActionBody {
  @ApiPropertyOptional({ format: 'uuid', description: 'A specialist of the competent agency; omit to leave the step to the unit (claim)' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;
}

export class PaymentRequestBody extends ActionBody {
  @ApiPropertyOptional({ example: 8000, description: "A variable fee set by the officer (one line); omit to charge the procedure's fee lines of `stage`" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000_000)
  amountVnd?: number;

  @ApiPropertyOptional({
    enum: ['AT_RECEPTION', 'AT_RESULT'],
    default: 'AT_RESULT',
    description: 'Which fee lines of the catalogue to charge (without amountVnd)',
  })
  @IsOptional()
  @IsIn(['AT_RECEPTION', 'AT_RESULT'])
  stage?: 'AT_RECEPTION' | 'AT_RESULT';

  @ApiPropertyOptional({
    type: [String],
    example: ['LP01'],
    description: 'Only these fee lines of `stage` (the portal lists alternatives, e.g. per person or per list)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  lineCodes?: string[];

  @ApiPropertyOptional({ enum: APPLICANT_CATEGORIES, description: "The applicant's category, for the lines' exemptions" })
  @IsOptional()
  @IsIn(APPLICANT_CATEGORIES)
  applicantCategory?: ApplicantCategory;

  @ApiPropertyOptional({ example: 'Lệ phí cấp bản sao trích lục' })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  description?: string;
}

export class PaymentConfirmBody extends ActionBody {
  @ApiPropertyOptional({
    example: 'BL-2026-000123',
    description: 'A paper receipt (biên lai giấy) number, until paper receipts end on 31/12/2026; an e-receipt is issued either way',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  receiptNumber?: string;

  @ApiPropertyOptional({ enum: ['COUNTER_CASH', 'COUNTER_CARD'], default: 'COUNTER_CASH', description: 'How the pending requests were paid at the desk' })
  @IsOptional()
  @IsIn(['COUNTER_CASH', 'COUNTER_CARD'])
  method?: 'COUNTER_CASH' | 'COUNTER_CARD';

  @ApiPropertyOptional({ example: 'Nguyễn Văn An', description: 'The payer (default: the applicant)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  payerName?: string;
}

export class ApproveBody extends ActionBody {
  @ApiProperty({ enum: ['GRANTED', 'DENIED'] })
  @IsIn(['GRANTED', 'DENIED'])
  outcome: 'GRANTED' | 'DENIED';

  @ApiPropertyOptional({ format: 'uuid', description: 'The result document (required when GRANTED)' })
  @IsOptional()
  @IsUUID()
  resultFileId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Reasons (required when DENIED)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(3, { each: true })
  reasons?: string[];

  @ApiPropertyOptional({
    enum: RESULT_FORMS,
    description:
      'GRANTED: ELECTRONIC (when left out) (a PDF, signed by the leader before return) or SCANNED (a paper-only result, signed on paper, scanned in: PDF, JPEG or PNG; no signing round)',
  })
  @IsOptional()
  @IsIn(RESULT_FORMS)
  resultForm?: ResultForm;

  @ApiPropertyOptional({ example: '2027-06-30', description: 'Last day the result is valid, when it has one (kept in the applicant’s data store)' })
  @IsOptional()
  @IsDateString({ strict: true })
  resultValidUntil?: string;
}

export class RescheduleBody extends ActionBody {
  @ApiProperty({ example: '2026-11-30T10:00:00Z' })
  @IsDateString({ strict: true })
  newDueAt: string;

  @ApiProperty({ example: 'Cần xác minh thông tin cư trú' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class ReturnBody extends ActionBody {
  @ApiProperty({ enum: ['ONLINE', 'POSTAL', 'COUNTER'] })
  @IsIn(['ONLINE', 'POSTAL', 'COUNTER'])
  method: 'ONLINE' | 'POSTAL' | 'COUNTER';

  @ApiPropertyOptional({ example: 'EB123456789VN', description: 'Required for POSTAL' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  trackingNumber?: string;

  @ApiPropertyOptional({ description: 'Partial-online procedures with originals to show: the officer confirms they were checked' })
  @IsOptional()
  @IsBoolean()
  originalsChecked?: boolean;
}

export class ReasonBody extends ActionBody {
  @ApiProperty({ example: 'Quá hạn bổ sung hồ sơ' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

/** The body each action takes; the endpoint validates against it (unknown fields refused). */
export const ACTION_BODIES: Record<Action, new () => ActionBody> = {
  accept: ActionBody,
  'request-supplement': RequestSupplementBody,
  supplement: SupplementBody,
  refuse: ReasonsBody,
  assign: AssignBody,
  claim: ActionBody,
  forward: AssignBody,
  'send-back': AssignBody,
  'request-payment': PaymentRequestBody,
  'confirm-payment': PaymentConfirmBody,
  approve: ApproveBody,
  'request-signature': ActionBody,
  reschedule: RescheduleBody,
  return: ReturnBody,
  withdraw: ActionBody,
  stop: ReasonBody,
};
