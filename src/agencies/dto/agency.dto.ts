import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { toBoolean } from '../../common/query-params.js';
import { IsOmittable } from '../../common/validation.js';
import { AGENCY_CODE_EXAMPLE, AGENCY_CODE_RULE, isValidAgencyCode } from '../agency-code.js';
import { AGENCY_LEVELS, type AgencyLevel } from '../agencies.types.js';
import { TIME_OF_DAY } from '../office-hours.js';

/** The value is an agency id in the QCVN 102:2016 form (see agency-code.ts). */
export function IsAgencyCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isAgencyCode', validator: { validate: isValidAgencyCode, defaultMessage: () => AGENCY_CODE_RULE } }, options);
}

const TIME_MESSAGE = { message: 'must be a time HH:MM (24 h), e.g. 07:30' };

export class OfficePeriodDto {
  @ApiProperty({ example: '07:30' })
  @Matches(TIME_OF_DAY, TIME_MESSAGE)
  start: string;

  @ApiProperty({ example: '11:30' })
  @Matches(TIME_OF_DAY, TIME_MESSAGE)
  end: string;
}

export class OfficeDayDto {
  @ApiProperty({ example: 1, minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ type: [OfficePeriodDto] })
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => OfficePeriodDto)
  periods: OfficePeriodDto[];
}

export class OfficeHoursDto {
  @ApiProperty({ example: 'Asia/Ho_Chi_Minh', description: 'IANA time zone' })
  @IsString()
  @MaxLength(64)
  timeZone: string;

  @ApiProperty({ type: [OfficeDayDto] })
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => OfficeDayDto)
  days: OfficeDayDto[];

  @ApiProperty({ example: '15:00', description: 'Dossiers received later start their clock the next working day' })
  @Matches(TIME_OF_DAY, TIME_MESSAGE)
  cutOff: string;
}

export class CreateAgencyDto {
  @ApiProperty({ example: AGENCY_CODE_EXAMPLE, description: 'Electronic id, QCVN 102:2016 form V1V2V3.Z1Z2.Y1Y2.MX1X2' })
  @IsAgencyCode()
  code: string;

  @ApiProperty({ example: 'Ủy ban nhân dân phường Hạc Thành' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name: string;

  @ApiProperty({ enum: AGENCY_LEVELS, description: 'DISTRICT only for agencies before 1/7/2025, and never active' })
  @IsIn(AGENCY_LEVELS)
  level: AgencyLevel;

  @ApiPropertyOptional({ type: String, nullable: true, example: '000.00.00.H56', description: 'Required for COMMUNE and DISTRICT' })
  @IsOptional()
  @IsAgencyCode()
  parentCode?: string | null;

  @ApiPropertyOptional({ type: OfficeHoursDto, description: 'Default Mon–Fri 07:30–11:30, 13:00–17:00 Asia/Ho_Chi_Minh, cut-off 15:00' })
  @IsOmittable()
  @ValidateNested()
  @Type(() => OfficeHoursDto)
  officeHours?: OfficeHoursDto;

  @ApiPropertyOptional({ default: false, description: 'A public administration service centre that receives dossiers' })
  @IsOmittable()
  @IsBoolean()
  isServiceCentre?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

// Null is validated like any value (only parentCode may be null).
export class UpdateAgencyDto extends PartialType(OmitType(CreateAgencyDto, ['code'] as const), { skipNullProperties: false }) {}

export class SetAgencyProceduresDto {
  @ApiProperty({ type: [String], example: ['1.001193', '1.000894'], description: 'Every procedure the agency resolves; replaces the previous list' })
  @IsArray()
  @ArrayMaxSize(5000)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  procedureCodes: string[];
}

export class AgencyQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AGENCY_LEVELS })
  @IsOptional()
  @IsIn(AGENCY_LEVELS)
  level?: AgencyLevel;

  @ApiPropertyOptional({ example: '000.00.00.H56', description: 'Direct children of this agency' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  parentCode?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isServiceCentre?: boolean;

  @ApiPropertyOptional({ example: '1.001193', description: 'Agencies that resolve this procedure' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  procedureCode?: string;

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'false lists inactive agencies (e.g. former districts)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;
}

export class AgencyResponse {
  @ApiProperty({ example: AGENCY_CODE_EXAMPLE })
  code: string;

  @ApiProperty({ example: 'Ủy ban nhân dân phường Hạc Thành' })
  name: string;

  @ApiProperty({ enum: AGENCY_LEVELS })
  level: AgencyLevel;

  @ApiProperty({ type: String, nullable: true, example: '000.00.00.H56' })
  parentCode: string | null;

  @ApiProperty({ type: OfficeHoursDto })
  officeHours: OfficeHoursDto;

  @ApiProperty()
  isServiceCentre: boolean;

  @ApiProperty()
  active: boolean;
}

export class AgencyDetailResponse extends AgencyResponse {
  @ApiProperty({ type: [String], example: ['1.001193'], description: 'Procedures this agency resolves' })
  procedureCodes: string[];
}

export class AgencyPage {
  @ApiProperty({ type: [AgencyResponse] })
  items: AgencyResponse[];

  @ApiProperty({ example: 4 })
  total: number;

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
