import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  APPLICANT_CATEGORIES,
  FEE_CHANNELS,
  FEE_COLLECTION_POINTS,
  FEE_KINDS,
  type ApplicantCategory,
  type FeeChannel,
  type FeeCollectionPoint,
  type FeeKind,
} from '../fee-lines.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsDecimal, IsOmittable } from '../../common/validation.js';
import {
  DURATION_UNITS,
  PROCEDURE_AGENCY_LEVELS,
  SERVICE_LEVELS,
  STEP_ROLES,
  SUPPLEMENT_CLOCK_RULES,
  normaliseServiceLevel,
  type SupplementClockRule,
  type DurationUnit,
  type ProcedureAgencyLevel,
  type ServiceLevel,
  type StepRole,
} from '../catalog.types.js';

const SERVICE_LEVEL_MESSAGE = 'serviceLevel must be FULL_ONLINE or PARTIAL_ONLINE (legacy 4 or 3)';
const toServiceLevel = ({ value }: { value: unknown }) => normaliseServiceLevel(value);

export class DurationDto {
  @ApiProperty({ example: 5, description: 'Positive, at most two decimals' })
  @IsDecimal(2)
  @IsPositive()
  @Max(10000)
  value: number;

  @ApiProperty({
    enum: DURATION_UNITS,
    example: 'WORKING_DAYS',
    description: 'Budgets convert at 8 working hours per working day; a calendar day counts as one day',
  })
  @IsIn(DURATION_UNITS)
  unit: DurationUnit;
}

export class FeeDto {
  @ApiPropertyOptional({ example: 'LP01', description: 'Unique within the procedure; LP01, LP02, … by position when omitted' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$/, { message: 'code must be 1-20 letters, digits, . _ -' })
  code?: string;

  @ApiPropertyOptional({
    enum: FEE_KINDS,
    description: 'PHI (phí, a fee for a service) or LE_PHI (lệ phí, a State charge); guessed from the text when omitted',
  })
  @IsOptional()
  @IsIn(FEE_KINDS)
  kind?: FeeKind;

  @ApiPropertyOptional({
    enum: FEE_COLLECTION_POINTS,
    description: 'When it is collected: AT_SUBMISSION (the dossier waits for payment before the one-stop sees it), AT_RECEPTION or AT_RESULT (status 6)',
  })
  @IsOptional()
  @IsIn(FEE_COLLECTION_POINTS)
  collectAt?: FeeCollectionPoint;

  @ApiPropertyOptional({
    enum: FEE_CHANNELS,
    isArray: true,
    description: 'Submission channels the line applies to; read from the name ("Trực tuyến, Trực tiếp") when omitted',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(FEE_CHANNELS, { each: true })
  channels?: FeeChannel[];

  @ApiPropertyOptional({ enum: APPLICANT_CATEGORIES, isArray: true, description: 'Applicant categories exempt from the line (amount 0)' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(APPLICANT_CATEGORIES, { each: true })
  exemptCategories?: ApplicantCategory[];

  @ApiProperty({ example: 'Lệ phí đăng ký hộ kinh doanh' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 100000,
    description: 'Amount in VND when fixed; absent when the amount depends on the case (see text)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  amountVnd?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  text?: string | null;
}

export class ComponentDto {
  @ApiProperty({ example: 'TP01', description: 'Unique within the procedure' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$/, { message: 'code must be 1-20 letters, digits, . _ - (e.g. TP01)' })
  code: string;

  @ApiProperty({ example: 'Giấy chứng sinh' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  name: string;

  @ApiProperty({ description: 'The dossier must contain it' })
  @IsBoolean()
  required: boolean;

  @ApiProperty({ description: 'The uploaded file must carry a digital signature' })
  @IsBoolean()
  signatureRequired: boolean;

  @ApiProperty({ description: 'The original must be shown (at reception or at return)' })
  @IsBoolean()
  originalRequired: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Giấy tờ phải nộp', description: 'Heading the portal lists it under (may name a case)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  group?: string | null;
}

export class SupplementPolicyDto {
  @ApiProperty({ example: 30, minimum: 1, maximum: 90, description: 'Calendar days the citizen has to supplement (moved to a working day)' })
  @IsInt()
  @Min(1)
  @Max(90)
  days: number;

  @ApiProperty({
    enum: SUPPLEMENT_CLOCK_RULES,
    description: 'After a supplement requested during processing: RESTART the time limit from zero (the general rule) or PAUSE it while waiting',
  })
  @IsIn(SUPPLEMENT_CLOCK_RULES)
  clock: SupplementClockRule;
}

export class StepDto {
  @ApiProperty({ example: 'REVIEW', description: 'Unique within the procedure' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/, { message: 'code must be 1-30 letters, digits, . _ -' })
  code: string;

  @ApiProperty({ example: 'Thẩm định, xử lý hồ sơ' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name: string;

  @ApiProperty({ enum: STEP_ROLES })
  @IsIn(STEP_ROLES)
  role: StepRole;

  @ApiProperty({ type: DurationDto })
  @ValidateNested()
  @Type(() => DurationDto)
  budget: DurationDto;
}

export class CreateProcedureDto {
  @ApiProperty({ example: '1.001193', description: 'National procedure code (mã TTHC), an opaque key' })
  @Matches(/^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/, { message: 'code must be 1-40 letters, digits, . _ - (e.g. 1.001193)' })
  code: string;

  @ApiProperty({ example: 'Thủ tục đăng ký khai sinh' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Birth registration' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  nameEn?: string | null;

  @ApiProperty({ example: 'Hộ tịch', description: 'Field (lĩnh vực)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  field: string;

  @ApiProperty({ enum: SERVICE_LEVELS, description: 'FULL_ONLINE (toàn trình) or PARTIAL_ONLINE (một phần); legacy levels 4 and 3 are accepted and converted' })
  @Transform(toServiceLevel)
  @IsIn(SERVICE_LEVELS, { message: SERVICE_LEVEL_MESSAGE })
  serviceLevel: ServiceLevel;

  @ApiProperty({ enum: PROCEDURE_AGENCY_LEVELS, isArray: true, example: ['COMMUNE'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(PROCEDURE_AGENCY_LEVELS, { each: true })
  agencyLevels: ProcedureAgencyLevel[];

  @ApiProperty({ type: DurationDto, description: 'Legal time limit (thời hạn giải quyết)' })
  @ValidateNested()
  @Type(() => DurationDto)
  timeLimit: DurationDto;

  @ApiPropertyOptional({ type: [FeeDto], default: [] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FeeDto)
  fees?: FeeDto[];

  @ApiPropertyOptional({ type: [ComponentDto], default: [], description: 'Dossier components (thành phần hồ sơ); codes unique' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ComponentDto)
  components?: ComponentDto[];

  @ApiProperty({ type: [StepDto], description: 'Internal process (quy trình nội bộ); budgets may not add up to more than timeLimit' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps: StepDto[];

  @ApiPropertyOptional({
    type: SupplementPolicyDto,
    default: { days: 30, clock: 'RESTART' },
    description: 'Supplement requests: the citizen’s days, and what happens to the processing clock',
  })
  @IsOmittable()
  @ValidateNested()
  @Type(() => SupplementPolicyDto)
  supplement?: SupplementPolicyDto;
}

// Null is validated like any value (only nameEn may be null): PATCH {fees: null} is a 400, not a wipe.
export class UpdateProcedureDto extends PartialType(OmitType(CreateProcedureDto, ['code'] as const), { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'Refuse the update (409) unless the procedure is still at this version' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class ProcedureQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SERVICE_LEVELS })
  @IsOptional()
  @Transform(toServiceLevel)
  @IsIn(SERVICE_LEVELS, { message: SERVICE_LEVEL_MESSAGE })
  serviceLevel?: ServiceLevel;

  @ApiPropertyOptional({ enum: PROCEDURE_AGENCY_LEVELS, description: 'Procedures handled at this level' })
  @IsOptional()
  @IsIn(PROCEDURE_AGENCY_LEVELS)
  agencyLevel?: ProcedureAgencyLevel;

  @ApiPropertyOptional({ example: 'Hộ tịch', description: 'Exact field (lĩnh vực)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  field?: string;

  @ApiPropertyOptional({
    example: 'dang ky khai sinh',
    description: 'Words to find in the code, name or field, ignoring accents and case; every word must match',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
