import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsAgencyCode } from '../../agencies/dto/agency.dto.js';
import { AGENCY_CODE_EXAMPLE } from '../../agencies/agency-code.js';
import { DURATION_UNITS, type DurationUnit } from '../../catalog/catalog.types.js';
import { CALENDAR_DAY_TYPES, DEADLINE_RULES, type CalendarDayType, type DeadlineRule } from '../working-calendar.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = { message: 'must be a date YYYY-MM-DD' };
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value);

export class CalendarDaysQuery {
  @ApiPropertyOptional({ example: AGENCY_CODE_EXAMPLE, description: 'Without it: the national schedule' })
  @IsOptional()
  @IsAgencyCode()
  agencyCode?: string;

  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE, DATE_MESSAGE)
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'Inclusive; at most 3 years after from' })
  @Matches(DATE, DATE_MESSAGE)
  to: string;
}

export class SetCalendarDayDto {
  @ApiProperty({
    enum: CALENDAR_DAY_TYPES,
    description: 'HOLIDAY: no work (ngày nghỉ); WORKING_DAY: a day off worked (làm bù), with the standard weekday hours',
  })
  @IsIn(CALENDAR_DAY_TYPES)
  type: CalendarDayType;

  @ApiProperty({ example: 'Nghỉ bù Quốc khánh' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: AGENCY_CODE_EXAMPLE,
    description: 'The agency (and its units) the day applies to; without it, the national schedule',
  })
  @IsOptional()
  @IsAgencyCode()
  agencyCode?: string | null;
}

export class DeleteCalendarDayQuery {
  @ApiPropertyOptional({ example: AGENCY_CODE_EXAMPLE, description: 'Without it: the national day' })
  @IsOptional()
  @IsAgencyCode()
  agencyCode?: string;
}

export class DueDateQuery {
  @ApiPropertyOptional({
    example: AGENCY_CODE_EXAMPLE,
    description: 'The agency whose hours and days apply; without it, the national schedule with default hours',
  })
  @IsOptional()
  @IsAgencyCode()
  agencyCode?: string;

  @ApiPropertyOptional({ example: '2026-02-13T10:00:00+07:00', description: 'Receipt instant (ISO 8601 with offset); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  start?: string;

  @ApiProperty({ example: 5, minimum: 0, maximum: 3650 })
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(3650)
  value: number;

  @ApiProperty({ enum: DURATION_UNITS })
  @IsIn(DURATION_UNITS)
  unit: DurationUnit;

  @ApiPropertyOptional({ enum: DEADLINE_RULES, default: 'DATE_RULE', description: 'DATE_RULE: Civil Code day counting; HOURS: N × 8 working hours' })
  @IsOptional()
  @IsIn(DEADLINE_RULES)
  rule?: DeadlineRule;
}

export class CalendarDayResponse {
  @ApiProperty({ example: '2026-02-17' }) date: string;
  @ApiProperty({ enum: CALENDAR_DAY_TYPES }) type: CalendarDayType;
  @ApiProperty({ example: 'Tết Nguyên đán – mùng 1 Tết' }) name: string;
  @ApiProperty({ enum: ['AGENCY', 'PARENT', 'NATIONAL'], description: 'Which level the day comes from: the agency, one of its parents, or the nation' })
  level: string;
  @ApiProperty({ type: String, nullable: true, description: 'The agency whose day it is; null for national days' }) agencyCode: string | null;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['official', 'reported', 'derived'] }) confidence: string | null;
  @ApiProperty({ description: 'Computed (Labour Code pattern) or not yet confirmed by a notice' }) provisional: boolean;
}

export class CalendarDaysResponse {
  @ApiProperty({ type: [CalendarDayResponse] }) items: CalendarDayResponse[];
}

export class DueDateResponse {
  @ApiProperty({ example: '2026-02-13T03:00:00.000Z' }) clockStartsAt: string;
  @ApiProperty({ example: '2026-02-27T10:00:00.000Z' }) dueAt: string;
  @ApiProperty({ example: '2026-02-26T10:00:00.000Z', description: 'When the dossier becomes due soon' }) dueSoonAt: string;
}
